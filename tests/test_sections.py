"""Issue 13: a kind that meets on several days a week or in sections, meetings placed in order,
a section's own feed, and a rollover that says what it carried over.

The course files are in ``tests/fixtures/sections/courses/`` (their first lines say what each
tries), their terms in ``tests/fixtures/sections/terms/``, where a course file's default term is
looked for (``<course folder>/../terms/<id>.yaml``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from icalendar import Calendar

from conftest import run_cli
from syllabus_export import present
from syllabus_export.errors import SyllabusError
from syllabus_export.expand import Schedule, expand
from syllabus_export.feed import render_feeds
from syllabus_export.load import load_course, load_term
from syllabus_export.page import render_page

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path("tests/fixtures/sections")
CS101 = FIXTURES / "courses" / "cs101.yaml"  # lectures Tue/Thu, a lab in two sections, placed in order
SPRING_2021 = FIXTURES / "terms" / "nyu-2021-spring.yaml"
SPRING_2020 = FIXTURES / "terms" / "nyu-2020-spring.yaml"
BUILT = dt.datetime(2021, 1, 10, 12, tzinfo=dt.UTC)


pytestmark = pytest.mark.usefixtures("in_repository")


def schedule(course: str | Path, term: str | Path | None = None) -> Schedule:
    loaded = load_course(course)
    path = term or Path(course).parent.parent / "terms" / f"{loaded.term}.yaml"
    return expand(loaded, load_term(path))


def seen(s: Schedule) -> list[tuple[str, str, str]]:
    """Each meeting as a student reads it: id, local date and start."""
    return [(mt.id, mt.start.date().isoformat(), f"{mt.start:%H:%M}") for mt in s.meetings]


def uids(feed: bytes) -> list[str]:
    return [str(e["UID"]) for e in Calendar.from_ical(feed).walk("VEVENT")]


def run(*argv: str | Path) -> tuple[int, str, str]:
    return run_cli([str(a) for a in argv])


# --- shapes of the course file --------------------------------------------------------------


def test_todays_one_mapping_form_is_one_slot_and_a_list_of_one_is_the_same_course(tmp_path):
    text = (ROOT / "tests/fixtures/good/course.yaml").read_text(encoding="utf-8")
    as_list = text.replace(
        "  lecture:\n    weekday: Mon\n    start: 16:55\n    end: 18:35\n"
        '    location: {name: Room 1, url: "https://example.edu/room-1"}\n',
        '  lecture:\n    - {weekday: Mon, start: 16:55, end: 18:35, location: {name: Room 1, url: "https://example.edu/room-1"}}\n',
    )
    assert as_list != text
    (tmp_path / "course.yaml").write_text(as_list, encoding="utf-8")
    term = load_term("tests/fixtures/good/term.yaml")
    today, listed = expand(load_course("tests/fixtures/good/course.yaml"), term), expand(
        load_course(tmp_path / "course.yaml"), term)
    assert today.course.pattern("lecture").slots == ()  # the one-mapping form keeps its model
    assert [dataclasses.replace(mt, pos=None) for mt in today.meetings] == [
        dataclasses.replace(mt, pos=None) for mt in listed.meetings]


def test_a_kind_may_meet_on_several_days_and_in_sections():
    course = load_course(CS101)
    lecture, lab = course.pattern("lecture"), course.pattern("lab")
    assert [(s.weekday, s.start) for s in lecture.weekly] == [(1, dt.time(14)), (3, dt.time(14))]
    assert lecture.sections == ()
    assert [(s.section, s.label, s.location.name, s.start) for s in lab.sections] == [
        ("a", "Section A", "Lab 1", dt.time(10)),
        ("b", "Section B", "Lab 2", dt.time(13)),
    ]
    assert course.placement == "in-order"
    assert course.sectioned == (lab,)


# --- placed in order ------------------------------------------------------------------------


def test_in_order_each_meeting_takes_its_kinds_next_class_slot():
    s = schedule(FIXTURES / "courses" / "in-order.yaml")
    # Lectures Mon/Wed: Mon 02-15 is a holiday, Thu 02-18 follows a Monday schedule (a Monday slot).
    # Seminar section a meets on Tuesdays, section b on Thursdays (02-18 is no Thursday).
    assert seen(s) == [
        ("L01", "2021-02-08", "09:30"),
        ("S01-a", "2021-02-09", "15:00"),
        ("L02", "2021-02-10", "09:30"),
        ("S01-b", "2021-02-11", "15:00"),
        ("L03", "2021-02-17", "09:30"),
        ("L-LAST", "2021-02-18", "09:30"),
    ]
    by_id = {mt.id: mt for mt in s.meetings}
    assert [by_id[i].week for i in ("L01", "L02", "L03", "L-LAST")] == [1, 1, 2, 2]  # derived from the date
    assert all(mt.moved_from is None for mt in s.meetings)  # placed there, not moved there
    assert (by_id["S01-a"].location.name, by_id["S01-b"].location.name) == ("Room 2", "Room 4")  # S01-b's override
    assert [e.week for e in s.course.entries] == [1, 1, 1, 1, 2, 2]  # the extra goes with the meeting before it


def test_in_order_ids_are_the_kinds_prefix_and_a_running_number():
    course = load_course(CS101)
    lectures = [e.id for e in course.entries if e.kind == "lecture" and not e.extra]
    assert lectures == [f"L{n:02d}" for n in range(1, 29)]
    assert [e.id for e in course.entries if e.kind == "lab"][:3] == ["LAB01", "LAB02", "LAB03"]


def test_in_order_more_meetings_than_slots_is_an_error_naming_the_first_that_does_not_fit():
    course = load_course(FIXTURES / "courses" / "in-order.yaml")
    last = course.entries[-1]
    more = dataclasses.replace(course, entries=(*course.entries, dataclasses.replace(last, id="L-MORE")))
    with pytest.raises(SyllabusError) as caught:
        expand(more, load_term(FIXTURES / "terms" / "two-weeks.yaml"))
    (problem,) = caught.value.problems
    assert str(problem).endswith(
        "meeting L-MORE (session four) does not fit: lecture has 4 class slots in term two-weeks "
        "(2021-02-08 to 2021-02-19) and this is meeting 5 of 5"
    )


def test_in_order_fewer_meetings_than_slots_is_a_warning_naming_the_first_empty_slot():
    s = schedule(FIXTURES / "courses" / "in-order.yaml")
    assert [str(n) for n in s.notes] == [
        "tests/fixtures/sections/courses/in-order.yaml:19:10: seminar section a has 1 meeting for 2 class slots "
        "in term two-weeks; the first empty slot is Tue 2021-02-16 (week 2)",
    ]


# --- placed by week -------------------------------------------------------------------------


def test_by_week_the_nth_meeting_of_a_week_takes_the_weeks_nth_slot_in_weekday_order():
    s = schedule(FIXTURES / "courses" / "by-week.yaml")
    assert seen(s) == [
        ("L01a", "2021-01-26", "14:00"), ("L01b", "2021-01-28", "14:00"),
        ("L02a", "2021-02-02", "14:00"), ("L02b", "2021-02-04", "14:00"),
        ("L03", "2021-02-09", "14:00"),
        ("L04", "2021-02-16", "14:00"),
        ("L05a", "2021-02-23", "14:00"), ("L05b", "2021-02-25", "14:00"),
    ]


def test_rollover_warning_for_an_empty_slot_between_weeks_that_have_one_but_not_on_a_no_class_day():
    # Week 3's Thursday is a class day without a lecture; week 4's Thursday follows a Monday schedule.
    status, out, err = run("check", "--course", FIXTURES / "courses" / "by-week.yaml")
    assert status == 0 and out.endswith(": OK\n")
    assert err == (
        "tests/fixtures/sections/courses/by-week.yaml:25:11: warning: week 3 has no lecture on Thu 2021-02-11 "
        "(lectures meet on Thursdays in weeks 1–2 and 5)\n"
    )


def test_rolling_the_bundled_course_over_to_spring_2021_warns_of_the_missing_wednesday_lecture(tmp_path):
    """The README's worked example: the lines a user changes and the warning they see."""
    (tmp_path / "courses").mkdir()
    shutil.copytree(ROOT / "data/terms", tmp_path / "terms")
    text = (ROOT / "data/courses/dlsp20-en.yaml").read_text(encoding="utf-8")
    text = text.replace("term: nyu-2020-spring", "term: nyu-2021-spring")
    text = re.sub(r"  lecture:\n(    .*\n)+?  practicum:\n(    .*\n)+?\n", (
        "  lecture: {weekday: Wed, start: 09:30, end: 11:30, location: Zoom}\n"
        "  practicum: {weekday: Tue, start: 09:30, end: 10:30, location: Zoom}\n\n"), text)
    course = tmp_path / "courses" / "dlsp20-en.yaml"
    course.write_text(text, encoding="utf-8")
    status, out, err = run("check", "--course", course)
    assert status == 0
    assert out == f"{course}: dlsp20-en in nyu-2021-spring: 27 meetings, 0 cancelled, 2 without a meeting: OK\n"
    week_4 = next(i for i, line in enumerate(text.splitlines(), 1) if line == "  - week: 4")
    assert err == (f"{course}:{week_4}:11: warning: week 4 has no lecture on Wed 2021-02-17 "
                   "(lectures meet in weeks 1–3 and 5–14)\n")


