"""The presentation layer: a dated schedule as every output shows it, decided once.

Feed, PDF and page lay out what this module gives them; none of them decides again how a date
or a time is written in the course's language (the locale's clock included), which rows the
schedule has and in which order, which week a no-class day belongs to, when a meeting counts as
moved, how the build date reads, or how a change is worded. A rule here is a rule everywhere.

Babel is imported when a ``Formats`` is made: ``list`` and ``check`` never make one.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from syllabus_export import model as m
from syllabus_export.caches import CACHES
from syllabus_export.errors import Pos
from syllabus_export.messages import cldr_locale, date_and_time, kind_label, messages, resource_labels, zone_name

if TYPE_CHECKING:
    from babel import Locale

    from syllabus_export.expand import Meeting, Schedule


# --- dates, times and zones in the course language ----------------------------------------------


def twelve_hour(locale: Locale) -> bool:
    """Whether ``locale`` writes a 12-hour clock: an ``h`` or ``K`` in its short time pattern,
    quoted literals left out (fr-CA writes ``HH 'h' mm``: a 24-hour clock with a literal h)."""
    pattern = re.sub(r"'[^']*'", "", locale.time_formats["short"].pattern)
    return "h" in pattern or "K" in pattern


class Formats:
    """How one course language writes dates, times and zones (CLDR, through Babel).

    One per language in a process (``formats``): the schedule writes each date more than once.
    """

    def __init__(self, language: str):
        from babel.dates import get_date_format, get_day_names

        self.language = language
        self.locale = cldr_locale(language)
        self.twelve_hour = twelve_hour(self.locale)
        self.clock = "hm" if self.twelve_hour else "Hm"  # the CLDR skeleton of a time of day
        self.numeric_pattern = _numeric_date_pattern(get_date_format("short", locale=self.locale).pattern)
        self.days = get_day_names("wide", context="format", locale=self.locale)
        self._memo: dict[Any, str] = {}

    def _remember(self, key: Any, make: Callable[[], str]) -> str:
        text = self._memo.get(key)
        if text is None:
            if len(self._memo) >= 8192:
                self._memo.clear()
            text = self._memo[key] = make()
        return text

    def weekday(self, weekday: int) -> str:
        """"Thứ Hai", "Monday" (0 = Monday)."""
        return self.days[weekday]

    def numeric(self, day: dt.date) -> str:
        """The locale's short date with two-digit day and month: 27/01/2020, 01/27/2020."""
        from babel.dates import format_date

        return self._remember(("numeric", day), lambda: format_date(day, self.numeric_pattern, locale=self.locale))

    def full(self, day: dt.date) -> str:
        """"Monday, January 27, 2020"."""
        from babel.dates import format_date

        return self._remember(("full", day), lambda: format_date(day, "full", locale=self.locale))

    def long(self, day: dt.date) -> str:
        """"January 27, 2020"."""
        from babel.dates import format_date

        return self._remember(("long", day), lambda: format_date(day, "long", locale=self.locale))

    def month_day(self, day: dt.date) -> str:
        """"January 27"."""
        from babel.dates import format_skeleton

        return self._remember(("MMMMd", day), lambda: format_skeleton("MMMMd", day, locale=self.locale))

    def short(self, day: dt.date) -> str:
        """A day in few characters, its weekday kept: "Mon, Feb 15"."""
        from babel.dates import format_skeleton

        return self._remember(("MMMEd", day), lambda: format_skeleton("MMMEd", day, locale=self.locale))

    def days_between(self, first: dt.date, last: dt.date) -> str:
        """A range of days: "March 16 – 22, 2020"."""
        from babel.dates import format_interval

        return self._remember(
            ("range", first, last), lambda: format_interval(first, last, "yMMMMd", locale=self.locale)
        )

    def time(self, value: dt.time) -> str:
        """A time of day on the locale's clock: "4:55 PM", "16:55"."""
        from babel.dates import format_time

        return self._remember(("time", value), lambda: format_time(value, "short", locale=self.locale))

    def times(self, start: dt.time, end: dt.time) -> str:
        """A time range on the locale's clock: "4:55 – 6:35 PM", "16:55 – 18:35"."""
        from babel.dates import format_interval

        return self._remember(
            ("times", start, end), lambda: format_interval(start, end, self.clock, locale=self.locale)
        )

    def when(self, start: dt.datetime, end: dt.datetime | None = None) -> str:
        """A day and a time (or a time range) as one phrase: "Monday, January 27, 2020, 4:55 PM"."""
        time = self.times(start.time(), end.time()) if end is not None else self.time(start.time())
        return date_and_time(self.full(start.date()), time, self.locale)

    def zone(self, name: str) -> str:
        """The zone as CLDR names it, with its city ("Eastern Time (New York)"); the IANA name when
        CLDR does not know it."""
        try:
            return zone_name(name, self.locale)
        except (LookupError, ValueError):
            return name


