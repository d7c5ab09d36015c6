"""Schedule expansion: course + term → dated meetings.

Every scenario is a folder of real files in ``tests/fixtures/expand/<scenario>/`` (a course file
and the term files it is paired with); the first line of each file says what it tries.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from syllabus_export.errors import SyllabusError
from syllabus_export.expand import Schedule, course_weeks, expand, uid_for
from syllabus_export.load import load_course, load_term
from syllabus_export.model import Override

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path("tests/fixtures/expand")  # relative to ROOT, so messages show the path a user would type
UTC = dt.UTC


pytestmark = pytest.mark.usefixtures("in_repository")


def schedule(scenario: str, course: str = "course.yaml", term: str = "term.yaml", **kw: str) -> Schedule:
    return expand(load_course(FIXTURES / scenario / course), load_term(FIXTURES / scenario / term), **kw)


def problems(scenario: str, course: str = "course.yaml", term: str = "term.yaml", **kw: str) -> list[str]:
    with pytest.raises(SyllabusError) as caught:
        schedule(scenario, course, term, **kw)
    return [str(p) for p in caught.value.problems]


def by_id(s: Schedule) -> dict:
    return {mt.id: mt for mt in s.meetings}


def local(mt) -> tuple[str, str, str]:
    """A meeting as a person reads it: date, local start, local end."""
    return (mt.start.date().isoformat(), f"{mt.start:%H:%M}", f"{mt.end:%H:%M}")


def utc(when: dt.datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M")


# --- daylight saving time --------------------------------------------------------------------


def test_dst_new_york_keeps_the_wall_clock_and_moves_utc():
    meetings = by_id(schedule("dst-new-york"))
    assert utc(meetings["L01"].start) == "2020-03-02 21:55"
    assert utc(meetings["L02"].start) == "2020-03-09 20:55"
    assert meetings["L01"].start.isoformat() == "2020-03-02T16:55:00-05:00"
    assert meetings["L02"].start.isoformat() == "2020-03-09T16:55:00-04:00"
    assert meetings["P02"].end.isoformat() == "2020-03-10T20:00:00-04:00"
    for mt in meetings.values():
        assert mt.tz == "America/New_York"
        assert (mt.start.time(), mt.end.time()) in {(dt.time(16, 55), dt.time(18, 35)), (dt.time(19, 10), dt.time(20))}
        # The wall clock survives a round trip through UTC: the zone was attached last.
        assert mt.start.astimezone(UTC).astimezone(mt.start.tzinfo).time() == mt.start.time()


@pytest.mark.parametrize(
    ("scenario", "before", "after"),
    [
        # Southern hemisphere: Sydney leaves summer time on 2020-04-05 (+11:00 → +10:00).
        ("dst-sydney", "2020-03-29 23:00", "2020-04-06 00:00"),
        # Europe, autumn: Berlin leaves summer time on 2020-10-25 (+02:00 → +01:00).
        ("dst-berlin", "2020-10-19 07:15", "2020-10-26 08:15"),
    ],
)
def test_dst_in_the_other_direction(scenario, before, after):
    s = schedule(scenario)
    first, second = s.meetings
    assert [utc(first.start), utc(second.start)] == [before, after]
    assert first.start.time() == second.start.time() == s.course.pattern("lecture").start
    assert first.start.utcoffset() - second.start.utcoffset() == dt.timedelta(hours=1)


def test_a_wall_clock_time_the_dst_change_skips_is_an_error():
    assert problems("dst-gap") == [
        (
            "tests/fixtures/expand/dst-gap/course.yaml:14:9: meeting V01: 2020-03-08 02:30 does not exist in "
            "America/New_York (the clocks skip it for daylight saving time)"
        )
    ]


def test_issue_override_into_the_skipped_hour_points_at_the_override():
    assert problems("dst-gap", "course-override-into-gap.yaml") == [
        (
            "tests/fixtures/expand/dst-gap/course-override-into-gap.yaml:13:5: meeting V01: 2020-03-08 02:30 does not "
            "exist in America/New_York (the clocks skip it for daylight saving time)"
        )
    ]


def test_an_override_out_of_the_skipped_hour_is_fine():
    (mt,) = schedule("dst-gap", "course-override.yaml").meetings
    assert mt.start.isoformat() == "2020-03-08T03:00:00-04:00"


# --- holidays, breaks, week numbering --------------------------------------------------------


def test_a_holiday_on_a_lecture_day_is_a_conflict_by_default():
    assert problems("holiday") == [
        (
            "tests/fixtures/expand/holiday/course.yaml:23:9: meeting L03 (sessions 03-1, 03-2) falls on "
            "Mon 2020-02-17, a no-class day (Presidents' Day) [tests/fixtures/expand/holiday/term.yaml:8:5] "
            "(set on_conflict: shift or drop, or add an override)"
        )
    ]


def test_a_holiday_on_a_day_without_a_meeting_changes_nothing():
    s = schedule("holiday", "course-practicum-only.yaml")
    assert [(mt.id, mt.week, local(mt)[0]) for mt in s.meetings] == [
        ("L01", 1, "2020-02-03"),
        ("P01", 1, "2020-02-04"),
        ("L02", 2, "2020-02-10"),
        ("P02", 2, "2020-02-11"),
        ("P03", 3, "2020-02-18"),
        ("L04", 4, "2020-02-24"),
        ("P04", 4, "2020-02-25"),
    ]
    assert not any(mt.start.date() == dt.date(2020, 2, 17) for mt in s.meetings)
    assert all(mt.moved_from is None and mt.status == "confirmed" for mt in s.meetings)


def test_a_break_swallowing_a_whole_week_is_not_a_course_week():
    s = schedule("break-remote")
    assert s.week_starts == (dt.date(2020, 3, 2), dt.date(2020, 3, 9), dt.date(2020, 3, 23), dt.date(2020, 3, 30))
    assert [(mt.id, mt.week, local(mt)[0]) for mt in s.meetings] == [
        ("L01", 1, "2020-03-02"),
        ("P01", 1, "2020-03-03"),
        ("L02", 2, "2020-03-09"),
        ("P02", 2, "2020-03-10"),
        ("L03", 3, "2020-03-23"),
        ("P03", 3, "2020-03-24"),
        ("L04", 4, "2020-03-30"),
        ("P04", 4, "2020-03-31"),
    ]
    assert s.week_of(dt.date(2020, 3, 18)) is None
    assert s.week_of(dt.date(2020, 3, 25)) == 3


def test_a_session_in_a_week_the_term_does_not_have():
    assert problems("break-remote", term="../dst-new-york/term.yaml") == [
        (
            "tests/fixtures/expand/break-remote/course.yaml:25:11: week 3 is not in term dst-ny-term, which has 2 "
            "course weeks (2020-03-02 to 2020-03-13)"
        ),
        (
            "tests/fixtures/expand/break-remote/course.yaml:29:11: week 4 is not in term dst-ny-term, which has 2 "
            "course weeks (2020-03-02 to 2020-03-13)"
        ),
    ]


def test_a_term_across_the_new_year_in_another_zone():
    s = schedule("year-boundary")
    # The break takes two calendar weeks: the second only on its working days (the weekend after
    # New Year's Day is outside it), which is still no course week.
    assert s.week_starts == (dt.date(2020, 12, 7), dt.date(2020, 12, 14), dt.date(2021, 1, 4), dt.date(2021, 1, 11))
    assert [mt.start.isoformat() for mt in s.meetings] == [
        "2020-12-10T08:00:00+07:00",
        "2020-12-17T08:00:00+07:00",
        "2021-01-07T08:00:00+07:00",
        "2021-01-14T08:00:00+07:00",
    ]
    assert [mt.week for mt in s.meetings] == [1, 2, 3, 4]
    assert {mt.tz for mt in s.meetings} == {"Asia/Ho_Chi_Minh"}
    assert utc(s.meetings[0].start) == "2020-12-10 01:00"


def test_course_weeks_follow_week_start():
    term = load_term(FIXTURES / "year-boundary/term.yaml")
    sunday_weeks = course_weeks(dataclasses.replace(term, week_start=6))
    assert sunday_weeks[0] == dt.date(2020, 12, 6)
    assert all(day.weekday() == 6 for day in sunday_weeks)


# --- substitution days ----------------------------------------------------------------------


def test_a_substitution_day_runs_the_followed_weekday_and_only_it():
    # Thursday 2021-02-18 follows Monday: the Monday lecture (Monday is a holiday) happens that
    # Thursday; the Thursday seminar of that week has no day, which is a conflict.
    assert problems("substitution") == [
        (
            "tests/fixtures/expand/substitution/course.yaml:20:9: meeting S02 (session 02-2) falls on "
            "Thu 2021-02-18, a day that follows a Mon schedule [tests/fixtures/expand/substitution/term.yaml:11:5] "
            "(set on_conflict: shift or drop, or add an override)"
        )
    ]
    meetings = by_id(schedule("substitution", on_conflict="drop"))
    assert local(meetings["L02"]) == ("2021-02-18", "16:55", "18:35")
    assert meetings["L02"].week == 2
    assert meetings["L02"].moved_from.isoformat() == "2021-02-15T16:55:00-05:00"
    assert meetings["S02"].status == "cancelled"
    assert local(meetings["S02"]) == ("2021-02-18", "14:00", "15:15")
    assert [mt.status for mt in meetings.values()].count("cancelled") == 1


def test_a_substitution_day_does_not_duplicate_a_meeting_that_kept_its_day():
    s = schedule("substitution", "course-lectures.yaml", "term-no-holiday.yaml")
    assert [local(mt)[0] for mt in s.meetings] == ["2021-02-08", "2021-02-15", "2021-02-22"]
    assert all(mt.moved_from is None for mt in s.meetings)


def test_a_substitution_day_earlier_in_the_week():
    # Tuesday 2020-11-24 follows Thursday (Thanksgiving): the lecture moves back to Tuesday, at
    # its own time; the Tuesday recitation of that week has no day.
    assert problems("thanksgiving") == [
        (
            "tests/fixtures/expand/thanksgiving/course.yaml:19:9: meeting R02 (session 02-1) falls on "
            "Tue 2020-11-24, a day that follows a Thu schedule [tests/fixtures/expand/thanksgiving/term.yaml:12:5] "
            "(set on_conflict: shift or drop, or add an override)"
        )
    ]
    meetings = by_id(schedule("thanksgiving", on_conflict="drop"))
    assert meetings["L02"].start.isoformat() == "2020-11-24T14:00:00-06:00"
    assert meetings["L02"].moved_from.isoformat() == "2020-11-26T14:00:00-06:00"
    assert meetings["R02"].status == "cancelled"
    assert [mt.id for mt in schedule("thanksgiving", on_conflict="drop").meetings] == [
        "R01", "L01", "R02", "L02", "R03", "L03",
    ]  # fmt: skip


# --- overrides and location changes ----------------------------------------------------------


def test_overrides_move_retime_relocate_and_cancel():
    s = schedule("overrides")
    meetings = by_id(s)
    # Another date (and a lecture rescued from a holiday by an override: no conflict).
    assert local(meetings["L01"]) == ("2020-01-29", "16:55", "18:35")
    assert meetings["L01"].moved_from.isoformat() == "2020-01-27T16:55:00-05:00"
    assert local(meetings["L03"]) == ("2020-02-12", "16:55", "18:35")
    assert meetings["L03"].moved_from.isoformat() == "2020-02-10T16:55:00-05:00"
    assert meetings["L03"].week == 3
    # Another time, same day.
    assert local(meetings["L02"]) == ("2020-02-03", "10:00", "11:40")
    assert meetings["L02"].moved_from.isoformat() == "2020-02-03T16:55:00-05:00"
    # Another place, same time.
    assert (meetings["P02"].location.name, meetings["P02"].location.url) == ("Room 101", "https://example.edu/101")
    assert local(meetings["P02"]) == ("2020-02-04", "19:10", "20:00")
    assert meetings["P02"].moved_from is None
    # Cancelled: still listed, on its date.
    assert meetings["P03"].status == "cancelled"
    assert local(meetings["P03"]) == ("2020-02-11", "19:10", "20:00")
    # An override for another term does not apply.
    assert meetings["P01"].status == "confirmed"
    assert [mt.status for mt in s.meetings].count("cancelled") == 1
    assert [mt.start for mt in s.meetings] == sorted(mt.start for mt in s.meetings)


def test_an_override_cancelling_a_meeting_on_a_holiday_resolves_the_conflict():
    course = load_course(FIXTURES / "holiday/course.yaml")
    term = load_term(FIXTURES / "holiday/term.yaml")
    off = dataclasses.replace(course, overrides=(Override(meeting="L03", cancelled=True),))
    meetings = by_id(expand(off, term))
    assert meetings["L03"].status == "cancelled"
    assert meetings["L03"].start.isoformat() == "2020-02-17T16:55:00-05:00"
    assert local(meetings["L04"]) == ("2020-02-24", "16:55", "18:35")


def test_overrides_that_cannot_be():
    assert problems("overrides", "course-bad.yaml") == [
        (
            "tests/fixtures/expand/overrides/course-bad.yaml:12:5: override moves L01 to 2020-02-10, a no-class day "
            "(Snow day) [tests/fixtures/expand/overrides/term.yaml:8:5]"
        ),
        "tests/fixtures/expand/overrides/course-bad.yaml:13:5: override of L02: end 18:35 is not after start 19:00",
    ]


def test_remote_from_a_date():
    s = schedule("break-remote")
    where = {local(mt)[0]: (mt.location.name, mt.location.url) for mt in s.meetings}
    gcasl = "http://library.nyu.edu/services/campus-media/classrooms/gcasl-c95/"
    assert where["2020-03-09"] == ("GCASL C95", gcasl)
    assert where["2020-03-10"] == ("GCASL C95", None)
    for day in ("2020-03-23", "2020-03-24", "2020-03-30", "2020-03-31"):
        assert where[day] == ("Zoom", None)


def test_a_course_location_change_for_one_kind_wins_over_the_term():
    where = {mt.id: mt.location.name for mt in schedule("break-remote", "course-kinds.yaml").meetings}
    assert where == {
        "L01": "GCASL C95", "P01": "GCASL C95", "L02": "GCASL C95", "P02": "GCASL C95",
        "L03": "Zoom", "P03": "Lab 2", "L04": "Zoom", "P04": "Lab 2",
    }  # fmt: skip


# --- conflict policies ------------------------------------------------------------------------


def test_shift_pushes_each_displaced_meeting_on():
    s = schedule("holiday", on_conflict="shift")
    rows = [(mt.id, mt.week, local(mt)[0], mt.moved_from and mt.moved_from.isoformat()) for mt in s.meetings]
    assert rows == [
        ("L01", 1, "2020-02-03", None),
        ("P01", 1, "2020-02-04", None),
        ("L02", 2, "2020-02-10", None),
        ("P02", 2, "2020-02-11", None),
        ("P03", 3, "2020-02-18", None),
        ("L03", 3, "2020-02-24", "2020-02-17T16:55:00-05:00"),
        ("P04", 4, "2020-02-25", None),
        ("L04", 4, "2020-03-02", "2020-02-24T16:55:00-05:00"),
    ]
    lectures = [mt for mt in s.meetings if mt.kind == "lecture"]
    assert [mt.id for mt in lectures] == ["L01", "L02", "L03", "L04"]  # order kept
    assert all(mt.status == "confirmed" for mt in s.meetings)


def test_shift_past_the_last_day_is_an_error():
    assert problems("holiday", term="term-short.yaml", on_conflict="shift") == [
        (
            "tests/fixtures/expand/holiday/course.yaml:27:9: meeting L04 (session 04-1) cannot be shifted: no lecture "
            "slot is left on or before the last day of classes (2020-02-25)"
        )
    ]


def test_drop_keeps_the_meeting_as_cancelled():
    s = schedule("holiday", term="term-short.yaml", on_conflict="drop")
    meetings = by_id(s)
    assert meetings["L03"].status == "cancelled"
    assert meetings["L03"].start.isoformat() == "2020-02-17T16:55:00-05:00"
    assert meetings["L03"].moved_from is None
    assert [mt.id for mt in s.meetings if mt.cancelled] == ["L03"]
    assert local(meetings["L04"]) == ("2020-02-24", "16:55", "18:35")
    assert len(s.meetings) == 8


def test_the_course_option_is_the_default_policy():
    course = load_course(FIXTURES / "holiday/course.yaml")
    term = load_term(FIXTURES / "holiday/term.yaml")
    dropping = dataclasses.replace(course, options=dataclasses.replace(course.options, on_conflict="drop"))
    assert by_id(expand(dropping, term))["L03"].status == "cancelled"
    assert by_id(expand(dropping, term, on_conflict="shift"))["L03"].status == "confirmed"


# --- identity ---------------------------------------------------------------------------------


def test_uids_depend_only_on_course_term_and_meeting():
    course = load_course(FIXTURES / "break-remote/course.yaml")
    term = load_term(FIXTURES / "break-remote/term.yaml")
    week = dt.timedelta(days=7)
    later = dataclasses.replace(
        term,
        first_day=term.first_day + week,
        last_day=term.last_day + week,
        no_class=(),
        location_changes=(),
    )
    before, after = expand(course, term), expand(course, later)
    assert {mt.id: mt.uid for mt in before.meetings} == {mt.id: mt.uid for mt in after.meetings}
    assert [mt.start for mt in before.meetings] != [mt.start for mt in after.meetings]
    assert len({mt.uid for mt in before.meetings}) == len(before.meetings)
    assert all(mt.uid == uid_for("remote", "remote-term", mt.id) for mt in before.meetings)
    # Another term or another course (a translation is its own course) gives other UIDs.
    assert uid_for("remote", "other-term", "L01") != uid_for("remote", "remote-term", "L01")
    assert uid_for("remote-en", "remote-term", "L01") != uid_for("remote", "remote-term", "L01")
