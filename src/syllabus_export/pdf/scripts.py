"""Which writing systems the PDF can draw, with which font, and why one is refused.

The theme's faces draw every character they have. A course whose language is written in a script
they lack gets the bundled face of that script (``script_faces``: Noto Sans Arabic, Bengali, CJK) for
those characters, with no change to the theme: ``script_runs`` puts each run of them in
``<font name=…>`` markup as a data text is escaped (``Document.text``), and the lines of a script that
joins, reorders or runs right to left are shaped and ordered when drawn (``shaping``).

What still cannot be drawn is refused in one place, :mod:`syllabus_export.scripts` (``script_problem``,
without reportlab, so ``check`` asks it too), named here for the PDF's modules.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reportlab.pdfbase import pdfmetrics

from syllabus_export.glyphs import characters
from syllabus_export.pdf.flowables import escape
from syllabus_export.pdf.theme import FACES, Theme, _register
from syllabus_export.script_faces import ScriptFace, face_for
from syllabus_export.scripts import (  # the refusal's one home, without reportlab (``check`` asks it too)
    CJK_SCRIPTS,
    JOINING_SCRIPTS,
    NO_SPACE_SCRIPTS,
    PLAIN_SCRIPTS,
    UnsupportedScript,
    language_script,
    script_problem,
)
from syllabus_export.theme_file import _font_bytes

if TYPE_CHECKING:
    from syllabus_export.pdf.document import Document

__all__ = [
    "CJK_SCRIPTS",
    "JOINING_SCRIPTS",
    "NO_SPACE_SCRIPTS",
    "PLAIN_SCRIPTS",
    "ScriptFonts",
    "footer_line",
    "UnsupportedScript",
    "language_script",
    "script_fonts",
    "script_problem",
    "script_runs",
    "text_width",
]

@dataclass(frozen=True, kw_only=True)
class ScriptFonts:
    """The bundled face of a course's script, registered with reportlab: what draws the characters the
    theme's faces lack."""

    face: ScriptFace
    names: dict[str, str]  # theme face → registered font name of the script face that stands for it
    chars: dict[str, frozenset[int]]  # theme face → the code points that font has

    def has(self, face: str, char: str) -> bool:
        return ord(char) in self.chars[face]


# The bundled faces registered with reportlab in this process, by name: like the theme's fonts (see
# ``caches``), registered once and kept; this spares reading their files and cmaps again.
_REGISTERED: dict[str, ScriptFonts] = {}


def script_fonts(language: str, theme: Theme) -> ScriptFonts | None:
    """The bundled face for the script of ``language``, registered (once per process): for a script that is
    shaped, always; for CJK, when the theme's faces lack its letters. None when no bundled face is needed
    (or there is none)."""
    face = face_for(language, lambda char: all(theme.has(f, char) for f in FACES))
    if face is None:
        return None
    found = _REGISTERED.get(face.name)
    if found is None:
        names, chars = {}, {}
        for theme_face in FACES:
            data = _font_bytes(face.file(theme_face), None)
            assert data is not None, f"the package lacks {face.file(theme_face)}"
            names[theme_face] = _register(data, shaping=face.shaping)
            chars[theme_face] = characters(data)
        from reportlab.pdfbase.pdfmetrics import registerFontFamily

        regular, bold = names["regular"], names["bold"]
        registerFontFamily(regular, normal=regular, bold=bold, italic=regular, boldItalic=bold)
        found = _REGISTERED[face.name] = ScriptFonts(face=face, names=names, chars=chars)
    return found


def script_runs(text: str, theme: Theme, fonts: ScriptFonts, face: str = "regular") -> str:
    """``text`` escaped for Paragraph markup, each run of characters the theme's ``face`` lacks and the
    script face has in ``<font name=…>``; line breaks as ``<br/>``.

    Spaces, punctuation and marks stay in the run they are in when its font has them (an Arabic phrase is
    one run, not one per word); letters and digits go to the theme's face when it has them.
    """
    return "".join(
        _run_markup(run, fonts.names[face] if scripted else None) for run, scripted in _runs(text, theme, fonts, face)
    )


def text_width(doc: Document, text: str, face: str, size: float) -> float:
    """How wide ``text`` is drawn in the theme's ``face`` at ``size`` points, each run in the font that
    draws it (and shaped, when it is)."""
    fonts, theme = doc.script_fonts, doc.theme
    if fonts is None:
        return pdfmetrics.stringWidth(text, theme.fonts[face], size)
    return sum(
        pdfmetrics.stringWidth(run, fonts.names[face] if scripted else theme.fonts[face], size)
        for run, scripted in _runs(text, theme, fonts, face)
    )


def _runs(text: str, theme: Theme, fonts: ScriptFonts, face: str) -> list[tuple[str, bool]]:
    """``text`` cut where its font changes: (run, whether the script face draws it)."""
    runs: list[tuple[str, bool]] = []
    run: list[str] = []
    in_script = False
    for char in text:
        theme_has = theme.has(face, char) or char == "\n"
        script_has = fonts.has(face, char)
        if in_script and script_has and (not theme_has or unicodedata.category(char)[0] in "ZPSMC"):
            want = True
        else:
            want = not theme_has and script_has
        if want != in_script and run:
            runs.append(("".join(run), in_script))
            run = []
        in_script = want
        run.append(char)
    if run:
        runs.append(("".join(run), in_script))
    return runs


def _run_markup(text: str, font: str | None) -> str:
    markup = escape(text).replace("\n", "<br/>")
    return f'<font name="{font}">{markup}</font>' if font else markup


def footer_line(doc: Document) -> Callable[..., None]:
    """What draws a page footer's two texts (``canvas.footer_drawer``) in a course with a script face: each
    as a one-line paragraph of the small style, so its runs take their fonts, shaped and in order; the left
    one shortened with "…" to the room the right one leaves."""
    from reportlab.lib.enums import TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    from syllabus_export.pdf.flowables import _Paragraph

    small = doc.styles["small"]
    styles = [ParagraphStyle(f"footer_{a}", parent=small, alignment=a) for a in (TA_LEFT, TA_RIGHT)]

    def paragraph(text: str, style: ParagraphStyle) -> tuple[Any, float]:
        made = _Paragraph(script_runs(text, doc.theme, doc.script_fonts), style)
        made.wrap(1e6, 1e6)
        lines = made.blPara.lines
        return made, 1e6 - (lines[0][0] if made.blPara.kind == 0 else lines[0].extraSpace) if lines else 0.0

    def draw(canvas: Any, left: str, right: str, left_x: float, right_x: float, y: float) -> None:
        width = right_x - left_x
        shown, right_width = paragraph(right, styles[1])
        room, text = width - right_width - 12, left
        made, used = paragraph(text, styles[0])
        while used > room and text:
            text = text[:-1]
            made, used = paragraph(text.rstrip() + "…", styles[0])
        baseline = small.leading - small.fontSize  # a paragraph's first baseline above its bottom
        for flowable in (made, shown):
            flowable.wrapOn(canvas, width, small.leading * 2)
            flowable.drawOn(canvas, left_x, y - baseline)

    return draw
