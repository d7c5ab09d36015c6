"""The general rules the translations of the course page taught the importer (issue 16).

Each rule is tried on words or pages other than the one that showed it, so that an older
revision of a page, or another language, reads by the same rule: a weekday's plural or "every"
form and its other scripts, the table's structure against its labels (in the schedule and in the
header), and the term named in the page's language.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
import yaml

from syllabus_export import model as m
from syllabus_export.errors import Problem, SyllabusError
from syllabus_export.importer import read_page
from syllabus_export.importer.terms import season_of, season_words
from syllabus_export.importer.tokens import fold, weekday, written_script
from syllabus_export.load import load_term

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "tests" / "fixtures" / "pages"
VI = PAGES / "dlsp20-index.vi.md"
EN = PAGES / "dlsp20-index.en.md"
TERM_2020 = ROOT / "data" / "terms" / "nyu-2020-spring.yaml"
SEASONS = ROOT / "src" / "syllabus_export" / "importer" / "seasons.yaml"


def read(text: str, path: str = "page.md", **options) -> tuple[m.Course, list[Problem]]:
    notes: list[Problem] = []
    options.setdefault("term", "nyu-2020-spring")
    course = read_page(text, path, course_id="c", notes=notes, **options)
    return course, notes


def week_block(text: str, week: int) -> tuple[int, int]:
    """Where the schedule's rows of ``week`` are in the page's text."""
    start = text.index(f"WEEK {week} ")
    return start, text.index("<!-- ===", start + 1)


def relabel(text: str, week: int, old: str, new: str) -> str:
    """The page with the first format label ``old`` of ``week`` written ``new``."""
    start, end = week_block(text, week)
    return text[:start] + text[start:end].replace(f">{old}</td>", f">{new}</td>", 1) + text[end:]


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


# --- weekdays ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "day"),
    [
        ("Segundas-feiras", "pt", 0),  # the plural of a compound name: its abbreviation "seg." begins it
        ("às terças-feiras", "pt", 1),
        ("প্রতি সোমবার", "bn", 0),  # "every Monday"
        ("كل إثنين", "ar", 0),  # "every Monday", CLDR's short name
        ("كل ثلاثاء", "ar", 1),
        ("دوشنبه‌ها", "fa", 0),  # a plural suffix after a zero-width non-joiner
        ("سه‌شنبه‌ها", "fa", 1),  # holds "شنبه", Saturday: the longest name counts
        ("每周二", "zh", 1),  # "every week, Tuesday": no spaces
        ("毎週月曜日に", "ja", 0),
        ("매주 월요일", "ko", 0),
        ("les lundis", "fr", 0),
        ("Mondays", "ru", 0),  # English words on a Russian page
        ("ponedeljkom", "sr", 0),  # a case ending, in Serbian Latin
        ("Thứ Hai", "vi", 0),
    ],
)
def test_issue_weekday_in_a_plural_or_every_form(text, language, day):
    assert weekday(text, language) == day


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Thứ hia", "vi"),  # a typo: "th" (English short Thursday) inside "thứ" is no day
        ("Mondays and Tuesdays", "en"),  # two days: not one pattern's
        ("Segundas e terças", "pt"),
        ("tous les jours", "fr"),
    ],
)
def test_a_text_naming_no_day_or_two_days_is_no_weekday(text, language):
    assert weekday(text, language) is None


def test_issue_weekday_in_another_script_than_cldrs_default():
    assert (weekday("Ponedeljak", "sr"), weekday("Utorak", "sr"), weekday("понедељак", "sr")) == (0, 1, 0)
    assert written_script(["Ponedeljak", "Utorak"], "sr") == "Latn"
    assert written_script(["понедељак", "уторак"], "sr") is None  # CLDR's own script
    assert written_script(["週一"], "zh") == "Hant"  # Traditional Chinese on a zh page
    assert written_script(["周一"], "zh") is None
    assert written_script(["Mondays"], "ru") is None  # English is not a script of Russian


def test_issue_serbian_latin_page_is_a_sr_latn_course():
    course, notes = read((PAGES / "translations" / "sr.md").read_text(encoding="utf-8"))
    assert course.language == "sr-Latn"
    assert [p.weekday for p in course.patterns] == [0, 1]
    assert any("the page writes sr in the Latn script" in n.message for n in notes)


# --- the schedule's structure against its labels --------------------------------------------------


def test_issue_a_lone_session_labelled_lecture_is_a_practicum_with_a_warning():
    """The Hungarian page labels week 4's lone practicum "Előadás": following the word put the
    practicum on Presidents' Day. Here the Vietnamese page, relabelled the same way."""
    text = relabel(VI.read_text(encoding="utf-8"), 4, "Thực hành", "Bài giảng")
    course, notes = read(text)
    assert [(e.id, e.kind) for e in course.entries if e.week == 4] == [("P04", "practicum")]
    start, _ = week_block(text, 4)
    line = line_of(text[start:], ">Bài giảng</td>") + text[:start].count("\n")
    [note] = notes
    assert (note.pos.line, note.pos.column) == (line, 7)
    assert "week 4: 'Bài giảng' is the table's word for lectures, but this is one session alone" in note.message


