"""Shaping and right-to-left order for the scripts that need them (Arabic, Farsi, Bengali).

reportlab lays a paragraph out one glyph per character, left to right. For a course whose script joins,
combines or reorders its letters, or runs right to left, its paragraph styles say so
(``shaped_direction``: "rtl" or "ltr", ``styles.paragraph_styles``), and then:

* a word is measured as HarfBuzz shapes it (``ShapingFont.stringWidth``), so lines break where they
  will end on paper;
* each line, once broken, is put in visual order by the Unicode bidirectional algorithm (python-bidi),
  with the course language's direction as the paragraph's, and each run of one font and one direction
  is shaped by HarfBuzz (uharfbuzz) into the glyphs and offsets reportlab draws (its ``ShapedStr``):
  ``visual_lines``, which ``flowables._Paragraph.drawPara`` calls; the lines kept for splitting the
  paragraph stay in reading order.

reportlab would import uharfbuzz itself for a shaping of its own (``style.shaping``), which this renderer
does not use; ``pdf/__init__`` keeps it from doing so at start-up. uharfbuzz and python-bidi are imported
here, when a course that needs them is drawn.

A glyph that no character maps to (a ligature, a conjunct, a contextual form) is written as the private
use character U+E000 + its glyph id, the same in every build. A left-to-right run shaped into other
glyphs than its characters (a Bengali conjunct, a vowel sign drawn first) carries its text as
``actual_text``, which the tagged PDF gives it (``tagging.MarkedText``), so it reads as written. A
right-to-left run does not: it is drawn in visual order, as text extractors expect (pdftotext reorders
it), and an /ActualText in reading order made pdftotext read Arabic backwards.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr
from reportlab.platypus.paragraph import FragLine, ParaLines

from syllabus_export.pdf.theme import _MeasuredFont

_PRIVATE = 0xE000  # glyph id → U+E000 + id; the bundled faces have fewer than 6,400 glyphs
_FEATURES = {"kern": True, "liga": True}


class ShapingFont(_MeasuredFont):
    """A TrueType face whose text HarfBuzz shapes: measured shaped, drawn as shaped."""

    def __init__(self, name: str, data: bytes):
        super().__init__(name, data)
        self._data = data
        self._harfbuzz: Any = None

    @property
    def shapable(self) -> bool:  # reportlab's canvas draws a ShapedStr with its offsets only in a shapable font
        return True

    @shapable.setter
    def shapable(self, value: bool) -> None:
        pass

    def stringWidth(self, text: Any, size: float, encoding: str = "utf8") -> float:
        if isinstance(text, ShapedStr):
            return sum(d.x_advance for d in text.__shapeData__) * size / 1000
        return super().stringWidth(text, size, encoding)

    def _measure(self, text: Any, size: float, encoding: str) -> float:
        shaped = self.shape(text, None) if text else ()
        return sum(d.x_advance for d in getattr(shaped, "__shapeData__", ())) * (size / 1000)

    def shape(self, text: str, rtl: bool | None) -> ShapedStr:
        """``text`` (in reading order) as HarfBuzz shapes it: its glyphs in drawing order (left to right), as
        characters of this face, with their advances and offsets (1000 units to the em).

        ``rtl``: the run's direction from the bidi algorithm; None: the direction of its script.
        """
        import uharfbuzz as hb

        if self._harfbuzz is None:
            self._harfbuzz = hb.Font(hb.Face(hb.Blob(self._data)))
        buffer = hb.Buffer()
        buffer.add_str(text)
        buffer.guess_segment_properties()
        if rtl is not None:
            buffer.direction = "rtl" if rtl else "ltr"
        buffer.cluster_level = hb.BufferClusterLevel.MONOTONE_CHARACTERS
        hb.shape(self._harfbuzz, buffer, _FEATURES)
        face, scale = self.face, self.face._pdfScale
        chars, data = [], []
        for info, position in zip(buffer.glyph_infos, buffer.glyph_positions):
            char = self._char(info.codepoint)
            chars.append(chr(char))
            data.append(
                ShapeData(
                    info.cluster,
                    scale(position.x_advance),
                    scale(position.y_advance),
                    scale(position.x_offset),
                    scale(position.y_offset),
                    face.charWidths.get(char, face.defaultWidth),
                )
            )
        return ShapedStr("".join(chars), shapeData=data)

    def _char(self, glyph: int) -> int:
        """The character that stands for ``glyph`` in the PDF: the lowest one mapped to it (a letter before
        its presentation forms, so text copied from the PDF reads as text), else U+E000 + its id."""
        face = self.face
        chars = face.glyphToChar.get(glyph)
        if chars:
            return min(chars)
        char = _PRIVATE + glyph
        assert char < 0xF900 and char not in face.charToGlyph, f"no private character for glyph {glyph}"
        face.charToGlyph[char] = glyph
        face.glyphToChar[glyph] = [char]
        face.charWidths[char] = face._pdfScale(face.hmetrics[glyph][0])
        return char


def visual_lines(para: ParaLines, rtl: bool) -> ParaLines:
    """The lines of a broken paragraph as they are drawn: runs in visual order, shaped, each line's free
    space measured again. ``rtl``: the paragraph's direction (the course language's)."""
    if para.kind == 0:
        if not rtl and not isinstance(pdfmetrics.getFont(para.fontName), ShapingFont):
            return para
        lines = [
            FragLine(
                extraSpace=extra,
                wordCount=len(words),
                lineBreak=False,
                words=[_clone(para, " ".join(words))],
                fontSize=para.fontSize,
                ascent=para.ascent,
                descent=para.descent,
            )
            for extra, words in para.lines
        ]
    else:
        lines = para.lines
    return ParaLines(kind=1, lines=[_visual_line(line, rtl) for line in lines])


def _clone(frag: Any, text: Any) -> Any:
    copy = frag.clone()
    copy.text = text
    for name in ("kind", "lines"):
        copy.__dict__.pop(name, None)
    return copy


def _visual_line(line: FragLine, rtl: bool) -> FragLine:
    words = line.words
    texts = [(i, f.text) for i, f in enumerate(words) if f.text and not hasattr(f, "cbDefn")]
    logical = "".join(text for _, text in texts)
    owner = [i for i, text in texts for _ in text]
    fonts = {i: pdfmetrics.getFont(words[i].fontName) for i, _ in texts}
    if not logical or (
        not rtl
        and not any(isinstance(font, ShapingFont) for font in fonts.values())
        and not any(unicodedata.bidirectional(c) in ("R", "AL") for c in logical)
    ):
        return line
    runs: list[list[tuple[int, int, str]]] = []
    for index, level, shown in _visual_order(logical, rtl):
        if runs:
            last_index, last_level, _ = runs[-1][-1]
            step = -1 if last_level % 2 else 1
            if owner[last_index] == owner[index] and last_level == level and index == last_index + step:
                runs[-1].append((index, level, shown))
                continue
        runs.append([(index, level, shown)])
    drawn = []
    for run in runs:
        frag = words[owner[run[0][0]]]
        font, odd = fonts[owner[run[0][0]]], bool(run[0][1] % 2)
        if isinstance(font, ShapingFont):
            reading = "".join(logical[i] for i in sorted(i for i, _, _ in run))
            text: Any = font.shape(reading, odd)
            if not odd and text != reading:  # for the tagged PDF: what a left-to-right run of glyphs reads
                text.actual_text = reading
        else:
            text = "".join(shown for _, _, shown in run)
        drawn.append(_clone(frag, text))
    before = sum(pdfmetrics.stringWidth(f.text, f.fontName, f.fontSize) for i, f in enumerate(words) if i in fonts)
    after = sum(pdfmetrics.stringWidth(f.text, f.fontName, f.fontSize) for f in drawn)
    others = [f for i, f in enumerate(words) if i not in fonts]  # a line break, an image: after the text
    return line.clone(words=drawn + others, extraSpace=line.extraSpace + before - after)


def _visual_order(text: str, rtl: bool) -> list[tuple[int, int, str]]:
    """The characters of one line in visual order (left to right): (index in ``text``, embedding level, the
    character as shown: mirrored, "(" for ")", at an odd level). The Unicode bidirectional algorithm of
    python-bidi (its step-by-step implementation, which keeps each character's record through the
    reordering), with the paragraph's direction given."""
    from bidi import algorithm as uba

    storage = uba.get_empty_storage()
    storage["base_level"] = 1 if rtl else 0
    storage["base_dir"] = "R" if rtl else "L"
    uba.get_embedding_levels(text, storage)
    for index, record in enumerate(storage["chars"]):
        record["index"] = index
    for step in (
        uba.explicit_embed_and_overrides,
        uba.resolve_weak_types,
        uba.resolve_neutral_types,
        uba.resolve_implicit_levels,
        uba.reorder_resolved_levels,
        uba.apply_mirroring,
    ):
        step(storage, False)
    return [(record["index"], record["level"], record["ch"]) for record in storage["chars"]]
