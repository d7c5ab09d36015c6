"""The printable syllabus: every fact of the bundled course in the text, links, paper, bytes, escaping, glyphs."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from babel.dates import get_day_names
from pypdf import PdfReader

from syllabus_export import model as m
from syllabus_export.errors import SyllabusError
from syllabus_export.expand import expand
from syllabus_export.load import load_course, load_term
from syllabus_export.messages import kind_label, messages, resource_labels
from syllabus_export.pdf import render_pdf

ROOT = Path(__file__).resolve().parents[1]
COURSE = ROOT / "data" / "courses" / "dlsp20.yaml"
TERM = ROOT / "data" / "terms" / "nyu-2020-spring.yaml"
BUILD = dt.datetime(2020, 9, 16, 12, 0, tzinfo=dt.UTC)
FEED = "webcal://hocsau.example.edu/dlsp20/nyu-2020-spring/calendar.ics"
A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)


def flat(text: str) -> str:
    """NFC, with every run of whitespace (line breaks of wrapped cells, no-break spaces) one space."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def bare(text: str) -> str:
    """NFC without any whitespace: for text that reportlab may break inside a long word."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def uris(data: bytes) -> Counter[str]:
    """Every URI link annotation of the document, with how many times it occurs."""
    found: Counter[str] = Counter()
    for page in PdfReader(io.BytesIO(data)).pages:
        for ref in page.get("/Annots") or []:
            annotation = ref.get_object()
            if annotation.get("/Subtype") == "/Link" and "/A" in annotation:
                action = annotation["/A"].get_object()
                if action.get("/S") == "/URI":
                    found[str(action["/URI"])] += 1
    return found


@pytest.fixture(scope="module")
def schedule():
    return expand(load_course(COURSE), load_term(TERM))


@pytest.fixture(scope="module")
def a4(schedule) -> bytes:
    return render_pdf(schedule, build_time=BUILD, subscribe_url=FEED)


@pytest.fixture(scope="module")
def text(a4) -> str:
    return flat(pdf_text(a4))


# --- the bundled course, fact by fact -------------------------------------------------------


def test_title_block_and_course_facts(schedule, text):
    course, term = schedule.course, schedule.term
    for fact in (
        course.title,
        course.code,
        course.institution.label,
        m.localized(term.name, "vi"),
        *course.instructors,
        "Người dịch: Huynh Nguyen",
        "atcold.github.io/NYU-DLSP20",
    ):
        assert flat(fact) in text, fact
    for run in course.description.runs:
        assert flat(run.text) in text, run.text
    for link in (*course.links, *course.materials):
        assert flat(link.label) in text
    assert "Mã truy cập: DLSP20" in text
    assert "Quét mã để đăng ký lịch của khóa học" in text


def test_times_and_places(text):
    assert "Bài giảng Thứ Hai 16:55–18:35 GCASL C95" in text
    assert "Thực hành Thứ Ba 19:10–20:00 GCASL C95" in text
    assert "Từ Thứ Tư 11/03/2020: Zoom" in text
    assert "Học từ Thứ Hai 27/01/2020 đến Thứ Hai 11/05/2020" in text


def test_every_meeting_row(schedule, text):
    days = get_day_names("wide", locale="vi")
    assert days[0] == "Thứ Hai"  # CLDR as it is (DECISIONS: not hand-patched)
    words = messages("vi")
    for mt in schedule.meetings:
        date = f"{days[mt.start.weekday()]} {mt.start:%d/%m/%Y}"
        times = f"{mt.start:%H:%M}–{mt.end:%H:%M}"
        row = f"{date} {times} {mt.location.name} {kind_label(schedule.course, mt.kind)}"
        assert row in text, row
        for session in mt.sessions:
            assert flat(f"{session.id} {session.title}") in text, session.title
        assert flat(" · ".join(resource_labels(mt.resources, "vi"))) in text
    assert "Thứ Hai 27/01/2020" in text
    assert words["cancelled"] not in text  # nothing is cancelled in the bundled course


def test_no_class_days_and_extras(schedule, text):
    assert "Thứ Hai 17/02/2020 Không có lớp: Ngày Tổng thống" in text
    assert "16/03/2020 – 22/03/2020 Không có lớp: Nghỉ xuân" in text
    extra = messages("vi")["extra"]
    for entry in schedule.extras:
        title = flat(f"{entry.week} {extra} Thực hành {entry.sessions[0].id} {entry.sessions[0].title}")
        assert title in text
    # in date order: the holiday between week 3 and week 4's practicum, the break before week 8
    order = [text.index(s) for s in ("11/02/2020", "17/02/2020", "18/02/2020", "10/03/2020", "Nghỉ xuân", "23/03/2020")]
    assert order == sorted(order)
    assert text.index("05/05/2020") < text.index("15-1 Suy luận")


def test_staff(schedule, text):
    for person in schedule.course.staff:
        for fact in (person.role, person.name, person.email, person.description.plain):
            assert flat(fact) in text, fact


def test_footer_on_every_page(a4):
    pages = PdfReader(io.BytesIO(a4)).pages
    for number, page in enumerate(pages, 1):
        assert f"Trang {number}/{len(pages)}" in flat(page.extract_text())
        assert "Tạo ngày 16 tháng 9, 2020" in flat(page.extract_text())


def test_every_link_is_an_annotation(schedule, a4):
    found = uris(a4)
    course = schedule.course
    wanted: Counter[str] = Counter()
    for entry in course.entries:
        for resource in entry.resources:
            wanted[resource.url] += 1
        for session in entry.sessions:
            wanted[session.url] += 1
    for person in course.staff:
        wanted[f"mailto:{person.email}"] += 1
        wanted[person.url] += 1
    for link in (*course.links, *course.materials):
        wanted[link.url] += 1
    wanted[course.institution.url] += 1
    wanted[course.site] += 1
    wanted[FEED] += 1
    wanted["https://cds.nyu.edu/academics/ms-curriculum/"] += 1  # the description's link
    missing = {url: n for url, n in wanted.items() if found[url] < n}
    assert not missing
    assert all(url.startswith(("https://", "http://", "mailto:", "webcal://")) for url in found)


def test_paper_sizes(schedule, a4):
    letter = render_pdf(schedule, build_time=BUILD, paper="letter")
    for data, size in ((a4, A4), (letter, LETTER)):
        reader = PdfReader(io.BytesIO(data))
        assert 3 <= len(reader.pages) <= 4  # the last one: the term at a glance, on a page of its own
        for page in reader.pages:
            box = page.mediabox
            assert float(box.width) == pytest.approx(size[0], abs=0.5)
            assert float(box.height) == pytest.approx(size[1], abs=0.5)
    # the course's own setting is the default
    assert schedule.course.options.paper == "a4"


def test_same_bytes_twice_whatever_the_environment(schedule, a4, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1")
    again = render_pdf(schedule, build_time=BUILD, subscribe_url=FEED)
    assert again == a4
    later = render_pdf(schedule, build_time=BUILD + dt.timedelta(days=1), subscribe_url=FEED)
    assert later != a4
    info = PdfReader(io.BytesIO(a4)).metadata
    assert info["/CreationDate"].startswith("D:20200916120000")
    assert info["/ModDate"] == info["/CreationDate"]


def test_metadata_outline_fonts_size(a4):
    reader = PdfReader(io.BytesIO(a4))
    info = reader.metadata
    assert info.title == "DS-GA 1008 HỌC SÂU — Học kỳ mùa xuân 2020"
    assert info.author == "Yann LeCun, Alfredo Canziani"
    assert "Đề cương môn học" in info.subject
    assert "dlsp20" in info["/Keywords"]
    assert reader.trailer["/Root"]["/Lang"] == "vi"
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert outline == [
        "DS-GA 1008 HỌC SÂU",
        "Thời gian và địa điểm",
        "Mô tả khóa học",
        "Liên kết",
        "Lịch học",
        "Giảng viên",
        "Tổng quan học kỳ",
    ]
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, font["/BaseFont"]  # embedded
            fonts.add(str(font["/BaseFont"]))
    assert fonts and all(re.fullmatch(r"/[A-Z]{6}\+DejaVuSans(-\w+)?", f) for f in fonts)  # subset, no Helvetica
    assert len(a4) <= 64 * 1024, len(a4)


# --- escaping and missing glyphs, with small courses of our own -------------------------------

PAYLOAD = (
    "<font color=\"[[[getattr(pow, Word('__globals__'))['os'].system('touch {marker}') for Word in "
    "[ orgTypeFun( 'Word', (str,), {{ 'mutated': 1, 'startswith': lambda self, x: 1 == 0, '__eq__': "
    "lambda self, x: self.mutated and self.mutated - 1, '__hash__': lambda self: hash(str(self)) }}) ] ] "
    "for orgTypeFun in [type(type(1))] if [True] ] and 'red'\">x</font>"
)
TERM_YAML = """\
id: mini-term
name: {en: Mini term, vi: Học kỳ nhỏ}
timezone: America/New_York
first_day: 2020-01-06
last_day: 2020-01-31
no_class:
  - date: 2020-01-22
    name: A Wednesday off
