"""Issue 9: import a course page, export its schedule table; the round trip keeps every fact.

The Vietnamese page imports into exactly the facts of the hand-made ``data/courses/dlsp20.yaml``
(same model, field by field). The intended differences are in the text of the file only: the
comment at its top, and where the description's folded lines break.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from syllabus_export import model as m
from syllabus_export.errors import SyllabusError
from syllabus_export.expand import expand
from syllabus_export.export_page import circled, export_table
from syllabus_export.importer import ascii_digits, dump_course, import_file, import_page, read_page, split_table_row
from syllabus_export.load import load_course, load_term

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "tests" / "fixtures" / "pages"
VI = PAGES / "dlsp20-index.vi.md"
EN = PAGES / "dlsp20-index.en.md"
HAND_MADE = ROOT / "data" / "courses" / "dlsp20.yaml"
TERM_2020 = ROOT / "data" / "terms" / "nyu-2020-spring.yaml"
TERM_2021 = ROOT / "data" / "terms" / "nyu-2021-spring.yaml"
SITE = "https://atcold.github.io/NYU-DLSP20/"


def differences(a: m.Course, b: m.Course) -> list[str]:
    """Facts that differ (positions and the file's path are not facts), naming the first item."""
    found = []
    for f in dataclasses.fields(m.Course):
        if f.name == "path" or not f.compare:
            continue
        x, y = getattr(a, f.name), getattr(b, f.name)
        if x == y:
            continue
        if isinstance(x, tuple) and isinstance(y, tuple):
            if len(x) != len(y):
                found.append(f"{f.name}: {len(x)} items vs {len(y)}")
            else:
                i = next(i for i, (p, q) in enumerate(zip(x, y)) if p != q)
                found.append(f"{f.name}[{i}]: {x[i]!r} vs {y[i]!r}")
        else:
            found.append(f"{f.name}: {x!r} vs {y!r}")
    return found


def read(path: Path, **options) -> m.Course:
    options.setdefault("course_id", "dlsp20")
    options.setdefault("term", "nyu-2020-spring")
    return read_page(path.read_text(encoding="utf-8"), str(path), **options)


def imported(path: Path, tmp_path: Path, **options) -> m.Course:
    """The page through the whole pipeline: page → YAML text → a file → the loader."""
    options.setdefault("course_id", "dlsp20")
    options.setdefault("term", "nyu-2020-spring")
    text = import_page(path.read_text(encoding="utf-8"), str(path), **options)
    out = tmp_path / f"{options['course_id']}.yaml"
    out.write_text(text, encoding="utf-8")
    return load_course(out)


def with_table(page: str, table: str) -> str:
    start = page.index("<table>")
    end = page.index("</table>") + len("</table>\n")
    return page[:start] + table + page[end:]


def problems(path: Path, **options) -> list[tuple[int, int, str]]:
    with pytest.raises(SyllabusError) as caught:
        read(path, **options)
    return [(p.pos.line, p.pos.column, p.message) for p in caught.value.problems]


# --- the bundled pages -----------------------------------------------------------------------


def test_vietnamese_page_gives_the_hand_made_course(tmp_path):
    hand_made = load_course(HAND_MADE)
    assert differences(imported(VI, tmp_path), hand_made) == []
    assert differences(read(VI), hand_made) == []


def test_vietnamese_page_facts_spelled_out():
    course = read(VI)
    assert (course.language, course.code, course.title) == ("vi", "DS-GA 1008", "HỌC SÂU")
    assert course.translation == m.Translation(translator="Huynh Nguyen", date=m.dt.date(2020, 9, 16))
    assert course.links == (
        m.Link(label="PIAZZA", url="https://piazza.com/nyu/spring2020/dsga1008/home", access_code="DLSP20"),
    )
    lecture = course.pattern("lecture")
    assert (lecture.weekday, f"{lecture.start:%H:%M}", f"{lecture.end:%H:%M}") == (0, "16:55", "18:35")
    assert [e.id for e in course.entries if e.week in (4, 15)] == ["P04", "X15-1", "X15-2"]
    assert [e.extra for e in course.entries].count(True) == 2
    # The page's "Week01" and "week15" spellings are kept; {{site.baseurl}} and ../ are resolved.
    assert course.weeks[0].url == SITE + "vi/Week01/01"
    assert course.weeks[-1].url == SITE + "vi/week15/15"
    assert course.staff[2].photo == SITE + "images/Mark.png"
    assert course.staff[0].description.plain == (
        "Giáo sư chính khoa Khoa học máy tính, NYU\nvà giành được giải thưởng Turing Award (2018)"
    )
    # Whitespace around a title is not content.
    assert course.entries[3].sessions[0].title == "Huấn luyện mạng lưới thần kinh (Neural Networks)"


def test_english_page_imports_and_checks_with_the_2020_term(tmp_path):
    course = imported(EN, tmp_path, course_id="dlsp20-en")
    schedule = expand(course, load_term(TERM_2020))
    assert len(schedule.meetings) == 27
    assert [e.id for e in schedule.extras] == ["X15-1", "X15-2"]
    # No 'lang' in its front matter: the language is the folder its links point into.
    assert course.language == "en"
    assert course.translation is None
    # The English page is the site's root page: "en/week01/01" and "images/Yann.png" hang off the site.
    assert course.weeks[0].url == SITE + "en/week01/01"
    assert course.staff[0].photo == SITE + "images/Yann.png"
    assert [(link.label, link.text, link.url) for link in course.links] == [
        ("FORUM", "r/NYU_DeepLearning", "https://www.reddit.com/r/NYU_DeepLearning/"),
        ("DISCORD", "NYU DL", "https://discord.gg/CthuqsX8Pb"),
    ]
    assert [link.label for link in course.materials] == ["Google Drive", "Notebooks"]
    link = "[DS-GA 1001 Intro to Data Science](https://cds.nyu.edu/academics/ms-curriculum/)"
    assert link in course.description.markdown
    # Same schedule as the Vietnamese page, in other words.
    vi = read(VI)
    shape = [(e.id, e.kind, e.week, e.extra, [s.id for s in e.sessions], e.resources) for e in course.entries]
    assert shape == [(e.id, e.kind, e.week, e.extra, [s.id for s in e.sessions], e.resources) for e in vi.entries]
    assert [(p.kind, p.weekday, p.start, p.end, p.location) for p in course.patterns] == [
        (p.kind, p.weekday, p.start, p.end, p.location) for p in vi.patterns
    ]


def test_term_is_found_by_its_name_in_the_term_files():
    terms = [load_term(TERM_2020), load_term(TERM_2021)]
    assert read(VI, term=None, known_terms=terms).term == "nyu-2020-spring"  # "Học kỳ mùa xuân 2020"
    assert read(EN, term=None, known_terms=terms).term == "nyu-2020-spring"  # "SPRING 2020"
    [(line, column, message)] = problems(EN, term=None, known_terms=[load_term(TERM_2021)])
    assert (line, column) == (8, 1)
    assert "'SPRING 2020' matches no term file" in message and "--term" in message


# --- round trips -----------------------------------------------------------------------------


@pytest.mark.parametrize("page", [VI, EN], ids=["vi", "en"])
def test_import_export_import_keeps_every_fact(page):
    first = read(page)
    text = with_table(page.read_text(encoding="utf-8"), export_table(first))
    again = read_page(text, str(page), course_id="dlsp20", term="nyu-2020-spring")
    assert differences(again, first) == []


@pytest.mark.parametrize("page", [VI, EN], ids=["vi", "en"])
def test_course_file_text_reads_back_as_the_same_course(page, tmp_path):
    course = read(page)
    out = tmp_path / "course.yaml"
    out.write_text(dump_course(course), encoding="utf-8")
    assert differences(load_course(out), course) == []


def test_hand_made_course_exported_and_imported_again_is_unchanged():
    hand_made = load_course(HAND_MADE)
    text = with_table(VI.read_text(encoding="utf-8"), export_table(hand_made))
    assert differences(read_page(text, "page.md", course_id="dlsp20", term="nyu-2020-spring"), hand_made) == []


def test_exported_table_is_the_sites_own():
    """The hand-made course gives back the Vietnamese page's table, line for line, except where the
    page is inconsistent: some 🖥 lack U+FE0F, and one title has a space before it."""
    page = VI.read_text(encoding="utf-8")
    theirs = page[page.index("<table>") : page.index("</table>") + len("</table>\n")].split("\n")
    ours = export_table(load_course(HAND_MADE)).split("\n")
    assert len(ours) == len(theirs)
    differing = [(a, b) for a, b in zip(theirs, ours) if a != b]
    assert [(a.replace("\U0001f5a5", "\U0001f5a5\ufe0f").replace('"> ', '">'), b) for a, b in differing] == [
        (b, b) for _, b in differing
    ]
    assert len(differing) == 3


def test_export_refuses_what_the_table_cannot_say():
    course = load_course(HAND_MADE)
    entries = list(course.entries)
    entries[3] = dataclasses.replace(entries[3], extra=True)  # week 2's practicum, before the last lecture
    with pytest.raises(SyllabusError, match="P02: the site's table marks as extras"):
        export_table(dataclasses.replace(course, entries=tuple(entries)))


# --- what translations do to the page --------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "vi-16h55.md",  # 16h55 — 18h35, 19.10-20.00, "Thứ Hai" / "thứ ba"
        "vi-other-digits.md",  # Arabic-Indic, full-width and Persian digits, "Thứ 3"
        "vi-no-fe0f.md",  # 🖥 never followed by U+FE0F
        "vi-stray-english.md",  # "Lecture", "Practicum" in the table; "PRACTICA | Tuesdays" in the header
    ],
)
def test_variations_give_the_same_facts(name):
    assert differences(read(PAGES / name), load_course(HAND_MADE)) == []