# --- sections -------------------------------------------------------------------------------


def test_a_meeting_of_a_sectioned_kind_takes_place_once_in_each_section():
    s = schedule(CS101)
    labs = [mt for mt in s.meetings if mt.kind == "lab"]
    assert len(labs) == 28
    third = {mt.section: mt for mt in labs if mt.id.startswith("LAB03-")}
    assert {k: (mt.id, mt.start.isoformat(), mt.location.name) for k, mt in third.items()} == {
        "a": ("LAB03-a", "2021-02-10T10:00:00-05:00", "Lab 1"),
        "b": ("LAB03-b", "2021-02-10T13:00:00-05:00", "Lab 2"),
    }
    assert third["a"].uid == "LAB03-a@cs101.nyu-2021-spring.syllabus-export"
    assert {mt.section for mt in s.meetings if mt.kind == "lecture"} == {None}


def test_list_json_names_each_meetings_section():
    import json

    status, out, _ = run("list", "--json", "--course", CS101)
    records = json.loads(out)
    assert status == 0
    assert {(r["kind"], r["section"]) for r in records} == {("lecture", None), ("lab", "a"), ("lab", "b")}
    assert next(r for r in records if r["id"] == "LAB01-b")["location"] == "Lab 2"


def test_an_override_of_a_meeting_applies_to_each_section_and_one_of_a_section_to_it_alone(tmp_path):
    text = (ROOT / CS101).read_text(encoding="utf-8")
    path = tmp_path / "courses" / "cs101.yaml"
    path.parent.mkdir()
    path.write_text(text + "overrides:\n  - {meeting: LAB02, location: Online}\n"
                           "  - {meeting: LAB03-b, cancelled: true}\n", encoding="utf-8")
    s = expand(load_course(path), load_term(SPRING_2021))
    by_id = {mt.id: mt for mt in s.meetings}
    assert (by_id["LAB02-a"].location.name, by_id["LAB02-b"].location.name) == ("Online", "Online")
    assert (by_id["LAB03-a"].status, by_id["LAB03-b"].status) == ("confirmed", "cancelled")


