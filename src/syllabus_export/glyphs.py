"""Which characters the PDF's fonts have, read from the font files themselves (their ``cmap``), so
``check`` finds a character of the course that the PDF cannot draw without drawing anything (and
without loading reportlab).

The PDF renderer checks every text it draws as it draws it; this is the same question asked of
every text of the course before any drawing, at the place the text is written.
"""

from __future__ import annotations

import dataclasses
import pathlib
import struct
import unicodedata
from collections.abc import Iterator
from typing import Any

from syllabus_export import model as m
from syllabus_export.caches import CACHES
from syllabus_export.errors import Pos, Problem
from syllabus_export.script_faces import face_for

# Fields that are not text a reader sees: identifiers of the file's own structure, places, flags.
_NOT_DRAWN = frozenset({"path", "language", "term", "kind", "photo", "pos", "positions", "prefix"})


def char_name(char: str) -> str:
    """"U+4E2D CJK UNIFIED IDEOGRAPH-4E2D ('中')": a character as a message names it."""
    return f"U+{ord(char):04X} {unicodedata.name(char, 'unnamed character')} ({char!r})"


def characters(font: bytes) -> frozenset[int]:
    """The code points a TrueType font maps to a glyph (its ``cmap``: formats 4 and 12).

    Raises ValueError for bytes that are not a TrueType font with a Unicode cmap.
    """
    table = CACHES.table("font characters", limit=32)
    key = (len(font), hash(font))
    found = table.get(key)
    if found is None:
        found = table[key] = frozenset(_cmap(font))
    return found


def _cmap(font: bytes) -> set[int]:
    try:
        (count,) = struct.unpack_from(">H", font, 4)
        offset = next(
            struct.unpack_from(">I", font, 12 + 16 * i + 8)[0]
            for i in range(count)
            if font[12 + 16 * i : 12 + 16 * i + 4] == b"cmap"
        )
        (subtables,) = struct.unpack_from(">H", font, offset + 2)
        records = [struct.unpack_from(">HHI", font, offset + 4 + 8 * i) for i in range(subtables)]
    except (StopIteration, struct.error) as exc:
        raise ValueError("not a TrueType font with a cmap") from exc
    chars: set[int] = set()
    for platform, encoding, start in records:
        if (platform, encoding) not in ((3, 1), (3, 10), (0, 3), (0, 4), (0, 6)):
            continue
        at = offset + start
        (fmt,) = struct.unpack_from(">H", font, at)
        if fmt == 4:
            chars |= _format4(font, at)
        elif fmt == 12:
            chars |= _format12(font, at)
    if not chars:
        raise ValueError("the font has no Unicode cmap (format 4 or 12)")
    return chars


def _format4(font: bytes, at: int) -> set[int]:
    (seg_x2,) = struct.unpack_from(">H", font, at + 6)
    segs = seg_x2 // 2
    ends = struct.unpack_from(f">{segs}H", font, at + 14)
    starts = struct.unpack_from(f">{segs}H", font, at + 16 + seg_x2)
    deltas = struct.unpack_from(f">{segs}h", font, at + 16 + 2 * seg_x2)
    range_at = at + 16 + 3 * seg_x2
    ranges = struct.unpack_from(f">{segs}H", font, range_at)
    chars = set()
    for i in range(segs):
        for code in range(starts[i], ends[i] + 1):
            if code == 0xFFFF:
                continue
            if ranges[i] == 0:
                glyph = (code + deltas[i]) & 0xFFFF
            else:
                where = range_at + 2 * i + ranges[i] + 2 * (code - starts[i])
                (glyph,) = struct.unpack_from(">H", font, where)
                glyph = (glyph + deltas[i]) & 0xFFFF if glyph else 0
            if glyph:
                chars.add(code)
    return chars


def _format12(font: bytes, at: int) -> set[int]:
    (groups,) = struct.unpack_from(">I", font, at + 12)
    chars = set()
    for i in range(groups):
        first, last, glyph = struct.unpack_from(">III", font, at + 16 + 12 * i)
        chars.update(code for code in range(first, last + 1) if glyph + code - first)
    return chars


