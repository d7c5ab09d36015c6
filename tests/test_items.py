"""Issue 14: exams, deadlines, office hours, the syllabus's own text and the term at a glance.

Most tests read the bundled example course (``data/courses/example-ml.yaml``, built once per
module); the rules that need a broken or edited file write a small course of their own.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import io
import json
import re
from pathlib import Path

import pytest
from icalendar import Calendar

from conftest import run_cli
from syllabus_export import model as m
from syllabus_export import present
from syllabus_export.errors import SyllabusError
from syllabus_export.expand import Schedule, expand
from syllabus_export.feed import render_feeds
from syllabus_export.listing import to_json
from syllabus_export.load import load_course, load_term
from syllabus_export.syllabus_text import inline, parse

ROOT = Path(__file__).resolve().parents[1]
COURSE = ROOT / "data" / "courses" / "example-ml.yaml"
TERM = ROOT / "data" / "terms" / "example-2026-fall.yaml"
BUILD = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
LATER = dt.datetime(2026, 9, 10, tzinfo=dt.UTC)
NY = "America/New_York"


@pytest.fixture(scope="module")
def example() -> Schedule:
    return expand(load_course(COURSE), load_term(TERM))


@pytest.fixture(scope="module")
def feeds(example: Schedule) -> dict[str, bytes]:
    return render_feeds(example, build_time=BUILD)


def events(data: bytes) -> dict[str, dict]:
    found = {}
    for ev in Calendar.from_ical(data).walk("VEVENT"):
        found[str(ev["UID"])] = {
            "summary": str(ev["SUMMARY"]), "start": ev.decoded("DTSTART"), "end": ev.decoded("DTEND"),
            "status": str(ev.get("STATUS")), "transp": str(ev.get("TRANSP")), "sequence": int(ev.get("SEQUENCE", 0)),
            "alarms": [a.decoded("TRIGGER") for a in ev.walk("VALARM")], "categories": [str(c) for c in ev.categories],
        }
    return found


def uid(kind: str, item_id: str) -> str:
    return f"{kind}+{item_id}@example-ml.example-2026-fall.syllabus-export"


# --- small courses of our own --------------------------------------------------------------------

SMALL_TERM = """\
id: t
name: Fall 2026
timezone: America/New_York
first_day: 2026-09-08
last_day: 2026-12-18
no_class:
  - {date: 2026-10-13, name: Fall recess}
"""
SMALL = """\
id: demo
language: en
term: t
code: D 1
title: Demo
institution: {label: U}
instructors: [A]
patterns:
  lecture: {weekday: Tue, start: "09:30", end: "10:45", location: Hall}
weeks:
  - week: 1
    meetings: [{kind: lecture, sessions: [{id: "1", title: One}]}]
"""


def small(tmp_path: Path, extra: str, term: str = SMALL_TERM) -> Schedule:
    (tmp_path / "course.yaml").write_text(SMALL + extra, encoding="utf-8")
    (tmp_path / "term.yaml").write_text(term, encoding="utf-8")
    return expand(load_course(tmp_path / "course.yaml"), load_term(tmp_path / "term.yaml"))


def problems(tmp_path: Path, extra: str, term: str = SMALL_TERM) -> list[str]:
    with pytest.raises(SyllabusError) as caught:
        small(tmp_path, extra, term)
    return [str(p) for p in caught.value.problems]


# --- load: shapes and their errors ------------------------------------------------------------------


def test_the_issue_shapes_load(example: Schedule) -> None:
    course = example.course
    assert [e.id for e in course.exams] == ["midterm", "final"]
    assert course.exams[1].on == m.CourseDay(week=15, weekday=2)
    assert course.deadlines[0].date == dt.date(2026, 9, 25) and course.deadlines[0].time == dt.time(23, 59)
    assert course.deadlines[1].on == m.CourseDay(week=5, weekday=4)
    assert course.deadlines[5].reminders == (1440, 120)
    assert course.options.deadline_reminders == (1440,)
    assert [o.id for o in course.office_hours] == ["ada-lovelace-wed", "alan-turing-mon"]
    assert [s.title for s in course.syllabus] == ["Grading", "Policies", "Accessibility"]


def test_every_problem_of_the_items_at_once_at_its_place(tmp_path: Path) -> None:
    found = problems(tmp_path, """\
