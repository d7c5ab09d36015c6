"""The calendar feed, read back by parsers that share no code with icalendar (vobject, ical, ics)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib.util
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import icalendar
import ics
import pytest
import vobject
from ical.calendar_stream import IcsCalendarStream

from syllabus_export import model as m
from syllabus_export.expand import Schedule, expand
from syllabus_export.feed import _vtimezone, google_calendar_link, render_feeds, subscribe_links
from syllabus_export.listing import meeting_record
from syllabus_export.load import load_course, load_term
from syllabus_export.messages import kind_label

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"
UTC = dt.UTC
BUILD = dt.datetime(2020, 9, 16, tzinfo=UTC)
LATER = dt.datetime(2020, 10, 1, 12, tzinfo=UTC)


def render(schedule: Schedule, **kwargs) -> dict[str, bytes]:
    kwargs.setdefault("build_time", BUILD)
    return render_feeds(schedule, templates=TEMPLATES, **kwargs)


def feed(schedule: Schedule, **kwargs) -> bytes:
    return render(schedule, **kwargs)["calendar.ics"]


@pytest.fixture(scope="module")
def bundled() -> Schedule:
    return expand(load_course(ROOT / "data/courses/dlsp20.yaml"), load_term(ROOT / "data/terms/nyu-2020-spring.yaml"))


@pytest.fixture(scope="module")
def bundled_feed(bundled: Schedule) -> bytes:
    return feed(bundled)


def utc(value: dt.date) -> dt.date:
    return value.astimezone(UTC) if isinstance(value, dt.datetime) else value


def events_vobject(data: bytes) -> dict[str, dict]:
    def value(ev: vobject.base.Component, name: str):
        return ev.contents[name][0].value if name in ev.contents else None

    cal = vobject.readOne(data.decode("utf-8"))
    return {
        value(ev, "uid"): {
            "start": utc(value(ev, "dtstart")),
            "end": utc(value(ev, "dtend")),
            "summary": value(ev, "summary"),
            "location": value(ev, "location"),
            "description": value(ev, "description"),
            "sequence": int(value(ev, "sequence")),
            "status": value(ev, "status"),
        }
        for ev in cal.vevent_list
    }


def events_ical(data: bytes) -> dict[str, dict]:
    cal = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    return {
        ev.uid: {
            "start": utc(ev.dtstart),
            "end": utc(ev.dtend),
            "summary": ev.summary,
            "location": ev.location,
            "description": ev.description,
            "sequence": ev.sequence,
            "status": ev.status.value,
        }
        for ev in cal.events
    }


def events_ics(data: bytes) -> dict[str, dict]:
    cal = ics.Calendar(data.decode("utf-8"))
    return {
        ev.uid: {
            "start": ev.begin.datetime.astimezone(UTC),
            "end": ev.end.datetime.astimezone(UTC),
            "summary": ev.name,
            "location": ev.location,
        }
        for ev in cal.events
    }


PARSERS = [events_vobject, events_ical]


def expected(schedule: Schedule) -> dict[str, dict]:
    """What each meeting of ``list --json`` must look like in a calendar, from the record alone."""
    course = schedule.course
    result = {}
    for mt in schedule.meetings:
        r = meeting_record(mt, course.language)
        # topic first, the code last: a phone's list view shows about 30 characters
        summary = " / ".join(r["titles"]) + f" · {kind_label(course, r['kind'])} · {course.code}"
        result[r["uid"]] = {
            "start": dt.datetime.fromisoformat(r["start"]).astimezone(UTC),
            "end": dt.datetime.fromisoformat(r["end"]).astimezone(UTC),
            "summary": summary,
            "location": r["location"],
        }
    return result


def unfolded(data: bytes) -> list[str]:
    return data.decode("utf-8").replace("\r\n ", "").split("\r\n")


def prop(data: bytes, uid: str, name: str) -> str:
    """The raw value of property ``name`` in the VEVENT with ``uid``."""
    text = "\r\n".join(unfolded(data))
    block = next(b for b in text.split("BEGIN:VEVENT")[1:] if f"\r\nUID:{uid}\r\n" in b)
    return re.search(rf"\r\n{name}[;:]([^\r]*)", block).group(1)  # type: ignore[union-attr]


def sequences(data: bytes) -> dict[str, int]:
    return {uid: ev["sequence"] for uid, ev in events_vobject(data).items()}


# --- the bundled course, as other parsers read it ------------------------------------------------


@pytest.mark.parametrize("parse", PARSERS + [events_ics])
def test_every_meeting_and_nothing_else(bundled: Schedule, bundled_feed: bytes, parse) -> None:
    want = expected(bundled)
    got = {uid: {k: ev[k] for k in ("start", "end", "summary", "location")} for uid, ev in parse(bundled_feed).items()}
    assert len(want) == 27
    assert got == want


@pytest.mark.parametrize("parse", PARSERS)
def test_local_time_kept_across_dst(bundled_feed: bytes, parse) -> None:
    events = parse(bundled_feed)
    uid = "{}@dlsp20.nyu-2020-spring.syllabus-export"
    assert events[uid.format("L06")]["start"] == dt.datetime(2020, 3, 2, 21, 55, tzinfo=UTC)  # EST
    assert events[uid.format("L07")]["start"] == dt.datetime(2020, 3, 9, 20, 55, tzinfo=UTC)  # EDT
    assert events[uid.format("P07")]["end"] == dt.datetime(2020, 3, 11, 0, 0, tzinfo=UTC)


def test_times_carry_the_term_zone(bundled_feed: bytes) -> None:
    lines = unfolded(bundled_feed)
    times = [line for line in lines if line.startswith(("DTSTART", "DTEND"))]
    vevent_times = [t for t in times if "TZID=" in t]
    assert len(vevent_times) == 2 * 27
    assert all(t.split(":", 1)[0].endswith(";TZID=America/New_York") for t in vevent_times)
    assert not any(t.endswith("Z") for t in times)


def test_calendar_properties(bundled_feed: bytes) -> None:
    lines = unfolded(bundled_feed)
    head = lines[: lines.index("BEGIN:VTIMEZONE")]
    for line in (
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "NAME:DS-GA 1008 · HỌC SÂU · Học kỳ mùa xuân 2020",
        "X-WR-CALNAME:DS-GA 1008 · HỌC SÂU · Học kỳ mùa xuân 2020",
        "X-WR-TIMEZONE:America/New_York",
        "REFRESH-INTERVAL;VALUE=DURATION:PT12H",
        "X-PUBLISHED-TTL:PT12H",
    ):
        assert line in head
    assert any(line.startswith("PRODID:") for line in head)
    assert any(line.startswith("DESCRIPTION:Khóa học") for line in head)
    assert any(line.startswith("X-WR-CALDESC:Khóa học") for line in head)
    assert not any(line.startswith(("SOURCE", "URL")) for line in head)  # no feed_url given


def test_event_properties(bundled: Schedule, bundled_feed: bytes) -> None:
    uid = "L01@dlsp20.nyu-2020-spring.syllabus-export"
    assert prop(bundled_feed, uid, "URL") == "https://atcold.github.io/NYU-DLSP20/vi/Week01/01-1"
    assert prop(bundled_feed, uid, "CATEGORIES") == "Bài giảng"
    assert prop(bundled_feed, uid, "STATUS") == "CONFIRMED"
    assert prop(bundled_feed, uid, "TRANSP") == "OPAQUE"
    assert prop(bundled_feed, uid, "CLASS") == "PUBLIC"
    assert prop(bundled_feed, uid, "DTSTAMP") == "20200916T000000Z"
    assert prop(bundled_feed, uid, "LAST-MODIFIED") == "20200916T000000Z"
    assert prop(bundled_feed, uid, "SEQUENCE") == "0"
    description = events_ical(bundled_feed)[uid]["description"]
    # every link labelled: a title's page under the title, the place's link under its name
    assert "Lịch sử và cảm hứng: https://atcold.github.io/NYU-DLSP20/vi/Week01/01-1\n" in description
    assert "Sự phát triển và học sâu: https://atcold.github.io/NYU-DLSP20/vi/Week01/01-2" in description
    assert "Slides: https://drive.google.com/open?id=1Q7LtZyIS1f3TfeTGll3aDtWygh3GAfCb" in description
    assert "Video: https://www.youtube.com/watch?v=0bMe_vCZo30" in description
    assert description.endswith("\n\nGCASL C95: http://library.nyu.edu/services/campus-media/classrooms/gcasl-c95/")
    assert "Địa điểm" not in description  # the place is the event's LOCATION, not repeated here
    practicum = events_ical(bundled_feed)["P01@dlsp20.nyu-2020-spring.syllabus-export"]["description"]
    assert "Notebook 1: https://" in practicum and "Notebook 2: https://" in practicum
    assert "BEGIN:VALARM" not in bundled_feed.decode()  # reminders are off by default
    assert b"VALUE=DATE" not in bundled_feed  # so are no-class events


def test_events_in_time_order(bundled_feed: bytes) -> None:
    starts = [ev["start"] for ev in events_vobject(bundled_feed).values()]
    assert starts == sorted(starts)


def test_vtimezone_covers_only_the_term(bundled_feed: bytes) -> None:
    cal = icalendar.Calendar.from_ical(bundled_feed)
    (tz,) = cal.walk("VTIMEZONE")
    onsets = [(sub.name, sub.decoded("DTSTART")) for sub in tz.subcomponents]
    assert onsets == [("STANDARD", dt.datetime(2020, 1, 27)), ("DAYLIGHT", dt.datetime(2020, 3, 8, 2))]
    assert b"RDATE" not in bundled_feed and b"RRULE" not in bundled_feed


@pytest.mark.parametrize("zone", ["America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Ho_Chi_Minh"])
def test_vtimezone_agrees_with_tzdata_over_years(zone: str) -> None:
    """Read by vobject (which follows the file's VTIMEZONE), every existing local time has tzdata's offset."""
    tzinfo = ZoneInfo(zone)
    cal = icalendar.Calendar()
    cal.add_component(_vtimezone(tzinfo, dt.date(2018, 6, 1), dt.date(2021, 6, 1)))
    theirs = vobject.readOne(cal.to_ical().decode()).vtimezone.gettzinfo()
    assert b"RDATE" not in cal.to_ical()
    day = dt.date(2018, 6, 1)
    while day < dt.date(2021, 6, 1):
        # every half hour of the days around a change, noon on the others
        near = {dt.datetime.combine(day + n * dt.timedelta(days=1), dt.time(), tzinfo).utcoffset() for n in (-1, 2)}
        times = [dt.time(h, mm) for h in range(24) for mm in (0, 30)] if len(near) > 1 else [dt.time(12)]
        for t in (dt.datetime.combine(day, time) for time in times):
            ours = t.replace(tzinfo=tzinfo)
            if ours.astimezone(UTC).astimezone(tzinfo).replace(tzinfo=None) == t:  # skip times DST skips
                assert t.replace(tzinfo=theirs).utcoffset() == ours.utcoffset(), t
        day += dt.timedelta(days=1)


# --- reproducible, and the published state -------------------------------------------------------


def test_rebuild_is_byte_identical(bundled: Schedule, bundled_feed: bytes) -> None:
    assert feed(bundled) == bundled_feed
    assert feed(bundled, previous=bundled_feed) == bundled_feed


def test_unchanged_rebuild_keeps_sequence_and_last_modified(bundled: Schedule, bundled_feed: bytes) -> None:
    again = feed(bundled, previous=bundled_feed, build_time=LATER)
    assert again.replace(b"DTSTAMP:20201001T120000Z", b"DTSTAMP:20200916T000000Z") == bundled_feed


def test_moving_the_term_by_a_week_changes_every_sequence(bundled: Schedule, bundled_feed: bytes, tmp_path) -> None:
    text = (ROOT / "data/terms/nyu-2020-spring.yaml").read_text(encoding="utf-8")
    shifted = re.sub(
        r"\b(\d{4}-\d{2}-\d{2})\b", lambda g: str(dt.date.fromisoformat(g.group(1)) + dt.timedelta(days=7)), text
    )
    (tmp_path / "term.yaml").write_text(shifted, encoding="utf-8")
    moved = expand(bundled.course, load_term(tmp_path / "term.yaml"))
    after = feed(moved, previous=bundled_feed, build_time=LATER)
    before_events, after_events = events_vobject(bundled_feed), events_vobject(after)
    assert after_events.keys() == before_events.keys()
    assert all(ev["sequence"] == 1 for ev in after_events.values())
    ny = ZoneInfo("America/New_York")
    for uid, event in after_events.items():  # the same wall-clock time a week later, across DST too
        was = before_events[uid]["start"].astimezone(ny).replace(tzinfo=None)
        assert event["start"].astimezone(ny).replace(tzinfo=None) == was + dt.timedelta(days=7)
    assert set(re.findall(rb"LAST-MODIFIED:(\w+)", after)) == {b"20201001T120000Z"}
    assert after.count(b"STATUS:CANCELLED") == 0


def test_one_changed_meeting_changes_only_its_sequence(bundled: Schedule, bundled_feed: bytes) -> None:
    changed = dataclasses.replace(bundled.meetings[4], location=m.Location(name="Room 101"))
    schedule = dataclasses.replace(bundled, meetings=bundled.meetings[:4] + (changed,) + bundled.meetings[5:])
    after = feed(schedule, previous=bundled_feed, build_time=LATER)
    seqs = sequences(after)
    assert seqs.pop(changed.uid) == 1
    assert set(seqs.values()) == {0}
    assert prop(after, changed.uid, "LAST-MODIFIED") == "20201001T120000Z"
    assert prop(after, bundled.meetings[0].uid, "LAST-MODIFIED") == "20200916T000000Z"
    # changing it back is another change: SEQUENCE goes on up, never back to 0
    back = feed(bundled, previous=after, build_time=LATER + dt.timedelta(days=1))
    assert sequences(back)[changed.uid] == 2
    assert feed(bundled, previous=back, build_time=LATER + dt.timedelta(days=2)).count(b"SEQUENCE:2") == 1


def test_sequence_never_goes_backwards(bundled: Schedule, bundled_feed: bytes) -> None:
    previous = bundled_feed.replace(b"SEQUENCE:0", b"SEQUENCE:7")
    assert set(sequences(feed(bundled, previous=previous)).values()) == {7}
    # a LAST-MODIFIED later than this build's time is kept, not moved back
    previous = bundled_feed.replace(b"LAST-MODIFIED:20200916T000000Z", b"LAST-MODIFIED:20301231T000000Z")
    changed = dataclasses.replace(bundled.meetings[0], location=m.Location(name="Room 101"))
    schedule = dataclasses.replace(bundled, meetings=(changed,) + bundled.meetings[1:])
    assert prop(feed(schedule, previous=previous), changed.uid, "LAST-MODIFIED") == "20301231T000000Z"


def test_removed_meeting_is_published_as_cancelled(bundled: Schedule, bundled_feed: bytes) -> None:
    gone = bundled.meetings[3]
    schedule = dataclasses.replace(bundled, meetings=bundled.meetings[:3] + bundled.meetings[4:])
    after = feed(schedule, previous=bundled_feed, build_time=LATER)
    for parse in PARSERS:
        events = parse(after)
        assert len(events) == 27
        assert events[gone.uid]["status"] == "CANCELLED"
        assert events[gone.uid]["sequence"] == 1
        assert events[gone.uid]["summary"].startswith("[Đã hủy] ")
        assert sum(ev["status"] == "CANCELLED" for ev in events.values()) == 1
    assert prop(after, gone.uid, "TRANSP") == "TRANSPARENT"
    # a later build keeps the cancellation as it was
    again = feed(schedule, previous=after, build_time=LATER + dt.timedelta(days=3))
    assert sequences(again)[gone.uid] == 1
    assert prop(again, gone.uid, "LAST-MODIFIED") == "20201001T120000Z"
    assert again.count(b"[\xc4\x90\xc3\xa3 h\xe1\xbb\xa7y]") == 1
    # and bringing the meeting back revives it with a higher SEQUENCE
    revived = feed(bundled, previous=again, build_time=LATER + dt.timedelta(days=4))
    assert sequences(revived)[gone.uid] == 2
    assert events_vobject(revived)[gone.uid]["status"] == "CONFIRMED"


@pytest.mark.parametrize(
    "garbage",
    [
        b"",
        b"\x00\xff\xfe not a calendar",
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:L01@dlsp20.nyu-2020-spring.syllabus-export\r\nSEQUENCE:x",
        (
            b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:L01@dlsp20.nyu-2020-spring.syllabus-export\r\nSEQUENCE:x\r\n"
            b"DTSTART:garbage\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        ),
        "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".encode("utf-16"),
    ],
)
def test_garbage_previous_is_no_previous(bundled: Schedule, bundled_feed: bytes, garbage: bytes) -> None:
    after = feed(bundled, previous=garbage)
    assert len(events_vobject(after)) == 27
    assert max(sequences(after).values()) <= 1


def test_another_courses_feed_leaves_no_trace(bundled: Schedule, bundled_feed: bytes) -> None:
    other = bundled_feed.replace(b"@dlsp20.nyu-2020-spring.", b"@other.nyu-2020-spring.")
    assert feed(bundled, previous=other) == bundled_feed


# --- text: escaping, injection, folding ----------------------------------------------------------


def with_first_title(schedule: Schedule, title: str) -> Schedule:
    first = schedule.meetings[0]
    session = dataclasses.replace(first.sessions[0], title=title)
    meeting = dataclasses.replace(first, sessions=(session,) + first.sessions[1:])
    return dataclasses.replace(schedule, meetings=(meeting,) + schedule.meetings[1:])


def test_line_breaks_in_a_title_cannot_inject(bundled: Schedule) -> None:
    evil = "x\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil\nSUMMARY:pwned\rDTSTART:20200101T000000Z"
    data = feed(with_first_title(bundled, evil))
    lines = data.split(b"\r\n")
    assert lines.count(b"BEGIN:VEVENT") == lines.count(b"END:VEVENT") == 27
    assert not any(line.startswith((b"UID:evil", b"SUMMARY:pwned", b"DTSTART:20200101")) for line in lines)
    for parse in PARSERS:
        events = parse(data)
        assert len(events) == 27 and "evil" not in events
        first = events[bundled.meetings[0].uid]
        assert first["description"].startswith(evil.replace("\r\n", "\n").replace("\r", "\n"))
        assert "x END:VEVENT BEGIN:VEVENT UID:evil SUMMARY:pwned DTSTART:20200101T000000Z /" in first["summary"]


def test_punctuation_round_trips(bundled: Schedule) -> None:
    title = 'Commas, semicolons; back\\slashes "quotes" :colons'
    data = feed(with_first_title(bundled, title))
    assert r"Commas\, semicolons\; back\\slashes" in data.decode()
    for parse in PARSERS + [events_ics]:
        assert title in parse(data)[bundled.meetings[0].uid]["summary"]


def test_folding_never_splits_a_character(bundled: Schedule) -> None:
    title = "Học sâu cho Xử lý ngôn ngữ tự nhiên — ước lượng, tối ưu hóa; và điều chuẩn " * 4
    data = feed(with_first_title(bundled, title.strip()))
    raw_lines = data.split(b"\r\n")
    assert raw_lines[-1] == b"" and b"\n" not in data.replace(b"\r\n", b"")
    assert max(len(line) for line in raw_lines) <= 75
    for line in raw_lines:
        line.decode("utf-8")  # a line that ends inside a character would not decode on its own
    assert sum(line.startswith(b" ") for line in raw_lines) > 20
    for parse in PARSERS:
        assert title.strip() in parse(data)[bundled.meetings[0].uid]["summary"]


# --- options, on a small course ------------------------------------------------------------------

TERM = """\
id: demo-term
name: {en: Autumn 2021, fr: Automne 2021}
timezone: Europe/Paris
first_day: 2021-10-18
last_day: 2021-11-10
no_class:
  - date: 2021-11-01
    name: {en: All Saints, fr: Toussaint}
"""

COURSE = """\
id: demo
language: fr
term: demo-term
code: INF 101
title: Démo
institution: {label: Université}
instructors: [A. Prof]
patterns:
  lecture: {weekday: Mon, start: "10:00", end: "11:30", location: {name: "Amphi A, bât. 1", url: "https://ex.org/a"}}
  practicum: {weekday: Wed, start: "14:00", end: "15:00", location: Salle 2}
weeks:
  - week: 1
    meetings:
      - {kind: lecture, sessions: [{id: "1a", title: Un, url: "https://ex.org/1a"}]}
      - {kind: practicum, sessions: [{id: "1b", title: Deux}]}
  - week: 2
    meetings:
      - {kind: lecture, sessions: [{id: "2a", title: Trois}]}
      - {kind: practicum, sessions: [{id: "2b", title: Quatre}]}
  - week: 3
    meetings:
      - {kind: lecture, sessions: [{id: "3a", title: Cinq}]}
      - {kind: practicum, sessions: [{id: "3b", title: Six}]}
overrides:
  - {meeting: P02, cancelled: true}
  - {meeting: L03, date: 2021-11-02, start: "09:00", end: "10:30"}
"""


def small(tmp_path: Path, options: str = "") -> Schedule:
    (tmp_path / "course.yaml").write_text(COURSE + options, encoding="utf-8")
    (tmp_path / "term.yaml").write_text(TERM, encoding="utf-8")
    return expand(load_course(tmp_path / "course.yaml"), load_term(tmp_path / "term.yaml"))


OPTIONS = """\
options:
  reminders: [15, 60]
  no_class_events: true
  feeds_per_kind: true
"""
URL = "https://example.edu/demo/demo-term/calendar.ics"


def test_options_reminders_no_class_days_and_feeds_per_kind(tmp_path: Path) -> None:
    schedule = small(tmp_path, OPTIONS)
    feeds = render(schedule, feed_url=URL)
    assert sorted(feeds) == ["calendar-lecture.ics", "calendar-practicum.ics", "calendar.ics"]
    data = feeds["calendar.ics"]
    cal = vobject.readOne(data.decode())
    by_uid = {ev.uid.value: ev for ev in cal.vevent_list}
    assert len(by_uid) == 7  # six meetings and one no-class day
    lecture = by_uid["L01@demo.demo-term.syllabus-export"]
    assert [a.trigger.value for a in lecture.valarm_list] == [-dt.timedelta(minutes=15), -dt.timedelta(minutes=60)]
    assert all(a.action.value == "DISPLAY" for a in lecture.valarm_list)
    cancelled = by_uid["P02@demo.demo-term.syllabus-export"]
    assert cancelled.status.value == "CANCELLED" and "valarm" not in cancelled.contents
    assert cancelled.summary.value == "[Annulé] Quatre · Travaux pratiques · INF 101"
    moved = by_uid["L03@demo.demo-term.syllabus-export"]
    assert moved.dtstart.value == dt.datetime(2021, 11, 2, 9, tzinfo=moved.dtstart.value.tzinfo)
    assert moved.description.value.startswith("Cinq\n")  # the titles first
    assert moved.description.value.endswith("\n\nDéplacé du lundi 1 novembre 2021, 10:00.")  # the move: one line, last
    holiday = by_uid["no-class+2021-11-01@demo.demo-term.syllabus-export"]
    assert (holiday.dtstart.value, holiday.dtend.value) == (dt.date(2021, 11, 1), dt.date(2021, 11, 2))
    assert holiday.transp.value == "TRANSPARENT" and holiday.summary.value == "INF 101 · Pas de cours\u00a0: Toussaint"
    assert "valarm" not in holiday.contents
    lines = unfolded(data)
    assert f"SOURCE:{URL}" in lines and f"URL:{URL}" in lines
    assert "X-WR-CALNAME:INF 101 · Démo · Automne 2021" in lines
    # one kind per feed, the no-class day in each, each with its own URL and name
    lectures = vobject.readOne(feeds["calendar-lecture.ics"].decode())
    ids = sorted(ev.uid.value.split("@")[0] for ev in lectures.vevent_list)
    assert ids == ["L01", "L02", "L03", "no-class+2021-11-01"]
    assert "X-WR-CALNAME:INF 101 · Démo · Automne 2021 · Cours" in unfolded(feeds["calendar-lecture.ics"])
    assert f"URL:{URL[:-4]}-lecture.ics" in unfolded(feeds["calendar-lecture.ics"])
    for parse in PARSERS:
        assert len(parse(feeds["calendar-practicum.ics"])) == 4


def test_withdrawn_events_go_to_their_kinds_feed(tmp_path: Path) -> None:
    schedule = small(tmp_path, OPTIONS)
    first = render(schedule)["calendar.ics"]
    fewer = dataclasses.replace(schedule, meetings=tuple(mt for mt in schedule.meetings if mt.id != "P01"))
    feeds = render(fewer, previous=first, build_time=LATER)
    assert b"P01@" in feeds["calendar-practicum.ics"] and b"P01@" not in feeds["calendar-lecture.ics"]
    assert events_vobject(feeds["calendar-practicum.ics"])["P01@demo.demo-term.syllabus-export"]["sequence"] == 1


def test_turning_no_class_events_off_cancels_them(tmp_path: Path) -> None:
    first = render(small(tmp_path, OPTIONS))["calendar.ics"]
    after = feed(small(tmp_path), previous=first, build_time=LATER)
    holiday = events_vobject(after)["no-class+2021-11-01@demo.demo-term.syllabus-export"]
    assert (holiday["status"], holiday["sequence"]) == ("CANCELLED", 1)


def test_user_template(tmp_path: Path, bundled: Schedule) -> None:
    (tmp_path / "summary.txt").write_text("{{ kind }} {{ week }}\n— {{ sessions | join(', ') }}\n", encoding="utf-8")
    data = render_feeds(bundled, build_time=BUILD, templates=tmp_path)["calendar.ics"]
    assert events_ical(data)[bundled.meetings[0].uid]["summary"] == "Bài giảng 1 — 01-1, 01-2"


def test_build_time_must_be_utc(bundled: Schedule) -> None:
    with pytest.raises(ValueError):
        render(bundled, build_time=dt.datetime(2020, 9, 16))
    with pytest.raises(ValueError):
        render(bundled, build_time=dt.datetime(2020, 9, 16, tzinfo=ZoneInfo("America/New_York")))


# --- links ----------------------------------------------------------------------------------------


def test_google_calendar_link(bundled: Schedule) -> None:
    meeting = bundled.meetings[11]  # L07, the first lecture after the DST change
    link = google_calendar_link(meeting, bundled, templates=TEMPLATES)
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "calendar.google.com", "/calendar/render")
    query = {k: v[0] for k, v in parse_qs(parts.query, strict_parsing=True).items()}
    assert query["action"] == "TEMPLATE"
    assert query["dates"] == "20200309T165500/20200309T183500"
    assert query["ctz"] == "America/New_York"
    assert query["text"] == expected(bundled)[meeting.uid]["summary"]
    assert query["location"] == "GCASL C95"
    assert "https://atcold.github.io/NYU-DLSP20/vi/Week07/07-1" in query["details"]
    assert " " not in link and "\n" not in link


def test_subscribe_links() -> None:
    links = subscribe_links("https://example.edu/dlsp20/nyu-2020-spring/calendar.ics", "DS-GA 1008 · Học sâu")
    assert links["https"] == "https://example.edu/dlsp20/nyu-2020-spring/calendar.ics"
    assert links["webcal"] == "webcal://example.edu/dlsp20/nyu-2020-spring/calendar.ics"
    google = urlsplit(links["google"])
    assert (google.netloc, google.path) == ("calendar.google.com", "/calendar/render")
    assert google.query == "cid=webcal%3A%2F%2Fexample.edu%2Fdlsp20%2Fnyu-2020-spring%2Fcalendar.ics"
    for key, host in (("outlook_live", "outlook.live.com"), ("office365", "outlook.office.com")):
        parts = urlsplit(links[key])
        assert (parts.netloc, parts.path) == (host, "/calendar/0/addfromweb/")
        assert parse_qs(parts.query) == {"url": [links["https"]], "name": ["DS-GA 1008 · Học sâu"]}
    assert all(" " not in link for link in links.values())
    assert subscribe_links("webcal://example.edu/c.ics", "x")["https"] == "https://example.edu/c.ics"
    with pytest.raises(ValueError):
        subscribe_links("calendar.ics", "x")


@pytest.mark.skipif(
    importlib.util.find_spec("syllabus_export.templates") is None, reason="needs the installed package data"
)
def test_packaged_default_template(bundled: Schedule, bundled_feed: bytes) -> None:
    assert render_feeds(bundled, build_time=BUILD)["calendar.ics"] == bundled_feed


def test_folding_is_icalendars() -> None:
    """The feed folds its lines itself (faster): byte for byte as icalendar's to_ical, never inside
    a UTF-8 character, never between a backslash and what it escapes."""
    import random

    from icalendar.parser.string import _foldline

    from syllabus_export.feed import _fold

    rng = random.Random(3)
    alphabet = ["a", "Z", " ", "\\", "^", ";", ",", ":", "ễ", "Đ", "ж", "€", "😀", "\\n", "\\,"]
    lines = ["", "x" * 74, "x" * 75, "x" * 73 + "\\n", "ễ" * 30, "😀" * 40]
    lines += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 300))) for _ in range(3000)]
    for line in lines:
        folded = _fold(line)
        assert folded == _foldline(line).encode("utf-8"), line
        assert all(len(piece) <= 75 for piece in folded.split(b"\r\n"))
        folded.decode("utf-8")
        for piece in folded.split(b"\r\n"):
            piece.decode("utf-8")  # no piece ends or starts inside a character


def test_bundled_feed_is_icalendars_serialisation(bundled: Schedule, bundled_feed: bytes) -> None:
    assert icalendar.Calendar.from_ical(bundled_feed).to_ical() == bundled_feed
