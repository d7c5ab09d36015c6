"""Course → the schedule table of its course page, in the site's own format.

The table is what the course site's home page holds between ``<table>`` and ``</table>``: the
week comments, circled week numbers, one row per session with rowspans for the week, the format
and the shared resources, the format labels in the course language, ``{{site.baseurl}}`` links
for pages of the site and the emoji legend (🖥️ slides, 📓 notebook, 🎥 video). Reading it back
with :mod:`syllabus_export.importer` gives the same facts: a lecture's sessions share one
resources cell; the extras (after the last week with a lecture) share one format cell, each
with its own resources cell, as the site writes week 15.
"""

from __future__ import annotations

import re
from html import escape

from syllabus_export import model as m
from syllabus_export.errors import Problems
from syllabus_export.messages import kind_label, messages

EMOJI = {"slides": "\U0001f5a5\ufe0f", "notebook": "\U0001f4d3", "video": "\U0001f3a5"}
COMMENT_WIDTH = 71  # "=" * 31 + " WEEK 1 " + "=" * 32, as the site writes them


def circled(number: int) -> str:
    """①…⑳, ㉑…㉟, ㊱…㊿; digits beyond 50."""
    if 1 <= number <= 20:
        return chr(0x2460 + number - 1)
    if 21 <= number <= 35:
        return chr(0x3251 + number - 21)
    if 36 <= number <= 50:
        return chr(0x32B1 + number - 36)
    return str(number)


def _comment(label: str) -> str:
    left = "=" * 31
    right = "=" * max(3, COMMENT_WIDTH - len(left) - len(label) - 2)
    return f"<!-- {left} {label} {right} -->"


def _href(url: str, site: str | None) -> str:
    if site and url.startswith(site.rstrip("/") + "/"):
        url = "{{site.baseurl}}" + url[len(site.rstrip("/")) :]
    return escape(url, quote=True)


def _text(text: str) -> str:
    """Text as the site writes it: a bare ``&`` stays (it starts no character reference)."""
    return re.sub(r"&(?=[A-Za-z0-9#])", "&amp;", text).replace("<", "&lt;").replace(">", "&gt;")


def _linked(text: str, url: str | None, site: str | None) -> str:
    return f'<a href="{_href(url, site)}">{_text(text)}</a>' if url else _text(text)


def _resources(resources: tuple[m.Resource, ...], site: str | None, indent: str) -> list[str]:
    lines = []
    for r in resources:
        if r.kind in EMOJI:
            title = f' title="{escape(r.label, quote=True)}"' if r.label else ""
            lines.append(f'{indent}<a href="{_href(r.url, site)}"{title}>{EMOJI[r.kind]}</a>')
        else:
            lines.append(f"{indent}{_linked(r.label or messages('en')['other'], r.url, site)}")
    return lines


def export_table(course: m.Course) -> str:
    """The schedule table (``<table>…</table>`` and a final newline) for the course's page.

    Raises:
        SyllabusError: for what the site's table cannot say, so that reading it back would
            change a fact (a meeting of several sessions that is not a lecture; an extra
            before the last lecture, or a meeting after it that is not an extra; meetings placed
            in order, which have no course weeks of their own).
    """
    problems = Problems()
    if course.placement == "in-order":  # its weeks come from a term; the site's table is by week
        problems.add(course.at("placement"), "the site's table lists meetings by course week; a course placed "
                     "in order has its weeks only once dated in a term (write it with weeks: to export it)")
        problems.raise_if_any()
    words = messages(course.language)
    site = course.site
    # The site's table cannot mark an extra: reading it back applies the default rule, so the course must too.
    extra_weeks = m.default_extra_weeks(course.entries)
    last_lecture = m.last_lecture_week(course.entries)
    after = f"week {last_lecture}" if last_lecture is not None else "the course has no lecture, so none is an extra"
    for e in course.entries:
        if len(e.sessions) > 1 and e.kind != "lecture":
            problems.add(e.pos, f"meeting {e.id}: the site's table shows several sessions sharing resources only "
                         "for a lecture")
        if e.kind not in ("lecture", "practicum"):
            problems.add(e.pos, f"meeting {e.id}: the site's table has lectures and practica only, not '{e.kind}'")
        if e.extra != (e.week in extra_weeks):
            problems.add(e.pos, f"meeting {e.id}: the site's table marks as extras exactly the meetings after the "
                         f"last week with a lecture ({after})")
    problems.raise_if_any()

    out = [
        "<table>",
        _comment("HEADER"),
        "  <thead>",
        "    <tr>",
        f"      <th>{_text(words['week'])}</th>",
        f'      <th align="left">{_text(words["format"])}</th>',
        f'      <th align="left">{_text(words["title"])}</th>',
        f'      <th align="left">{_text(words["resources"])}</th>',
        "    </tr>",
        "  </thead>",
        "  <tbody>",
    ]
    for week in course.weeks:
        entries = [e for e in course.entries if e.week == week.number]
        if not entries:
            continue
        groups: list[list[m.Entry]] = []
        for e in entries:
            previous = groups[-1][-1] if groups else None
            if (previous is not None and e.extra and previous.extra and e.kind == previous.kind
                    and len(e.sessions) == 1 and len(previous.sessions) == 1):
                groups[-1].append(e)
            else:
                groups.append([e])
        out.append(_comment(f"WEEK {week.number}"))
        week_cell = (
            f'<td rowspan="{sum(len(e.sessions) for e in entries)}" align="center">'
            f"{_linked(circled(week.number), week.url, site)}</td>"
        )
        first_row = True
        for group in groups:
            label = _text(kind_label(course, group[0].kind))
            rows = sum(len(e.sessions) for e in group)
            format_cell = f'<td rowspan="{rows}">{label}</td>'
            for e in group:
                for index, session in enumerate(e.sessions):
                    cells = []
                    if first_row:
                        cells.append(week_cell)
                        first_row = False
                    if e is group[0] and index == 0:
                        cells.append(format_cell)
                    cells.append(f"<td>{_linked(session.title, session.url, site)}</td>")
                    if index == 0:
                        if len(group) > 1:
                            opening = '<td rowspan="1">'
                        elif len(e.sessions) > 1:
                            opening = f'<td rowspan="{len(e.sessions)}">'
                        else:
                            opening = "<td>"
                        if e.resources:
                            cells += [opening, *_resources(e.resources, site, "  "), "</td>"]
                        else:
                            cells.append(opening + "</td>")
                    if len(cells) == 1:
                        out.append(f"    <tr>{cells[0]}</tr>")
                    else:
                        out.append("    <tr>")
                        out += [f"      {cell}" for cell in cells]
                        out.append("    </tr>")
    out += ["  </tbody>", "</table>"]
    return "\n".join(out) + "\n"
