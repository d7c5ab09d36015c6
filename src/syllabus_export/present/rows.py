"""The schedule's rows (meetings, material without a meeting, the no-class and substitution days that
concern the course), its times and places, its sections and the names of its feeds."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from syllabus_export import model as m
from syllabus_export.errors import Pos
from syllabus_export.messages import kind_label, messages, resource_labels
from syllabus_export.present.formats import Formats, formats

if TYPE_CHECKING:
    from syllabus_export.expand import Meeting, Schedule


# --- the rows of the schedule -------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class SessionLine:
    id: str
    title: str  # without the whitespace around it: that is not content
    url: str | None
    pos: Pos  # where its id is written
    title_pos: Pos


@dataclass(frozen=True, kw_only=True)
class ResourceLink:
    label: str  # its own, or its kind's word in the course language (numbered when a kind repeats)
    url: str
    own_label: bool  # the file gave the label (else the course language's word for its kind)
    kind: str
    pos: Pos


@dataclass(frozen=True, kw_only=True)
class MeetingRow:
    """A class meeting on its local day."""

    meeting: Meeting
    week: int
    day: dt.date
    kind: str  # the kind's label in the course language
    section: str | None  # the section's name ("Section A") when its kind meets in sections
    sessions: tuple[SessionLine, ...]
    resources: tuple[ResourceLink, ...]
    moved_from: dt.datetime | None  # shown only for a meeting that still takes place

    @property
    def id(self) -> str:
        return self.meeting.id


@dataclass(frozen=True, kw_only=True)
class ExtraRow:
    """Material published without a class meeting."""

    entry: m.Entry
    week: int
    kind: str
    sessions: tuple[SessionLine, ...]
    resources: tuple[ResourceLink, ...]

    @property
    def id(self) -> str:
        return self.entry.id


@dataclass(frozen=True, kw_only=True)
class NoClassRow:
    """A holiday or a break, in the course week it falls in (None: a week the course skips)."""

    period: m.NoClass
    week: int | None
    name: str  # in the course language

    @property
    def day(self) -> dt.date:
        return self.period.start


@dataclass(frozen=True, kw_only=True)
class SubstitutionRow:
    """A day that follows another weekday's schedule, where that changes this course's meetings."""

    substitution: m.Substitution
    week: int | None
    follows: str  # "Follows a Monday schedule", in the course language
    name: str  # the day's name in the course language ("Legislative day"), or ""

    @property
    def day(self) -> dt.date:
        return self.substitution.date


Row = MeetingRow | ExtraRow | NoClassRow | SubstitutionRow


def rows(schedule: Schedule) -> tuple[Row, ...]:
    """The schedule's rows in date order: a day's no-class or substitution row first, then its
    meetings by time; material without a meeting at the end of its week (or of the schedule).

    Only the term's days that concern this course have a row: a no-class day on which the course
    would have met (or that takes a whole week), a substitution day on whose weekday or whose
    followed weekday the course meets. A Monday holiday says nothing to a Tuesday–Thursday course.
    """
    course, language = schedule.course, schedule.course.language
    keyed: list[tuple[tuple[Any, ...], Row]] = []
    for mt in schedule.meetings:
        row = MeetingRow(
            meeting=mt,
            week=mt.week,
            day=mt.start.date(),
            kind=kind_label(course, mt.kind),
            section=section_label(course, mt.kind, mt.section) if mt.section else None,
            sessions=_sessions(mt.sessions),
            resources=_resources(mt.resources, language, course.resource_labels),
            moved_from=None if mt.cancelled else mt.moved_from,
        )
        keyed.append(((row.day, 1, mt.start.time(), mt.id), row))
    weekdays = meeting_weekdays(course)
    for period in schedule.term.no_class:
        if not _concerns(period, schedule.term, weekdays):
            continue
        week = schedule.week_of(period.start) or schedule.week_of(period.end)
        name = m.localized(period.name, language)
        keyed.append(((period.start, 0, dt.time.min, str(period.pos)), NoClassRow(period=period, week=week, name=name)))
    fmt: Formats | None = None
    for sub in schedule.term.substitutions:
        if not (schedule.term.first_day <= sub.date <= schedule.term.last_day) or not (
            {sub.follows, sub.date.weekday()} & weekdays
        ):
            continue
        fmt = fmt or formats(language)
        follows = messages(language)["follows_schedule"].format(weekday=fmt.weekday(sub.follows))
        row = SubstitutionRow(substitution=sub, week=schedule.week_of(sub.date), follows=follows,
                              name=m.localized(sub.name, language))
        keyed.append(((sub.date, 0, dt.time.min, str(sub.pos)), row))
    for index, entry in enumerate(course.extras):
        weeks = schedule.week_starts
        day = weeks[entry.week - 1] + dt.timedelta(days=6) if 1 <= entry.week <= len(weeks) else dt.date.max
        row = ExtraRow(
            entry=entry,
            week=entry.week,
            kind=kind_label(course, entry.kind),
            sessions=_sessions(entry.sessions),
            resources=_resources(entry.resources, language, course.resource_labels),
        )
        keyed.append(((day, 2, dt.time.min, f"{index:05d}"), row))
    keyed.sort(key=lambda pair: pair[0])
    return tuple(row for _, row in keyed)


def meeting_weekdays(course: m.Course) -> set[int]:
    """The weekdays some kind (or section) of the course meets on."""
    return {slot.weekday for p in course.patterns for slot in p.weekly}


def _concerns(period: m.NoClass, term: m.Term, weekdays: set[int]) -> bool:
    """Whether a no-class period takes a class of this course (one of its days falls on a weekday
    the course meets on, within the term), or a whole working week of the term."""
    first, last = max(period.start, term.first_day), min(period.end, term.last_day)
    day = first
    while day <= last:
        if day.weekday() in weekdays:
            return True
        day += dt.timedelta(days=1)
    start = first - dt.timedelta(days=(first.weekday() - term.week_start) % 7)
    while start <= last:
        working = [start + dt.timedelta(days=i) for i in range(5)]
        working = [d for d in working if term.first_day <= d <= term.last_day]
        if working and all(d in period for d in working):
            return True
        start += dt.timedelta(days=7)
    return False


def moved_brief(row: MeetingRow, fmt: Formats) -> str | None:
    """A move in a few characters, for a table cell beside the new date and time: the original
    day ("Mon, Feb 15"), or the original time when only the time moved; None when not moved."""
    if row.moved_from is None:
        return None
    if row.moved_from.date() != row.day:
        return fmt.short(row.moved_from.date())
    return fmt.time(row.moved_from.time())


def moved_line(meeting: Meeting, language: str) -> str | None:
    """A move as one sentence: "Moved from Monday, February 15, 2021, 4:55 PM."; None when not moved."""
    if meeting.moved_from is None:
        return None
    word = messages(language)["moved"]
    return word[:1].upper() + word[1:] + " " + formats(language).when(meeting.moved_from) + "."


# --- sections and their feeds -------------------------------------------------------------------


def section_label(course: m.Course, kind: str, section: str) -> str:
    """A section's name for students: its own label ("Section A"), else the word and its key."""
    slot = next((s for s in course.pattern(kind).sections if s.section == section), None)
    if slot is not None and slot.label:
        return slot.label
    return messages(course.language)["section_named"].format(section=section)