def test_issue_shared_sessions_labelled_practicum_are_a_lecture_with_a_warning():
    """The Korean page labels week 5's two-part lecture "실습" (practicum)."""
    text = relabel(VI.read_text(encoding="utf-8"), 5, "Bài giảng", "Thực hành")
    course, notes = read(text)
    assert [(e.id, e.kind) for e in course.entries if e.week == 5] == [("L05", "lecture"), ("P05", "practicum")]
    [note] = notes
    assert "week 5: 'Thực hành' is the table's word for practica, but these 2 sessions share" in note.message


def test_a_lone_lecture_in_a_week_that_has_its_practicum_stays_a_lecture():
    """A one-part lecture: its week already has a practicum, so the label stands (no warning)."""
    text = VI.read_text(encoding="utf-8")
    start, end = week_block(text, 5)
    block = text[start:end].replace('<td rowspan="3" align="center">', '<td rowspan="2" align="center">', 1)
    block = block.replace('<td rowspan="2">Bài giảng</td>', '<td rowspan="1">Bài giảng</td>', 1)
    block = block.replace('<td rowspan="2">\n', "<td>\n", 1)
    second = block.index("<tr><td>")
    block = block[:second] + block[block.index("</tr>", second) + len("</tr>\n") :]
    course, notes = read(text[:start] + block + text[end:])
    assert [(e.id, e.kind, len(e.sessions)) for e in course.entries if e.week == 5] == [
        ("L05", "lecture", 1), ("P05", "practicum", 1)]
    assert notes == []


# --- the header table by structure, words second ----------------------------------------------------


def header_labels(text: str, first: str, second: str) -> str:
    return text.replace("| Bài giảng    | Thứ hai", f"| {first} | Thứ hai", 1).replace(
        "| Thực hành    | Thứ ba", f"| {second} | Thứ ba", 1)


def test_issue_header_time_rows_are_read_by_their_order_whatever_their_labels():
    """"DERS SAATLERİ" (lesson hours), "VEŽBE", "المحاضرات" beside "محاضرة": labels that are not the
    schedule's; the first time row times the schedule's first kind of a week, the second the next."""
    course, notes = read(header_labels(VI.read_text(encoding="utf-8"), "DERS SAATLERİ", "VEŽBE"))
    assert [(p.kind, p.weekday, f"{p.start:%H:%M}") for p in course.patterns] == [
        ("lecture", 0, "16:55"), ("practicum", 1, "19:10")]
    assert notes == []


def test_issue_header_label_against_its_order_is_a_warning_and_the_order_wins():
    text = header_labels(VI.read_text(encoding="utf-8"), "Thực hành", "Bài giảng")
    course, notes = read(text)
    assert [(p.kind, p.weekday) for p in course.patterns] == [("lecture", 0), ("practicum", 1)]
    assert [(n.pos.line, n.pos.column) for n in notes] == [(14, 3), (15, 3)]
    assert "'Thực hành' reads as the practicum meetings' label, but it is time row 1 of 2" in notes[0].message