def test_a_broken_row_is_an_error_at_its_line():
    [(line, column, message)] = problems(PAGES / "vi-broken-row.md")
    assert (line, column) == (141, 5)
    assert "3 cells" in message and "expected 4" in message


def test_every_typo_is_reported_at_its_place():
    found = problems(PAGES / "vi-typos.md")
    assert [(line, column) for line, column, _ in found] == [(14, 18), (131, 7), (151, 1)]
    assert "cannot read the weekday 'Thứ hia'" in found[0][2] and "Thứ Hai" in found[0][2]
    assert "cannot read the week number '⑥a'" in found[1][2]
    assert "the comment says week 8 but the week cell below says 7" in found[2][2]


def test_extra_weeks_can_be_named(tmp_path):
    course = read(VI, extra_weeks=())
    assert not any(e.extra for e in course.entries)
    assert [e.id for e in course.entries if e.week == 15] == ["P15", "P15-2"]
    out = tmp_path / "course.yaml"
    out.write_text(dump_course(course), encoding="utf-8")
    assert differences(load_course(out), course) == []


def test_page_without_front_matter():
    text = VI.read_text(encoding="utf-8").split("---\n", 2)[2]
    with pytest.raises(SyllabusError, match=r"^x\.md:1:1: expected Jekyll front matter"):
        read_page(text, "x.md", term="t")


