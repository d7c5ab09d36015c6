"""Course + term → dated meetings. Pure: no I/O, nothing printed.

Dates first, zone last: a meeting's date comes from its course week and its pattern's weekday
(or a substitution day that follows that weekday's schedule), its wall-clock time from the
pattern, and only then is the term's zone attached, so DST never moves a class.
"""

from __future__ import annotations

import dataclasses
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
    section: str | None = None  # the section's key when its kind meets in sections
    pos: Pos = field(default=m.NOWHERE, compare=False, repr=False)

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"


@dataclass(frozen=True, kw_only=True)
class Schedule:
    """Everything the renderers need: the meetings, the course weeks, and the term's no-class days.

    A course placed in order comes with each entry's course week (the term decides it).
    """

    course: m.Course
    term: m.Term
    meetings: tuple[Meeting, ...]
    week_starts: tuple[dt.date, ...]  # first day of course week n at index n - 1
    notes: tuple[Problem, ...] = ()  # warnings: what may be wrong but does not stop a build (an empty slot)
    items: tuple[Item, ...] = ()  # exams, deadlines and office hours, dated (``items.date_items``)

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


@dataclass(frozen=True, kw_only=True)
class _Track:
    """The meetings of one kind, or of one section of a kind, and the weekly slots they take."""

    pattern: m.Pattern
    section: str | None
    slots: tuple[m.Slot, ...]  # in the order of the term's week, then of the day

    def id(self, entry: m.Entry) -> str:
        return m.section_meeting_id(entry.id, self.section) if self.section else entry.id

    @property
    def name(self) -> str:
        """The kind, and its section when it has one (for messages)."""
        return f"{self.pattern.kind} section {self.section}" if self.section else self.pattern.kind


def _tracks(course: m.Course, term: m.Term) -> list[_Track]:
    tracks = []
    for pattern in course.patterns:
        if pattern.sections:
            tracks += [_Track(pattern=pattern, section=s.section, slots=(s,)) for s in pattern.sections]
        else:
            order = sorted(pattern.weekly, key=lambda s: ((s.weekday - term.week_start) % 7, s.start))
            tracks.append(_Track(pattern=pattern, section=None, slots=tuple(order)))
    return tracks


Instance = tuple[dt.date, int]  # a class day and the index of the track's slot it runs


def _instances(term: m.Term, slots: tuple[m.Slot, ...], closed: dict[dt.date, m.NoClass]) -> list[Instance]:
    """Every class slot of the term: a day that runs a slot's weekday's schedule (its own, or the one
    a substitution day follows) and is not a no-class day, in time order."""
    follows = {s.date: s.follows for s in term.substitutions}
    found = []
    day = term.first_day
    while day <= term.last_day:
        if day not in closed:
            runs = follows.get(day, day.weekday())
            found += [(day, i) for i, slot in enumerate(slots) if slot.weekday == runs]
        day += DAY
    return found


def _week_number(weeks: tuple[dt.date, ...], day: dt.date) -> int:
    """The course week ``day`` falls in (a day in a skipped week: the course week before it)."""
    return max(1, sum(1 for start in weeks if start <= day))


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


@dataclass
class _Placed:
    """Where placement put one meeting of one track, before overrides and zones."""

    entry: m.Entry
    track: _Track
    instance: Instance  # its day and slot
    nominal: Instance  # the day and slot it was meant for (a move is measured from it)
    status: m.Status = "confirmed"


