"""Course + term → dated meetings. Pure: no I/O, nothing printed.

Dates first, zone last: a meeting's date comes from its course week and its pattern's weekday
(or a substitution day that follows that weekday's schedule), its wall-clock time from the
pattern, and only then is the term's zone attached, so DST never moves a class.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from syllabus_export import model as m
from syllabus_export.errors import Pos, Problem, Problems
from syllabus_export.items import Item, date_items

DAY = dt.timedelta(days=1)


@dataclass(frozen=True, kw_only=True)
class Meeting:
    """One class meeting on its date: what ``list --json`` prints, one object each."""

    id: str
    uid: str
    course: str
    term: str
    week: int
    kind: str
    sessions: tuple[m.Session, ...]
    resources: tuple[m.Resource, ...]
    start: dt.datetime  # aware, in the term's zone
    end: dt.datetime
    tz: str
    location: m.Location
    status: m.Status = "confirmed"
    moved_from: dt.datetime | None = None
    pos: Pos = field(default=m.NOWHERE, compare=False, repr=False)

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"


@dataclass(frozen=True, kw_only=True)
class Schedule:
    """Everything the renderers need: the meetings, the course weeks, and the term's no-class days."""

    course: m.Course
    term: m.Term
    meetings: tuple[Meeting, ...]
    week_starts: tuple[dt.date, ...]  # first day of course week n at index n - 1
    items: tuple[Item, ...] = ()  # exams, deadlines and office hours, dated (``items.date_items``)
    notes: tuple[Problem, ...] = ()  # warnings: the schedule is made, but something deserves a look

    @property
    def extras(self) -> tuple[m.Entry, ...]:
        return tuple(e for e in self.course.entries if e.extra)

    def week_of(self, day: dt.date) -> int | None:
        for number, start in enumerate(self.week_starts, 1):
            if start <= day < start + 7 * DAY:
                return number
        return None


def uid_for(course_id: str, term_id: str, meeting_id: str) -> str:
    """The identity of a meeting in every calendar: never from a date or a position."""
    return f"{meeting_id}@{course_id}.{term_id}.syllabus-export"


def course_weeks(term: m.Term) -> tuple[dt.date, ...]:
    """First day of each course week; a week whose working days all fall in a break is skipped.

    The working days are the first five of the term's week (Mon–Fri, or Sun–Thu when weeks start
    on Sunday), so a break that leaves only a weekend does not make a course week.
    """
    closed = _closed_days(term)
    start = term.first_day - ((term.first_day.weekday() - term.week_start) % 7) * DAY
    weeks = []
    while start <= term.last_day:
        days = [start + i * DAY for i in range(7) if term.first_day <= start + i * DAY <= term.last_day]
        working = [d for d in days if (d - start).days < 5] or days
        if any(d not in closed for d in working):
            weeks.append(start)
        start += 7 * DAY
    return tuple(weeks)


def _closed_days(term: m.Term) -> dict[dt.date, m.NoClass]:
    closed: dict[dt.date, m.NoClass] = {}
    for holiday in term.no_class:
        day = holiday.start
        while day <= holiday.end:
            closed.setdefault(day, holiday)
            day += DAY
    return closed


def _slots(term: m.Term, weekday: int, closed: dict[dt.date, m.NoClass]) -> list[dt.date]:
    """Every class day of the term that runs ``weekday``'s schedule."""
    follows = {s.date: s.follows for s in term.substitutions}
    slots = []
    day = term.first_day
    while day <= term.last_day:
        if follows.get(day, day.weekday()) == weekday and day not in closed:
            slots.append(day)
        day += DAY
    return slots


def _why_not(term: m.Term, day: dt.date, closed: dict[dt.date, m.NoClass]) -> tuple[str, Pos | None]:
    """Why no meeting can take place on ``day`` (for a conflict message)."""
    if day < term.first_day:
        return f"before the first day of classes ({term.first_day})", term.first_day_pos
    if day > term.last_day:
        return f"after the last day of classes ({term.last_day})", term.last_day_pos
    holiday = closed.get(day)
    if holiday is not None:
        return f"a no-class day ({m.localized(holiday.name, 'en')})", holiday.pos
    for sub in term.substitutions:
        if sub.date == day:
            return f"a day that follows a {m.WEEKDAYS[sub.follows]} schedule", sub.pos
    return "not a class day", None


