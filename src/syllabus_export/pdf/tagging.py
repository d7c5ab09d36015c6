"""Tagged PDF from platypus: a structure tree built while the pages are drawn, and the marked content
that ties each piece of a page to it (PDF 1.7 §14.7–14.8, PDF/UA-1).

The layer has four parts, none of which changes how a page looks:

* ``StructureTree`` (``canvas.tags``): the elements (Document, H1, P, Table, TR, TD, Link…) in reading
  order, the marked-content identifiers (MCIDs) of each page, the link annotations and their Link
  elements; ``write()`` turns it into the /StructTreeRoot, its /ParentTree and the pages'
  /StructParents when the document is saved.
* ``MarkedText``: the text object a tagging canvas hands out (``Canvas.beginText``, which Paragraph
  and ``drawString`` use). It remembers which element each piece of text belongs to (the element open
  when the text was written, or the Link of an ``<a>`` of a Paragraph, through the ``_linkRecord``
  hook Paragraph calls) and, when the text object is placed on the page, wraps each run of text in
  ``/P <</MCID n>> BDC … EMC`` inside its ``BT … ET``. Marked content is only ever opened and closed
  inside one text object, or around graphics outside any: never across a BT/ET boundary, and never
  one MCID sequence inside another.
* ``Tagged``: a mixin for flowables: the flowable's drawing is the content of an element of role
  ``tag`` (a paragraph inside a table cell is the cell's content), or an artifact (``ARTIFACT``).
  The parts of a flowable split across pages share one element.
* ``TaggedTable``: a Table whose drawing callbacks (reportlab's ``renderCB``) make Table,
  THead/TBody, TR and TH/TD elements, and mark its backgrounds, rules and the header row repeated
  on a later page as artifacts.

Graphics are artifacts unless a flowable marks them as content (the QR code is a Figure): the
backgrounds and rules of tables, the rule under the title block, a paragraph's strike-through and
the running footer.
"""

from __future__ import annotations

import codecs
from typing import Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Table
from reportlab.platypus.tables import TableRenderCB

from syllabus_export.pdf.metadata import describe
from syllabus_export.pdf.structure import (  # noqa: F401 - the roles and the tree, for the flowables
    ARTIFACT,
    CELL_ROLES,
    FOOTER,
    TABLE_ROLES,
    Element,
    StructureTree,
)


def tags_of(canvas: Any) -> StructureTree | None:
    """The structure tree a canvas builds, or None for a canvas that does not tag."""
    return getattr(canvas, "tags", None)


class TaggingCanvas(Canvas):
    """A Canvas that tags what is drawn on it (``tags``, a StructureTree): it hands out marked text
    objects, marks a paragraph's decorations as artifacts, ties each annotation to its Link element
    and, when saved, writes the structure tree, the XMP packet and the catalog entries PDF/UA asks for
    (``metadata.describe``). Flowables that are ``Tagged``, and TaggedTables, make the elements.
    """

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.tags = StructureTree(self)

    def beginText(self, x: float = 0, y: float = 0, direction: str | None = None) -> MarkedText:
        return MarkedText(self, x, y, direction)

    def drawText(self, aTextObject: Any) -> None:
        if isinstance(aTextObject, MarkedText):
            self.tags.decorations(aTextObject)
        super().drawText(aTextObject)

    def _addAnnotation(self, annotation: Any, name: str | None = None, addtopage: int = 1) -> None:
        super()._addAnnotation(annotation, name, addtopage)
        if addtopage:
            self.tags.annotation(annotation)

    def showPage(self) -> None:
        super().showPage()
        self.tags.new_page()

    def save(self) -> None:
        if len(self._code):
            self.showPage()  # the last page, as Canvas.save would make it
        self.tags.write(self._doc, self._doc.Pages.pages)
        describe(self)
        super().save()