def expand(course: m.Course, term: m.Term, on_conflict: m.ConflictPolicy | None = None) -> Schedule:
    """Date every meeting of ``course`` in ``term``.

    ``on_conflict`` (``error``, ``shift`` or ``drop``; default: the course's option) decides what
    happens to a meeting whose date is not a class day. Raises SyllabusError with every problem;
    what the files may have wrong without stopping (a slot left empty) is in ``Schedule.notes``.
    """
    policy = on_conflict or course.options.on_conflict
    problems, notes = Problems(), Problems()
    zone = ZoneInfo(term.timezone)
    weeks = course_weeks(term)
    closed = _closed_days(term)
    overrides = {o.meeting: o for o in course.overrides if o.term in (None, term.id)}
    placed: list[_Placed] = []
    for track in _tracks(course, term):
        entries = [e for e in course.entries if e.kind == track.pattern.kind and not e.extra]
        instances = _instances(term, track.slots, closed)
        if course.placement == "in-order":
            placed += _in_order(track, entries, instances, course, term, weeks, problems, notes)
        else:
            placed += _by_week(track, entries, instances, course, term, weeks, closed, overrides, policy, problems,
                               notes)
    if course.placement != "in-order":
        for week in course.weeks:
            if week.number > len(weeks):
                problems.add(
                    week.pos,
                    f"week {week.number} is not in term {term.id}, which has {len(weeks)} "
                    f"course weeks ({term.first_day} to {term.last_day})",
                )

    meetings = []
    for p in placed:
        entry, track = p.entry, p.track
        mid = track.id(entry)
        day = p.instance[0]
        slot, nominal_slot = track.slots[p.instance[1]], track.slots[p.nominal[1]]
        start_time, end_time, location, status = slot.start, slot.end, None, p.status
        override = overrides.get(mid) or overrides.get(entry.id)  # a section's own, else its meeting's
        if override is not None:
            if override.date is not None:
                day = override.date
                if not override.cancelled and (day in closed or not term.first_day <= day <= term.last_day):
                    reason, where = _why_not(term, day, closed)
                    problems.add(
                        override.pos, f"override moves {mid} to {day}, {reason}" + (f" [{where}]" if where else "")
                    )
            start_time = override.start or start_time
            end_time = override.end or end_time
            if end_time <= start_time:
                problems.add(
                    override.pos, f"override of {mid}: end {end_time:%H:%M} is not after start {start_time:%H:%M}"
                )
                continue
            location = override.location
            if override.cancelled:
                status = "cancelled"
        if location is None:
            location = _location_on(course, term, entry.kind, day) or slot.location
        # A time the DST change skips is the fault of whatever set it: the override that moved or
        # retimed the meeting, else the meeting's own slot.
        moved = override is not None and override.date is not None
        start = _aware(day, start_time, zone, mid, problems,
                       override.pos if override is not None and (moved or override.start) else entry.pos)
        end = _aware(day, end_time, zone, mid, problems,
                     override.pos if override is not None and (moved or override.end) else entry.pos)
        # what it was meant to be, even if skipped
        original = dt.datetime.combine(p.nominal[0], nominal_slot.start, tzinfo=zone)
        meetings.append(
            Meeting(
                id=mid,
                uid=uid_for(course.id, term.id, mid),
                course=course.id,
                term=term.id,
                week=entry.week or _week_number(weeks, p.instance[0]),
                kind=entry.kind,
                sessions=entry.sessions,
                resources=entry.resources,
                start=start,
                end=end,
                tz=term.timezone,
                location=location,
                status=status,
                moved_from=original if original != start else None,
                section=track.section,
                pos=entry.pos,
            )
        )
    items, item_notes = date_items(course, term, weeks, meetings, problems)
    problems.raise_if_any()
    meetings.sort(key=lambda mt: (mt.start, mt.end, mt.id))
    if course.placement == "in-order":
        course = _dated(course, placed, weeks)
    return Schedule(course=course, term=term, meetings=tuple(meetings), week_starts=weeks,
                    notes=(*notes.error().problems, *item_notes), items=items)


def _in_order(
    track: _Track, entries: list[m.Entry], instances: list[Instance], course: m.Course, term: m.Term,
    weeks: tuple[dt.date, ...], problems: Problems, notes: Problems,
) -> list[_Placed]:
    """Each meeting in the track's next class slot, from the first day of classes on."""
    if len(entries) > len(instances):
        first = entries[len(instances)]
        problems.add(
            first.pos,
            f"meeting {track.id(first)} ({_sessions(first)}) does not fit: {track.name} has "
            f"{len(instances)} class slots in term {term.id} ({term.first_day} to {term.last_day}) "
            f"and this is meeting {len(instances) + 1} of {len(entries)}",
        )
    elif len(entries) < len(instances):
        day = instances[len(entries)][0]
        notes.add(
            (track.slots[instances[len(entries)][1]]).pos,
            f"{track.name} has {_count(len(entries), 'meeting')} for {len(instances)} class slots in term {term.id}; "
            f"the first empty slot is {day:%a} {day} (week {_week_number(weeks, day)})",
        )
    return [_Placed(entry=e, track=track, instance=i, nominal=i) for e, i in zip(entries, instances)]


