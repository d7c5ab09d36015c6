"""What the schedule table says: weeks, meetings, their sessions and resources, and their ids.

The site's table, as :mod:`~syllabus_export.importer.html_table` places it: a week cell spans the
week's rows; within it, a format cell spans the rows of one format; within that, each resources
cell spans the rows of one meeting — several sessions sharing one resources cell are one
meeting (two sessions, one class meeting), and each other row is a meeting of one session.
A session's id is the last part of its link (``…/vi/week01/01-1`` → ``01-1``) when that is an
id, else its week and row (``01-3``). Resources are the site's emoji (🖥 slides, 📓 notebook,
🎥 video) or, for any other link, its words; a link with neither words nor address is a
placeholder, left out with a warning, and one with an address alone is of kind ``other``.

The meetings' ids and which are extras come last, once their kinds are known
(:func:`meeting_entries`): the model's rules, ``L05`` / ``X15-1``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Hashable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from syllabus_export import model as m
from syllabus_export.errors import quoted
from syllabus_export.importer import tokens
from syllabus_export.importer.html_table import Cell, read_table
from syllabus_export.importer.links import LinkResolver
from syllabus_export.importer.source import PageSource
from syllabus_export.load import SESSION_ID_RE
from syllabus_export.messages import messages

RESOURCE_EMOJI = {"\U0001f5a5": "slides", "\U0001f4d3": "notebook", "\U0001f3a5": "video"}
# The site's "<!-- ===== WEEK 7 ===== -->": one that names another week hints at a lost row.
_WEEK_COMMENT = re.compile(r"[=\-\s]*[^\W\d_]+\s*([0-9]+)[=\-\s]*")


@dataclass(frozen=True, kw_only=True)
class RawEntry:
    """One meeting as the table shows it; its kind is known once the whole table is read."""

    week: int
    label: str  # the format cell's words (Bài giảng, Lecture)
    label_at: tuple[int, int]
    sessions: tuple[m.Session, ...]
    resources: tuple[m.Resource, ...]
    shared: bool  # several sessions share one resources cell: a lecture
    at: tuple[int, int]
    kind: str = ""  # "": not known yet (syllabus_export.importer.kinds.with_kinds)


class ScheduleReader:
    """The schedule table → its meetings (:class:`RawEntry`) and weeks, problems at their cells."""

    def __init__(self, source: PageSource, links: LinkResolver, language: str):
        self.source = source
        self.links = links
        self.language = language

    def read(self, start: int, end: int) -> tuple[list[RawEntry], list[m.Week]]:
        """The table on lines ``start``..``end`` (indexes from 0)."""
        table = read_table(self.source, start, end)
        body, grid = table.body, table.grid
        fail = self.source.fail
        entries: list[RawEntry] = []
        weeks: list[m.Week] = []
        seen_weeks: dict[int, int] = {}
        seen_sessions: dict[str, int] = {}
        for week_rows in _runs(range(len(body)), lambda r: id(grid[r][0])):
            week_cell = grid[week_rows[0]][0]
            number = self.week_number(week_cell)
            first = body[week_rows[0]]
            if number is None:
                continue
            if first.comment and (said := _WEEK_COMMENT.fullmatch(tokens.ascii_digits(first.comment[0]))):
                if int(said[1]) != number:
                    fail(
                        first.comment[1],
                        first.comment[2],
                        f"the comment says week {int(said[1])} but the week cell below says {number} "
                        f"(line {week_cell.line})",
                    )
            if number in seen_weeks:
                fail(week_cell.line, week_cell.column, f"week {number} appears twice (line {seen_weeks[number]})")
                continue
            seen_weeks[number] = week_cell.line
            url = None
            if week_cell.links:
                link = week_cell.links[0]
                url = self.links.absolute(link.href, link.line, link.column, f"week {number}")
            weeks.append(m.Week(number=number, url=url, pos=self.source.pos(week_cell.line, week_cell.column)))
            index = 0
            for format_rows in _runs(week_rows, lambda r: id(grid[r][1])):
                format_cell = grid[format_rows[0]][1]
                if format_cell.rows[0] != format_rows[0] or format_cell.rows[-1] != format_rows[-1]:
                    fail(format_cell.line, format_cell.column, "the format cell's rowspan crosses into another week")
                    continue
                label = tokens.clean(format_cell.text)
                if not label or format_cell.links:
                    fail(format_cell.line, format_cell.column, "cannot read the format (expected a word such as "
                         f"'{messages(self.language)['lecture']}')")
                    continue
                for resource_rows in _runs(format_rows, lambda r: id(grid[r][3])):
                    resource_cell = grid[resource_rows[0]][3]
                    if resource_cell.rows[0] != resource_rows[0] or resource_cell.rows[-1] != resource_rows[-1]:
                        fail(resource_cell.line, resource_cell.column, "the resources cell's rowspan crosses "
                             "into another meeting")
                        continue
                    sessions = []
                    for r in resource_rows:
                        index += 1
                        session = self.session(grid[r][2], number, index, seen_sessions)
                        if session is not None:
                            sessions.append(session)
                    resources = self.resources(resource_cell)
                    if len(sessions) == len(resource_rows):
                        entries.append(
                            RawEntry(
                                week=number,
                                label=label,
                                label_at=(format_cell.line, format_cell.column),
                                sessions=tuple(sessions),
                                resources=tuple(resources),
                                shared=len(sessions) > 1,
                                at=(body[resource_rows[0]].line, body[resource_rows[0]].column),
                            )
                        )
        return entries, weeks

    def week_number(self, cell: Cell) -> int | None:
        text = tokens.clean(cell.text)
        number = tokens.week_number(text)
        if number is None:
            self.source.fail(cell.line, cell.column, f"cannot read the week number '{quoted(text)}' (expected a "
                             "circled number such as ⑤, or digits)")
            return None
        if len(cell.links) > 1:
            self.source.fail(cell.line, cell.column, "the week cell has more than one link")
        return number

    def session(self, cell: Cell, week: int, index: int, seen: dict[str, int]) -> m.Session | None:
        title = tokens.clean(cell.text)
        if not title:
            self.source.fail(cell.line, cell.column, "the title cell is empty")
            return None
        if len(cell.links) > 1:
            self.source.fail(cell.line, cell.column, "the title cell has more than one link")
            return None
        url = None
        sid = f"{week:02d}-{index}"
        if cell.links:
            link = cell.links[0]
            url = self.links.absolute(link.href, link.line, link.column, f"'{quoted(title)}'")
            if url is not None:
                last = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
                last = re.sub(r"\.(html?|md)$", "", last)
                if SESSION_ID_RE.match(last) and last not in seen:
                    sid = last
        if sid in seen:
            self.source.fail(cell.line, cell.column, f"session '{sid}' appears twice (line {seen[sid]})")
            return None
        seen[sid] = cell.line
        return m.Session(id=sid, title=title, url=url, pos=self.source.pos(cell.line, cell.column))

    def resources(self, cell: Cell) -> list[m.Resource]:
        fail = self.source.fail
        if cell.outside.strip():
            outside = quoted(cell.outside.strip())
            fail(cell.line, cell.column, f"text outside the links of a resources cell: '{outside}'")
        for _, line, column in cell.images:
            fail(line, column, "an image in the resources cell (expected 🖥, 📓, 🎥 or a word as the link)")
        found = []
        for link in cell.links:
            text = tokens.clean(link.text)
            emoji = "".join(c for c in text if c not in tokens.VARIATION and not c.isspace())
            if not text and not (link.href or "").strip():
                self.source.warn(link.line, link.column, "an empty link (no symbol, no address) in a resources cell, "
                                 "a placeholder: left out")
                continue
            url = self.links.absolute(link.href, link.line, link.column, "resource")
            if url is None:
                continue
            kind = RESOURCE_EMOJI.get(emoji)
            label = tokens.clean(link.title) if link.title and tokens.clean(link.title) else None
            if kind is None and not text:
                self.source.warn(link.line, link.column, "a resource link without a symbol (🖥, 📓 or 🎥) or words: "
                                 "read as a link of kind 'other'")
                kind = "other"
            elif kind is None:
                kind, label = "other", label or text
            found.append(m.Resource(kind=kind, url=url, label=label, pos=self.source.pos(link.line, link.column)))
        return found


def meeting_entries(
    source: PageSource, entries: list[RawEntry], extra_weeks: Collection[int] | None
) -> list[m.Entry]:
    """The meetings with their ids, once their kinds are known.

    Extras are the meetings of ``extra_weeks``, by default the model's rule
    (:func:`syllabus_export.model.default_extra_weeks`); an extra's id is ``X`` and its first
    session's id, a class meeting's its kind's prefix and its week (``L05``), and ``-2``, ``-3``…
    for a second meeting of one kind in one week (a page that names ``extra_weeks`` may have them).
    """
    extras = set(extra_weeks) if extra_weeks is not None else m.default_extra_weeks(entries)
    found, taken = [], Counter[str]()
    for raw in entries:
        extra = raw.week in extras
        if extra:
            eid = m.extra_id(raw.sessions[0].id)
        else:
            eid = m.meeting_id(m.default_prefix(raw.kind), raw.week)
            taken[eid] += 1
            if taken[eid] > 1:
                eid = f"{eid}-{taken[eid]}"
        found.append(
            m.Entry(
                id=eid,
                kind=raw.kind,
                week=raw.week,
                sessions=raw.sessions,
                resources=raw.resources,
                extra=extra,
                pos=source.pos(*raw.at),
            )
        )
    return found


def _runs(indexes: Iterable[int], key: Callable[[int], Hashable]) -> list[list[int]]:
    """Consecutive indexes with the same key."""
    runs: list[list[int]] = []
    last: object = object()
    for i in indexes:
        k = key(i)
        if runs and k == last:
            runs[-1].append(i)
        else:
            runs.append([i])
        last = k
    return runs