# --- pieces ----------------------------------------------------------------------------------


def test_digits_and_circled_numbers():
    assert ascii_digits("\u0661\u0666:\u0665\u0665 \u06f2\u06f0 \uff11\uff19\uff1a\uff11\uff10") == "16:55 20 19:10"
    assert [circled(n) for n in (1, 15, 20, 21, 35, 36, 50, 51)] == ["①", "⑮", "⑳", "㉑", "㉟", "㊱", "㊿", "51"]


def test_table_row_cells_keep_links_whole():
    row = "| [a|b](https://x.org/(c)) | `x|y` | <a href=\"u\">t</a> |"
    assert [text for _, text in split_table_row(row)] == ["[a|b](https://x.org/(c))", "`x|y`", '<a href="u">t</a>']
    assert [column for column, _ in split_table_row(row)] == [3, 30, 38]


def test_a_page_that_is_not_utf8_is_refused_at_the_byte(tmp_path):
    page = tmp_path / "page.md"
    page.write_bytes(VI.read_bytes().replace("HỌC".encode(), b"H\xd3C"))  # "title: HỌC SÂU" in Latin-1
    with pytest.raises(SyllabusError, match=r"page\.md:3:9: byte 0x.. is not UTF-8"):
        import_file(page, term="nyu-2020-spring")
