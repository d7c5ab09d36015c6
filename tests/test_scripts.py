"""Every script prints in the PDF: Arabic and Farsi right to left with joined letters, Bengali shaped,
Chinese, Japanese and Korean with the bundled Noto faces, with no change to the theme; a Latin course's
PDF is what it was, and a build imports uharfbuzz and python-bidi only for a course that needs them.

The courses are the French fixture in each language, with its title and first titles from the course
site's translated pages (and a Latin run, "(PyTorch 1.4)", inside one of them).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from syllabus_export import glyphs
from syllabus_export.expand import expand
from syllabus_export.load import load_course, load_term

ROOT = Path(__file__).resolve().parent.parent
TERM = ROOT / "data" / "terms" / "nyu-2020-spring.yaml"
FRENCH = ROOT / "tests" / "fixtures" / "languages" / "dlsp20-fr.yaml"
WHEN = dt.datetime(2020, 9, 16, tzinfo=dt.UTC)

# course title, the titles of sessions 01-1 and 01-2, as the translated pages write them
TITLES = {
    "ar": ("التعلم العميق", "التاريخ والدوافع", "التطور والتعلم العميق"),
    "fa": ("یادگیری عمیق", "تاریخچه و انگیزه‌ها", "تکامل و یادگیری عمیق"),
    "bn": ("ডীপ লার্নিং", "ইতিহাস এবং অনুপ্রেরণা", "বিবর্তন এবং ডীপ লার্নিং"),
    "zh": ("深度学习", "历史及动力", "发展及深度学习"),
    "ja": ("深層学習", "歴史と動機", "進化と深層学習"),
    "ko": ("딥러닝", "딥러닝의 등장과 역사", "딥러닝의 발전"),
}


def course_in(folder: Path, language: str) -> Path:
    title, first, second = TITLES[language]
    text = FRENCH.read_text(encoding="utf-8")
    for old, new in (
        ("id: dlsp20-fr\n", f"id: t-{language}\n"),
        ("language: fr\n", f"language: {language}\n"),
        ('title: "APPRENTISSAGE PROFOND"', f'title: "{title}"'),
        ('"Histoire et motivation"', f'"{first}"'),
        ('"Évolution et apprentissage profond"', f'"{second} (PyTorch 1.4)"'),
    ):
        text = text.replace(old, new)
    path = folder / f"t-{language}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, bytes]:
    from syllabus_export.pdf import render_pdf

    folder = tmp_path_factory.mktemp("scripts")
    term = load_term(TERM)
    return {
        language: render_pdf(expand(load_course(course_in(folder, language)), term), build_time=WHEN)
        for language in TITLES
    }


def readable(text: str) -> str:
    """Text as a reader compares it: presentation forms as letters (NFKC), without the invisible
    joiners and direction marks (format characters) and the extra spaces."""
    text = unicodedata.normalize("NFKC", text)
    return " ".join("".join(c for c in text if unicodedata.category(c) != "Cf").split())


def pypdf_text(data: bytes) -> str:
    return readable("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def font_names(data: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


@pytest.mark.parametrize("language", ["ar", "fa", "zh", "ja", "ko"])
def test_titles_read_in_logical_order_from_the_pdf(pdfs, language):
    text = pypdf_text(pdfs[language])
    for title in TITLES[language]:
        assert readable(title) in text, (language, title)
    assert "PyTorch 1.4" in text  # the Latin run inside, in its own order


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
@pytest.mark.parametrize("language", ["ar", "fa", "zh", "ja", "ko"])
def test_pdftotext_reads_them_in_logical_order_too(pdfs, tmp_path, language):
    path = tmp_path / "x.pdf"
    path.write_bytes(pdfs[language])
    text = readable(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout)
    for title in TITLES[language]:
        assert readable(title) in text, (language, title)


def test_bengali_is_shaped(pdfs):
    # Words without a conjunct or a vowel sign drawn before its consonant read as written; the others are
    # drawn shaped (a conjunct is one glyph, which has no character of its own: a private-use one stands
    # for it) and read back in the order drawn, the vowel sign first (see README, Scripts).
    text = pypdf_text(pdfs["bn"])
    assert "এবং" in text and "01-1" in text and "PyTorch 1.4" in text
    assert any(0xE000 <= ord(c) < 0xF900 for c in text)  # প্র of অনুপ্রেরণা, as HarfBuzz forms it


@pytest.mark.parametrize(
    ("language", "face"),
    [
        ("ar", "NotoSansArabic"),
        ("fa", "NotoSansArabic"),
        ("bn", "NotoSansBengali"),
        ("zh", "NotoSansCJKsc"),
        ("ja", "NotoSansCJKjp"),
        ("ko", "NotoSansCJKkr"),
    ],
)
def test_each_script_is_drawn_with_its_bundled_face_beside_the_themes(pdfs, language, face):
    names = font_names(pdfs[language])
    assert any(face in name for name in names), names
    assert any("DejaVuSans" in name for name in names), names  # Latin, digits, the layout's own characters
    assert not any("Noto" in name and face not in name for name in names), names


def test_a_latin_course_draws_no_noto_face_and_is_what_it_was():
    from syllabus_export.pdf import render_pdf

    course = load_course(ROOT / "data" / "courses" / "dlsp20.yaml")
    data = render_pdf(expand(course, load_term(TERM)), build_time=WHEN)
    assert not any("Noto" in name for name in font_names(data))
    # the bytes before every script printed (the same inputs, the same build time)
    assert hashlib.sha256(data).hexdigest() == VIETNAMESE_SHA256


# the tagged PDF with the term grid (issue 17 merged with issue 14); untagged with the grid: 6f7b9491…,
# tagged without the grid: b9025f02…, before both: 61cf36e6…
VIETNAMESE_SHA256 = "498c9eb6c91e23775ec10bf1f23c82cbee061c9b2a46fe819bf0b7b8ff7a0a42"


def test_a_build_imports_harfbuzz_and_bidi_only_for_a_course_that_needs_them(tmp_path):
    code = (
        "import sys, datetime as dt\n"
        "from syllabus_export.pdf import render_pdf\n"
        "from syllabus_export.expand import expand\n"
        "from syllabus_export.load import load_course, load_term\n"
        "when = dt.datetime(2020, 9, 16, tzinfo=dt.UTC)\n"
        f"term = load_term({str(TERM)!r})\n"
        "render_pdf(expand(load_course(sys.argv[1]), term), build_time=when)\n"
        "print(sorted(m for m in ('uharfbuzz', 'bidi') if m in sys.modules))\n"
    )
    latin = str(ROOT / "data" / "courses" / "dlsp20.yaml")
    arabic = str(course_in(tmp_path, "ar"))
    run = [sys.executable, "-c", code]
    assert subprocess.run([*run, latin], capture_output=True, text=True, check=True).stdout.strip() == "[]"
    assert subprocess.run([*run, arabic], capture_output=True, text=True, check=True).stdout.strip() == (
        "['bidi', 'uharfbuzz']"
    )


def test_script_runs_put_what_the_theme_lacks_in_the_script_face():
    from syllabus_export.pdf import load_theme
    from syllabus_export.pdf.scripts import script_fonts, script_runs

    theme = load_theme()
    fonts = script_fonts("ar", theme)
    name = fonts.names["regular"]
    markup = script_runs("01-2 التطور <b> (PyTorch)\nب", theme, fonts)
    assert markup == (
        f'01-2 <font name="{name}">التطور </font>&lt;b&gt; (PyTorch)<br/><font name="{name}">ب</font>'
    )
    assert script_fonts("vi", theme) is None and script_fonts("ru", theme) is None


def test_bidi_orders_a_right_to_left_line_with_a_latin_run_and_digits():
    from syllabus_export.pdf.shaping import _visual_order

    line = "אבג (PyTorch 1.4) דה"
    shown = "".join(char for _, _, char in _visual_order(line, rtl=True))
    assert shown == "הד (PyTorch 1.4) גבא"


def test_check_finds_no_missing_glyph_in_a_cjk_course_but_one_its_face_lacks(tmp_path):
    term = load_term(TERM)
    assert glyphs.missing(load_course(course_in(tmp_path, "zh")), term) == []
    path = course_in(tmp_path, "zh")
    path.write_text(path.read_text(encoding="utf-8").replace("历史及动力", "历史及动力龘"), encoding="utf-8")
    [problem] = glyphs.missing(load_course(path), term)
    assert "U+9F98" in str(problem)
