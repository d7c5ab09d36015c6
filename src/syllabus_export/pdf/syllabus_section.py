"""The parts of a syllabus that are not the schedule: exams and deadlines, and the syllabus's own
text (``syllabus:`` sections: grading, policies), each a function of the ``Document``.

Every text passes ``Document.text`` (checked against the face that draws it, escaped); bold runs
are drawn with the bold face and checked against it; links are links, as in every text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, ListFlowable, ListItem, Table, TableStyle

from syllabus_export import model as m
from syllabus_export import present
from syllabus_export.pdf.flowables import _Bookmark, _Paragraph
from syllabus_export.pdf.styles import grid_style

if TYPE_CHECKING:
    from syllabus_export.pdf.document import Document


def exams_deadlines(doc: Document) -> list[Flowable]:
    """A row per exam and deadline, in time order: date, time, what (linked), where."""
    rows_data = present.item_rows(doc.schedule)
    if not rows_data:
        return []
    st, words = doc.styles, doc.words
    language = doc.field(("language",))
    head = [words["date"], words["time"], words["title"], words["location"]]
    rows: list[list[Any]] = [[_Paragraph(doc.text(h, language, "column heading", "bold"), st["cell_head"])
                              for h in head]]
    for row in rows_data:
        item = row.item
        title = doc.link(doc.text(row.title, item.pos, f"{item.kind} title"), item.url)
        if item.kind == "exam":
            title = f"<b>{doc.link(doc.text(row.title, item.pos, 'exam title', 'bold'), item.url)}</b>"
        if item.cancelled:
            title = f"<strike>{title}</strike> ({doc.word('cancelled')})"
        place = doc.text(item.location.name, item.location.pos, "location") if item.location else ""
        day = item.start.date()
        rows.append([
            _Paragraph(doc.babel(doc.dates.weekday(day.weekday())) + " " + doc.babel(doc.dates.date(day)), st["cell"]),
            _Paragraph(doc.babel(doc.dates.times(item.start.time(), item.end.time()) if item.kind == "exam"
                                 else doc.dates.time(item.start.time())), st["cell"]),
            _Paragraph(title, st["cell"]),
            _Paragraph(place, st["cell"]),
        ])
    widths = [38 * mm, 30 * mm, 0.0, 36 * mm]
    widths[2] = doc.width - sum(widths)
    table = Table(rows, colWidths=widths, repeatRows=1, splitInRow=0, hAlign="LEFT")
    table.setStyle(TableStyle(grid_style(doc.theme)))
    heading = doc.heading("exams_deadlines", "exams")
    if len(rows) <= 16:
        return [KeepTogether([heading, table])]
    return [CondPageBreak(40 * mm), heading, table]


def syllabus_text(doc: Document) -> list[Flowable]:
    """Each ``syllabus:`` section: its title as a heading, its paragraphs, lists and tables."""
    story: list[Flowable] = []
    body = ParagraphStyle("syllabus", parent=doc.styles["body"], spaceAfter=doc.theme.sizes["body"] * 0.5)
    for index, section in enumerate(doc.course.syllabus):
        title = doc.text(section.title, section.title_pos, "syllabus section title", "bold")
        parts: list[Flowable] = [_Bookmark(title, doc.styles["heading"], key=f"syllabus-{index}", title=section.title)]
        for block in section.blocks:
            parts.append(_block(doc, block, section, body))
        story += [CondPageBreak(30 * mm), *(parts if len(parts) > 3 else [KeepTogether(parts)])]
    return story


def _block(doc: Document, block: m.TextBlock, section: m.SyllabusSection, body: ParagraphStyle) -> Flowable:
    if isinstance(block, m.TextParagraph):
        return _Paragraph(runs(doc, block.text, section), body)
    if isinstance(block, m.TextList):
        items = [ListItem(_Paragraph(runs(doc, item, section), doc.styles["body"]), leftIndent=12)
                 for item in block.items]
        return ListFlowable(items, bulletType="bullet", start="•", leftIndent=12,
                            bulletFontName=doc.theme.fonts["regular"], bulletFontSize=doc.theme.sizes["body"],
                            spaceAfter=doc.theme.sizes["body"] * 0.5)
    st = doc.styles
    rows = [[_Paragraph(runs(doc, cell, section, "bold"), st["cell_head"]) for cell in block.header]]
    rows += [[_Paragraph(runs(doc, cell, section), st["cell"]) for cell in row] for row in block.rows]
    columns = max(1, len(block.header))
    table = Table(rows, colWidths=[min(60 * mm, doc.width / columns)] * columns, hAlign="LEFT",
                  repeatRows=1, spaceAfter=doc.theme.sizes["body"] * 0.5)
    table.setStyle(TableStyle(grid_style(doc.theme)))
    return table


def runs(doc: Document, text: m.RichText, section: m.SyllabusSection, face: str = "regular") -> str:
    """Rich text with bold runs: each run checked against the face that draws it and escaped."""
    parts = []
    for run in text.runs:
        run_face = "bold" if run.bold or face == "bold" else "regular"
        markup = doc.text(run.text, section.text_pos, "syllabus text", run_face)
        if run.bold and face != "bold":
            markup = f"<b>{markup}</b>"
        parts.append(doc.link(markup, run.url))
    return "".join(parts)