@dataclass(frozen=True, kw_only=True)
class TimeAndPlace:
    """One line of "times and places": a kind (a section of it) on a weekday, at a time, somewhere."""

    kind: str  # the kind's label in the course language
    section: str | None  # the section's name, for a kind that meets in sections
    day: str  # the weekday in the course language
    time: str  # the time range on the locale's clock
    location: m.Location
    slot: m.Slot  # where the file writes it


def times_and_places(course: m.Course) -> tuple[TimeAndPlace, ...]:
    """Every weekly slot of every kind, in the file's order: what the page and the PDF list."""
    return tuple(_time_and_place(course, p, slot) for p in course.patterns for slot in p.weekly)


def _time_and_place(course: m.Course, pattern: m.Pattern, slot: m.Slot) -> TimeAndPlace:
    fmt = formats(course.language)
    return TimeAndPlace(
        kind=kind_label(course, pattern.kind),
        section=section_label(course, pattern.kind, slot.section) if slot.section else None,
        day=fmt.weekday(slot.weekday),
        time=fmt.times(slot.start, slot.end),
        location=slot.location,
        slot=slot,
    )


@dataclass(frozen=True, kw_only=True)
class SectionFeed:
    """The feed of one student's sections: every meeting without a section, and those of its sections."""

    file: str  # calendar-lab-a.ics; several kinds with sections: calendar-lab-a+tutorial-x.ics
    sections: tuple[tuple[str, str], ...]  # (kind, section key), kinds in the order the file declares them
    label: str  # "Lab: Section A", several joined with " · "
    times: tuple[TimeAndPlace, ...]  # when and where its sections meet