def _by_week(
    track: _Track, entries: list[m.Entry], instances: list[Instance], course: m.Course, term: m.Term,
    weeks: tuple[dt.date, ...], closed: dict[dt.date, m.NoClass], overrides: dict[str, m.Override],
    policy: str, problems: Problems, notes: Problems,
) -> list[_Placed]:
    """The n-th meeting of a course week in the track's n-th slot of that week (the slots in the
    order of the week); a meeting whose slot is not a class day is a conflict, resolved by ``policy``."""
    open_slots = set(instances)
    taken: set[Instance] = set()
    last: Instance | None = None
    used: dict[tuple[int, int], m.Entry] = {}  # (course week, slot) → the meeting listed for it
    placed = []
    for entry in entries:
        if entry.week > len(weeks):
            continue  # reported by expand
        mid = track.id(entry)
        n = sum(1 for week, _ in used if week == entry.week)
        i = min(n, len(track.slots) - 1)  # a meeting more than the week has slots: the last, taken
        used.setdefault((entry.week, n), entry)
        week_start = weeks[entry.week - 1]
        nominal = (week_start + ((track.slots[i].weekday - term.week_start) % 7) * DAY, i)
        override = overrides.get(mid) or overrides.get(entry.id)
        if override is not None and override.date is not None:
            # The override dates it (and is checked later); it takes no slot, so is no conflict.
            placed.append(_Placed(entry=entry, track=track, instance=nominal, nominal=nominal))
            continue
        found = nominal if nominal in open_slots and nominal not in taken else None
        if found is None:  # a substitution day of the same week that runs this slot's weekday
            found = next(
                (
                    (d, j)
                    for d, j in instances
                    if j == i and week_start <= d < week_start + 7 * DAY and (d, j) not in taken
                    and d.weekday() != track.slots[i].weekday
                ),
                None,
            )
        if found is None and override is not None and override.cancelled:
            placed.append(_Placed(entry=entry, track=track, instance=nominal, nominal=nominal, status="cancelled"))
            continue  # off anyway: nothing to resolve
        if policy == "shift" and (found is None or (last is not None and found <= last)):
            floor = max(nominal, last) if last is not None else nominal
            found = next((s for s in instances if s >= floor and s != last and s not in taken), None)
            if found is None:
                problems.add(
                    entry.pos,
                    f"meeting {mid} ({_sessions(entry)}) cannot be shifted: "
                    f"no {track.name} slot is left on or before the last day of "
                    f"classes ({term.last_day})",
                )
                continue
        if found is None:
            reason, where = (
                ("the same slot as another meeting of its kind", None)
                if nominal in taken
                else _why_not(term, nominal[0], closed)
            )
            if policy == "drop":
                placed.append(_Placed(entry=entry, track=track, instance=nominal, nominal=nominal, status="cancelled"))
                continue
            problems.add(
                entry.pos,
                f"meeting {mid} ({_sessions(entry)}) falls on "
                f"{nominal[0]:%a} {nominal[0]}, {reason}"
                + (f" [{where}]" if where else "")
                + " (set on_conflict: shift or drop, or add an override)",
            )
            continue
        taken.add(found)
        last = found
        placed.append(_Placed(entry=entry, track=track, instance=found, nominal=nominal))
    _empty_slots(track, instances, taken, used, course, term, weeks, notes)
    return placed


def _empty_slots(
    track: _Track, instances: list[Instance], taken: set[Instance], used: dict[tuple[int, int], m.Entry],
    course: m.Course, term: m.Term, weeks: tuple[dt.date, ...], notes: Problems,
) -> None:
    """A warning for each regular class slot left without a meeting in a week between two weeks
    the track meets in: a copy from another term whose gap fell on a holiday there carries the
    gap over without a word. A slot on a no-class day is no gap."""
    week_pos = {w.number: w.pos for w in course.weeks}
    follows = {s.date: s.follows for s in term.substitutions}
    for i, slot in enumerate(track.slots):
        met = sorted(week for week, n in used if n == i)  # the weeks this slot has a meeting
        for number in range(met[0] + 1, met[-1]) if met else ():
            if (number, i) in used:
                continue
            week_start = weeks[number - 1]
            in_week = [(d, j) for d, j in instances if j == i and week_start <= d < week_start + 7 * DAY]
            free = [s for s in in_week if s not in taken]
            if not in_week or len(free) < len(in_week):
                continue  # a no-class day, or a meeting shifted into it
            day = free[0][0]
            said = f"{day:%a} {day}" + (f", which follows a {m.WEEKDAY_NAMES[follows[day]]} schedule" if day in follows
                                        else "")
            section = f" in section {track.section}" if track.section else ""
            kind = track.pattern.kind
            on = f" on {m.WEEKDAY_NAMES[slot.weekday]}s" if len(track.slots) > 1 else ""
            notes.add(
                week_pos.get(number, slot.pos),
                f"week {number} has no {kind} on {said}{section} ({_plural(kind)} meet{on} in weeks {_ranges(met)})",
            )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _plural(kind: str) -> str:
    return kind.replace("_", " ") + ("es" if kind.endswith(("s", "x", "ch", "sh")) else "s")


def _ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 5, 6, 9] → "1–3, 5–6 and 9"."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    parts = [f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _dated(course: m.Course, placed: list[_Placed], weeks: tuple[dt.date, ...]) -> m.Course:
    """The course with each in-order entry given the course week its first slot falls in; material
    without a meeting goes with the meeting listed before it (else week 1)."""
    week_of = {}
    for p in placed:
        week_of.setdefault(p.entry.id, _week_number(weeks, p.instance[0]))
    entries, week = [], 1
    for entry in course.entries:
        week = week_of.get(entry.id, week)
        entries.append(dataclasses.replace(entry, week=week))
    return dataclasses.replace(course, entries=tuple(entries))


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


def _aware(day: dt.date, time: dt.time, zone: ZoneInfo, mid: str, problems: Problems, pos: Pos) -> dt.datetime:
    """Attach the zone last; a wall-clock time the DST change skips is a problem (at ``pos``), not a shift."""
    local = dt.datetime.combine(day, time, tzinfo=zone)
    if local.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        problems.add(
            pos,
            f"meeting {mid}: {day} {time:%H:%M} does not exist in {zone.key} "
            "(the clocks skip it for daylight saving time)",
        )
    return local