def test_each_section_feed_holds_exactly_its_meetings_and_calendar_ics_everything():
    s = schedule(CS101)
    feeds = render_feeds(s, build_time=BUILT)
    assert sorted(feeds) == ["calendar-lab-a.ics", "calendar-lab-b.ics", "calendar.ics"]
    everything = {mt.uid for mt in s.meetings}
    assert set(uids(feeds["calendar.ics"])) == everything
    for section in ("a", "b"):
        expected = {mt.uid for mt in s.meetings if mt.section in (None, section)}
        assert set(uids(feeds[f"calendar-lab-{section}.ics"])) == expected
        assert len(uids(feeds[f"calendar-lab-{section}.ics"])) == 28 + 14
    names = {file: str(Calendar.from_ical(data)["X-WR-CALNAME"]) for file, data in feeds.items()}
    assert names == {
        "calendar.ics": "CSCI-UA 101 · Introduction to Computer Science · Spring 2021 · All sections",
        "calendar-lab-a.ics": "CSCI-UA 101 · Introduction to Computer Science · Spring 2021 · Lab: Section A",
        "calendar-lab-b.ics": "CSCI-UA 101 · Introduction to Computer Science · Spring 2021 · Lab: Section B",
    }


def test_several_kinds_with_sections_make_one_feed_per_combination(tmp_path):
    text = (ROOT / CS101).read_text(encoding="utf-8").replace("placement: in-order", """  tutorial:
    prefix: T
    sections:
      x: {weekday: Fri, start: 09:00, end: 09:50, location: Room 3}
      y: {weekday: Fri, start: 11:00, end: 11:50, location: Room 4}
placement: in-order""")
    text = text.replace("meetings:\n", "meetings:\n  - {kind: tutorial, sessions: [{id: t1, title: Tutorial}]}\n")
    path = tmp_path / "courses" / "cs101.yaml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    s = expand(load_course(path), load_term(SPRING_2021))
    feeds = render_feeds(s, build_time=BUILT)
    assert sorted(feeds) == ["calendar-lab-a+tutorial-x.ics", "calendar-lab-a+tutorial-y.ics",
                             "calendar-lab-b+tutorial-x.ics", "calendar-lab-b+tutorial-y.ics", "calendar.ics"]
    chosen = set(uids(feeds["calendar-lab-b+tutorial-x.ics"]))
    assert chosen == {mt.uid for mt in s.meetings if (mt.kind, mt.section) in
                      {("lecture", None), ("lab", "b"), ("tutorial", "x")}}
    assert str(Calendar.from_ical(feeds["calendar-lab-b+tutorial-x.ics"])["X-WR-CALNAME"]).endswith(
        "· Lab: Section B · Tutorial: Section x")