def section_feeds(course: m.Course) -> tuple[SectionFeed, ...]:
    """One feed per combination of sections (one section of each kind that has sections), in
    the file's order; none when no kind has sections. The loader allows at most 64."""
    words = messages(course.language)
    choices = [[(p, slot) for slot in p.sections] for p in course.sectioned]
    feeds = []
    for combination in itertools.product(*choices) if choices else ():
        keys = tuple((p.kind, str(slot.section)) for p, slot in combination)
        feeds.append(SectionFeed(
            file="calendar-" + "+".join(f"{kind}-{key}" for kind, key in keys) + ".ics",
            sections=keys,
            label=" · ".join(
                words["label_value"].format(label=kind_label(course, kind), value=section_label(course, kind, key))
                for kind, key in keys
            ),
            times=tuple(_time_and_place(course, p, slot) for p, slot in combination),
        ))
    return tuple(feeds)


def _sessions(sessions: tuple[m.Session, ...]) -> tuple[SessionLine, ...]:
    return tuple(SessionLine(id=s.id, title=s.title.strip(), url=s.url, pos=s.pos,
                                    title_pos=s.title_pos if s.title_pos != m.NOWHERE else s.pos) for s in sessions)


def _resources(
    resources: tuple[m.Resource, ...], language: str, own_words: Mapping[str, str]
) -> tuple[ResourceLink, ...]:
    labels = resource_labels(resources, language, own_words)
    return tuple(
        ResourceLink(label=label, url=r.url, own_label=bool(r.label), kind=r.kind, pos=r.pos)
        for r, label in zip(resources, labels)
    )


def calendar_name(schedule: Schedule, part: str | None = None) -> str:
    """The calendar's name: code · title · term, as the feed's X-WR-CALNAME and the page say it;
    a feed of a part of the course adds which part ("· Lecture", "· Lab: Section A")."""
    course = schedule.course
    term = m.localized(schedule.term.name, course.language)
    return " · ".join((course.code, course.title, term, *filter(None, [part])))


def main_feed_name(schedule: Schedule) -> str:
    """The name of ``calendar.ics``: the calendar's; with sections, one feed of several, it says it
    holds every section."""
    if not schedule.course.sectioned:
        return calendar_name(schedule)
    return calendar_name(schedule, messages(schedule.course.language)["all_sections"])



def feed_name(schedule: Schedule, file: str) -> str:
    """The name of a feed beside ``calendar.ics``: the calendar's name and which feed it is
    ("CS 171 · … · Fall 2026 · Exams and deadlines")."""
    words = messages(schedule.course.language)
    which = {"calendar-deadlines.ics": words["exams_deadlines"], "calendar-office-hours.ics": words["office_hours"]}
    return calendar_name(schedule, which.get(file))