def _bundled_chars(name: str) -> frozenset[int]:
    """The characters of a font the package ships."""
    from importlib.resources import files

    return characters(files("syllabus_export.fonts").joinpath(name).read_bytes())


def texts(course: m.Course, term: m.Term) -> Iterator[tuple[str, Pos, str]]:
    """Every text of the course a reader may see, with the place it is written and what it is.

    A value with a position of its own (``title_pos`` beside ``title``) is placed there; a term's
    names only in the course's language (the others are not printed).
    """
    yield from _walk(course, course.pos, "")
    language = course.language
    key = next((k for k in (language, language.split("-")[0], "en") if k in term.name), None)
    yield m.localized(term.name, language), term.at(f"name.{key}" if key else "name"), "term name"
    for period in term.no_class:
        yield m.localized(period.name, course.language), period.pos, "no-class day name"
    for substitution in term.substitutions:  # the schedule names a day that follows another's schedule
        yield m.localized(substitution.name, course.language), substitution.pos, "substitution day name"


def _walk(value: Any, pos: Pos, what: str) -> Iterator[tuple[str, Pos, str]]:
    if isinstance(value, str):
        yield value, pos, what
    elif isinstance(value, m.RichText):
        for run in value.runs:
            yield run.text, value.pos, what
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _walk(item, pos, what)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        own = getattr(value, "pos", pos)
        pos = own if own != m.NOWHERE else pos
        for field in dataclasses.fields(value):
            if field.name in _NOT_DRAWN or field.name.endswith("_pos"):
                continue
            place = getattr(value, f"{field.name}_pos", None) or pos
            name = f"{type(value).__name__.lower()} {field.name}".replace("_", " ")
            yield from _walk(getattr(value, field.name), place, name)


def theme_faces(templates: pathlib.Path | None = None) -> dict[str, tuple[str, Pos, frozenset[int]]]:
    """face → (the font's file name, where the theme names it, the characters it draws)."""
    from syllabus_export.theme_file import font_files

    faces = {}
    for face, (name, place, data) in font_files(templates).items():
        try:
            faces[face] = (name, place, characters(data) if data else frozenset())
        except ValueError:
            faces[face] = (name, place, frozenset())  # the build reports the font itself
    return faces


def missing(course: m.Course, term: m.Term, templates: pathlib.Path | None = None) -> list[Problem]:
    """A problem for each character of the course's texts that a face of the PDF theme lacks, at the
    text's place (each character once per place); none when every face draws them all."""
    faces = theme_faces(templates)
    found = list(texts(course, term))
    drawable = frozenset.intersection(*(chars for _, _, chars in faces.values()))
    needed = {ord(c) for text, _, _ in found for c in text} - {9, 10}
    if needed <= drawable:
        return []  # the common case, decided at once (without asking CLDR for the language's script)
    # the bundled face of the course's script draws what the theme's faces lack (as the PDF does)
    script = face_for(course.language, lambda char: ord(char) in drawable)
    if script is not None:
        extra = {face: _bundled_chars(script.file(face)) for face in faces}
        faces = {face: (name, place, chars | extra[face]) for face, (name, place, chars) in faces.items()}
        drawable = frozenset.intersection(*(chars for _, _, chars in faces.values()))
    if needed <= drawable:
        return []
    problems: dict[tuple[str, Pos], Problem] = {}
    for text, pos, what in found:
        for char in dict.fromkeys(text):
            if char in "\n\t" or (char, pos) in problems:
                continue
            lacking = [face for face, (_, _, chars) in faces.items() if ord(char) not in chars]
            if lacking:
                face = lacking[0]
                name, place, _ = faces[face]
                problems[char, pos] = Problem(pos=pos, message=(
                    f"{what}: the PDF font has no glyph for {char_name(char)}: '{name}' "
                    f"({face.replace('_', ' ')}, set at {place}) cannot draw it (remove the character, or give "
                    "pdf-theme.yaml a font that has it)"))
    return list(problems.values())
