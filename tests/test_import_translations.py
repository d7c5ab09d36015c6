"""Issue 16: every translation of the course page imports, builds, and keeps every fact of its page.

The fourteen pages (``tests/fixtures/pages/translations/<lang>.md``, the course site's current
translations beside the Vietnamese and English pages) are each imported, loaded, dated and
rendered once per module (the feed, the page, the PDF where its script can be drawn), the way
``build`` does. Each fact of the page is then looked for in the outputs, the facts read from the
page independently of the importer (its HTML links and cells, by pattern); the dates are
compared with the hand-made Vietnamese course, whose schedule is the same.
"""

from __future__ import annotations

import html
import io
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import icalendar
import pytest
from pypdf import PdfReader

from syllabus_export.errors import Problem
from syllabus_export.expand import Schedule, expand
from syllabus_export.export_page import export_table
from syllabus_export.importer import import_page, read_page
from syllabus_export.listing import meeting_record
from syllabus_export.load import load_course, load_term
from syllabus_export.pipeline import Settings, render

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "tests" / "fixtures" / "pages" / "translations"
TERMS = sorted((ROOT / "data" / "terms").glob("*.yaml"))
TERM_2020 = ROOT / "data" / "terms" / "nyu-2020-spring.yaml"
VIETNAMESE = ROOT / "data" / "courses" / "dlsp20.yaml"
SITE = "https://atcold.github.io/NYU-DLSP20/"
LANGUAGES = ("ar", "bn", "es", "fa", "fr", "hu", "it", "ja", "ko", "pt", "ru", "sr", "tr", "zh")
NO_PDF: set[str] = set()  # every translation prints (Arabic, Farsi, Bengali shaped; CJK with the bundled faces)
# Read back from the PDF as drawn, not compared here: Bengali (a vowel sign before its consonant; README,
# Scripts); Arabic and Farsi titles that mix in Latin runs or wrap (tests/test_scripts.py reads plain ones back)
PDF_TEXT_AS_DRAWN = {"ar", "bn", "fa"}
RESOURCE_SYMBOLS = ("\U0001f5a5", "\U0001f4d3", "\U0001f3a5")

# How each page is read where it does not say plainly: (line, column, words of the warning).
WARNINGS = {
    "es": [(135, 9, "an empty link (no symbol, no address)"), (151, 9, "an empty link (no symbol, no address)")],
    "fa": [(14, 31, "'18:3' has one digit for the minutes: read as 18:03")],
    "fr": [(12, 1, "the page's term 'PRINTEMPS 2020' is no term file's name; read as nyu-2020-spring")],
    "hu": [(102, 7, "week 4: 'Előadás' is the table's word for lectures, but this is one session alone")],
    "ko": [(112, 7, "week 5: '실습' is the table's word for practica, but these 2 sessions share one resources cell")],
    "sr": [(12, 1, "the page writes sr in the Latn script")],
    "tr": [(187, 89, "'/a>' is a link's end tag without its '<': read as </a>")],
    "zh": [(23, 14, "is in parentheses; read as https://github.com/Atcold/pytorch-Deep-Learning")],
}


def flat(text: str) -> str:
    """Text compared as shown: NFC, entities decoded, runs of white space as one space."""
    return " ".join(unicodedata.normalize("NFC", html.unescape(text)).replace("\u00a0", " ").split())


def squeezed(text: str) -> str:
    """Text without any white space (a PDF breaks lines where it likes)."""
    return "".join(flat(text).split())


@dataclass
class Built:
    language: str
    page: str  # the page's Markdown
    yaml: str  # the course file the importer wrote
    notes: list[Problem]
    schedule: Schedule
    files: dict[str, bytes]
    build_notes: list[Problem]

    @property
    def html(self) -> str:
        return self.files["index.html"].decode()

    @property
    def html_text(self) -> str:
        return flat(re.sub(r"<[^>]+>", " ", self.html))

    @property
    def records(self) -> list[dict]:
        course = self.schedule.course
        return [meeting_record(mt, course.language, course.resource_labels) for mt in self.schedule.meetings]

    @property
    def feed_text(self) -> str:
        """Every event's SUMMARY and DESCRIPTION, unfolded and unescaped."""
        calendar = icalendar.Calendar.from_ical(self.files["calendar.ics"])
        return flat(" ".join(f"{e.get('SUMMARY')} {e.get('DESCRIPTION')}" for e in calendar.walk("VEVENT")))

    @property
    def pdf_text(self) -> str:
        reader = PdfReader(io.BytesIO(self.files["syllabus.pdf"]))
        return squeezed("".join(page.extract_text() for page in reader.pages))