def test_each_feed_file_is_compared_with_its_own_published_state():
    s = schedule(CS101)
    first = render_feeds(s, build_time=BUILT)
    # LAB14 is deleted from the course: each lab feed withdraws its own section's LAB14, and only that.
    fewer = dataclasses.replace(s, meetings=tuple(mt for mt in s.meetings if not mt.id.startswith("LAB14-")))
    later = BUILT + dt.timedelta(days=3)
    files = {f: first[f] for f in ("calendar-lab-a.ics", "calendar-lab-b.ics")}
    second = render_feeds(fewer, build_time=later, previous=first["calendar.ics"], previous_files=files)

    def events(feed: bytes) -> dict[str, tuple[str, int]]:
        found = Calendar.from_ical(feed).walk("VEVENT")
        return {str(e["UID"]): (str(e["STATUS"]), int(e["SEQUENCE"])) for e in found}

    a, b = events(second["calendar-lab-a.ics"]), events(second["calendar-lab-b.ics"])
    assert a["LAB14-a@cs101.nyu-2021-spring.syllabus-export"] == ("CANCELLED", 1)
    assert "LAB14-b@cs101.nyu-2021-spring.syllabus-export" not in a
    assert b["LAB14-b@cs101.nyu-2021-spring.syllabus-export"] == ("CANCELLED", 1)
    assert {v for k, v in a.items() if "LAB14" not in k} == {("CONFIRMED", 0)}
    # The same rebuild from the main feed alone (the section files never read) agrees on every live event.
    alone = render_feeds(fewer, build_time=later, previous=first["calendar.ics"])
    assert {k: v for k, v in events(alone["calendar-lab-a.ics"]).items() if "LAB14" not in k} == {
        k: v for k, v in a.items() if "LAB14" not in k}