def test_a_header_with_more_time_rows_than_kinds_is_read_by_its_labels():
    text = VI.read_text(encoding="utf-8").replace(
        "| Thực hành    | Thứ ba", "| Bài giảng | Thứ tư 16:55 – 18:35, Room 1 |\n| Thực hành    | Thứ ba", 1)
    with pytest.raises(SyllabusError, match="15:3: a second day and time for the lecture meetings"):
        read(text)


# --- the term in the page's language ---------------------------------------------------------------


@pytest.fixture(scope="module")
def terms() -> dict[str, m.Term]:
    spring = load_term(TERM_2020)
    fall = dataclasses.replace(spring, id="x-2020-fall", name={"en": "Fall 2020"},
                               first_day=dt.date(2020, 9, 2), last_day=dt.date(2020, 12, 14))
    spring_2021 = dataclasses.replace(spring, id="x-2021-spring", name={"en": "Spring 2021"},
                                      first_day=dt.date(2021, 1, 25), last_day=dt.date(2021, 5, 10))
    spring = dataclasses.replace(spring, name={"en": "Spring 2020"})  # the page's words are no term's name
    return {"spring": spring, "fall": fall, "spring 2021": spring_2021}


def with_term_name(name: str) -> str:
    return EN.read_text(encoding="utf-8").replace("· SPRING 2020 ·", f"· {name} ·", 1)


@pytest.mark.parametrize(
    ("name", "known", "expected", "how"),
    [
        ("SPRING 2020", ("spring", "fall"), "nyu-2020-spring", None),  # its name: no warning
        ("PRIMAVERA 2020", ("spring", "spring 2021"), "nyu-2020-spring", "the only term of 2020"),
        ("বসন্ত ২০২০", ("spring", "spring 2021"), "nyu-2020-spring", "the only term of 2020"),  # Bengali digits
        ("PRIMAVERA 2020", ("spring", "fall"), "nyu-2020-spring", "the spring term of 2020"),
        ("OTOÑO 2020", ("spring", "fall"), "x-2020-fall", "the fall term of 2020"),
        ("2020年度春学期", ("spring", "fall"), "nyu-2020-spring", "the spring term of 2020"),
        ("SONBAHAR 2020", ("spring", "fall"), "x-2020-fall", "the fall term of 2020"),  # holds "bahar", spring
    ],
)
def test_issue_term_named_in_the_pages_language(terms, name, known, expected, how):
    course, notes = read(with_term_name(name), term=None, known_terms=[terms[k] for k in known])
    assert course.term == expected
    term_notes = [n for n in notes if "term" in n.message]
    if how is None:
        assert term_notes == []
    else:
        [note] = term_notes
        assert how in note.message and "--term" in note.message and note.pos.line == 8


@pytest.mark.parametrize(
    ("name", "known"),
    [("PRIMAVERA 2022", ("spring", "fall")), ("SEMESTRE 2020", ("spring", "fall")), ("PRIMAVERA", ("spring",))],
)
def test_a_term_name_no_year_or_season_settles_is_a_problem(terms, name, known):
    with pytest.raises(SyllabusError, match=r":8:1: the page's term '.*' matches no term file .*--term"):
        read(with_term_name(name), term=None, known_terms=[terms[k] for k in known])


def test_season_words_name_one_season_each():
    data = yaml.safe_load(SEASONS.read_text(encoding="utf-8"))
    folded = [fold(word) for words in data.values() for word in words]
    assert sorted(data) == ["fall", "spring", "summer", "winter"]
    assert len(folded) == len(set(folded)) == len(season_words())
    for path in (ROOT / "data" / "terms").glob("*.yaml"):
        term = load_term(path)
        season = "fall" if "fall" in term.id else "spring"  # the example course's term is a fall term
        assert season_of(" ".join([term.id, *term.name.values()])) == season
