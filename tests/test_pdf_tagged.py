"""The syllabus as a tagged PDF (PDF/UA-1): what pdfua checks, and its structure tree read back with
pikepdf: title and section headings, the schedule's header cells, a Link for every link annotation,
the rows in the order they are seen, and every piece of a page marked as content or artifact."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from syllabus_export import present
from syllabus_export.expand import expand
from syllabus_export.load import load_course, load_term
from syllabus_export.messages import messages
from syllabus_export.pdf import load_theme, render_pdf, script_problem
from syllabus_export.pdf.dates import PdfDates
from tagged_pdf import flat, parent_tree, read, ua_findings

ROOT = Path(__file__).resolve().parents[1]
COURSES = ROOT / "data" / "courses"
TERM = ROOT / "data" / "terms" / "nyu-2020-spring.yaml"
BUILD = dt.datetime(2020, 9, 16, 12, 0, tzinfo=dt.UTC)
FEED = "webcal://hocsau.example.edu/dlsp20/nyu-2020-spring/calendar.ics"
PAGE = "https://hocsau.example.edu/dlsp20/nyu-2020-spring/index.html"


def schedule_of(name: str):
    course = load_course(COURSES / name)
    return expand(course, load_term(ROOT / "data" / "terms" / f"{course.term}.yaml"))


@pytest.fixture(scope="module")
def vi():
    return schedule_of("dlsp20.yaml")


@pytest.fixture(scope="module")
def a4(vi) -> bytes:
    return render_pdf(vi, build_time=BUILD, subscribe_url=FEED)


@pytest.fixture(scope="module")
def tagged(a4):
    return read(a4)


@pytest.mark.parametrize("course", sorted(p.name for p in COURSES.glob("*.yaml")))
@pytest.mark.parametrize(("paper", "url"), [("a4", None), ("letter", FEED)])
def test_pdfua_finds_nothing_and_every_piece_is_marked(course, paper, url):
    """Every bundled course that has a PDF, on both papers (the Letter one with a base URL: the QR
    code and the link to the page)."""
    schedule = schedule_of(course)
    if script_problem(schedule.course, load_theme()) is not None:
        pytest.skip(f"{course}: no PDF for this language (the page and the feed have it)")
    data = render_pdf(schedule, build_time=BUILD, paper=paper, subscribe_url=url)
    assert not ua_findings(data)
    tagged = read(data)
    assert not tagged.unmarked  # every painting operator is in marked content or an artifact…
    assert not tagged.nested  # …and no tagged sequence is inside another sequence
    # each page's footer is an artifact (a pagination artifact: a screen reader skips it)
    pages = len(PdfReader(io.BytesIO(data)).pages)
    page_x_of_y = messages(schedule.course.language)["page_x_of_y"]
    assert all(page_x_of_y.format(page=n, pages=pages) in t for n, t in enumerate(tagged.artifact_text, 1))


def test_title_and_section_headings(vi, tagged):
    words = messages("vi")
    (title,) = tagged.root.find("H1")
    assert flat(tagged.text(title)) == vi.course.title
    assert tagged.root.kids.index(title) < 3  # at the top, after the institution's line
    headings = [flat(tagged.text(h)) for h in tagged.root.find("H2")]
    keys = ["pdf_times_places", "description", "links", "schedule", "staff", "term_glance"]
    assert headings == [words[k] for k in keys]
    assert all(h.role in ("H1", "H2", "H3") for h in tagged.root.walk() if h.role.startswith("H"))


def test_the_schedule_has_its_header_cells(tagged):
    words = messages("vi")
    schedule = tagged.root.find("Table")[2]
    head, body = schedule.kids
    assert (head.role, body.role) == ("THead", "TBody")
    (row,) = head.kids
    assert [flat(tagged.text(c)) for c in row.kids] == [
        words["week"],
        words["date"],
        f"{words['time']} {words['location']}",
        words["format"],
        words["title"],
        words["resources"],
    ]
    assert all(c.role == "TH" and str(c.attributes["Scope"]) == "/Column" for c in row.kids)
    # the staff's table too; times and places, and the links, have row headings
    staff = tagged.root.find("Table")[3]
    assert all(c.role == "TH" for c in staff.kids[0].kids[0].kids)
    kinds = [flat(tagged.text(tr.kids[0])) for tr in tagged.root.find("Table")[0].find("TR")]
    assert kinds == ["Bài giảng", "Thực hành"]
    assert all(str(tr.kids[0].attributes["Scope"]) == "/Row" for tr in tagged.root.find("Table")[0].find("TR"))


def test_the_schedule_reads_in_the_order_it_is_seen(vi, tagged):
    """The rows of the structure tree are the rows of the schedule, in date order, and on paper each
    comes after (below, or on a later page than) the one before: the visual order."""
    schedule = tagged.root.find("Table")[2]
    rows = schedule.kids[1].kids
    items = present.rows(vi)
    assert len(rows) == len(items)
    dates = PdfDates("vi")
    for row, item in zip(rows, items):
        day = item.day if isinstance(item, present.MeetingRow) else getattr(item, "period", None)
        text = flat(tagged.text(row))
        if isinstance(item, present.MeetingRow):
            assert text.startswith(f"{item.week} {dates.weekday(day.weekday())} {dates.date(day)}"), text
        elif isinstance(item, present.NoClassRow):
            assert dates.date(item.period.start) in text
    places = [tagged.place(row) for row in rows]
    assert places == sorted(places)
    assert {page for page, _ in places} == {0, 1}  # the table goes on to the second page…
    assert "Tuần" in tagged.artifact_text[1]  # …where its header row, drawn again, is an artifact


def test_every_link_annotation_is_in_one_link_element(tagged):
    annotations = [a for page in tagged.pdf.pages for a in page.get("/Annots", [])]  # the term grid's page has none
    links = tagged.root.find("Link")
    tied = [a.objgen for link in links for a in link.annotations]
    assert sorted(tied) == sorted(a.objgen for a in annotations)  # each annotation once, in a Link
    assert all(link.annotations for link in links)
    tree = parent_tree(tagged.pdf)
    for link in links:
        text = flat(tagged.text(link))
        for annotation in link.annotations:
            assert tree[int(annotation.StructParent)].objgen == link.obj.objgen
            if text:  # described by its text; the QR code (a figure) by its alternative text
                assert str(annotation.Contents) == text
            else:
                (figure,) = link.find("Figure")
                assert str(annotation.Contents) == figure.attributes["Alt"]
    assert all(page.Tabs == "/S" for page in tagged.pdf.pages if "/Annots" in page)  # PDF/UA-1 7.18.3
    assert len(links) >= 130


def test_the_qr_code_is_a_figure_with_alternative_text(tagged):
    (figure,) = tagged.root.find("Figure")
    assert FEED in figure.attributes["Alt"]
    assert len(figure.attributes["BBox"]) == 4


def test_the_accessible_web_page_is_named_near_the_top(vi, tagged):
    line = next(n for n in tagged.root.kids[:8] if PAGE.removeprefix("https://") in tagged.text(n))
    assert flat(tagged.text(line)).startswith(messages("vi")["pdf_web_version"])
    (link,) = line.find("Link")
    assert [str(a.A.URI) for a in link.annotations] == [PAGE]
    without = read(render_pdf(vi, build_time=BUILD))
    assert not any("index.html" in without.text(n) for n in without.root.kids)


def test_catalog_and_metadata(a4, tagged):
    root = tagged.pdf.Root
    assert root.MarkInfo.Marked is True
    assert root.ViewerPreferences.DisplayDocTitle is True
    assert str(root.Lang) == "vi"
    info = PdfReader(io.BytesIO(a4)).metadata
    with tagged.pdf.open_metadata() as meta:
        assert meta["pdfuaid:part"] == "1"
        assert meta["dc:title"] == info.title
        assert meta["xmp:CreateDate"] == meta["xmp:ModifyDate"] == "2020-09-16T12:00:00+00:00"
    assert a4.startswith(b"%PDF-1.7")


def test_words_the_course_language_lacks_are_marked_english(tmp_path):
    """A course in German (no catalog: its headings are English) is in German (/Lang de), and its
    English headings say so."""
    text = (COURSES / "dlsp20-en.yaml").read_text(encoding="utf-8")
    course = tmp_path / "dlsp20-de.yaml"
    course.write_text(text.replace("id: dlsp20-en", "id: dlsp20-de").replace("language: en", "language: de"))
    data = render_pdf(expand(load_course(course), load_term(TERM)), build_time=BUILD, subscribe_url=FEED)
    tagged = read(data)
    assert str(tagged.pdf.Root.Lang) == "de"
    assert tagged.root.find("Figure")[0].attributes["Lang"] == "en"  # the QR code's description
    assert [h.attributes.get("Lang") for h in tagged.root.find("H2")] == ["en"] * 6  # the term grid's too
    schedule = tagged.root.find("Table")[2]
    assert all(c.attributes.get("Lang") == "en" for c in schedule.kids[0].kids[0].kids)
    assert "Lang" not in tagged.root.find("H1")[0].attributes  # the course's own title is the course's language
    assert not ua_findings(data)


@pytest.mark.parametrize("course", ["dlsp20-bn.yaml", "dlsp20-zh.yaml"])
def test_shaped_text_reads_as_written(course):
    """A Bengali conjunct is one glyph without a character of its own, and a vowel sign is drawn before
    its consonant: the run carries /ActualText, so the title reads back as written (pdftotext reads it
    too). Right-to-left runs keep their glyphs in drawing order, which text extractors reorder
    (tests/test_scripts.py reads Arabic and Farsi back with pdftotext)."""
    schedule = schedule_of(course)
    data = render_pdf(schedule, build_time=BUILD)
    tagged = read(data)
    (title,) = tagged.root.find("H1")
    assert flat(tagged.text(title)) == schedule.course.title
    assert not tagged.unmarked and not tagged.nested
    if shutil.which("pdftotext"):  # which honours /ActualText: no private-use glyph left, the footer's included
        text = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
        assert schedule.course.title in text
        assert not any(0xE000 <= ord(c) < 0xF900 for c in text)


@pytest.fixture(scope="module")
def example():
    schedule = schedule_of("example-ml.yaml")
    data = render_pdf(schedule, build_time=BUILD, subscribe_url=FEED)
    return schedule, data, read(data)


def test_the_example_course_exams_syllabus_text_and_term_grid(example):
    """The example course (exams, deadlines, office hours, the syllabus's own text, the term grid):
    pdfua finds nothing, and the new parts are in the structure tree as what they are."""
    schedule, data, tagged = example
    assert not ua_findings(data)
    assert not tagged.unmarked and not tagged.nested
    words = messages("en")
    headings = [flat(tagged.text(h)) for h in tagged.root.find("H2")]
    sections = [section.title for section in schedule.course.syllabus]
    assert sections and all(title in headings for title in sections)
    assert words["exams_deadlines"] in headings and words["term_glance"] in headings
    # after the term-at-a-glance heading: an H3 (the month's name) and its Table, month by month
    kids = tagged.root.kids
    after = kids[kids.index(tagged.root.find("H2")[headings.index(words["term_glance"])]) + 1:]
    grid = present.term_grid(schedule)
    months = [n for n in after if n.role == "H3"]
    assert [flat(tagged.text(h)) for h in months] == [flat(m.title) for m in grid.months]
    for heading, month in zip(months, grid.months):
        table = after[after.index(heading) + 1]
        assert table.role == "Table"
        head, body = table.kids
        (row,) = head.kids
        assert [c.role for c in row.kids] == ["TH"] * 7
        assert all(str(c.attributes["Scope"]) == "/Column" for c in row.kids)
        assert len(body.kids) == len(month.weeks) and all(len(tr.kids) == 7 for tr in body.kids)
        assert {c.role for tr in body.kids for c in tr.kids} == {"TD"}
    assert any("Legend" in tagged.text(n) for n in after if n.role == "P")
    # the exams-and-deadlines table has its header row; the lists of the syllabus text are L/LI/LBody
    exams = next(t for t in tagged.root.find("Table") if words["title"] in tagged.text(t))
    assert all(c.role == "TH" for c in exams.kids[0].kids[0].kids)
    (lst,) = tagged.root.find("L")
    assert lst.kids and all([k.role for k in li.kids] == ["Lbl", "LBody"] for li in lst.kids)
    # office hours are in the staff's table
    staff = next(t for t in tagged.root.find("Table") if words["office_hours"] in tagged.text(t))
    assert staff.kids[0].kids[0].kids[0].role == "TH"