def test_a_section_feed_whose_own_file_says_otherwise_is_stamped_against_its_own_file():
    s = schedule(CS101)
    first = render_feeds(s, build_time=BUILT)
    # This file was published once more than calendar.ics: its own SEQUENCE is the one to go on from.
    own = first["calendar-lab-a.ics"].replace(b"SEQUENCE:0", b"SEQUENCE:4")
    again = render_feeds(s, build_time=BUILT + dt.timedelta(days=1), previous=first["calendar.ics"],
                         previous_files={"calendar-lab-a.ics": own})
    sequences = {int(e["SEQUENCE"]) for e in Calendar.from_ical(again["calendar-lab-a.ics"]).walk("VEVENT")}
    assert sequences == {4}
    assert {int(e["SEQUENCE"]) for e in Calendar.from_ical(again["calendar-lab-b.ics"]).walk("VEVENT")} == {0}


# --- identity across terms ------------------------------------------------------------------


def test_the_same_course_moved_to_another_term_keeps_every_uid(tmp_path):
    in_2021 = schedule(CS101)
    # Changing only its term line: Spring 2020, where the 28 lectures and 14 labs fit exactly.
    (tmp_path / "courses").mkdir()
    shutil.copytree(ROOT / FIXTURES / "terms", tmp_path / "terms")
    text = (ROOT / CS101).read_text(encoding="utf-8")
    moved = tmp_path / "courses" / "cs101.yaml"
    moved.write_text(text.replace("term: nyu-2021-spring", "term: nyu-2020-spring"), encoding="utf-8")
    in_2020 = schedule(moved)
    assert in_2020.notes == ()
    assert {mt.start.year for mt in in_2020.meetings} == {2020}
    ids = sorted(mt.id for mt in in_2021.meetings)
    assert sorted(mt.id for mt in in_2020.meetings) == ids
    assert sorted(mt.uid for mt in in_2020.meetings) == sorted(
        mt.uid.replace(".nyu-2021-spring.", ".nyu-2020-spring.") for mt in in_2021.meetings)
    # The same term re-dated (a snow day on a Tuesday): every lecture after it a slot later, not one UID changed.
    redated = (ROOT / SPRING_2021).read_text(encoding="utf-8").replace(
        "no_class:\n", "no_class:\n  - {date: 2021-03-02, name: Snow day}\n")
    (tmp_path / "terms" / "nyu-2021-spring.yaml").write_text(redated, encoding="utf-8")
    again = expand(load_course(CS101), load_term(tmp_path / "terms" / "nyu-2021-spring.yaml"))
    assert sorted(mt.uid for mt in again.meetings) == sorted(mt.uid for mt in in_2021.meetings)
    assert seen(again) != seen(in_2021)


# --- only relevant days, a move said briefly ------------------------------------------------


