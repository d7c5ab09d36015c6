"""The parts of a syllabus that are not the schedule: exams and deadlines, and the syllabus's own
text (``syllabus:`` sections: grading, policies), each a function of the ``Document``.

Every text passes ``Document.text`` (checked against the face that draws it, escaped); bold runs
are drawn with the bold face and checked against it; links are links, as in every text.

Tagged (``pdf.tagging``): the exams-and-deadlines table and the text's pipe tables are
``TaggedTable``s (TH for their header row), a section's title is an H2 (every section is a
section of the document, as the others), a paragraph a P, a ``-`` list an L of LI, each with its
bullet as Lbl and its text as LBody; links are Link elements with their annotations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, ListFlowable, ListItem, TableStyle
from reportlab.platypus.flowables import LIIndenter

from syllabus_export import model as m
from syllabus_export import present
from syllabus_export.pdf.flowables import _Bookmark, _Paragraph
from syllabus_export.pdf.styles import grid_style
from syllabus_export.pdf.tagging import Tagged, TaggedTable, tags_of

if TYPE_CHECKING:
    from syllabus_export.pdf.document import Document


def exams_deadlines(doc: Document) -> list[Flowable]:
    """A row per exam and deadline, in time order: date, time, what (linked), where."""
    rows_data = present.item_rows(doc.schedule)
    if not rows_data:
        return []
    st, words = doc.styles, doc.words
    language = doc.field(("language",))
    head = ["date", "time", "title", "location"]
    rows: list[list[Any]] = [[_Paragraph(doc.text(words[h], language, "column heading", "bold"), st["cell_head"],
                                         lang=doc.word_lang(h)) for h in head]]
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
    table = TaggedTable(rows, colWidths=widths, repeatRows=1, splitInRow=0, hAlign="LEFT", header_rows=1)
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
        items = [ListItem(_Paragraph(runs(doc, item, section), doc.styles["body"], tag="LBody"), leftIndent=12)
                 for item in block.items]
        return _List(items, bulletType="bullet", start="•", leftIndent=12,
                            bulletFontName=doc.theme.fonts["regular"], bulletFontSize=doc.theme.sizes["body"],
                            spaceAfter=doc.theme.sizes["body"] * 0.5)
    st = doc.styles
    rows = [[_Paragraph(runs(doc, cell, section, "bold"), st["cell_head"]) for cell in block.header]]
    rows += [[_Paragraph(runs(doc, cell, section), st["cell"]) for cell in row] for row in block.rows]
    columns = max(1, len(block.header))
    table = TaggedTable(rows, colWidths=[min(60 * mm, doc.width / columns)] * columns, hAlign="LEFT",
                        repeatRows=1, spaceAfter=doc.theme.sizes["body"] * 0.5, header_rows=1)
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


class _List(Tagged, ListFlowable):
    """A ``-`` list: an L whose items are LI (``_ListItem``). Split across pages, platypus lays out its
    items one by one; each then reopens the one L (``_tag_element``, shared with its items)."""

    tag = "L"

    def __init__(self, *args: Any, **kw: Any):
        super().__init__(*args, **kw)
        self._tag_element: list[Any] = []

    def _makeLIIndenter(self, flowable: Flowable, bullet: Any, params: Any = None) -> LIIndenter:
        plain = super()._makeLIIndenter(flowable, bullet, params)
        item = _ListItem(flowable, plain._leftIndent, plain._rightIndent, bullet,
                         spaceBefore=getattr(plain, "spaceBefore", None), spaceAfter=getattr(plain, "spaceAfter", None))
        item._list = self._tag_element
        return item

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        return ListFlowable.split(self, availWidth, availHeight)  # its items, which keep their own roles


class _Labelled(LIIndenter):
    """An item's drawing: its bullet the Lbl, its flowable (an LBody paragraph) after it."""

    def drawOn(self, canv: Any, x: float, y: float, _sW: float = 0) -> None:
        tags = tags_of(canv)
        if self._bullet:
            if tags is None or tags.marking:
                self._bullet.drawOn(self, canv, x, y, 0)
            else:
                with tags.element("Lbl"):
                    self._bullet.drawOn(self, canv, x, y, 0)
        self._flowable.drawOn(canv, x + self._leftIndent, y, max(0, _sW - self._leftIndent - self._rightIndent))


class _ListItem(Tagged, _Labelled):
    """An LI of a ``_List``; drawn on its own (the list split across pages), it reopens its list's L."""

    tag = "LI"
    _list: list[Any]

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        tags, holder = tags_of(canvas), self._list
        if tags is None or tags.marking or (holder and tags.current is holder[0]):
            return super().drawOn(canvas, x, y, _sW)
        if holder:
            tags.resume(holder[0])
        else:
            holder.append(tags.begin("L"))
        try:
            return super().drawOn(canvas, x, y, _sW)
        finally:
            tags.end()

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        shared = self.__dict__.setdefault("_tag_element", [])
        parts = []
        for part in LIIndenter.split(self, availWidth, availHeight):  # plain LIIndenters: made ours again
            item = _ListItem(part._flowable, part._leftIndent, part._rightIndent, part._bullet)
            item._tag_element, item._list = shared, self._list
            parts.append(item)
        return parts
