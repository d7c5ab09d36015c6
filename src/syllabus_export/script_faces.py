"""Which writing system a course language is written in (CLDR), and which bundled Noto face draws it
when the theme's fonts do not: what the PDF renderer and ``check`` both ask, without reportlab.

The theme's faces (DejaVu Sans: Latin, Vietnamese, Greek, Cyrillic) draw every character they have;
a course in Arabic, Farsi, Bengali, Chinese, Japanese or Korean gets the bundled face of its script
for the characters they lack, with no change to the theme. Arabic and Bengali faces come with their
layout tables: the PDF shapes their text (HarfBuzz) and puts right-to-left lines in order (the Unicode
bidirectional algorithm); CJK is drawn one glyph per character.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from babel import Locale, UnknownLocaleError
from babel.core import get_global

# theme face → the face of a script face that stands for it (the bundled Arabic and Bengali faces have
# no italics; the CJK ones have one weight: a CJK bold would double the package's size)
_TWO_WEIGHTS = {"regular": "regular", "bold": "bold", "italic": "regular", "bold_italic": "bold"}
_ONE_WEIGHT = dict.fromkeys(_TWO_WEIGHTS, "regular")


@dataclass(frozen=True, kw_only=True)
class ScriptFace:
    """A bundled face for one writing system: its files, and what drawing its text takes."""

    name: str  # "Noto Sans Arabic"
    files: dict[str, str]  # "regular" / "bold" → file name in the package's fonts/
    shaping: bool  # letters join, combine or reorder: HarfBuzz shapes the text
    rtl: bool  # written right to left: lines are put in visual order

    def file(self, face: str) -> str:
        """The file that draws the theme's ``face`` ("bold_italic" → the bold file, when there is one)."""
        return self.files[(_TWO_WEIGHTS if "bold" in self.files else _ONE_WEIGHT)[face]]


def _pair(stem: str) -> dict[str, str]:
    return {"regular": f"{stem}-Regular.ttf", "bold": f"{stem}-Bold.ttf"}


_ARABIC = ScriptFace(name="Noto Sans Arabic", files=_pair("NotoSansArabic"), shaping=True, rtl=True)
SCRIPT_FACES: dict[str, ScriptFace] = {
    "Arab": _ARABIC,
    "Beng": ScriptFace(name="Noto Sans Bengali", files=_pair("NotoSansBengali"), shaping=True, rtl=False),
    # simplified Chinese (the GB2312 level 1 hanzi); traditional Chinese (Hant) has no bundled face
    "Hans": ScriptFace(
        name="Noto Sans CJK SC", files={"regular": "NotoSansCJKsc-Regular.ttf"}, shaping=False, rtl=False
    ),
    "Jpan": ScriptFace(
        name="Noto Sans CJK JP", files={"regular": "NotoSansCJKjp-Regular.ttf"}, shaping=False, rtl=False
    ),
    "Kore": ScriptFace(
        name="Noto Sans CJK KR", files={"regular": "NotoSansCJKkr-Regular.ttf"}, shaping=False, rtl=False
    ),
}


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


def script_face(language: str) -> ScriptFace | None:
    """The bundled face for the script of a course ``language``, or None (Latin, Cyrillic… need none;
    Hebrew, Devanagari, Thai, traditional Chinese… have none)."""
    return SCRIPT_FACES.get(language_script(language)[0] or "")


def face_for(language: str, theme_draws: Callable[[str], bool]) -> ScriptFace | None:
    """The bundled face the PDF draws a course in ``language`` with, for the characters the theme's faces
    lack: for a script that is shaped, always (a theme's font is not shaped); for CJK, when the theme's
    faces lack its letters (those of the language's weekday names; ``theme_draws(char)``: every face of the
    theme has it). None: the theme's faces alone."""
    face = script_face(language)
    if face is None or face.shaping:
        return face
    from babel.dates import get_day_names

    from syllabus_export.messages import cldr_locale

    sample = "".join(get_day_names("wide", locale=cldr_locale(language)).values())
    return None if all(theme_draws(c) for c in sample if not c.isspace()) else face
