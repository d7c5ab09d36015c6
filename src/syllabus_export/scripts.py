"""Which writing systems the PDF can draw: the course language's script, and why one is refused.

The feed and the page show every language correctly; the PDF refuses a language that reportlab
would print wrong (``UnsupportedScript``, at the course's ``language:``) rather than print it
backwards, unjoined or in boxes. ``build`` then publishes the feed and the page without
``syllabus.pdf``, with a warning; ``check`` says the same. This is the one home of that refusal
(lift it here when the PDF learns bidi, shaping or a CJK face): it needs no reportlab, only the
fonts' characters (a :class:`Fonts`: the PDF's theme, or ``check``'s :class:`FontCoverage` read
from the font files), so ``check`` asks it without loading the renderer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import get_day_names

from syllabus_export import model as m
from syllabus_export.errors import Problem, SyllabusError
from syllabus_export.glyphs import char_name
from syllabus_export.messages import cldr_locale
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

# reportlab draws a text one glyph per character, left to right: no bidi, no shaping. That is
# right for these scripts, given a font that has their glyphs…
PLAIN_SCRIPTS = frozenset({"Latn", "Cyrl", "Grek", "Armn", "Geor", "Ethi"})
# …and for Chinese, Japanese and Korean too (precomposed Hangul), where lines may also break
# between any two characters (wordWrap="CJK" for Chinese and Japanese, which write no spaces).
CJK_SCRIPTS = frozenset({"Hans", "Hant", "Hani", "Jpan", "Kore", "Hang"})
NO_SPACE_SCRIPTS = frozenset({"Hans", "Hant", "Hani", "Jpan"})
# Right-to-left scripts whose letters also join (their shape depends on their neighbours).
JOINING_SCRIPTS = frozenset({"Arab", "Syrc", "Nkoo", "Mand", "Adlm", "Rohg", "Mong"})


class UnsupportedScript(SyllabusError):
    """The course language's script is one the PDF cannot draw correctly (the feed and the page can)."""


def language_script(language: str) -> tuple[str | None, str | None]:
    """``(script, direction)`` of a course language from CLDR: ``("Hans", "ltr")`` for ``zh``,
    ``("Arab", "rtl")`` for ``fa``; ``(None, None)`` for a language CLDR does not know."""
    try:
        locale = Locale.parse(language, sep="-")
    except (UnknownLocaleError, ValueError):
        return None, None
    script = locale.script
    if script is None:
        likely = get_global("likely_subtags")
        tags = [f"{locale.language}_{locale.territory}"] if locale.territory else []
        found = next((likely[t] for t in [*tags, locale.language] if t in likely), "")
        script = next((part for part in found.split("_") if len(part) == 4 and part.istitle()), None)
    return script, "rtl" if locale.character_order == "right-to-left" else "ltr"


def script_problem(course: m.Course, theme: Fonts) -> Problem | None:
    """Why the PDF cannot draw the course's language, at its ``language:``; None when it can.

    Right-to-left scripts and scripts that need shaping (Arabic, Farsi, Hebrew, Bengali, Hindi…)
    are refused whatever the font, since reportlab would print their letters backwards, unjoined or
    misplaced; the others are refused when a face of the theme lacks the glyphs of the language's
    weekday names (the bundled DejaVu Sans subset has no CJK, Armenian, Georgian or Ethiopic).
    """
    script, direction = language_script(course.language)
    if script is None:
        return None  # not a language CLDR knows: the glyph check of each text still holds
    english = Locale.parse("en")
    name = english.languages.get(course.language.split("-")[0].lower(), course.language)
    script_name = english.scripts.get(script, script)
    what = f"the PDF cannot draw {name} ({course.language}) text: "
    pos = course.language_pos
    if direction == "rtl":
        joined = script in JOINING_SCRIPTS
        written = "right to left with joined letters" if joined else "right to left"
        lacks = "no bidi, no shaping" if joined else "no bidi"
        how = "backwards and unjoined" if joined else "backwards"
        return Problem(pos=pos, message=what + (
            f"the {script_name} script is written {written}, which reportlab does not do ({lacks}), so its letters "
            f"would come out {how} whatever the font; the feed and the page show it correctly"))
    if script not in PLAIN_SCRIPTS | CJK_SCRIPTS:
        return Problem(pos=pos, message=what + (
            f"the {script_name} script needs shaping (letters that combine, reorder or change form), which reportlab "
            "does not do, so it would come out wrong whatever the font; the feed and the page show it correctly"))
    sample = "".join(get_day_names("wide", locale=cldr_locale(course.language)).values())
    for face in FACES:
        missing = [c for c in dict.fromkeys(sample) if not c.isspace() and not theme.has(face, c)]
        if missing:
            bundled = " (the bundled DejaVu Sans subset: Latin, Vietnamese, Greek, Cyrillic)"
            kind = "CJK" if script in CJK_SCRIPTS else script_name
            return Problem(pos=pos, message=what + (
                f"the theme's {face.replace('_', ' ')} font '{theme.font_labels[face]}'"
                f"{bundled if theme.font_labels[face].startswith('DejaVuSans') else ''} has no {kind} glyphs "
                f"({char_name(missing[0])}); give pdf-theme.yaml TrueType fonts (.ttf) that have them "
                f"(e.g. Noto Sans {_NOTO.get(script, script_name)})"))
    return None


_NOTO = {"Hans": "SC", "Hani": "SC", "Hant": "TC", "Jpan": "JP", "Kore": "KR", "Hang": "KR"}