class MarkedText(PDFTextObject):
    """A text object whose text is marked content of the elements it belongs to.

    Each piece of text shown is recorded with its element: the innermost element open when it is
    written, or the Link of the ``<a>`` being written (Paragraph calls ``_linkRecord(link, "start")``
    just after the first text of a link on a line, and ``"end"`` before the text after it). When the
    text object is placed (``getCode``), each run of text of one element becomes one marked-content
    sequence with its own MCID, inside BT … ET. Inside an artifact or a figure, nothing is recorded.
    A run drawn as other glyphs than its characters (``actual_text``, set by ``shaping``) is also a
    ``/Span`` with its ``/ActualText``, inside its element's sequence.
    """

    def __init__(self, canvas: Any, x: float = 0, y: float = 0, direction: str | None = None):
        self._records: list[list[Any]] = []
        self._link: Element | None = None
        self._links: dict[Any, Element] = {}
        self._tags: StructureTree = canvas.tags
        self.start = len(canvas._code)  # what the canvas draws after this point is this text's decoration
        super().__init__(canvas, x, y, direction)
        self._tags.text = self

    def _formatText(self, text: str) -> str:
        code = super()._formatText(text)
        actual = getattr(text, "actual_text", None)
        if actual is not None:  # a run shaped into other glyphs (``shaping``): what it reads (an artifact's too)
            utf16 = (codecs.BOM_UTF16_BE + actual.encode("utf-16-be")).hex()  # a hex string: ASCII in the stream
            code = f"/Span <</ActualText <{utf16}>>> BDC {code} EMC"
        if text and self._tags._mark is None:
            # every caller appends the code returned at the end of self._code
            self._records.append([len(self._code), self._link or self._tags.current, actual or text, False])
        return code

    def _textOut(self, text: str, TStar: int = 0) -> None:
        super()._textOut(text, TStar)
        if TStar:
            self._line_end()

    def textLine(self, text: str = "") -> None:
        super().textLine(text)
        self._line_end()

    def _line_end(self) -> None:
        if self._records and self._records[-1][0] == len(self._code) - 1:
            self._records[-1][3] = True

    def _linkRecord(self, link: Any, what: str) -> None:
        """Paragraph's hook around the text of an ``<a>`` on a line (``link`` is its (number, href))."""
        tags = self._tags
        if tags._mark is not None:
            return
        if what != "start":
            self._link = None
            return
        element = self._links.get(link)
        if element is None:  # one Link for all the lines of an <a>; in the tree when it marks text
            element = self._links[link] = Element("Link", tags.current, {})
        self._link = element
        tags.expect_link(element)
        last = self._records[-1] if self._records else None
        if last is not None and last[0] == len(self._code) - 1:
            last[1] = element  # the text just written is the link's

    def whole_link(self) -> Element:
        """The Link of a paragraph whose text is all one link (Paragraph makes its annotations without
        calling ``_linkRecord``): the text written so far under the current element becomes the link's."""
        base = self._tags.current
        element = self._links.get(None)
        if element is None:
            element = self._links[None] = Element("Link", base, {})
        for record in self._records:
            if record[1] is base:
                record[1] = element
        return element

    def getCode(self) -> str:
        tags = self._tags
        tags.text_done(self)
        if self._records and tags._mark is None:
            self._code = tags.marked_code(self._code, self._records)
        return super().getCode()


class Tagged:
    """A mixin for a Flowable: what it draws is the content of a structure element of role ``tag``.

    ``tag = ARTIFACT`` marks its drawing as an artifact. A ``P`` drawn inside a table cell (or a list
    label or body) is that cell's content, and gives the cell its ``Lang``. The parts of a flowable
    that platypus splits across pages share one element. ``tag_attributes`` are the element's
    attributes (``Lang``, ``Alt``…).
    """

    tag: str = "P"
    tag_attributes: dict[str, Any] = {}

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        tags = tags_of(canvas)
        if tags is None or tags.marking:
            return super().drawOn(canvas, x, y, _sW)  # type: ignore[misc]
        if self.tag == ARTIFACT:
            with tags.artifact():
                return super().drawOn(canvas, x, y, _sW)  # type: ignore[misc]
        if self.tag == "P" and tags.current.role in CELL_ROLES:
            for key, value in self.tag_attributes.items():
                tags.current.attributes.setdefault(key, value)
            return super().drawOn(canvas, x, y, _sW)  # type: ignore[misc]
        shared = self.__dict__.setdefault("_tag_element", [])
        if shared:
            tags.resume(shared[0])
        else:
            shared.append(tags.begin(self.tag, **self.tag_attributes))
        try:
            return super().drawOn(canvas, x, y, _sW)  # type: ignore[misc]
        finally:
            tags.end()

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        parts = super().split(availWidth, availHeight)  # type: ignore[misc]
        shared = self.__dict__.setdefault("_tag_element", [])
        for part in parts:
            if isinstance(part, Tagged) and part is not self:
                part.tag, part.tag_attributes, part._tag_element = self.tag, self.tag_attributes, shared  # type: ignore[attr-defined]
        return parts