def expand(course: m.Course, term: m.Term, on_conflict: m.ConflictPolicy | None = None) -> Schedule:
    """Date every meeting of ``course`` in ``term``.

    ``on_conflict`` (``error``, ``shift`` or ``drop``; default: the course's option) decides what
    happens to a meeting whose date is not a class day. Raises SyllabusError with every problem.
    """
    policy = on_conflict or course.options.on_conflict
    problems = Problems()
    zone = ZoneInfo(term.timezone)
    weeks = course_weeks(term)
    closed = _closed_days(term)
    for week in course.weeks:
        if week.number > len(weeks):
            problems.add(
                week.pos,
                f"week {week.number} is not in term {term.id}, which has {len(weeks)} "
                f"course weeks ({term.first_day} to {term.last_day})",
            )
    placed: dict[str, tuple[dt.date, dt.date, str]] = {}  # id → (date, nominal date, status)
    overrides = {o.meeting: o for o in course.overrides if o.term in (None, term.id)}
    for pattern in course.patterns:
        slots = _slots(term, pattern.weekday, closed)
        taken: set[dt.date] = set()
        last: dt.date | None = None
        for entry in (e for e in course.entries if e.kind == pattern.kind and not e.extra):
            if entry.week > len(weeks):
                continue  # reported above
            nominal = weeks[entry.week - 1] + ((pattern.weekday - term.week_start) % 7) * DAY
            week_end = weeks[entry.week - 1] + 7 * DAY
            override = overrides.get(entry.id)
            if override is not None and override.date is not None:
                # The override dates it (and is checked below); it takes no slot, so is no conflict.
                placed[entry.id] = (nominal, nominal, "confirmed")
                continue
            day = nominal if nominal in slots and nominal not in taken else None
            if day is None:  # a substitution day of the same week that runs this weekday's schedule
                day = next(
                    (
                        s
                        for s in slots
                        if weeks[entry.week - 1] <= s < week_end and s not in taken and s.weekday() != pattern.weekday
                    ),
                    None,
                )
            if day is None and override is not None and override.cancelled:
                placed[entry.id] = (nominal, nominal, "cancelled")  # off anyway: nothing to resolve
                continue
            if policy == "shift" and (day is None or (last is not None and day <= last)):
                floor = max(nominal, last + DAY if last else nominal)
                day = next((s for s in slots if s >= floor and s not in taken), None)
                if day is None:
                    problems.add(
                        entry.pos,
                        f"meeting {entry.id} ({_sessions(entry)}) cannot be shifted: "
                        f"no {pattern.kind} slot is left on or before the last day of "
                        f"classes ({term.last_day})",
                    )
                    continue
            if day is None:
                reason, where = (
                    ("the same slot as another meeting of its kind", None)
                    if nominal in taken
                    else _why_not(term, nominal, closed)
                )
                if policy == "drop":
                    placed[entry.id] = (nominal, nominal, "cancelled")
                    continue
                problems.add(
                    entry.pos,
                    f"meeting {entry.id} ({_sessions(entry)}) falls on "
                    f"{nominal:%a} {nominal}, {reason}"
                    + (f" [{where}]" if where else "")
                    + " (set on_conflict: shift or drop, or add an override)",
                )
                continue
            taken.add(day)
            last = day
            placed[entry.id] = (day, nominal, "confirmed")

    meetings = []
    for entry in course.entries:
        if entry.id not in placed:
            continue
        day, nominal, status = placed[entry.id]
        pattern = course.pattern(entry.kind)
        start_time, end_time, location = pattern.start, pattern.end, None
        override = overrides.get(entry.id)
        if override is not None:
            if override.date is not None:
                day = override.date
                if not override.cancelled and (day in closed or not term.first_day <= day <= term.last_day):
                    reason, where = _why_not(term, day, closed)
                    problems.add(
                        override.pos, f"override moves {entry.id} to {day}, {reason}" + (f" [{where}]" if where else "")
                    )
            start_time = override.start or start_time
            end_time = override.end or end_time
            if end_time <= start_time:
                problems.add(
                    override.pos, f"override of {entry.id}: end {end_time:%H:%M} is not after start {start_time:%H:%M}"
                )
                continue
            location = override.location
            if override.cancelled:
                status = "cancelled"
        if location is None:
            location = _location_on(course, term, entry.kind, day) or pattern.location
        # A time the DST change skips is the fault of whatever set it: the override that moved or
        # retimed the meeting, else the meeting's own pattern.
        moved = override is not None and override.date is not None
        start = _aware(day, start_time, zone, entry, problems,
                       override.pos if override is not None and (moved or override.start) else entry.pos)
        end = _aware(day, end_time, zone, entry, problems,
                     override.pos if override is not None and (moved or override.end) else entry.pos)
        original = dt.datetime.combine(nominal, pattern.start, tzinfo=zone)  # what it was, even if skipped
        meetings.append(
            Meeting(
                id=entry.id,
                uid=uid_for(course.id, term.id, entry.id),
                course=course.id,
                term=term.id,
                week=entry.week,
                kind=entry.kind,
                sessions=entry.sessions,
                resources=entry.resources,
                start=start,
                end=end,
                tz=term.timezone,
                location=location,
                status=status,
                moved_from=original if original != start else None,
                pos=entry.pos,
            )
        )
    items, notes = date_items(course, term, weeks, meetings, problems)
    problems.raise_if_any()
    meetings.sort(key=lambda mt: (mt.start, mt.end, mt.id))
    return Schedule(course=course, term=term, meetings=tuple(meetings), week_starts=weeks, items=items, notes=notes)


def _sessions(entry: m.Entry) -> str:
    return ("session " if len(entry.sessions) == 1 else "sessions ") + ", ".join(s.id for s in entry.sessions)


def _location_on(course: m.Course, term: m.Term, kind: str, day: dt.date) -> m.Location | None:
    """The latest location change in force on ``day``; the course's own win over the term's."""
    changes = [
        (c.start, rank, c.location)
        for rank, source in enumerate((term, course))
        for c in source.location_changes
        if c.start <= day and (not c.kinds or kind in c.kinds)
    ]
    return max(changes, key=lambda c: (c[0], c[1]))[2] if changes else None


def _aware(day: dt.date, time: dt.time, zone: ZoneInfo, entry: m.Entry, problems: Problems, pos: Pos) -> dt.datetime:
    """Attach the zone last; a wall-clock time the DST change skips is a problem (at ``pos``), not a shift."""
    local = dt.datetime.combine(day, time, tzinfo=zone)
    if local.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        problems.add(
            pos,
            f"meeting {entry.id}: {day} {time:%H:%M} does not exist in {zone.key} "
            "(the clocks skip it for daylight saving time)",
        )
    return local
