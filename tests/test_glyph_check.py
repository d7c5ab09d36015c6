"""``check`` finds a character the PDF's fonts lack without drawing (issue: only ``build`` did, and
it pointed at the session's id, one line above the title)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from conftest import run_cli
from syllabus_export import glyphs
from syllabus_export.theme_file import font_files

ROOT = Path(__file__).resolve().parents[1]
BAD = ROOT / "tests" / "bad_inputs"
TERM = BAD / "_base" / "term.yaml"


@pytest.mark.parametrize(("name", "place", "char"), [
    ("text-glyph-block-title.yaml", "37:20", "U+4E2D"),  # block style: the title's line, not the id's
    ("text-emoji.yaml", "35:33", "U+1F389"),  # flow style: the title's column, not the id's
])
def test_check_finds_a_glyph_the_pdf_lacks_at_the_title(name, place, char):
    status, out, err = run_cli(["check", "--course", str(BAD / name), "--term", str(TERM)])
    assert status == 2 and out == ""
    assert f"{BAD / name}:{place}: session title: the PDF font has no glyph for {char}" in err


def test_check_passes_a_course_the_font_draws():
    status, out, err = run_cli(["check", "--course", str(BAD / "_base" / "course.yaml"), "--term", str(TERM)])
    assert (status, err) == (0, ""), err


def test_the_fonts_characters_are_what_reportlab_reads():
    from reportlab.pdfbase.ttfonts import TTFont

    for face, (_, _, data) in font_files(None).items():
        read = set(TTFont(f"glyph-check-{face}", io.BytesIO(data)).face.charToGlyph) - {0xFFFF}
        assert glyphs.characters(data) == read, face


def test_a_file_that_is_not_a_font_is_refused():
    with pytest.raises(ValueError):
        glyphs.characters(b"not a font at all")