def test_rows_list_a_no_class_day_only_when_the_course_would_have_met_and_name_the_substitution_day():
    s = schedule(CS101)  # Tue/Thu lectures and Wednesday labs in Spring 2021
    rows = present.rows(s)
    off = [r for r in rows if isinstance(r, (present.NoClassRow, present.SubstitutionRow))]
    # Presidents' Day and 04-19 are Mondays, 03-19 a Friday: the course never meets then. Thursday
    # 02-18 follows a Monday schedule: no Thursday lecture that day, and the row says why.
    assert [(type(r).__name__, r.day.isoformat()) for r in off] == [("SubstitutionRow", "2021-02-18")]
    (sub,) = off
    assert (sub.follows, sub.name, sub.week) == ("Follows a Monday schedule", "Legislative day (Monday schedule)", 4)
    monday = schedule(FIXTURES / "courses" / "in-order.yaml")  # lectures on Mondays: the holiday concerns it
    assert [r.day.isoformat() for r in present.rows(monday) if isinstance(r, present.NoClassRow)] == ["2021-02-15"]


def test_a_whole_week_off_is_listed_whatever_the_course_meets_on():
    term = load_term(SPRING_2020)  # spring break 2020-03-16 to 03-22
    course = load_course(FIXTURES / "courses" / "in-order.yaml")
    course = dataclasses.replace(course, patterns=course.patterns[:1], entries=course.entries[:1])
    only_saturdays = dataclasses.replace(course.patterns[0], slots=tuple(
        dataclasses.replace(slot, weekday=5) for slot in course.patterns[0].weekly))
    s = expand(dataclasses.replace(course, patterns=(only_saturdays,)), term)
    assert [r.day.isoformat() for r in present.rows(s) if isinstance(r, present.NoClassRow)] == ["2020-03-16"]


def moved_schedule() -> Schedule:
    s = schedule(FIXTURES / "courses" / "in-order.yaml")
    first = s.meetings[0]
    moved = dataclasses.replace(first, start=first.start + dt.timedelta(days=1), end=first.end + dt.timedelta(days=1),
                                moved_from=first.start)
    return dataclasses.replace(s, meetings=(moved, *s.meetings[1:]))


def test_the_feed_says_a_move_in_one_line_at_the_end_of_the_description():
    feed = render_feeds(moved_schedule(), build_time=BUILT)["calendar.ics"]
    event = next(e for e in Calendar.from_ical(feed).walk("VEVENT") if str(e["UID"]).startswith("L01@"))
    description = str(event["DESCRIPTION"])
    assert description.startswith("One")
    assert description.splitlines()[-1].replace("\u202f", " ") == "Moved from Monday, February 8, 2021, 9:30 AM."


def test_the_page_marks_a_move_with_one_short_mark_and_the_original_day():
    page = render_page(moved_schedule(), build_time=BUILT, feed_url=None, changes=None,
                       files=["calendar.ics"]).decode()
    row = re.search(r'<tr class="meeting" id="m-L01">.*?</tr>', page, re.S)[0]
    mark = '<span aria-hidden="true">↷</span><span class="vh"> moved from</span> Mon, Feb 8'
    assert f'<span class="moved">{mark}</span>' in row
    assert "2021, 9:30" not in row


# --- the page -------------------------------------------------------------------------------