@pytest.fixture(scope="module", params=LANGUAGES)
def built(request, tmp_path_factory) -> Built:
    """One language's page imported as ``build`` would have it: once per module."""
    language = request.param
    path = PAGES / f"{language}.md"
    page = path.read_text(encoding="utf-8")
    notes: list[Problem] = []
    terms = [load_term(p) for p in TERMS]
    text = import_page(page, f"tests/fixtures/pages/translations/{language}.md", course_id=f"dlsp20-{language}",
                       known_terms=terms, notes=notes)
    course_file = tmp_path_factory.mktemp(language) / f"dlsp20-{language}.yaml"
    course_file.write_text(text, encoding="utf-8")
    schedule = expand(load_course(course_file), load_term(TERM_2020))
    build_notes: list[Problem] = []
    files = render(schedule, Settings(out=str(tmp_path_factory.mktemp("out"))), None, notes=build_notes)
    return Built(language, page, text, notes, schedule, files, build_notes)


@pytest.fixture(scope="module")
def vietnamese() -> dict[str, dict]:
    schedule = expand(load_course(VIETNAMESE), load_term(TERM_2020))
    return {r["id"]: r for r in (meeting_record(mt, "vi") for mt in schedule.meetings)}


# --- what the page says, read from it directly ---------------------------------------------------


def visible(page: str) -> str:
    """The page without its HTML comments (what the site shows)."""
    return re.sub(r"<!--.*?-->", "", page, flags=re.DOTALL)


def schedule_table(page: str) -> str:
    page = visible(page)
    return page[page.index("<table>") : page.index("</table>")]


def page_sessions(page: str) -> list[tuple[str, str]]:
    """(session id, title as shown) of every title cell: ``<td><a href="…/01-1">Title</a></td>``."""
    found = []
    table = re.sub(r"(?<!<)/a>", "</a>", schedule_table(page))  # the Turkish page's "eğitimi/a>"
    for href, inside, after in re.findall(r"<td>\s*<a href=\"([^\"]*)\">(.*?)</a>(.*?)</td>", table, re.DOTALL):
        if re.search(r"[0-9]{2}-[0-9]+$", href):
            found.append((href.rsplit("/", 1)[1], flat(re.sub(r"<[^>]+>", "", inside + after))))
    return found


def page_resources(page: str) -> set[str]:
    """The addresses of the schedule's resource links (a symbol as their text)."""
    links = re.findall(r"<a href=\"([^\"]*)\">\s*([^<]*?)\s*</a>", schedule_table(page))
    return {href for href, text in links if text.replace("\ufe0f", "") in RESOURCE_SYMBOLS}


def head_links(page: str) -> list[str]:
    """Every address above the schedule (header line and table, description), inline or through a
    reference definition (its address in parentheses or not)."""
    page = visible(page)
    refs = {k.casefold(): v for k, v in re.findall(r"^\[([^\]]+)\]:\s*\(?(\S+?)\)?\s*$", page, re.MULTILINE)}
    head = "\n".join(line for line in page[: page.index("<table>")].split("\n") if not re.match(r"\[[^\]]+\]:", line))
    head = head[head.index("\n---", 1) + 4 :]  # after the front matter
    found = re.findall(r"\]\((https?://[^)\s]+)\)", head)
    found += [refs[label.casefold()] for label in re.findall(r"\[([^\]]+)\](?!\()", head) if label.casefold() in refs]
    return found


def staff_rows(page: str) -> int:
    """How many people the staff table lists: its Markdown rows after the separator, or its HTML body rows."""
    page = visible(page)
    tail = page[page.index("</table>") + len("</table>") :]
    if "<td" in tail:
        return len(re.findall(r"<tr>\s*<td", tail))
    rows = [line for line in tail.split("\n") if line.startswith("|")]
    return len(rows) - 2


def staff_emails(page: str) -> list[str]:
    page = visible(page)
    tail = page[page.index("</table>") :]
    return re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", tail)


# --- every page imports and builds ----------------------------------------------------------------


def readable(text: str) -> str:
    """Text as a reader compares it: NFKC, without invisible format characters (ZWNJ, direction marks)."""
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKC", text) if unicodedata.category(c) != "Cf")


def test_page_imports_builds_and_warns_only_where_it_does_not_say_plainly(built):
    expected = WARNINGS.get(built.language, [])
    assert [(n.pos.line, n.pos.column) for n in built.notes] == [(line, column) for line, column, _ in expected]
    for note, (_, _, words) in zip(built.notes, expected):
        assert words in note.message
    assert {"calendar.ics", "index.html"} <= set(built.files)
    if built.language in NO_PDF:
        [refusal] = built.build_notes
        assert "syllabus.pdf" not in built.files and refusal.message.endswith("built without syllabus.pdf")
    else:
        assert "syllabus.pdf" in built.files and built.build_notes == []


