"""What the PDF renderer keeps between syllabi of one process: every cache in one object.

A catalogue build renders many syllabi in one process, with one theme and a few languages, and
their cells repeat (week numbers, dates, times, rooms, kinds) from row to row and course to course.
What is worth keeping is kept here, in ``CACHES``, and nowhere else, so that a test (or a long-lived
process) can empty all of it with ``CACHES.reset()``. Nothing kept changes a byte of the output: a
syllabus comes out the same first, after others, and after a reset.

Each cache is bounded: when it reaches its limit (given where it is filled) it is emptied whole.

One thing a process keeps is not a cache of ours: the fonts registered with reportlab
(``pdfmetrics``), which platypus looks fonts up in by name. A font's registered name comes from its
bytes (``theme._register``), so it is the same font whenever it is registered again; ``reset()``
leaves the registry alone and empties the fonts' word widths instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from syllabus_export.caches import CACHES as PROCESS_CACHES

if TYPE_CHECKING:
    from reportlab.lib.styles import ParagraphStyle

    from syllabus_export.pdf.theme import Theme


class PdfCaches:
    """The PDF renderer's caches (one instance per process: ``CACHES``)."""

    def __init__(self) -> None:
        # Themes already loaded (``theme.load_theme``): (templates folder, theme files, their texts) →
        # the theme, and what its user fonts were when read (a theme is read again when they change).
        self.themes: dict[tuple[Any, ...], tuple[Theme, tuple[Any, ...]]] = {}
        # Paragraph styles of a theme (``styles.paragraph_styles``): (id of the theme, CJK wrap) →
        # (theme, styles). A parsed paragraph belongs to its style object, so sharing the styles
        # lets a catalogue's courses share their parsed paragraphs.
        self.styles: dict[tuple[Any, ...], tuple[Theme, dict[str, ParagraphStyle]]] = {}
        # Parsed paragraphs without links (``flowables._Paragraph``): (markup, id of the style) →
        # (style, cleaned markup, fragments).
        self.parsed: dict[tuple[str, int], tuple[ParagraphStyle, str, list[Any]]] = {}
        # Word widths of each registered font (``theme._MeasuredFont``): font name → {(text, size,
        # encoding): width}. A font keeps its own dictionary for speed, so these are emptied in place.
        self.widths: dict[str, dict[tuple[Any, float, str], float]] = {}

    def reset(self) -> None:
        """Empty every cache: the next syllabus is made as the first of a process is."""
        self.themes.clear()
        self.styles.clear()
        self.parsed.clear()
        for known in self.widths.values():  # the fonts stay registered, and hold these dictionaries
            known.clear()

    def sizes(self) -> dict[str, int]:
        """How many entries each cache holds (the word widths summed over the fonts)."""
        return {
            "themes": len(self.themes),
            "styles": len(self.styles),
            "parsed": len(self.parsed),
            "widths": sum(len(known) for known in self.widths.values()),
        }


CACHES = PdfCaches()
# One reset for the whole process: ``syllabus_export.caches.CACHES.reset()`` empties these too.
PROCESS_CACHES.attach(CACHES)