class TaggedTable(Table):
    """A Table whose drawing makes Table, THead/TBody, TR and TH/TD elements, in the order of its rows.

    Parameters (besides Table's):
        header_rows: how many first rows are column headings (TH with /Scope /Column, in THead).
        header_columns: how many first columns are row headings (TH with /Scope /Row).

    The parts of a table split across pages are one Table element; a header row drawn again on a
    later page is an artifact, and so are the backgrounds and rules. A spanned cell carries /ColSpan
    or /RowSpan. Rows are recognised by identity, as platypus hands the same row lists to the parts
    of a split table (a row split within itself, ``splitInRow``, is read as a new row).
    """

    def __init__(
        self, data: Any, *args: Any, header_rows: int = 0, header_columns: int = 0, renderCB: Any = None, **kw: Any
    ):
        if renderCB is None:
            renderCB = _TableTags(header_rows, header_columns)
        super().__init__(data, *args, renderCB=renderCB, **kw)
        renderCB.know(getattr(self, "_cellvalues", ()))


class _TableTags(TableRenderCB):
    """The callbacks of a TaggedTable's drawing, shared by its split parts (platypus passes them on)."""

    def __init__(self, header_rows: int, header_columns: int):
        self.header_rows, self.header_columns = header_rows, header_columns
        self.rows: dict[int, int] = {}  # id of a row list → its index in the whole table
        self.kept: list[Any] = []  # the row lists (their ids stay theirs)
        self.drawn: set[int] = set()
        self.table: Element | None = None
        self.groups: dict[str, Element] = {}
        self.row = -1  # the index of the row being drawn; -1: an artifact (a header drawn again)
        self.skipped = False
        self.opened: list[bool] = []

    def know(self, rows: Any) -> None:
        for row in rows:
            if id(row) not in self.rows:
                self.rows[id(row)] = len(self.kept)
                self.kept.append(row)

    def __call__(self, table: Table, command: str, *args: Any) -> None:
        tags = tags_of(table.canv)
        if tags is not None:
            getattr(self, "_" + command)(tags, table, *args)

    def _startTable(self, tags: StructureTree, table: Table) -> None:
        self.skipped = tags.marking  # a table drawn inside an artifact or a figure is part of it
        if self.skipped:
            return
        if self.table is None:
            self.table = tags.begin("Table")
        else:
            tags.resume(self.table)

    def _endTable(self, tags: StructureTree, table: Table) -> None:
        if not self.skipped:
            tags.end()

    def _startBG(self, tags: StructureTree, table: Table) -> None:
        self.opened.append(tags.begin_artifact())

    def _endBG(self, tags: StructureTree, table: Table) -> None:
        tags.end_artifact(self.opened.pop())

    _startLines, _endLines = _startBG, _endBG

    def _startRow(self, tags: StructureTree, table: Table, row_number: int) -> None:
        row = table._cellvalues[row_number]
        self.know([row])
        index = self.rows[id(row)]
        if index in self.drawn or self.skipped:
            self.row = -1
            self.opened.append(tags.begin_artifact())
            return
        self.drawn.add(index)
        self.row = index
        group = "THead" if index < self.header_rows else "TBody"
        element = self.groups.get(group)
        if element is None:
            element = self.groups[group] = tags.begin(group)
        else:
            tags.resume(element)
        tags.begin("TR")

    def _endRow(self, tags: StructureTree, table: Table) -> None:
        if self.row < 0:
            tags.end_artifact(self.opened.pop())
            return
        tags.end()  # TR
        tags.end()  # THead or TBody

    def _startCell(self, tags: StructureTree, table: Table, row_number: int, column: int, *cell: Any) -> None:
        if self.row < 0:
            return
        attributes: dict[str, Any] = {}
        if self.row < self.header_rows:
            role, attributes["Scope"] = "TH", "Column"
        elif column < self.header_columns:
            role, attributes["Scope"] = "TH", "Row"
        else:
            role = "TD"
        span = (getattr(table, "_spanRanges", None) or {}).get((column, row_number))
        if span:
            columns, rows = span[2] - span[0] + 1, span[3] - span[1] + 1
            if rows > 1:
                attributes["RowSpan"] = rows
            if columns > 1:
                attributes["ColSpan"] = columns
        tags.begin(role, **({"A": {"O": "Table", **attributes}} if attributes else {}))

    def _endCell(self, tags: StructureTree, table: Table) -> None:
        if self.row >= 0:
            tags.end()