def formats(language: str) -> Formats:
    """The ``Formats`` of a course language, made once per process (``CACHES`` forgets them)."""
    table = CACHES.table("formats", limit=64)
    found = table.get(language)
    if found is None:
        found = table[language] = Formats(language)
    return found


def _numeric_date_pattern(pattern: str) -> str:
    """A short date pattern with two-digit day and month and a full year, quoted literals kept.

    This is what the CLDR skeleton ``yMMdd`` gives (vi ``d/M/yy`` → ``dd/MM/y``: 27/01/2020,
    en ``M/d/yy`` → ``MM/dd/y``): the locale's order and separators, with fixed-width numbers
    that line up in a table column.
    """
    parts = re.split(r"('[^']*')", pattern)
    for i in range(0, len(parts), 2):
        part = re.sub(r"d+", "dd", parts[i])
        part = re.sub(r"(?<!M)M{1,2}(?!M)", "MM", part)
        parts[i] = re.sub(r"y+", "y", part)
    return "".join(parts)


def build_day(build_time: dt.datetime, term: m.Term) -> dt.date:
    """The day a build is dated, in the term's zone: what "built on" says in every output."""
    from zoneinfo import ZoneInfo

    return build_time.astimezone(ZoneInfo(term.timezone)).date()


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


# --- what changed -------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ChangePart:
    kind: str  # one of changes.KINDS
    word: str  # the kind in the course language
    detail: str  # "before → after", or when it happens


@dataclass(frozen=True, kw_only=True)
class ChangeLine:
    title: str
    when: str  # empty when a part already says it (a move names both times)
    parts: tuple[ChangePart, ...]


def change_details(record: dict[str, Any], when: Callable[[dict[str, Any]], str]) -> list[tuple[str, str]]:
    """(kind, detail) for each change of a ``changes.compare`` record: a move and a new title or
    place as "before → after", any other change by when it happens (``when`` writes an event's time)."""
    before, after = record.get("before") or {}, record.get("after") or {}
    latest = after or before
    result = []
    for kind in record.get("changes", []):
        if kind == "moved" and before and after:
            detail = f"{when(before)} → {when(after)}"
        elif kind == "retitled":
            detail = f"'{before.get('summary', '')}' → '{after.get('summary', '')}'"
        elif kind == "relocated":
            detail = f"{before.get('location') or '–'} → {after.get('location') or '–'}"
        else:
            detail = when(latest) if latest.get("start") else ""
        result.append((str(kind), detail))
    return result


def change_lines(records: list[dict[str, Any]], schedule: Schedule) -> tuple[ChangeLine, ...]:
    """The changes of the last build that changed anything, worded in the course language."""
    language = schedule.course.language
    words, fmt = messages(language), formats(language)
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(schedule.term.timezone)

    def when(event: dict[str, Any]) -> str:
        from syllabus_export.changes import event_times

        times = event_times(event)
        if times is None:
            return ""
        start, end = times
        if start.tzinfo is None:
            start, end = start.replace(tzinfo=zone), end.replace(tzinfo=zone) if end else None
        start, end = start.astimezone(zone), end.astimezone(zone) if end else None
        return fmt.when(start, end)

    by_id = {mt.id: mt for mt in schedule.meetings}
    result = []
    for record in records:
        before, after = record.get("before") or {}, record.get("after") or {}
        latest = after or before
        meeting = by_id.get(str(record.get("id", "")))
        title = " / ".join(s.title.strip() for s in meeting.sessions) if meeting else latest.get("summary", "")
        if meeting is not None and meeting.section:  # which section's: the titles are every section's
            title += " · " + section_label(schedule.course, meeting.kind, meeting.section)
        parts = tuple(
            ChangePart(kind=kind, word=words.get(f"change_{kind}", kind), detail=detail)
            for kind, detail in change_details(record, when)
        )
        # A move names both dates in its detail; otherwise the date tells which meeting it was.
        moved = "moved" in record.get("changes", [])
        result.append(ChangeLine(title=title, when=when(latest) if latest.get("start") and not moved else "",
                                 parts=parts))
    return tuple(result)
