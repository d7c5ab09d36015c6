"""The look of the PDF: the theme (``templates/pdf-theme.yaml``, or the user's copy of it) and its fonts.

The theme gives the fonts, sizes, colours and margins. The user's ``--templates`` folder wins over
the packaged one, key by key; every key and value is checked, and a problem names the file, line and
column it is at. Fonts are TrueType files from the templates folder or the package's ``fonts/``,
registered with reportlab under a name made from their bytes.
"""

from __future__ import annotations

import hashlib
import io
import pathlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from syllabus_export.errors import Pos, Problems
from syllabus_export.glyphs import char_name
from syllabus_export.pdf.caches import CACHES
from syllabus_export.theme_file import (
    FACES,
    LAYOUT_CHARS,
    _font_bytes,
    _position_in,
    _read_theme,
    theme_files,
)


@dataclass(frozen=True, kw_only=True)
class Theme:
    """The theme as the renderer uses it: registered font names, sizes, colours, margins."""

    fonts: dict[str, str]  # face → registered reportlab font name
    font_labels: dict[str, str]  # face → "DejaVuSans.ttf" (for error messages)
    font_places: dict[str, Pos]  # face → where the theme names its font
    sizes: dict[str, float]
    colors: dict[str, str]
    margins: dict[str, float]  # millimetres

    def has(self, face: str, char: str) -> bool:
        return ord(char) in pdfmetrics.getFont(self.fonts[face]).face.charToGlyph


def load_theme(templates: pathlib.Path | None = None) -> Theme:
    """The packaged theme, with the keys of ``templates/pdf-theme.yaml`` (when there is one) over it.

    A theme is read, checked and its fonts parsed once per process (``CACHES.themes``: a catalogue
    build renders many syllabi with one theme); it is read again when a theme file's text or a font
    file in ``templates`` changed.

    Raises SyllabusError for a key or value the theme may not have, a font file that is missing or
    not TrueType, or a font without the characters the layout itself draws (digits, "·", "–").
    """
    files_read = theme_files(templates)
    texts = [file.read_text(encoding="utf-8") for file in files_read]
    key = (templates, tuple(str(file) for file in files_read), tuple(texts))
    cached = CACHES.themes.get(key)
    if cached is not None and cached[1] == _font_stamps(cached[0], templates):
        return cached[0]
    theme = _load_theme(files_read, texts, templates)
    if len(CACHES.themes) >= 16:
        CACHES.themes.clear()
    CACHES.themes[key] = (theme, _font_stamps(theme, templates))
    return theme


def _font_stamps(theme: Theme, templates: pathlib.Path | None) -> tuple[Any, ...]:
    """Size and modification time of each font the theme names in the user's templates folder (or that
    it has none): the packaged fonts do not change while a build runs."""
    if templates is None:
        return ()
    stamps = []
    for name in theme.font_labels.values():
        try:
            stat = (templates / name).stat()
            stamps.append((name, stat.st_size, stat.st_mtime_ns))
        except OSError:
            stamps.append((name, None, None))
    return tuple(stamps)


def _load_theme(files_read: list[Any], texts: list[str], templates: pathlib.Path | None) -> Theme:
    values: dict[str, dict[str, Any]] = {}
    where: dict[str, Callable[[tuple[str, ...]], Pos]] = {}  # face → position of its font in its file
    for file, text in zip(files_read, texts):
        shown = str(file)
        for section, items in _read_theme(text, shown).items():
            values.setdefault(section, {}).update(items)
            if section == "fonts":
                position = _position_in(text, shown)
                where.update({face: position for face in items})
    problems = Problems()
    names: dict[str, str] = {}
    for face in FACES:
        name, pos = values["fonts"][face], where[face](("fonts", face))
        data = _font_bytes(name, templates)
        if data is None:
            problems.add(pos, f"fonts.{face}: no font file '{name}' in the templates folder or the package's fonts")
            continue
        try:
            names[face] = _register(data)
        except (TTFError, ValueError, OSError, IndexError, KeyError) as exc:
            problems.add(pos, f"fonts.{face}: '{name}' is not a usable TrueType font ({exc})")
    problems.raise_if_any()
    theme = Theme(
        fonts=names,
        font_labels={face: values["fonts"][face] for face in FACES},
        font_places={face: where[face](("fonts", face)) for face in FACES},
        sizes=values["sizes"],
        colors=values["colors"],
        margins=values["margins"],
    )
    for face in FACES:
        missing = [c for c in LAYOUT_CHARS if not theme.has(face, c)]
        if missing:
            problems.add(
                theme.font_places[face],
                f"fonts.{face}: '{theme.font_labels[face]}' lacks characters the layout needs: "
                + ", ".join(_char_name(c) for c in missing),
            )
    problems.raise_if_any()
    return theme


def _register(data: bytes, shaping: bool = False) -> str:
    """Register a TrueType font once per content; its name comes from the bytes, so it is stable.

    ``shaping``: a face whose text HarfBuzz shapes (``shaping.ShapingFont``: Arabic, Bengali).
    """
    name = "SyllabusFont-" + hashlib.sha256(data).hexdigest()[:12]
    if name not in pdfmetrics.getRegisteredFontNames():
        if shaping:
            from syllabus_export.pdf.shaping import ShapingFont

            pdfmetrics.registerFont(ShapingFont(name, data))
        else:
            pdfmetrics.registerFont(_MeasuredFont(name, data))
    return name


class _MeasuredFont(TTFont):
    """A TrueType font whose ``stringWidth`` keeps its answers (in ``CACHES.widths``).

    Platypus measures every word of every paragraph, and again to draw it, and words repeat within a
    syllabus and across a catalogue (the bundled course: 3,250 measures of 600 different texts);
    measuring each again would cost 2 to 3 ms a syllabus. Platypus and the canvas measure through the
    font registered under a name (``pdfmetrics.stringWidth`` → ``getFont(name).stringWidth``), and our
    own code makes only one call in twenty: so the font itself remembers, rather than a wrapper only
    our code would call, and nothing of reportlab is patched. The answer is the face's own, so
    nothing is laid out differently.
    """

    def __init__(self, name: str, data: bytes):
        # asciiReadable=False: reportlab would otherwise embed all of ASCII in every face, used or not
        super().__init__(name, io.BytesIO(data), asciiReadable=False)
        self._widths = CACHES.widths.setdefault(name, {})

    def stringWidth(self, text: Any, size: float, encoding: str = "utf8") -> float:
        try:
            return self._widths[text, size, encoding]
        except KeyError:
            known = self._widths
            if len(known) >= 65536:
                known.clear()
            width = known[text, size, encoding] = self._measure(text, size, encoding)
            return width

    def _measure(self, text: Any, size: float, encoding: str) -> float:
        """The width itself, when it is not remembered (a shaping face measures shaped text)."""
        return TTFont.stringWidth(self, text, size, encoding)


def _register_family(theme: Theme) -> None:
    """Let <b> and <i> in Paragraph markup pick the theme's faces (reportlab keeps this globally)."""
    f = theme.fonts
    pdfmetrics.registerFontFamily(
        f["regular"], normal=f["regular"], bold=f["bold"], italic=f["italic"], boldItalic=f["bold_italic"]
    )


_char_name = char_name
