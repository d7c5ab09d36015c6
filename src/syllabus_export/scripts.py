"""Which writing systems the PDF can draw: the course language's script, and why one is refused.

The feed and the page show every language correctly; the PDF refuses a language that reportlab
would print wrong (``UnsupportedScript``, at the course's ``language:``) rather than print it
backwards, unjoined or in boxes. ``build`` then publishes the feed and the page without
``syllabus.pdf``, with a warning; ``check`` says the same. This is the one home of that refusal: it
draws the scripts with a bundled face (``script_faces``: Arabic, Farsi, Bengali, simplified Chinese,
Japanese, Korean), shaped and in order where they need it (``pdf.shaping``). It needs no reportlab, only the
fonts' characters (a :class:`Fonts`: the PDF's theme, or ``check``'s :class:`FontCoverage` read
from the font files), so ``check`` asks it without loading the renderer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from babel import Locale
from babel.dates import get_day_names

from syllabus_export import model as m
from syllabus_export.errors import Problem, SyllabusError
from syllabus_export.glyphs import char_name
from syllabus_export.messages import cldr_locale
from syllabus_export.script_faces import SCRIPT_FACES, language_script
from syllabus_export.theme_file import FACES


class Fonts(Protocol):
    """What the refusal asks of the PDF's fonts: each face's file name, and whether it draws a character."""

    @property
    def font_labels(self) -> Mapping[str, str]: ...

    def has(self, face: str, char: str) -> bool: ...


@dataclass(frozen=True, kw_only=True)
class FontCoverage:
    """The theme's faces as their font files' ``cmap`` give them (:mod:`syllabus_export.glyphs`): no reportlab."""

    font_labels: Mapping[str, str]
    characters: Mapping[str, frozenset[int]]

    def has(self, face: str, char: str) -> bool:
        return ord(char) in self.characters[face]

# Drawn one glyph per character, left to right, by a font that has their glyphs…
PLAIN_SCRIPTS = frozenset({"Latn", "Cyrl", "Grek", "Armn", "Geor", "Ethi"})
# …and so are Chinese, Japanese and Korean (precomposed Hangul), whose lines may also break
# between any two characters (wordWrap="CJK" for Chinese and Japanese, which write no spaces).
CJK_SCRIPTS = frozenset({"Hans", "Hant", "Hani", "Jpan", "Kore", "Hang"})
NO_SPACE_SCRIPTS = frozenset({"Hans", "Hant", "Hani", "Jpan"})
# Right-to-left scripts whose letters also join (their shape depends on their neighbours).
JOINING_SCRIPTS = frozenset({"Arab", "Syrc", "Nkoo", "Mand", "Adlm", "Rohg", "Mong"})


class UnsupportedScript(SyllabusError):
    """The course language's script is one the PDF cannot draw correctly (the feed and the page can)."""


def script_problem(course: m.Course, theme: Fonts) -> Problem | None:
    """Why the PDF cannot draw the course's language, at its ``language:``; None when it can.

    Drawn: a script the theme's faces have the letters of, when it needs neither shaping nor bidi (Latin,
    Cyrillic, Greek; CJK with a theme font that has it), and the scripts with a bundled face (Arabic,
    Farsi, Bengali, simplified Chinese, Japanese, Korean). Refused: a right-to-left script or one that
    needs shaping without a bundled face (Hebrew, Hindi, Thai…), whatever the theme's font, and any other
    script the theme's faces lack (traditional Chinese, Armenian, Georgian…).
    """
    script, direction = language_script(course.language)
    if script is None:
        return None  # not a language CLDR knows: the glyph check of each text still holds
    if script in SCRIPT_FACES:
        return None
    english = Locale.parse("en")
    name = english.languages.get(course.language.split("-")[0].lower(), course.language)
    script_name = english.scripts.get(script, script)
    what = f"the PDF cannot draw {name} ({course.language}) text: "
    pos = course.language_pos
    if direction == "rtl":
        joined = script in JOINING_SCRIPTS
        written = "right to left with joined letters" if joined else "right to left"
        how = "backwards and unjoined" if joined else "backwards"
        return Problem(pos=pos, message=what + (
            f"the {script_name} script is written {written}, and the package has no font for it to order and "
            f"shape its lines with, so its letters would come out {how} whatever the theme's font; the feed and "
            "the page show it correctly"))
    if script not in PLAIN_SCRIPTS | CJK_SCRIPTS:
        return Problem(pos=pos, message=what + (
            f"the {script_name} script needs shaping (letters that combine, reorder or change form), and the "
            "package has no font for it to shape with, so it would come out wrong whatever the theme's font; "
            "the feed and the page show it correctly"))
    sample = "".join(get_day_names("wide", locale=cldr_locale(course.language)).values())
    for face in FACES:
        missing = [c for c in dict.fromkeys(sample) if not c.isspace() and not theme.has(face, c)]
        if missing:
            bundled = " (the bundled DejaVu Sans subset: Latin, Vietnamese, Greek, Cyrillic)"
            kind = "CJK" if script in CJK_SCRIPTS else script_name
            return Problem(pos=pos, message=what + (
                f"the theme's {face.replace('_', ' ')} font '{theme.font_labels[face]}'"
                f"{bundled if theme.font_labels[face].startswith('DejaVuSans') else ''} has no {kind} glyphs "
                f"({char_name(missing[0])}), and the package has no font for them; give pdf-theme.yaml TrueType "
                f"fonts (.ttf) that have them (e.g. Noto Sans {_NOTO.get(script, script_name)})"))
    return None


_NOTO = {"Hans": "SC", "Hani": "SC", "Hant": "TC", "Jpan": "JP", "Kore": "KR", "Hang": "KR"}