def test_the_page_lets_a_student_choose_a_section_without_javascript():
    s = schedule(CS101)
    files = sorted([*render_feeds(s, build_time=BUILT), "index.html"])
    page = render_page(s, build_time=BUILT, feed_url="https://example.edu/c/cs101/nyu-2021-spring/calendar.ics",
                       changes=None, files=files).decode()
    chooser = page[page.index('<h3 id="sections-h">'):page.index("<h3>Every section in one calendar</h3>")]
    for section, where in (("a", "Wednesday 10:00 – 11:50 AM, Lab 1"), ("b", "Wednesday 1:00 – 2:50 PM, Lab 2")):
        item = chooser[chooser.index(f'<details id="section-lab-{section}">'):]
        item = item[:item.index("</details>")]
        assert f"Lab: Section {section.upper()}</strong> · {where}".replace("\u2009", " ") in item.replace(
            "\u2009", " ").replace("\u202f", " ")
        assert f'href="webcal://example.edu/c/cs101/nyu-2021-spring/calendar-lab-{section}.ics"' in item
        assert "calendar.google.com/calendar/render?cid=webcal%3A%2F%2Fexample.edu%2Fc%2Fcs101%2Fnyu-2021-spring" \
               f"%2Fcalendar-lab-{section}.ics" in item
    assert "<script" not in chooser  # the choice is links, not a script
    # Times and places name each section; the schedule names each meeting's section.
    facts = page[page.index('<dl class="facts">'):page.index("</dl>")]
    assert "<dt>Lab</dt><dd>Section A: Wednesday" in facts and "<br>Section B: Wednesday" in facts
    assert "<dt>Lecture</dt><dd>Tuesday" in facts and "<br>Thursday" in facts
    assert '<tr class="meeting" id="m-LAB03-b">' in page
    assert '<span class="section">Section B</span>' in page
    # Not mistaken for a per-kind feed ("lab-a only").
    assert "lab-a" not in page[page.index("<h3>Every section in one calendar</h3>"):page.index('id="changes-h"')
                               if 'id="changes-h"' in page else page.index('id="schedule-h"')].replace(
        "calendar-lab-a", "")


# --- the PDF --------------------------------------------------------------------------------


def test_the_pdf_shows_each_sections_time_and_place_and_only_the_days_that_concern_the_course():
    import io

    from pypdf import PdfReader

    from syllabus_export.pdf import render_pdf

    raw = render_pdf(schedule(CS101), build_time=BUILT, paper="letter")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(raw)).pages)
    text = re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\u00a0", " "))
    assert ("Lecture Tuesday 2:00 – 3:15 PM Room 101 Thursday 2:00 – 3:15 PM Room 101 "
            "Lab: Section A Wednesday 10:00 – 11:50 AM Lab 1 Section B Wednesday 1:00 – 2:50 PM Lab 2") in text
    assert "3 Wednesday 02/10/2021 1:00 – 2:50 PM Lab 2 Lab Section B lab3 Branching" in text
    assert "4 Thursday 02/18/2021 Follows a Monday schedule: Legislative day (Monday schedule)" in text
    assert "No class" not in text  # Presidents' Day and 04-19 are Mondays, 03-19 a Friday


def test_export_page_refuses_a_course_placed_in_order():
    status, out, err = run("export-page", "--course", CS101)
    assert (status, out) == (2, "")
    assert err.startswith(f"{CS101}:21:12: the site's table lists meetings by course week; a course placed in order")


def test_check_finds_a_glyph_the_pdf_lacks_in_a_section_name_and_a_substitution_days_name(tmp_path):
    shutil.copytree(ROOT / FIXTURES / "terms", tmp_path / "terms")
    (tmp_path / "courses").mkdir()
    course = tmp_path / "courses" / "cs101.yaml"
    course.write_text((ROOT / CS101).read_text(encoding="utf-8").replace("label: Section A", "label: Section 🅰"),
                      encoding="utf-8")
    term = tmp_path / "terms" / "nyu-2021-spring.yaml"
    term.write_text(term.read_text(encoding="utf-8").replace("Legislative day (Monday schedule)", "Legislative day 🏛"),
                    encoding="utf-8")
    status, out, err = run("check", "--course", course)
    assert status == 2 and out == ""
    assert f"{course}:19:10: slot label: the PDF font has no glyph for U+1F170" in err
    assert f"{term}:19:5: substitution day name: the PDF font has no glyph for U+1F3DB" in err


def test_the_pages_latest_changes_say_which_sections_meeting_changed():
    s = schedule(CS101)
    mt = next(m for m in s.meetings if m.id == "LAB05-b")
    after = {"start": mt.start.isoformat(), "end": mt.end.isoformat(), "summary": "x", "status": "cancelled"}
    record = {"id": mt.id, "uid": mt.uid, "changes": ["cancelled"], "after": after}
    (line,) = present.change_lines([record], s)
    assert line.title == "Functions · Section B"
