"""The schedule table: one row per meeting, rows for no-class days, rows for the material without
a class meeting, in date order; its column widths; every other course week on a stripe."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import CondPageBreak, Flowable, TableStyle

from syllabus_export import present
from syllabus_export.messages import kind_label
from syllabus_export.pdf.dates import _spaces
from syllabus_export.pdf.flowables import _Paragraph
from syllabus_export.pdf.scripts import text_width
from syllabus_export.pdf.styles import SEP, grid_style, markup_color
from syllabus_export.pdf.tagging import TaggedTable

if TYPE_CHECKING:
    from syllabus_export.pdf.document import Document


def schedule_table(doc: Document) -> list[Flowable]:
    """The schedule's heading and table: a row per meeting, no-class day and material without a meeting
    (``_items``), in date order; the column heads repeated on every page."""
    st, words = doc.styles, doc.words
    keys = [("week",), ("date",), ("time", "location"), ("format",), ("title",), ("resources",)]
    head = ["\n".join(words[k] for k in column) for column in keys]
    language = doc.field(("language",))
    header = [
        _Paragraph(doc.text(h, language, "column heading", "bold"), st["cell_head"], lang=doc.word_lang(*column))
        for h, column in zip(head, keys)
    ]
    items = present.rows(doc.schedule)
    widths = _column_widths(doc, items, head)
    rows: list[list[Any]] = [header]
    style = grid_style(doc.theme)
    stripe = colors.HexColor(doc.theme.colors["stripe"])
    week_of_row: list[int | None] = []
    seen: set[int] = set()
    for item in items:
        row_index = len(rows)
        if isinstance(item, present.MeetingRow):
            rows.append(_meeting_row(doc, item, seen))
        elif isinstance(item, present.ExtraRow):
            rows.append(_extra_row(doc, item, seen))
            style.append(("SPAN", (1, row_index), (2, row_index)))
        else:  # a no-class day, or a day that follows another weekday's schedule
            rows.append(_no_class_row(doc, item, seen) if isinstance(item, present.NoClassRow)
                        else _substitution_row(doc, item, seen))
            style.append(("SPAN", (2, row_index), (-1, row_index)))
            style.append(
                (
                    "BACKGROUND",
                    (0, row_index),
                    (-1, row_index),
                    colors.HexColor(doc.theme.colors["no_class_background"]),
                )
            )
        week_of_row.append(None if isinstance(item, (present.NoClassRow, present.SubstitutionRow)) else item.week)
    # every other course week on a light stripe; a stronger line where a week begins
    previous = None
    shade = False
    for offset, week in enumerate(week_of_row, 1):
        if week is not None and week != previous:
            shade = not shade if previous is not None else False
            if offset > 1:
                style.append(("LINEABOVE", (0, offset), (-1, offset), 0.7, colors.HexColor(doc.theme.colors["rule"])))
            previous = week
        if week is not None and shade:
            style.append(("BACKGROUND", (0, offset), (-1, offset), stripe))
    table = TaggedTable(rows, colWidths=widths, repeatRows=1, splitInRow=0, hAlign="LEFT", header_rows=1)
    table.setStyle(TableStyle(style))
    # the heading, the column heads and a few rows at least on the page where the schedule starts
    return [CondPageBreak(45 * mm), doc.heading("schedule", "schedule"), table]


def _column_widths(doc: Document, items: tuple[present.Row, ...], head: list[str]) -> list[float]:
    """Column widths: week, date, time and kind as wide as their longest unbreakable line (so
    "27/01/2020" never wraps, in any language), resources 40 mm, the titles the rest."""
    fonts, size = doc.theme.fonts, doc.theme.sizes["table"]
    padding = 6 + 2  # LEFTPADDING + RIGHTPADDING of the grid, and a little air between columns

    def width(text: str, face: str = "regular") -> float:
        if doc.script_fonts is not None:  # each run in the font that draws it
            return text_width(doc, text, face, size)
        return pdfmetrics.stringWidth(text, fonts[face], size)

    def words(text: str, face: str = "regular") -> float:
        return max((width(w, face) for w in text.split()), default=0)

    lines: dict[int, list[float]] = {i: [words(h, "bold")] for i, h in enumerate(head)}
    kinds = {kind_label(doc.course, p.kind) for p in doc.course.patterns}
    kinds |= {kind_label(doc.course, e.kind) for e in doc.course.entries}
    kinds |= {t.section for t in present.times_and_places(doc.course) if t.section}  # under the kind, in its cell
    for item in items:
        lines[0].append(width(str(item.week) if item.week else "–"))
        if isinstance(item, present.MeetingRow):
            start, end = item.meeting.start, item.meeting.end
            lines[1] += [width(doc.dates.weekday(start.weekday())), width(doc.dates.date(item.day))]
            lines[2].append(width(doc.dates.times(start.time(), end.time())))
        elif isinstance(item, present.NoClassRow):
            first = item.period.start
            lines[1] += [width(doc.dates.weekday(first.weekday())), width(doc.dates.date(first) + " –")]
        elif isinstance(item, present.SubstitutionRow):
            lines[1] += [width(doc.dates.weekday(item.day.weekday())), width(doc.dates.date(item.day))]
    lines[3] += [max(words(k), min(width(k), 24 * mm)) for k in kinds]
    lines[3].append(min(width(head[3], "bold"), 24 * mm))
    if any(isinstance(item, present.MeetingRow) and item.meeting.cancelled for item in items):
        lines[3].append(width(doc.words["cancelled"], "bold"))
    result = [max(lines[i]) + padding for i in range(4)] + [0.0, 40 * mm]
    result[4] = doc.width - sum(result)
    if result[4] < 55 * mm:  # a narrow page or wide words: the resources give way first
        result[5] = max(28 * mm, result[5] - (55 * mm - result[4]))
        result[4] = doc.width - sum(result[:4]) - result[5]
    return result


def _week_cell(doc: Document, week: int, seen: set[int]) -> Flowable:
    """The week number of a row."""
    if week in seen:  # the week's second row: the number again, quieter
        muted = markup_color(doc.theme.colors["muted"])
        return _Paragraph(f'<font color="{muted}">{week}</font>', doc.styles["cell"])
    seen.add(week)
    return _Paragraph(str(week), doc.styles["cell"])


def _titles(doc: Document, sessions: tuple[present.SessionLine, ...], cancelled: bool) -> str:
    """The sessions of a row: id and title (linked), struck through when the meeting is cancelled."""
    muted = markup_color(doc.theme.colors["muted"])
    lines = []
    for session in sessions:
        title = doc.link(doc.text(session.title, session.title_pos, f"session {session.id} title"), session.url)
        if cancelled:
            title = f"<strike>{title}</strike>"
        sid = doc.text(session.id, session.pos, "session id")
        lines.append(f'<font color="{muted}">{sid}</font> {title}')
    return "<br/>".join(lines)


def _resources(doc: Document, resources: tuple[present.ResourceLink, ...]) -> str:
    """The resources of a row, labelled in the course language, each linked."""
    parts = []
    for resource in resources:
        what = "resource label" if resource.own_label else f"the word '{resource.kind}'"
        # "Notebook 1" stays on one line (a no-break space before a label's number)
        label = re.sub(r" (\d+)$", "\u00a0\\1", resource.label)
        parts.append(doc.link(doc.text(label, resource.pos, what), resource.url))
    return SEP.join(parts)


def _meeting_row(doc: Document, row: present.MeetingRow, seen: set[int]) -> list[Any]:
    """A meeting's row: week; weekday and date (two lines, always); times and place; kind, its section,
    and "cancelled" or where it was moved from; sessions; resources."""
    st, mt = doc.styles, row.meeting
    start, end = mt.start, mt.end
    date = doc.babel(doc.dates.weekday(row.day.weekday())) + "<br/>" + doc.babel(doc.dates.date(row.day))
    # the place's link is in "times and places"; here it would only add a link per row
    place = doc.text(mt.location.name, mt.location.pos, "location")
    when = doc.babel(doc.dates.times(start.time(), end.time()))
    kind = doc.text(row.kind, mt.pos, "meeting kind")
    if row.section is not None:
        kind += "<br/>" + doc.text(row.section, mt.pos, "section name")
    cell_kind: list[Flowable] = [_Paragraph(kind, st["cell"])]
    if mt.cancelled:
        color = markup_color(doc.theme.colors["cancelled"])
        cell_kind = [_Paragraph(f'{kind}<br/><font color="{color}"><b>{doc.word("cancelled", "bold")}</b></font>',
                                st["cell"])]
    elif (brief := present.moved_brief(row, doc.dates.formats)) is not None:
        # said briefly, beside the kind: the date cell keeps its two lines however the move reads
        moved = f"<i>{doc.word('moved', 'italic')} {doc.babel(_spaces(brief), 'italic')}</i>"
        cell_kind.append(_Paragraph(moved, st["cell_small"]))
    return [
        _week_cell(doc, row.week, seen),
        _Paragraph(date, st["cell"]),
        [_Paragraph(when, st["cell"]), _Paragraph(place, st["cell_small"])],
        cell_kind,
        _Paragraph(_titles(doc, row.sessions, mt.cancelled), st["cell"]),
        _Paragraph(_resources(doc, row.resources), st["cell"]),
    ]


def _extra_row(doc: Document, row: present.ExtraRow, seen: set[int]) -> list[Any]:
    """The row of material without a class meeting, at the end of its week."""
    st = doc.styles
    return [
        _week_cell(doc, row.week, seen),
        _Paragraph(f"<i>{doc.word('extra', 'italic')}</i>", st["cell"]),
        "",
        _Paragraph(doc.text(row.kind, row.entry.pos, "meeting kind"), st["cell"]),
        _Paragraph(_titles(doc, row.sessions, False), st["cell"]),
        _Paragraph(_resources(doc, row.resources), st["cell"]),
    ]


def _substitution_row(doc: Document, row: present.SubstitutionRow, seen: set[int]) -> list[Any]:
    """A day that follows another weekday's schedule: its date, what it follows and its name."""
    sub, week = row.substitution, row.week
    if week is not None:
        seen.add(week)
    date = doc.babel(doc.dates.weekday(sub.date.weekday())) + "<br/>" + doc.babel(doc.dates.date(sub.date))
    follows = f"<b>{doc.text(row.follows, doc.field(('language',)), 'the words for a substitution day', 'bold')}</b>"
    name = doc.text(row.name, sub.pos, "substitution day name", "italic")
    label = doc.word("label_value", "bold", label=follows, value=f"<i>{name}</i>") if row.name else follows
    return _day_row(doc, week, date, label)


def _no_class_row(doc: Document, row: present.NoClassRow, seen: set[int]) -> list[Any]:
    """A no-class day's row (or a span of days): its date or dates, its name across the other columns."""
    holiday, week = row.period, row.week
    if week is not None:
        seen.add(week)
    if holiday.start == holiday.end:
        date = (
            doc.babel(doc.dates.weekday(holiday.start.weekday())) + "<br/>" + doc.babel(doc.dates.date(holiday.start))
        )
    else:
        date = doc.babel(doc.dates.date(holiday.start)) + " –<br/>" + doc.babel(doc.dates.date(holiday.end))
    name = doc.text(row.name, holiday.pos, "no-class day name", "italic")
    no_class = f"<b>{doc.word('no_class', 'bold')}</b>"
    label = doc.word("label_value", "bold", label=no_class, value=f"<i>{name}</i>")
    return _day_row(doc, week, date, label)


def _day_row(doc: Document, week: int | None, date: str, label: str) -> list[Any]:
    """A row about a day rather than a meeting: week, date, and its label across the other columns."""
    st = doc.styles
    return [_Paragraph(str(week) if week else "–", st["cell"]), _Paragraph(date, st["cell"]),
            _Paragraph(label, st["cell"]), "", "", ""]
