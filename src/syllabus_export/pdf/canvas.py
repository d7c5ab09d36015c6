"""The pages: a Canvas dated from the build time, its small link annotations, and the footer.

Every page has a footer with the course, "page x of y" and the build date. Nothing on a page
depends on the clock or the machine: the document's dates and /ID come from the build time.
The canvas tags the document (``tagging.TaggingCanvas``): its footer is an artifact; the file is
written with object streams (``compact``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from syllabus_export import model as m
from syllabus_export import present
from syllabus_export.pdf.compact import CompactDocument
from syllabus_export.pdf.flowables import _fit, _LinkAnnotation
from syllabus_export.pdf.styles import SEP
from syllabus_export.pdf.tagging import FOOTER, TaggingCanvas
from syllabus_export.pdf.theme import Theme

if TYPE_CHECKING:
    from syllabus_export.pdf.document import Document


class _Stamp:
    """What reportlab's PDFDocument reads of its TimeStamp, made from the build time (UTC)."""

    def __init__(self, when: dt.datetime):
        utc = when.astimezone(dt.UTC)
        self.t = utc.timestamp()
        self.lt = utc.timetuple()
        self.YMDhms = tuple(self.lt)[:6]
        self.dhh = self.dmm = 0
        self.tzname = "UTC"


def _canvas_maker(build_time: dt.datetime, footer: Callable[[Canvas, int, int], None]) -> type[Canvas]:
    """A Canvas that dates the document from ``build_time``, draws "page x of y" footers and tags
    the document (``tagging``, ``metadata``).

    Pages are kept until the end so the footer knows the page count; the document's creation
    and modification dates and its /ID come from the build time (not the clock, nor the
    SOURCE_DATE_EPOCH that reportlab would read from the environment).
    """

    class _Canvas(TaggingCanvas):
        def __init__(self, *args: Any, **kwargs: Any):
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []
            stamp = _Stamp(build_time)
            self._doc._timeStamp = stamp
            signature = hashlib.md5(usedforsecurity=False)
            signature.update(b"syllabus-export " + repr(stamp.t).encode())
            self._doc.signature = signature
            self._doc.__class__ = CompactDocument  # written with object streams
            self.showOutline()

        def linkURL(self, url: str, rect: Any, relative: int = 0, thickness: int = 0, **kw: Any) -> None:
            """A URI link (every link goes through here, Paragraph <a> too) as small as it may be:
            reportlab's own adds an optional /Type /Action and writes the rectangle to seven digits,
            which ~140 links turn into kilobytes. A URI is 7-bit ASCII: other characters are %-encoded."""
            uri = "".join(c if 0x20 < ord(c) < 0x7F else quote(c) for c in url)
            self._addAnnotation(_LinkAnnotation(uri, [round(v, 1) for v in self._absRect(rect, relative)]))

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()
            self.tags.new_page()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, 1):
                self.__dict__.update(state)
                with self.tags.artifact(FOOTER):
                    footer(self, number, total)
                Canvas.showPage(self)
            super().save()

    return _Canvas


def footer_texts(doc: Document) -> tuple[str, str]:
    """The footer's left text and its right template (``{page}``/``{pages}`` left to fill)."""
    course = doc.course
    term_name = m.localized(doc.term.name, course.language)
    left = SEP.join((course.code, course.title, term_name))
    built = doc.words["built_on"].format(date=doc.dates.long(present.build_day(doc.build_time, doc.term)))
    right = built + SEP + doc.words["page_x_of_y"]
    doc.check(left, doc.course.pos, "footer")  # its parts are checked where they are drawn first
    doc.check(right.replace("{page}", "0").replace("{pages}", "0"), doc.field(("language",)), "footer")
    return left, right


def footer_drawer(
    theme: Theme, page_width: float, texts: tuple[str, str], line: Callable[..., None] | None = None
) -> Callable[[Canvas, int, int], None]:
    """What draws the footer of a page, given its number and the page count; ``line``: what draws its texts
    instead of the canvas's one font (``scripts.footer_line``, for a script with a face of its own)."""
    left_text, right_template = texts
    font, size = theme.fonts["regular"], theme.sizes["small"]
    left_x, right_x = theme.margins["left"] * mm, page_width - theme.margins["right"] * mm
    y = theme.margins["bottom"] * mm * 0.5
    muted, rule = colors.HexColor(theme.colors["muted"]), colors.HexColor(theme.colors["rule"])

    def draw(canvas: Canvas, page: int, pages: int) -> None:
        right = right_template.format(page=page, pages=pages)
        room = right_x - left_x - pdfmetrics.stringWidth(right, font, size) - 12
        left = _fit(left_text, font, size, room)
        canvas.saveState()
        canvas.setStrokeColor(rule)
        canvas.setLineWidth(0.4)
        canvas.line(left_x, y + size * 1.6, right_x, y + size * 1.6)
        if line is not None:
            line(canvas, left_text, right, left_x, right_x, y)
            canvas.restoreState()
            return
        canvas.setFont(font, size)
        canvas.setFillColor(muted)
        canvas.drawString(left_x, y, left)
        canvas.drawRightString(right_x, y, right)
        canvas.restoreState()

    return draw