exams:
  - {id: mid, title: Mid, date: 2026-10-21, on: {week: 3, weekday: Wed}, start: 19:00, end: 21:00}
  - {id: fin, title: Final, start: 9:00, end: 8:00, on: {week: 3, weekday: Wed}}
deadlines:
  - {id: hw1, title: H, due: 2026-09-25}
  - {id: hw1, title: H, due: {week: 2, weekday: Fry, time: 23:59}}
office_hours:
  - {who: A, weekday: Wed, start: 15:00, end: 16:00, room: 3}
syllabus:
  - {title: Policies, text: "See [this](javascript:alert(1))."}
""")
    text = "\n".join(found)
    assert re.search(r"course\.yaml:14:49: exams\[1\]: give either date or on, not both", text)
    assert re.search(r"course\.yaml:15:\d+: exams\[2\]: end 08:00 is not after start 09:00", text)
    assert re.search(r"course\.yaml:17:\d+: deadlines\[1\]\.due '2026-09-25' is not a date and time", text)
    assert re.search(r"course\.yaml:18:\d+: unknown weekday 'Fry'", text)
    assert re.search(r"course\.yaml:20:\d+: unknown key 'room' in office_hours\[1\]", text)
    assert re.search(r"course\.yaml:22:\d+: syllabus\[1\]\.text: link 'javascript:alert\(1\)'", text)


def test_an_item_id_is_unique_within_its_kind(tmp_path: Path) -> None:
    found = problems(tmp_path, """\
deadlines:
  - {id: hw1, title: H, due: 2026-09-25 23:59}
  - {id: hw1, title: H2, due: 2026-10-02 23:59}
