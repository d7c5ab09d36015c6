"""The PDF theme file (``templates/pdf-theme.yaml``, or the user's copy) read and checked, and its
font files found: what both the PDF renderer and ``check`` need, without reportlab.

``pdf.theme`` turns it into the fonts reportlab draws with; ``glyphs`` into the characters each
face has, so ``check`` finds a character the PDF cannot draw without drawing anything.
"""

from __future__ import annotations

import pathlib
import re
from collections.abc import Callable
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from syllabus_export.errors import Pos, Problem, Problems, SyllabusError
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


def theme_files(templates: pathlib.Path | None) -> list[Any]:
    """The packaged theme file, then the user's (its keys win) when ``templates`` has one."""
    from syllabus_export.resources import template_file

    found = [template_file(THEME_FILE)]
    if templates is not None and (templates / THEME_FILE).is_file():
        found.append(templates / THEME_FILE)
    return found


def font_files(templates: pathlib.Path | None) -> dict[str, tuple[str, Pos, bytes | None]]:
    """face → (the font's file name, where the theme names it, its bytes or None when missing)."""
    names: dict[str, str] = {}
    places: dict[str, Pos] = {}
    for file in theme_files(templates):
        text, shown = file.read_text(encoding="utf-8"), str(file)
        fonts = _read_theme(text, shown).get("fonts", {})
        names.update(fonts)
        where = _position_in(text, shown)
        places.update({face: where(("fonts", face)) for face in fonts})
    return {face: (names[face], places[face], _font_bytes(names[face], templates)) for face in FACES}


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