def test_the_course_file_is_the_one_in_data(built):
    """``data/courses/dlsp20-<lang>.yaml`` is the importer's output, as the README's command makes it."""
    assert (ROOT / "data" / "courses" / f"dlsp20-{built.language}.yaml").read_text(encoding="utf-8") == built.yaml


def test_every_session_is_in_the_outputs(built):
    sessions = page_sessions(built.page)
    assert sessions, "the page's title cells"
    listed = {sid: title for r in built.records for sid, title in zip(r["sessions"], r["titles"])}
    extras = {s.id for e in built.schedule.extras for s in e.sessions}
    assert len(listed) + len(extras) == len(sessions)
    feed, page = built.feed_text, built.html_text
    for sid, title in sessions:
        assert title in page, (sid, title)
        if sid in extras:
            continue
        assert listed[sid] == title
        assert title in feed, (sid, title)
    if built.language not in NO_PDF | PDF_TEXT_AS_DRAWN:
        text = readable(built.pdf_text)  # Arabic as presentation forms: the same letters after NFKC
        assert all(readable(squeezed(title)) in text for _, title in sessions)


def test_every_resource_is_in_the_outputs(built):
    resources = page_resources(built.page)
    listed = {res["url"] for r in built.records for res in r["resources"]}
    extras = {res.url for e in built.schedule.extras for res in e.resources}
    assert listed | extras == resources
    feed, page = built.feed_text, html.unescape(built.html)
    assert all(url in feed for url in listed)
    assert all(f'href="{url}"' in page for url in resources)


def test_meetings_fall_on_the_vietnamese_courses_dates(built, vietnamese):
    """Same schedule, same dates: every meeting the page shares with the Vietnamese one (by id and
    sessions) starts and ends when it does (Farsi's "18:3" aside). No meeting lands on a no-class day:
    the Hungarian "Előadás" of week 4 is a practicum on Tuesday, not a lecture on Presidents' Day."""
    records = built.records
    assert records
    for r in records:
        vi = vietnamese[r["id"]]
        assert r["sessions"] == vi["sessions"] and r["kind"] == vi["kind"] and r["week"] == vi["week"]
        assert r["start"] == vi["start"]
        if built.language == "fa" and r["kind"] == "lecture":  # the page says "16:55 – 18:3"
            assert r["end"][11:16] == "18:03"
        else:
            assert r["end"] == vi["end"]
        assert r["location"] == "GCASL C95" or r["start"] >= "2020-03-11"


def test_header_and_staff_are_in_the_page(built):
    course, page = built.schedule.course, built.html_text
    raw = html.unescape(built.html)
    assert course.title in page and course.code in page
    assert [name for name in course.instructors] == ["얀 르쿤", "알프래도 캔지아니"] if built.language == "ko" else [
        "Yann Le Cun" if built.language == "fr" else "Yann LeCun", "Alfredo Canziani"]
    assert all(name in page for name in course.instructors)
    links = head_links(built.page)
    assert "http://cds.nyu.edu/" in links and "https://bitly.com/DLSP20" in links
    for url in links:
        assert f'href="{url}"' in raw, url
    emails = staff_emails(built.page)
    assert emails and all(email in raw for email in emails)
    assert len(course.staff) == staff_rows(built.page)
    assert all(person.name in page and person.role in page for person in course.staff)


def test_the_pages_own_words_are_the_outputs_words(built):
    """The page's words for lecture and practicum (its table) and the resource kinds (its legend)."""
    course = built.schedule.course
    shown = json.dumps(built.records, ensure_ascii=False)
    for pattern in course.patterns:
        if pattern.label:
            assert pattern.label in built.feed_text and pattern.label in built.html_text
    for kind, word in course.resource_labels.items():
        assert word in shown and word in built.feed_text, (kind, word)


def test_the_exported_table_reads_back_as_the_same_schedule(built):
    """``export-page`` writes the table in the site's format with the page's own labels; read again
    in place of the page's table, it gives the same weeks and meetings, without the warnings the
    page's own table needed (its labels now agree with its structure)."""
    course = built.schedule.course
    start, end = built.page.index("<table>"), built.page.index("</table>") + len("</table>")
    again = read_page(built.page[:start] + export_table(course).rstrip("\n") + built.page[end:], "page.md",
                      course_id=course.id, term=course.term)
    assert again.entries == course.entries and again.weeks == course.weeks
    assert again.patterns == course.patterns
