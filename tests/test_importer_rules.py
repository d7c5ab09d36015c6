"""Rules the importer shares with the rest of the tool, each kept in one home.

- A value quoted in a message is :func:`syllabus_export.errors.quoted`: an ESC in a page never
  reaches the terminal raw (the importer once printed tag names and format labels as they were,
  and crashed on a control character in the front matter).
- Which meetings are extras is :func:`syllabus_export.model.default_extra_weeks`: the importer
  marks them and ``export-page`` checks them by the same rule, so a page read and written back
  keeps its extras.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from syllabus_export import cli
from syllabus_export import model as m
from syllabus_export.errors import SyllabusError
from syllabus_export.export_page import export_table
from syllabus_export.importer import read_page

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "tests" / "fixtures" / "pages"
TERM = ROOT / "data" / "terms" / "nyu-2020-spring.yaml"


def read(page: Path, text: str | None = None) -> m.Course:
    text = page.read_text(encoding="utf-8") if text is None else text
    return read_page(text, str(page), course_id="dlsp20", term="nyu-2020-spring")


def table_of(page_text: str) -> tuple[int, int]:
    return page_text.index("<table>"), page_text.index("</table>") + len("</table>\n")


# --- an ESC in a page ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # YAML refuses the character before it has a mark: the old importer crashed (ReaderError).
        ("esc-front-matter.md", ["3:11: front matter: the character '\\x1b' is not allowed"]),
        # html.parser keeps the ESC in the tag's name.
        ("esc-schedule-tag.md", ["41:23: unexpected <b\\x1b> in the schedule table"]),
        (
            "esc-rows.md",
            [
                "14:18: cannot read the weekday 'Thứ\\x1bhai'",
                # another row's problem names this format label
                "50:7: the schedule has practicum meetings ('Thực\\x1bhành') but the header table gives no day",
                "341:192: unexpected <b\\x1b> in the table",
            ],
        ),
    ],
)
def test_issue_esc_in_a_page_is_escaped_in_every_message(name, expected, capsys):
    page = PAGES / name
    assert "\x1b" in page.read_text(encoding="utf-8")
    status = cli.main(["import", "--id", "c", "--term", str(TERM), str(page)])
    err = capsys.readouterr().err
    assert status == 2
    assert "\x1b" not in err
    lines = err.splitlines()
    for message in expected:
        assert any(line.startswith(f"{page}:{message}") for line in lines), (message, lines)
    assert sum("\\x1b" in line for line in lines) == len(expected)


# --- extras ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "extra_weeks"),
    [
        ("dlsp20-index.vi.md", {15}),  # the last lecture is in week 14: week 15's practica are extras
        ("practica-only.en.md", set()),  # no lecture at all: nothing comes after it, no extra
    ],
)
def test_importer_and_export_page_agree_on_extras(name, extra_weeks):
    page = PAGES / name
    text = page.read_text(encoding="utf-8")
    course = read(page)
    assert {e.week for e in course.extras} == extra_weeks
    assert m.default_extra_weeks(course.entries) == extra_weeks

    # The table export-page writes reads back with the same extras ...
    start, end = table_of(text)
    again = read(page, text[:start] + export_table(course) + text[end:])
    assert [(e.id, e.extra) for e in again.entries] == [(e.id, e.extra) for e in course.entries]
    # ... and export-page refuses any other choice of extras, for every week.
    for week in sorted({e.week for e in course.entries}):
        flipped = tuple(dataclasses.replace(e, extra=not e.extra) if e.week == week else e for e in course.entries)
        with pytest.raises(SyllabusError, match="marks as extras exactly the meetings after the last week"):
            export_table(dataclasses.replace(course, entries=flipped))


def test_practica_only_page_is_its_own_export():
    """The no-lecture fixture is written as the site writes a table, so it is a fair test of the rule."""
    text = (PAGES / "practica-only.en.md").read_text(encoding="utf-8")
    start, end = table_of(text)
    assert export_table(read(PAGES / "practica-only.en.md")) == text[start:end]


def test_without_a_lecture_export_page_says_no_meeting_is_an_extra():
    course = read(PAGES / "practica-only.en.md")
    last = dataclasses.replace(course.entries[-1], extra=True)
    with pytest.raises(SyllabusError, match=r"\(the course has no lecture, so none is an extra\)"):
        export_table(dataclasses.replace(course, entries=(*course.entries[:-1], last)))


def test_extras_rule_on_model_entries():
    def entry(kind: str, week: int) -> m.Entry:
        return m.Entry(id=f"{kind}{week}", kind=kind, week=week, sessions=())

    assert m.default_extra_weeks([entry("lecture", 13), entry("practicum", 14), entry("practicum", 15)]) == {14, 15}
    assert m.default_extra_weeks([entry("practicum", 14), entry("lecture", 14), entry("practicum", 15)]) == {15}
    assert m.default_extra_weeks([entry("practicum", 14), entry("practicum", 15)]) == set()
    assert m.default_extra_weeks([]) == set()
    assert m.last_lecture_week([entry("lecture", 3), entry("lecture", 14), entry("practicum", 15)]) == 14
    assert m.last_lecture_week([entry("practicum", 15)]) is None
