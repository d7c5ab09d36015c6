"""The term at a glance: every month of the term as a small calendar, on one page of its own.

``present.term_grid`` decides which day has what; this lays it out: two months a row (three when
the term has more than six), a day's number and its marks in each cell (a kind's letter, ▲ for an
exam, ◆ for a deadline; such a day in the alert colour), class days tinted, no-class days shaded
and named in the legend, days outside the term muted.

Tagged (``pdf.tagging``): under the page's H2, each month is an H3 (its name) and a Table
(``TaggedTable``): a TH with /Scope /Column per weekday name, a TD per day (an empty one for a day
of another month); the tints, shading and rules are artifacts, as every table's. The table that
lays the months out side by side is no table of the document: it draws only the months. The legend
is P; its swatch (a shaded square that only repeats the shading) is an artifact.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer, Table, TableStyle

from syllabus_export import present
from syllabus_export.pdf.dates import _spaces
from syllabus_export.pdf.flowables import _Paragraph
from syllabus_export.pdf.styles import SEP, markup_color
from syllabus_export.pdf.tagging import ARTIFACT, Tagged, TaggedTable

if TYPE_CHECKING:
    from syllabus_export.pdf.document import Document

CLASS_TINT = "#e8eef7"


def term_grid(doc: Document) -> list[Flowable]:
    """The heading, the months and the legend, kept on one page (a page of their own)."""
    if not doc.schedule.meetings and not doc.schedule.items:
        return []
    grid = present.term_grid(doc.schedule)
    theme = doc.theme
    per_row = 2 if len(grid.months) <= 6 else 3
    gap = 5 * mm
    month_width = (doc.width - gap * (per_row - 1)) / per_row
    size = theme.sizes["table"] + (1 if per_row == 2 else 0)
    cell_style = ParagraphStyle("grid", parent=doc.styles["cell"], fontSize=size, leading=size * 1.2)
    head_style = cell_style
    # regular, not bold, like the weekday names: every glyph of a face costs bytes in the PDF's font subset
    title_style = ParagraphStyle("grid_title", parent=doc.styles["body"],
                                 textColor=colors.HexColor(theme.colors["accent"]), spaceAfter=1 * mm)
    months = [_month(doc, month, month_width, cell_style, head_style, title_style) for month in grid.months]
    rows = [months[i:i + per_row] for i in range(0, len(months), per_row)]
    rows[-1] += [""] * (per_row - len(rows[-1]))
    layout = Table(rows, colWidths=[month_width + (gap if i < per_row - 1 else 0) for i in range(per_row)],
                   hAlign="LEFT")
    font = ("FONTNAME", (0, 0), (-1, -1), theme.fonts["regular"])  # else reportlab adds an unembedded Helvetica
    layout.setStyle(TableStyle([font, ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                ("RIGHTPADDING", (0, 0), (-1, -1), gap), ("BOTTOMPADDING", (0, 0), (-1, -1), 4 * mm),
                                ("TOPPADDING", (0, 0), (-1, -1), 0)]))
    return [PageBreak(), KeepTogether([doc.heading("term_glance", "glance"), layout, Spacer(1, 1 * mm),
                                       *_legend(doc, grid)])]


def _month(doc: Document, month: present.MonthGrid, width: float, cell: ParagraphStyle, head: ParagraphStyle,
           title: ParagraphStyle) -> list[Flowable]:
    """One month: a row of weekday names, a row per week. Cells are plain strings (a day's number and
    its marks), each checked against the face that draws it: a Paragraph per cell would add a
    sixth to the size of the syllabus."""
    theme = doc.theme
    language = doc.field(("language",))
    names = [_spaces(short) for short, _ in month.weekdays]
    for name in names:
        doc.babel(name)
    rows: list[list[Any]] = [names]
    rule = colors.HexColor(theme.colors["rule"])
    style: list[tuple] = [
        ("FONTNAME", (0, 0), (-1, -1), theme.fonts["regular"]),
        ("FONTSIZE", (0, 0), (-1, -1), cell.fontSize),
        ("LEADING", (0, 0), (-1, -1), cell.leading),
        ("LEFTPADDING", (0, 0), (-1, -1), 1.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 1),
        ("TOPPADDING", (0, 0), (-1, -1), 1.2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(theme.colors["header_background"])),
        ("LINEBELOW", (0, 0), (-1, 0), 0.5, rule),
        ("BOX", (0, 0), (-1, -1), 0.5, rule),
    ]
    for r, week in enumerate(month.weeks, 1):
        row = []
        for c, day in enumerate(week):
            if day is None:
                row.append("")
                continue
            marks = "".join(day.marks)
            doc.check(marks, language, "term grid mark")
            row.append(f"{day.day.day} {marks}".rstrip())
            if not day.in_term:
                style.append(("TEXTCOLOR", (c, r), (c, r), colors.HexColor(theme.colors["muted"])))
            elif day.exams or day.deadlines:
                style.append(("TEXTCOLOR", (c, r), (c, r), colors.HexColor(theme.colors["cancelled"])))
            if day.no_class:
                style.append(("BACKGROUND", (c, r), (c, r), colors.HexColor(theme.colors["no_class_background"])))
            elif day.class_day:
                style.append(("BACKGROUND", (c, r), (c, r), colors.HexColor(CLASS_TINT)))
        rows.append(row)
    table = TaggedTable(rows, colWidths=[width / 7] * 7, hAlign="LEFT", header_rows=1)
    table.setStyle(TableStyle(style))
    return [_Paragraph(doc.babel(month.title), title, tag="H3"), table]


def _legend(doc: Document, grid: present.TermGrid) -> list[Flowable]:
    """What the marks and the shading mean, and each no-class day by name and date."""
    st, theme = doc.styles, doc.theme
    alert = markup_color(theme.colors["cancelled"])
    language = doc.field(("language",))
    parts = [f"{doc.text(mark, language, 'term grid mark')} {doc.text(label, language, 'meeting kind')}"
             for mark, label in grid.kinds]
    if grid.exam:
        parts.append(f'<font color="{alert}">{present.EXAM_MARK}</font> {doc.word("exam")}')
    if grid.deadline:
        parts.append(f'<font color="{alert}">{present.DEADLINE_MARK}</font> {doc.word("deadline")}')
    story: list[Flowable] = [_Paragraph(doc.word("label_value", label=doc.word("legend"), value=SEP.join(parts)),
                                        st["body"], lang=doc.word_lang("legend"))]
    if grid.no_class:
        swatch = _Swatch([[""]], colWidths=[4 * mm], rowHeights=[3 * mm],
                       style=[("FONTNAME", (0, 0), (-1, -1), theme.fonts["regular"]),
                              ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(theme.colors["no_class_background"])),
                              ("BOX", (0, 0), (-1, -1), 0.25, colors.HexColor(theme.colors["rule"]))])
        names = SEP.join(f"{doc.text(name, doc.term.pos, 'no-class day name')} ({doc.babel(_spaces(dates))})"
                         for dates, name in grid.no_class)
        text = doc.word("label_value", label=doc.word("no_class"), value=names)
        line = Table([[swatch, _Paragraph(text, st["body"], lang=doc.word_lang("no_class"))]],
                     colWidths=[6 * mm, doc.width - 6 * mm], hAlign="LEFT",
                     style=[("FONTNAME", (0, 0), (-1, -1), theme.fonts["regular"]),
                            ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                            ("TOPPADDING", (0, 0), (-1, -1), 2)])
        story.append(line)
    return story


class _Swatch(Tagged, Table):
    """The legend's shaded square: decoration (an artifact), the words beside it say what it means."""

    tag = ARTIFACT
