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
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

import yaml
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from yaml.constructor import SafeConstructor

from syllabus_export.errors import Pos, Problem, Problems, SyllabusError
from syllabus_export.pdf.caches import CACHES
from syllabus_export.resources import template_file
from syllabus_export.yamlnodes import compose_fast as _compose_fast

THEME_FILE = "pdf-theme.yaml"
FACES = ("regular", "bold", "italic", "bold_italic")
# Every key a theme may set, with the range a number must lie in (sizes in points; qr and
# margins in millimetres). Colours are "#rrggbb".
THEME_NUMBERS = {
    "sizes": {
        "title": (8, 48),
        "subtitle": (6, 24),
        "heading": (6, 30),
        "body": (6, 16),
        "table": (5, 14),
        "small": (5, 12),
        "qr": (15, 60),
    },
    "margins": {"top": (8, 50), "bottom": (12, 50), "left": (8, 50), "right": (8, 50)},
}
THEME_COLORS = (
    "text",
    "muted",
    "accent",
    "link",
    "rule",
    "header_background",
    "stripe",
    "no_class_background",
    "cancelled",
)
COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
# Characters the layout itself draws around the data; the theme's fonts must have them.
LAYOUT_CHARS = " \u00a0·–…:/()0123456789"


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
    files_read = [template_file(THEME_FILE)]
    if templates is not None and (templates / THEME_FILE).is_file():
        files_read.append(templates / THEME_FILE)
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


def _read_theme(text: str, shown: str) -> dict[str, dict[str, Any]]:
    """One theme file, checked: known sections and keys, numbers in range, colours as #rrggbb."""
    where = _position_in(text, shown)
    problems = Problems()
    try:
        node = _compose_fast(text, shown)  # libyaml when it reads the file as PyYAML would, else None
        data = yaml.safe_load(text) if node is None else SafeConstructor().construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        pos = Pos(path=shown, line=mark.line + 1, column=mark.column + 1) if mark else Pos(path=shown)
        raise SyllabusError(
            [Problem(pos=pos, message=f"YAML syntax: {getattr(exc, 'problem', None) or exc}")]
        ) from None
    data = {} if data is None else data
    if not isinstance(data, dict):
        raise SyllabusError([Problem(pos=Pos(path=shown), message="the theme must be a mapping of sections")])
    allowed = {"fonts": FACES, "colors": THEME_COLORS, **{k: tuple(v) for k, v in THEME_NUMBERS.items()}}
    result: dict[str, dict[str, Any]] = {}
    for section, items in data.items():
        if section not in allowed:
            problems.add(
                where((section,)), f"unknown theme section '{section}' (expected one of: {', '.join(allowed)})"
            )
            continue
        if not isinstance(items, dict):
            problems.add(where((section,)), f"{section} must be a mapping of keys")
            continue
        result[section] = {}
        for key, value in items.items():
            if key not in allowed[section]:
                problems.add(
                    where((section, key)),
                    f"unknown key '{key}' in {section} (expected one of: {', '.join(allowed[section])})",
                )
            elif section == "fonts":
                if not isinstance(value, str) or not value.lower().endswith(".ttf") or ".." in value:
                    problems.add(
                        where((section, key)), f"fonts.{key} must be the name of a .ttf file (found {value!r})"
                    )
                else:
                    result[section][key] = value
            elif section == "colors":
                if not isinstance(value, str) or not COLOR_RE.match(value):
                    problems.add(
                        where((section, key)), f'colors.{key} must be a colour like "#1b4f8f" (found {value!r})'
                    )
                else:
                    result[section][key] = value.lower()
            else:
                low, high = THEME_NUMBERS[section][key]
                if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
                    problems.add(
                        where((section, key)),
                        f"{section}.{key} must be a number from {low} to {high} (found {value!r})",
                    )
                else:
                    result[section][key] = float(value)
    problems.raise_if_any()
    return result


def _position_in(text: str, shown: str) -> Callable[[tuple[str, ...]], Pos]:
    """A function giving where a path of mapping keys is in a YAML text (composed once, when first asked)."""
    composed: list[yaml.Node | None] = []

    def where(keys: tuple[str, ...]) -> Pos:
        if not composed:
            try:
                composed.append(_compose_fast(text, shown) or yaml.compose(text, Loader=yaml.SafeLoader))
            except yaml.YAMLError:
                composed.append(None)  # nowhere to point: the whole file, as for an empty one
        node = composed[0]
        mark = None
        for key in keys:
            if not isinstance(node, yaml.MappingNode):
                break
            found = next(
                ((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == str(key)), None
            )
            if found is None:
                break
            mark, node = found[0].start_mark, found[1]
        return Pos(path=shown, line=mark.line + 1, column=mark.column + 1) if mark else Pos(path=shown)

    return where


def _font_bytes(name: str, templates: pathlib.Path | None) -> bytes | None:
    """A font file from the user's templates folder, else from the package's fonts."""
    candidates: list[Traversable | pathlib.Path] = []
    if templates is not None:
        candidates.append(templates / name)
    candidates.append(files("syllabus_export.fonts").joinpath(name))
    for candidate in candidates:
        if candidate.is_file():
            return candidate.read_bytes()
    return None


def _register(data: bytes) -> str:
    """Register a TrueType font once per content; its name comes from the bytes, so it is stable."""
    name = "SyllabusFont-" + hashlib.sha256(data).hexdigest()[:12]
    if name not in pdfmetrics.getRegisteredFontNames():
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
            width = known[text, size, encoding] = TTFont.stringWidth(self, text, size, encoding)
            return width


def _register_family(theme: Theme) -> None:
    """Let <b> and <i> in Paragraph markup pick the theme's faces (reportlab keeps this globally)."""
    f = theme.fonts
    pdfmetrics.registerFontFamily(
        f["regular"], normal=f["regular"], bold=f["bold"], italic=f["italic"], boldItalic=f["bold_italic"]
    )


def _char_name(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, 'unnamed character')} ({char!r})"