exams:
  - {id: hw1, title: An exam may share a deadline's id, date: 2026-10-21, start: 19:00, end: 21:00}
""")
    assert found == [f"{tmp_path / 'course.yaml'}:15:5: deadline id 'hw1' is used twice (first at line 14, column 5)"]


# --- dates --------------------------------------------------------------------------------------------


def test_relative_dates_are_course_weeks_and_roll_over_with_the_term(tmp_path: Path, example: Schedule) -> None:
    final = next(i for i in example.items if i.id == "final")
    assert final.start == dt.datetime(2026, 12, 16, 9, tzinfo=final.start.tzinfo) and final.week == 15
    later = dataclasses.replace(example.term, first_day=dt.date(2026, 9, 15), last_day=dt.date(2026, 12, 31),
                                no_class=())
    moved = expand(example.course, later)
    final = next(i for i in moved.items if i.id == "final")
    assert final.start.date() == dt.date(2026, 12, 23)  # week 15 of the later term, still a Wednesday
    hw2 = next(i for i in moved.items if i.id == "hw2")
    assert hw2.start.date() == dt.date(2026, 10, 16)  # Friday of week 5
    midterm = next(i for i in moved.items if i.id == "midterm")
    assert midterm.start.date() == dt.date(2026, 10, 21)  # an absolute date stays


def test_an_absolute_date_outside_the_term_is_an_error_at_its_place(tmp_path: Path) -> None:
    found = problems(tmp_path, """\
deadlines:
  - {id: late, title: Late, due: 2027-01-05 23:59}
exams:
  - {id: w20, title: Far, on: {week: 20, weekday: Mon}, start: 9:00, end: 10:00}
""")
    path = tmp_path / "course.yaml"
    assert found == [
        f"{path}:14:34: deadline late: 2027-01-05 is outside term t (2026-09-08 to 2026-12-18)",
        f"{path}:16:31: exam w20: week 20 is not in term t, which has 15 course weeks (2026-09-08 to 2026-12-18)",
    ]


def test_a_relative_date_on_a_no_class_day_is_a_warning_and_stays(tmp_path: Path) -> None:
    schedule = small(tmp_path, """\
deadlines:
  - {id: hw, title: H, due: {week: 6, weekday: Tue, time: 23:59}}
""")
    assert [str(n) for n in schedule.notes] == [
        f"{tmp_path / 'course.yaml'}:14:29: deadline hw: Tue of week 6 is 2026-10-13, a no-class day (Fall recess); "
        "it stays on that day"]
    assert schedule.items[0].start.date() == dt.date(2026, 10, 13)
    argv = ["--course", str(tmp_path / "course.yaml"), "--term", str(tmp_path / "term.yaml")]
    status, _, err = run_cli(["check", *argv])
    assert status == 0 and "warning: deadline hw: Tue of week 6" in err


def test_an_exam_on_a_no_class_day_is_held_and_one_at_a_meetings_time_is_a_warning(tmp_path: Path) -> None:
    schedule = small(tmp_path, """\
exams:
  - {id: recess, title: On the recess, date: 2026-10-13, start: 19:00, end: 20:00}
  - {id: clash, title: In class, date: 2026-09-08, start: "10:00", end: "11:00"}
""")
    assert [i.status for i in schedule.items] == ["confirmed", "confirmed"]
    assert [n.message for n in schedule.notes] == [
        "exam clash (Tue 2026-09-08 10:00–11:00) is at the same time as meeting L01 (09:30–10:45)"]


def test_deadlines_across_the_dst_change_stay_at_their_wall_clock_time(example: Schedule) -> None:
    by_id = {i.id: i for i in example.items}
    before, after = by_id["hw3"], by_id["hw4"]  # Fridays before and after 2026-11-01
    assert before.start.isoformat() == "2026-10-30T23:59:00-04:00"
    assert after.start.isoformat() == "2026-11-06T23:59:00-05:00"
    assert before.end == before.start


def test_office_hours_recur_weekly_skipping_no_class_days(example: Schedule) -> None:
    ada = [i for i in example.items if i.kind == "office_hours" and i.who == "Ada Lovelace"]
    days = [i.start.date() for i in ada]
    assert days[0] == dt.date(2026, 9, 9) and all(d.weekday() == 2 for d in days)
    assert dt.date(2026, 11, 25) not in days  # Thanksgiving break
    assert len(days) == 15 - 1  # every course week but the break's Wednesday
    assert ada[0].id == "ada-lovelace-wed-w01" and ada[0].uid == uid("office-hours", "ada-lovelace-wed-w01")
    turing = [i.start.date() for i in example.items if i.who == "Alan Turing"]
    assert dt.date(2026, 9, 7) not in turing  # before the first day of the term


# --- list --json ---------------------------------------------------------------------------------------


def test_list_json_has_items_in_time_order_with_the_contract_keys(example: Schedule) -> None:
    records = json.loads(to_json([example]))
    starts = [dt.datetime.fromisoformat(r["start"]) for r in records]
    assert starts == sorted(starts)
    hw4 = next(r for r in records if r["kind"] == "deadline" and r["id"] == "hw4")
    assert hw4 == {"id": "hw4", "uid": uid("deadline", "hw4"), "course": "example-ml", "term": "example-2026-fall",
                   "week": 9, "kind": "deadline", "titles": ["Homework 4"], "urls": ["https://example.edu/ml101/hw4"],
                   "start": "2026-11-06T23:59:00-05:00", "end": "2026-11-06T23:59:00-05:00", "tz": NY,
                   "location": None, "location_url": None, "status": "confirmed", "section": None}
    assert {r["kind"] for r in records} == {"lecture", "lab", "exam", "deadline", "office_hours"}
    lab = next(r for r in records if r["kind"] == "lab")
    assert "sessions" in lab and "resources" in lab and lab["section"] == "a"  # meetings keep their fields


# --- feeds -----------------------------------------------------------------------------------------------


def test_which_feed_holds_what(feeds: dict[str, bytes]) -> None:
    assert sorted(feeds) == ["calendar-deadlines.ics", "calendar-lab-a.ics", "calendar-lab-b.ics",
                             "calendar-office-hours.ics", "calendar.ics"]
    main, deadlines, hours, lab_b = (events(feeds[f]) for f in ("calendar.ics", "calendar-deadlines.ics",
                                                                "calendar-office-hours.ics", "calendar-lab-b.ics"))
    assert set(deadlines) == {u for u in main if u.startswith(("exam+", "deadline+"))} and len(deadlines) == 8
    assert set(deadlines) < set(lab_b)  # every section's feed holds the exams and deadlines too
    assert not any(u.startswith("office-hours+") for u in [*main, *lab_b])
    assert all(u.startswith("office-hours+") for u in hours) and len(hours) == 28
    names = [Calendar.from_ical(feeds[f])["X-WR-CALNAME"] for f in sorted(feeds)]
    name = "CS 171 · Introduction to Machine Learning · Fall 2026"
    assert names == [f"{name} · Exams and deadlines", f"{name} · Lab: Section A", f"{name} · Lab: Section B",
                     f"{name} · Office hours", f"{name} · All sections"]


def test_office_hours_in_the_main_feed_only_when_asked(tmp_path: Path) -> None:
    extra = "office_hours:\n  - {who: B, weekday: Wed, start: 15:00, end: 16:00}\n"
    without = render_feeds(small(tmp_path, extra), build_time=BUILD)
    with_them = render_feeds(small(tmp_path, extra + "options: {office_hours_in_feed: true}\n"), build_time=BUILD)
    assert sum(u.startswith("office-hours+") for u in events(without["calendar.ics"])) == 0
    assert sum(u.startswith("office-hours+") for u in events(with_them["calendar.ics"])) == 15


def test_a_deadline_is_a_transparent_event_at_its_due_time(feeds: dict[str, bytes]) -> None:
    hw4 = events(feeds["calendar.ics"])[uid("deadline", "hw4")]
    assert hw4["summary"] == "Due: Homework 4"
    assert hw4["start"].isoformat() == "2026-11-06T23:59:00-05:00"
    assert hw4["end"] - hw4["start"] == dt.timedelta(minutes=1)  # DTEND = DTSTART is forbidden; no DTEND is an hour
    assert hw4["transp"] == "TRANSPARENT" and hw4["alarms"] == [-dt.timedelta(days=1)]
    project = events(feeds["calendar.ics"])[uid("deadline", "project")]
    assert project["alarms"] == [-dt.timedelta(days=1), -dt.timedelta(hours=2)]  # its own reminders win
    midterm = events(feeds["calendar.ics"])[uid("exam", "midterm")]
    assert midterm["transp"] == "OPAQUE" and midterm["categories"] == ["Exam"]


def test_the_word_for_due_is_the_course_languages(tmp_path: Path) -> None:
    extra = "deadlines:\n  - {id: hw, title: Devoir, due: 2026-09-25 23:59}\n"
    schedule = small(tmp_path, extra)
    schedule = dataclasses.replace(schedule, course=dataclasses.replace(schedule.course, language="fr"))
    assert events(render_feeds(schedule, build_time=BUILD)["calendar.ics"])[uid_small("deadline", "hw")]["summary"] \
        == "À rendre\u00a0: Devoir"


def uid_small(kind: str, item_id: str) -> str:
    return f"{kind}+{item_id}@demo.t.syllabus-export"


def test_items_keep_their_uid_and_get_a_new_sequence_when_changed(example: Schedule, feeds: dict[str, bytes]) -> None:
    course = example.course
    exams = (dataclasses.replace(course.exams[0], start=dt.time(18, 0)), *course.exams[1:])
    changed = expand(dataclasses.replace(course, exams=exams, deadlines=course.deadlines[1:]), example.term)
    after = render_feeds(changed, build_time=LATER, previous=feeds["calendar.ics"],
                         previous_files={f: feeds[f] for f in feeds if f != "calendar.ics"})
    main, deadlines = events(after["calendar.ics"]), events(after["calendar-deadlines.ics"])
    assert main[uid("exam", "midterm")]["sequence"] == 1 and main[uid("exam", "final")]["sequence"] == 0
    gone = main[uid("deadline", "hw1")]  # removed from the data: stays, cancelled, in both feeds
    assert gone["status"] == "CANCELLED" and gone["sequence"] == 1 and gone["summary"].startswith("[Cancelled]")
    assert deadlines[uid("deadline", "hw1")]["status"] == "CANCELLED"
    assert all(e["sequence"] == 0 for e in events(after["calendar-office-hours.ics"]).values())


def test_a_removed_office_hours_session_stays_cancelled_in_its_feed(example: Schedule, feeds: dict[str, bytes]) -> None:
    term = dataclasses.replace(example.term, no_class=(*example.term.no_class, m.NoClass(
        start=dt.date(2026, 9, 16), end=dt.date(2026, 9, 16), name={"en": "Snow day"})))
    after = render_feeds(expand(example.course, term), build_time=LATER, previous=feeds["calendar.ics"],
                         previous_files={f: feeds[f] for f in feeds if f != "calendar.ics"})
    hours = events(after["calendar-office-hours.ics"])
    snowed = hours[uid("office-hours", "ada-lovelace-wed-w02")]
    assert snowed["status"] == "CANCELLED" and snowed["sequence"] == 1
    assert uid("office-hours", "ada-lovelace-wed-w02") not in events(after["calendar.ics"])


def test_per_kind_feeds_hold_no_items(tmp_path: Path) -> None:
    extra = ("deadlines:\n  - {id: hw, title: H, due: 2026-09-25 23:59}\n"
             "options: {feeds_per_kind: true}\n")
    feeds = render_feeds(small(tmp_path, extra), build_time=BUILD)
    assert uid_small("deadline", "hw") not in events(feeds["calendar-lecture.ics"])
    assert uid_small("deadline", "hw") in events(feeds["calendar.ics"])


def test_build_and_diff_report_items(tmp_path: Path, in_repository: None) -> None:
    out = tmp_path / "out"
    course = tmp_path / "c.yaml"
    course.write_text(COURSE.read_text(encoding="utf-8"), encoding="utf-8")
    argv = ["--course", str(course), "--term", str(TERM), "--out", str(out)]
    assert run_cli(["build", *argv])[0] == 0
    text = course.read_text(encoding="utf-8").replace("date: 2026-10-21, start", "date: 2026-10-22, start")
    text = text.replace('location: {name: Zoom, url: "https://example.edu/zoom/turing"}', "location: Hall 9", 1)
    course.write_text(text, encoding="utf-8")
    status, stdout, _ = run_cli(["diff", *argv, "--json"])
    records = {r["id"]: r["changes"] for r in json.loads(stdout)[0]["changes"]}
    assert records["exam+midterm"] == ["moved"]
    assert records["office-hours+alan-turing-mon-w02"] == ["relocated"]
    assert run_cli(["build", *argv])[0] == 0
    published = json.loads((out / "example-ml" / "example-2026-fall" / "changes.json").read_text(encoding="utf-8"))
    assert {r["id"] for r in published["changes"]} == set(records)


# --- the syllabus's own text ------------------------------------------------------------------------


def test_markdown_subset() -> None:
    blocks = parse("Intro line\ncontinued\n- **A**: 40%\n- B with\n  more\n\n| x | y |\n|---|---|\n| 1 | 2 |\n\n"
                   "# not a heading\n*not italic* 1. not a list **unpaired")
    assert [type(b).__name__ for b in blocks] == ["TextParagraph", "TextList", "TextTable", "TextParagraph"]
    assert blocks[0].text.plain == "Intro line continued"
    assert [r.bold for r in blocks[1].items[0].runs] == [True, False]
    assert blocks[1].items[1].plain == "B with more"
    assert [c.plain for c in blocks[2].header] == ["x", "y"] and [c.plain for c in blocks[2].rows[0]] == ["1", "2"]
    assert blocks[3].text.plain == "# not a heading *not italic* 1. not a list **unpaired"
    link = inline("see **[the code](https://x.org/c)**").runs
    assert [(r.text, r.url, r.bold) for r in link] == [("see ", None, False), ("the code", "https://x.org/c", True)]


def test_syllabus_text_is_escaped_everywhere(tmp_path: Path) -> None:
    from syllabus_export.page import render_page
    from syllabus_export.pdf import render_pdf

    schedule = small(tmp_path, """\
syllabus:
  - {title: "<b>Rules</b>", text: "**<script>alert(1)</script>** & <font color=red>x</font>"}
""")
    page = render_page(schedule, build_time=BUILD, feed_url=None, changes=None, files=["calendar.ics"]).decode()
    assert "<strong>&lt;script&gt;alert(1)&lt;/script&gt;</strong> &amp; &lt;font color=red&gt;x&lt;/font&gt;" in page
    assert "&lt;b&gt;Rules&lt;/b&gt;</h2>" in page
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(schedule, build_time=BUILD))).pages)
    assert "<script>alert(1)</script> & <font color=red>x</font>" in text and "<b>Rules</b>" in text


# --- the term at a glance ------------------------------------------------------------------------------


def test_term_grid_data(example: Schedule) -> None:
    grid = present.term_grid(example)
    assert [mo.title for mo in grid.months] == ["September 2026", "October 2026", "November 2026", "December 2026"]
    assert grid.months[0].weekdays[0] == ("Sun", "Sunday")  # en is en-US: weeks start on Sunday
    days = {d.day: d for mo in grid.months for week in mo.weeks for d in week if d}
    assert days[dt.date(2026, 9, 8)].marks == ("L",) and days[dt.date(2026, 9, 8)].class_day
    assert days[dt.date(2026, 10, 13)].no_class == "Fall recess" and not days[dt.date(2026, 10, 13)].marks
    assert days[dt.date(2026, 10, 21)].marks == (present.EXAM_MARK,)
    assert days[dt.date(2026, 10, 30)].spoken == "Lab; Due: Homework 3"
    assert not days[dt.date(2026, 9, 1)].in_term
    assert grid.no_class[1] == ("Nov 25\u2009–\u200929, 2026", "Thanksgiving break")
    vi = dataclasses.replace(example, course=dataclasses.replace(example.course, language="vi"))
    assert present.term_grid(vi).months[0].weekdays[0] == ("Thứ 2", "Thứ Hai")  # Monday first


def test_page_has_the_grid_the_items_and_next_up(example: Schedule) -> None:
    from syllabus_export.page import _csp_hash, render_page

    page = render_page(example, build_time=BUILD, feed_url="https://example.org/c/example-ml/example-2026-fall/"
                       "calendar.ics", changes=None, files=["calendar.ics", "calendar-deadlines.ics",
                                                           "calendar-office-hours.ics", "syllabus.pdf"]).decode()
    assert page.index('class="quick"') < page.index("<main")  # subscribing right under the title
    assert page.count('<table class="month">') == 4 and "<caption>October 2026</caption>" in page
    assert '<th scope="col" abbr="Sunday">Sun</th>' in page
    assert '<span class="vh">: Lab; Due: Homework 3</span>' in page
    assert 'id="exam-midterm"' in page and 'id="week-9"' in page
    assert "Office hours: Wednesday 3:00\u2009–\u20094:00\u202fPM, Hall 305" in page
    data = json.loads(html.unescape(re.search(r"data-upcoming='(.*?)'", page, re.S)[1]))
    assert data["upcoming"][0] == {"end": "2026-09-08T10:45:00-04:00", "anchor": "m-L01", "text":
                                   "Welcome and what learning is (Lecture) · Tuesday, September 8, 2026, "
                                   "9:30\u2009–\u200910:45\u202fAM"}
    script = re.search(r"<script>(.*?)</script>", page, re.S)[1]
    assert _csp_hash(script) in html.unescape(page) and "upcoming-data" in script  # the one inline script, hashed


def test_pdf_grid_on_one_page_a4_and_letter(example: Schedule) -> None:
    from pypdf import PdfReader

    from syllabus_export.pdf import render_pdf

    for paper in ("a4", "letter"):
        pages = [p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(example, build_time=BUILD,
                                                                           paper=paper))).pages]
        assert "Term at a glance" in pages[-1] and "December 2026" in pages[-1] and "Thanksgiving break" in pages[-1]
        assert not any("Term at a glance" in p for p in pages[:-1])
        assert "Exams and deadlines" in pages[0] and "Late work" in "".join(pages)
        assert "Office hours: Wednesday" in "".join(pages)


def test_example_course_is_built_by_default(tmp_path: Path, in_repository: None) -> None:
    status, stdout, _ = run_cli(["list", "--json"])
    assert status == 0 and any(r["course"] == "example-ml" and r["kind"] == "exam" for r in json.loads(stdout))
