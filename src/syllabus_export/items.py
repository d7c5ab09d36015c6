"""Exams, deadlines and office hours on their dates: what students need most besides the meetings.

Pure, like ``expand`` (which calls ``date_items`` once the meetings are dated): dates first, zone
last. The rules:

* a relative date (``on:``, or ``due:`` with week, weekday and time) is a day of the term's course
  weeks, so it rolls over with the term; a course week the term lacks, or a day outside the term,
  is an error at its place; on a no-class day it is a warning (an exam or a deadline dated on
  purpose still takes place);
* an absolute date outside the term is an error at its place;
* an exam at the same time as one of the course's meetings is a warning;
* office hours recur on their weekday in every course week, skipping no-class days (they do not
  follow a substitution day's schedule: a person's week does not change with the timetable);
* every item's UID comes from course, term and item id (``item_uid``); an office-hours event's
  id is its slot's id and its course week (``alfredo-canziani-wed-w03``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, get_args
from zoneinfo import ZoneInfo

from syllabus_export import model as m
from syllabus_export.errors import Pos, Problem, Problems

if TYPE_CHECKING:
    from syllabus_export.expand import Meeting

ItemKind = Literal["exam", "deadline", "office_hours"]
ITEM_KINDS: tuple[ItemKind, ...] = get_args(ItemKind)
DAY = dt.timedelta(days=1)


@dataclass(frozen=True, kw_only=True)
class Item:
    """An exam, a deadline or one office-hours session on its date: one object of ``list --json``."""

    kind: ItemKind
    id: str
    uid: str
    course: str
    term: str
    week: int | None
    title: str
    url: str | None
    start: dt.datetime  # aware, in the term's zone
    end: dt.datetime  # a deadline's end is its due time, like its start
    tz: str
    location: m.Location | None = None
    status: m.Status = "confirmed"
    reminders: tuple[int, ...] = ()
    who: str | None = None  # office hours: the person
    pos: Pos = field(default=m.NOWHERE, compare=False, repr=False)

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"


def item_uid(course_id: str, term_id: str, kind: ItemKind, item_id: str) -> str:
    """An item's identity in every calendar: from course, term, its kind and its id only.

    The kind keeps an exam ``L01`` apart from the meeting ``L01`` ('+' is in no meeting id).
    """
    from syllabus_export.expand import uid_for

    return uid_for(course_id, term_id, f"{kind.replace('_', '-')}+{item_id}")


def date_items(
    course: m.Course, term: m.Term, weeks: tuple[dt.date, ...], meetings: tuple[Meeting, ...] | list[Meeting],
    problems: Problems,
) -> tuple[tuple[Item, ...], tuple[Problem, ...]]:
    """Every exam, deadline and office-hours session of ``course`` dated in ``term``, in time order,
    and the warnings; errors go to ``problems``."""
    if not (course.exams or course.deadlines or course.office_hours):
        return (), ()
    zone = ZoneInfo(term.timezone)
    closed = {day for period in term.no_class for day in _days(period.start, period.end)}
    notes: list[Problem] = []
    found: list[Item] = []

    def common(kind: ItemKind, item_id: str, day: dt.date) -> dict:
        week = next((n for n, start in enumerate(weeks, 1) if start <= day < start + 7 * DAY), None)
        return {"kind": kind, "id": item_id, "uid": item_uid(course.id, term.id, kind, item_id), "course": course.id,
                "term": term.id, "week": week, "tz": term.timezone}

    for exam in course.exams:
        day = _day(exam.date, exam.on, term, weeks, closed, f"exam {exam.id}", exam.date_pos, problems, notes)
        if day is None:
            continue
        start = _aware(day, exam.start, zone, f"exam {exam.id}", exam.date_pos, problems)
        end = _aware(day, exam.end, zone, f"exam {exam.id}", exam.date_pos, problems)
        status: m.Status = "cancelled" if exam.cancelled else "confirmed"
        found.append(Item(**common("exam", exam.id, day), title=exam.title, url=exam.url, start=start, end=end,
                          location=exam.location, status=status, reminders=course.options.reminders, pos=exam.pos))
        for mt in meetings:
            if not exam.cancelled and not mt.cancelled and mt.start < end and start < mt.end:
                notes.append(Problem(pos=exam.pos, message=(
                    f"exam {exam.id} ({start:%a %Y-%m-%d %H:%M}–{end:%H:%M}) is at the same time as "
                    f"meeting {mt.id} ({mt.start:%H:%M}–{mt.end:%H:%M})")))
    for deadline in course.deadlines:
        what = f"deadline {deadline.id}"
        day = _day(deadline.date, deadline.on, term, weeks, closed, what, deadline.date_pos, problems, notes)
        if day is None:
            continue
        due = _aware(day, deadline.time, zone, what, deadline.date_pos, problems)
        reminders = deadline.reminders if deadline.reminders is not None else course.options.deadline_reminders
        status = "cancelled" if deadline.cancelled else "confirmed"
        found.append(Item(**common("deadline", deadline.id, day), title=deadline.title, url=deadline.url, start=due,
                          end=due, status=status, reminders=reminders, pos=deadline.pos))
    for slot in course.office_hours:
        for number, week_start in enumerate(weeks, 1):
            day = week_start + ((slot.weekday - term.week_start) % 7) * DAY
            if not term.first_day <= day <= term.last_day or day in closed:
                continue
            what = f"office hours {slot.id}"
            start = _aware(day, slot.start, zone, what, slot.pos, problems)
            end = _aware(day, slot.end, zone, what, slot.pos, problems)
            item_id = f"{slot.id}-w{number:02d}"
            found.append(Item(**common("office_hours", item_id, day), title=slot.who, url=slot.url, start=start,
                              end=end, location=slot.location, who=slot.who, pos=slot.pos))
    found.sort(key=lambda item: (item.start, ITEM_KINDS.index(item.kind), item.id))
    return tuple(found), tuple(notes)


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + i * DAY for i in range((last - first).days + 1)]


def _day(
    date: dt.date | None, on: m.CourseDay | None, term: m.Term, weeks: tuple[dt.date, ...], closed: set[dt.date],
    what: str, where: Pos, problems: Problems, notes: list[Problem],
) -> dt.date | None:
    """The day an item is on: its date, or its course day in this term; None (and a problem) when
    the term has no such day."""
    if date is not None:
        if not term.first_day <= date <= term.last_day:
            problems.add(where, f"{what}: {date} is outside term {term.id} ({term.first_day} to {term.last_day})")
            return None
        return date
    assert on is not None
    if on.week > len(weeks):
        problems.add(where, f"{what}: week {on.week} is not in term {term.id}, which has {len(weeks)} course weeks "
                            f"({term.first_day} to {term.last_day})")
        return None
    day = weeks[on.week - 1] + ((on.weekday - term.week_start) % 7) * DAY
    if not term.first_day <= day <= term.last_day:
        problems.add(where, f"{what}: {m.WEEKDAYS[on.weekday]} of week {on.week} is {day}, outside term {term.id} "
                            f"({term.first_day} to {term.last_day})")
        return None
    if day in closed:
        name = next(m.localized(p.name, "en") for p in term.no_class if day in p)
        notes.append(Problem(pos=where, message=f"{what}: {m.WEEKDAYS[on.weekday]} of week {on.week} is {day}, "
                                                f"a no-class day ({name}); it stays on that day"))
    return day


def _aware(day: dt.date, time: dt.time, zone: ZoneInfo, what: str, where: Pos, problems: Problems) -> dt.datetime:
    """Wall clock first, zone last; a time the DST change skips is a problem, not a shift."""
    local = dt.datetime.combine(day, time, tzinfo=zone)
    if local.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        problems.add(where, f"{what}: {day} {time:%H:%M} does not exist in {zone.key} "
                            "(the clocks skip it for daylight saving time)")
    return local
