"""The pieces platypus lays out and draws that reportlab's own do not do as a syllabus needs,
and the escaping of a text for Paragraph markup.

Every text that comes from the data is escaped (``escape``) before it enters Paragraph markup, and
link targets are attribute-escaped, so ``<``, ``&`` or reportlab markup in a title print as themselves.
"""

from __future__ import annotations

import codecs
from typing import Any

from reportlab import rl_config
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import (
    NoEncryption,
    PDFArray,
    PDFDictionary,
    PDFName,
    PDFObject,
    PDFString,
    PDFText,
    _checkPdfdoc,
)
from reportlab.platypus import Flowable, Paragraph
from reportlab.platypus.flowables import HRFlowable

from syllabus_export.pdf.caches import CACHES
from syllabus_export.pdf.tagging import ARTIFACT, Tagged, tags_of


def escape(data: str, entities: dict[str, str] | None = None) -> str:
    """``xml.sax.saxutils.escape``: ``&``, ``<``, ``>`` and the ``entities`` given, as entity references.

    The same function, without importing ``xml.sax`` (which imports ``urllib.request``, and with it
    ``http``, ``email`` and ``ssl``: a seventh of a build's start-up).
    """
    data = data.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
    for key, value in (entities or {}).items():
        data = data.replace(key, value)
    return data


def _fit(text: str, font: str, size: float, width: float) -> str:
    """``text``, shortened with an ellipsis until it fits ``width`` points."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


class _Paragraph(Tagged, Paragraph):
    """A Paragraph that does not break its lines again for the width it was last wrapped to, and
    that is a structure element of role ``tag`` (``P``; in a table cell, the cell's content).

    A table wraps every cell to measure its row, then again to draw it, with the same width:
    breaking the lines once is a sixth of a syllabus's time. The lines depend on the width only
    (the text and style do not change), so the second answer is the first; a split starts afresh.

    ``lang``: the language of the text when it is not the document's (a word the course language's
    catalog lacks, taken from English).
    """

    _wrapped: tuple[float, tuple[float, float]] | None = None

    def __init__(
        self, text: str | None, style: ParagraphStyle, *, tag: str | None = None, lang: str | None = None, **kw: Any
    ):
        if tag is not None:
            self.tag = tag
        if lang:
            self.tag_attributes = {"Lang": lang}
        # A text without links is parsed once per style in a process: the week numbers, dates, times,
        # places and kinds of a schedule repeat from row to row and from course to course. The
        # fragments are shared; laying out and drawing only read them (and set the same _fkind).
        if kw or not isinstance(text, str) or "<a " in text:
            super().__init__(text, style, **kw)
            return
        parsed, key = CACHES.parsed, (text, id(style))
        hit = parsed.get(key)
        if hit is not None and hit[0] is style:
            super().__init__(hit[1], style, frags=hit[2])
            return
        super().__init__(text, style)
        if len(parsed) >= 4096:
            parsed.clear()
        parsed[key] = (style, self.text, self.frags)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self._wrapped is None or self._wrapped[0] != availWidth:
            self._wrapped = (availWidth, super().wrap(availWidth, availHeight))
        return self._wrapped[1]

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self._wrapped = None
        return super().split(availWidth, availHeight)

    def drawPara(self, debug: int = 0) -> None:
        # a script that is shaped or runs right to left: its lines drawn in visual order (``shaping``)
        direction = getattr(self.style, "shaped_direction", None)
        if direction is None:
            return super().drawPara(debug)
        from syllabus_export.pdf.shaping import visual_lines

        logical = self.blPara
        self.blPara = visual_lines(logical, direction == "rtl")
        try:
            super().drawPara(debug)
        finally:
            self.blPara = logical


class _Bookmark(_Paragraph):
    """A Paragraph that is also an entry of the document's outline (a section heading: ``H2``)."""

    tag = "H2"

    def __init__(self, text: str, style: ParagraphStyle, *, key: str, title: str, **kw: Any):
        super().__init__(text, style, **kw)
        self._key, self._title = key, title

    def draw(self) -> None:
        super().draw()
        self.canv.bookmarkHorizontal(self._key, 0, self.height)
        self.canv.addOutlineEntry(self._title, self._key, level=0)


class _Rule(Tagged, HRFlowable):
    """A horizontal rule: decoration (an artifact)."""

    tag = ARTIFACT