"""


def write_course(
    tmp_path: Path,
    *,
    title: str = "A small course",
    lecture: str = "Introduction",
    practicum: str = "Tensors",
    staff: str = "Ada Lovelace",
    url: str = "https://example.edu/01-1",
) -> Path:
    """A small course with the given texts (JSON strings are YAML double-quoted scalars)."""
    q = lambda s: json.dumps(s, ensure_ascii=False)  # noqa: E731
    text = f"""\
id: mini
language: en
term: mini-term
code: TEST 101
title: {q(title)}
institution: {{label: Test University, url: "https://example.edu/"}}
instructors: [Ada Lovelace]
patterns:
  lecture: {{weekday: Mon, start: 16:55, end: 18:35, location: Room 1}}
  practicum: {{weekday: Tue, start: 09:05, end: 10:00, location: Room 2}}
staff:
  - {{role: Instructor, name: {q(staff)}, email: ada@example.edu}}
weeks:
  - week: 1
    meetings:
      - kind: lecture
        sessions:
          - {{id: "01-1", title: {q(lecture)}, url: {q(url)}}}
        resources:
          - {{kind: slides, url: {q(url)}}}
      - kind: practicum
        sessions:
          - {{id: "01-3", title: {q(practicum)}}}
"""
    (tmp_path / "course.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "term.yaml").write_text(TERM_YAML, encoding="utf-8")
    return tmp_path / "course.yaml"


def build(tmp_path: Path, **texts: str) -> bytes:
    course = write_course(tmp_path, **texts)
    return render_pdf(expand(load_course(course), load_term(tmp_path / "term.yaml")), build_time=BUILD)


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_markup_in_the_data_prints_as_itself(tmp_path):
    marker = tmp_path / "pwned"
    payload = PAYLOAD.format(marker=marker)
    hostile = "<b>not bold</b> & <i>x</i> &amp; <br/> <a href='https://evil.example/'>y</a>"
    url = "https://example.edu/a?x=1&y=2"
    data = build(tmp_path, title=hostile, lecture=payload, practicum="Tom & Jerry <3", url=url)
    text = pdf_text(data)
    assert flat(hostile) in flat(text)
    assert bare(payload) in bare(text)
    assert "Tom & Jerry <3" in flat(text)
    assert not marker.exists()
    found = uris(data)
    assert found[url] >= 2  # the title's link (one per line it wraps onto) and the slides, & intact
    assert "https://evil.example/" not in found


@pytest.mark.parametrize(
    ("field", "value", "needle", "char"),
    [
        ("lecture", "Deep learning 😀", '"01-1"', "U+1F600 GRINNING FACE"),
        ("staff", "Lý 中", "role: Instructor", "U+4E2D CJK UNIFIED IDEOGRAPH-4E2D"),
        ("title", "Học sâu 学习", "title:", "U+5B66 CJK UNIFIED IDEOGRAPH-5B66"),
    ],
)
def test_a_character_the_font_lacks_is_an_error_with_its_place(tmp_path, field, value, needle, char):
    course = write_course(tmp_path, **{field: value})
    schedule = expand(load_course(course), load_term(tmp_path / "term.yaml"))
    with pytest.raises(SyllabusError) as caught:
        render_pdf(schedule, build_time=BUILD)
    message = str(caught.value)
    assert char in message
    assert f"{course}:{line_of(course, needle)}:" in message
    assert "DejaVuSans" in message


def test_cancelled_and_moved_meetings(tmp_path):
    folder = ROOT / "tests" / "fixtures" / "expand" / "overrides"
    schedule = expand(load_course(folder / "course.yaml"), load_term(folder / "term.yaml"))
    text = flat(pdf_text(render_pdf(schedule, build_time=BUILD, paper="letter")))
    assert "Practicum Cancelled 03-3 Three (practicum)" in text
    # A move said briefly beside the kind: the date cell keeps its two lines (weekday, date), then the time.
    assert "1 Wednesday 01/29/2020 4:55 – 6:35 PM GCASL C95 Lecture moved from Mon, Jan 27 01-1 One" in text  # L01
    assert "2 Monday 02/03/2020 10:00 – 11:40 AM GCASL C95 Lecture moved from 4:55 PM 02-1 Two" in text  # new time
    assert "No class: Snow day" in text


def test_user_theme_and_its_errors(tmp_path, schedule):
    (tmp_path / "pdf-theme.yaml").write_text("sizes:\n  table: 7.5\ncolors:\n  accent: '#aa0000'\n", encoding="utf-8")
    assert render_pdf(schedule, build_time=BUILD, templates=tmp_path)[:5] == b"%PDF-"
    (tmp_path / "pdf-theme.yaml").write_text("sizes:\n  table: 70\ncolours:\n  accent: red\n", encoding="utf-8")
    with pytest.raises(SyllabusError) as caught:
        render_pdf(schedule, build_time=BUILD, templates=tmp_path)
    message = str(caught.value)
    assert f"{tmp_path / 'pdf-theme.yaml'}:2:3: sizes.table must be a number from 5 to 14" in message
    assert f"{tmp_path / 'pdf-theme.yaml'}:3:1: unknown theme section 'colours'" in message


def test_bad_arguments(schedule):
    with pytest.raises(ValueError):
        render_pdf(schedule, build_time=dt.datetime(2020, 9, 16))  # naive
    with pytest.raises(ValueError):
        render_pdf(schedule, build_time=BUILD, paper="a3")
    with pytest.raises(ValueError):
        render_pdf(schedule, build_time=BUILD, subscribe_url="javascript:alert(1)")


def test_what_a_process_keeps_between_syllabi_changes_no_byte(schedule):
    """Styles, parsed paragraphs and word widths are kept per process (a catalogue build): a
    syllabus comes out the same first, after others, and after the caches were emptied."""
    from syllabus_export.pdf.caches import CACHES

    CACHES.reset()
    first = render_pdf(schedule, build_time=BUILD, paper="letter")
    english = expand(load_course(ROOT / "data" / "courses" / "dlsp20-en.yaml"), load_term(TERM))
    render_pdf(english, build_time=BUILD, subscribe_url=FEED)
    render_pdf(schedule, build_time=BUILD, subscribe_url=FEED)
    assert render_pdf(schedule, build_time=BUILD, paper="letter") == first
    CACHES.reset()
    assert render_pdf(schedule, build_time=BUILD, paper="letter") == first


def test_resetting_the_caches_empties_every_one_and_changes_no_byte(schedule):
    """``CACHES.reset()`` empties all that the renderer keeps between syllabi (each cache a build
    fills, and any added later to ``PdfCaches``), the fonts' word widths included; the next build
    gives the same bytes."""
    from reportlab.pdfbase import pdfmetrics

    from syllabus_export.pdf.caches import CACHES

    before = render_pdf(schedule, build_time=BUILD, subscribe_url=FEED)
    sizes = CACHES.sizes()
    assert set(sizes) == set(vars(CACHES)) and all(sizes.values()), sizes  # a build uses every cache
    CACHES.reset()
    assert set(CACHES.sizes().values()) == {0}
    for name, cache in vars(CACHES).items():
        inner = cache.values() if name == "widths" else [cache]
        assert not any(inner), name
    for font, widths in CACHES.widths.items():  # the dictionaries the registered fonts ask
        assert pdfmetrics.getFont(font)._widths is widths
    assert render_pdf(schedule, build_time=BUILD, subscribe_url=FEED) == before
    assert all(CACHES.sizes().values())


@pytest.mark.parametrize(
    "uri, rect, contents, key",
    [
        ("https://example.edu/a(b)c\\d?x=1&y=%C4%90", [56.7, 0.0, -0.5, 100.0], None, None),
        ("mailto:someone@example.edu", [0.1, 1.0, 10.0, 841.9], None, None),
        ("webcal://example.edu/c/t/calendar.ics", [-0.0, 123456.7, 99999.9, 0.5], None, None),
        ("https://example.edu/", [1.0, 2.0, 3.0, 4.0], "Lịch sử (và) cảm hứng \\", 7),  # tagged: described, keyed
        ("https://example.edu/", [1.0, 2.0, 3.0, 4.0], "Slides", 0),
    ],
)
def test_link_annotation_is_written_as_reportlab_writes_it(uri, rect, contents, key):
    from reportlab.pdfbase.pdfdoc import PDFDocument
    from reportlab.pdfbase.pdfdoc import format as pdf_format

    from syllabus_export.pdf import _LinkAnnotation

    link = _LinkAnnotation(uri, rect)
    link.contents, link.struct_parent = contents, key
    document = PDFDocument()
    assert link.format(document) == pdf_format(link.dictionary(), document, toplevel=1)


def test_the_file_is_objects_in_an_object_stream(a4):
    """Every object but the streams is in one compressed object stream, indexed by a cross-reference
    stream (``pdf.compact``): qpdf (through pikepdf) finds nothing wrong, and pypdf reads it."""
    import pikepdf

    assert a4.startswith(b"%PDF-1.7") and a4.count(b"/Type /ObjStm") == 1 and b"/Type /XRef" in a4
    reader = PdfReader(io.BytesIO(a4), strict=True)
    assert set(reader.xref) == {0}
    for number, offset in reader.xref[0].items():  # the streams, where the cross-reference stream says
        assert a4[offset:].startswith(b"%d 0 obj\n" % number), number
    (stream,) = {where for where, _ in reader.xref_objStm.values()}
    assert len(reader.xref_objStm) + len(reader.xref[0]) == int(reader.trailer["/Size"]) - 1
    assert reader.trailer.raw_get("/Root").idnum in reader.xref_objStm  # the catalog is packed too
    with pikepdf.open(io.BytesIO(a4)) as pdf:
        assert pdf.check_pdf_syntax() == [] and not pdf.get_warnings()
        assert len(pdf.pages) == len(reader.pages)


def test_numbers_are_written_as_fp_str():
    import random

    from reportlab.lib.rl_accel import fp_str

    from syllabus_export.pdf import _pdf_number

    rng = random.Random(8)
    values = [0.0, -0.0, 0.1, -0.1, 1.0, -1.0, 10.0, 99999.9, -99999.9, 1e5, 1e6, 0.05, 0.123]
    values += [round(rng.uniform(-1000, 1000) * rng.choice((1, 0.01)), 1) for _ in range(20000)]
    for value in values:
        assert _pdf_number(value) == fp_str(value), value