class _QrCode(Flowable):
    """The QR code of the subscription address, also a link to it for readers on screen: a Figure
    (described by ``alt``) in a Link (whose annotation ``alt`` describes too) in a P."""

    def __init__(self, url: str, size: float, font: str, alt: str, lang: str | None = None):
        super().__init__()
        self.url, self.size, self.font, self.alt, self.lang = url, size, font, alt, lang
        self.hAlign = "CENTER"

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        from reportlab.graphics import renderPDF  # only a syllabus with a subscription address needs these
        from reportlab.graphics.barcode.qr import QrCodeWidget
        from reportlab.graphics.shapes import Drawing

        widget = QrCodeWidget(self.url, barLevel="M")
        x0, y0, x1, y1 = widget.getBounds()
        scale = [self.size / (x1 - x0), 0, 0, self.size / (y1 - y0), 0, 0]
        # initialFontName: else the renderer sets Helvetica, an unembedded font in the page resources
        drawing = Drawing(self.size, self.size, transform=scale, initialFontName=self.font)
        drawing.add(widget)
        canvas, tags = self.canv, tags_of(self.canv)
        if tags is None:
            renderPDF.draw(drawing, canvas, 0, 0)
            canvas.linkURL(self.url, (0, 0, self.size, self.size), relative=1, thickness=0)
            return
        x0, y0 = canvas.absolutePosition(0, 0)
        x1, y1 = canvas.absolutePosition(self.size, self.size)
        box = [round(v, 1) for v in (x0, y0, x1, y1)]
        # as HTML has it: <p><a href="…"><img alt="…"></a></p>
        with tags.element("P"), tags.element("Link") as link:
            language = {"Lang": self.lang} if self.lang else {}
            with tags.element("Figure", Alt=self.alt, A={"O": "Layout", "BBox": box}, **language) as figure:
                with tags.marked(figure):
                    renderPDF.draw(drawing, canvas, 0, 0)
            with tags.annotations_to(link, self.alt):
                canvas.linkURL(self.url, (0, 0, self.size, self.size), relative=1, thickness=0)


class _LinkAnnotation(PDFObject):
    """A URI link annotation: the bytes reportlab's PDFDictionary writes for it (keys sorted, one
    line), made with string formatting; a syllabus has hundreds of links, and formatting each as
    nested PDF objects was a tenth of a syllabus's time. ``uri`` is printable ASCII without spaces.

    In a tagged document it also has ``contents`` (its description, /Contents: the link's text) and
    ``struct_parent`` (its key in the structure tree's /ParentTree), set when the tree is written.
    """

    contents: str | None = None
    struct_parent: int | None = None

    def __init__(self, uri: str, rect: list[float]):
        self.uri, self.rect = uri, rect

    def dictionary(self) -> PDFDictionary:
        """The same annotation as reportlab's objects (what an encrypted or multi-line document gets)."""
        action = PDFDictionary()
        action["S"] = PDFName("URI")
        action["URI"] = PDFString(self.uri)
        annotation = PDFDictionary()
        annotation["Type"] = PDFName("Annot")
        annotation["Subtype"] = PDFName("Link")
        annotation["Rect"] = PDFArray(self.rect)
        annotation["Border"] = PDFArray([0, 0, 0])
        annotation["A"] = action
        if self.contents is not None:
            annotation["Contents"] = _text_string(self.contents)
        if self.struct_parent is not None:
            annotation["StructParent"] = self.struct_parent
        return annotation

    def format(self, document: Any) -> bytes:
        if not isinstance(document.encrypt, NoEncryption) or rl_config.pdfMultiLine:
            return self.dictionary().format(document)
        uri = self.uri.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        rect = " ".join(_pdf_number(v) for v in self.rect)
        entries = [f"/A <<\n/S /URI /URI ({uri})\n>>".encode("ascii"), b"/Border [ 0 0 0 ]"]
        if self.contents is not None:
            entries.append(b"/Contents " + _text_string(self.contents).format(document))
        entries.append(f"/Rect [ {rect} ]".encode("ascii"))
        if self.struct_parent is not None:
            entries.append(b"/StructParent %d" % self.struct_parent)
        entries += [b"/Subtype /Link", b"/Type /Annot"]
        if len(entries) > 6:  # PDFDictionary breaks a line after every six entries
            entries.insert(6, b"\n ")
        return b"<<\n" + b" ".join(entries) + b"\n>>"


def _text_string(text: str) -> PDFObject:
    """A PDF text string: a literal when PDFDocEncoding has every character, else UTF-16 as a hex string
    (as long, and escaped byte by byte in Python, the literal form is a sixth of a link's time)."""
    if _checkPdfdoc(text):
        return PDFString(text)
    return PDFText(codecs.BOM_UTF16_BE + text.encode("utf-16-be"), enc="raw")


def _pdf_number(value: float) -> str:
    """A number with at most one decimal as reportlab's ``fp_str`` writes it ("12.5", "-3", ".5")."""
    if not -1e5 < value < 1e5 or round(value, 1) != value:
        return fp_str(value)
    if abs(value) <= 1e-7:
        return "0"
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text[1:] if text.startswith("0.") else text
