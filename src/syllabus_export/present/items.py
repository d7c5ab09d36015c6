"""Exams, deadlines and office hours as the outputs list them; the term at a glance (a month grid)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from syllabus_export import model as m
from syllabus_export.messages import kind_label, messages
from syllabus_export.present.formats import formats
from syllabus_export.present.rows import _concerns, meeting_weekdays

if TYPE_CHECKING:
    from babel import Locale

    from syllabus_export.expand import Schedule
    from syllabus_export.items import Item


# === exams, deadlines, office hours; the term at a glance (issue 14) =============================


EXAM_MARK = "▲"  # the term grid's flags (the bundled DejaVu Sans has both; a kind's mark is its meeting-id prefix)
DEADLINE_MARK = "◆"


@dataclass(frozen=True, kw_only=True)
class ItemRow:
    """An exam or a deadline as the page and the PDF list them: when, what, where."""

    item: Item
    kind: str  # "Exam", "Deadline" in the course language
    title: str  # "Midterm exam", "Due: Homework 1"
    date: str  # the full date: "Wednesday, October 21, 2026"
    time: str  # "7:00 – 9:00 PM", or the due time "11:59 PM"
    location: m.Location | None


def item_rows(schedule: Schedule, kinds: tuple[str, ...] = ("exam", "deadline")) -> tuple[ItemRow, ...]:
    """The exams and deadlines of ``schedule`` in time order."""
    from syllabus_export.feed_items import summary

    language = schedule.course.language
    fmt, words = formats(language), messages(language)
    rows = []
    for item in schedule.items:
        if item.kind not in kinds:
            continue
        time = fmt.time(item.start.time()) if item.kind == "deadline" else fmt.times(item.start.time(), item.end.time())
        title = summary(item, language) if item.kind == "deadline" else item.title
        rows.append(ItemRow(item=item, kind=words[item.kind], title=title, date=fmt.full(item.start.date()), time=time,
                            location=item.location))
    return tuple(rows)


@dataclass(frozen=True, kw_only=True)
class OfficeHoursLine:
    """One weekly office-hours slot: "Wednesday 3:00 – 4:00 PM, Hall 305"."""

    slot: m.OfficeHours
    who: str
    day: str
    time: str
    location: m.Location | None


def office_hours(schedule: Schedule) -> tuple[OfficeHoursLine, ...]:
    """The course's office-hours slots, in the order the course file gives them."""
    fmt = formats(schedule.course.language)
    return tuple(OfficeHoursLine(slot=s, who=s.who, day=fmt.weekday(s.weekday), time=fmt.times(s.start, s.end),
                                 location=s.location) for s in schedule.course.office_hours)


@dataclass(frozen=True, kw_only=True)
class GridDay:
    """One day of the term-at-a-glance grid."""

    day: dt.date
    in_term: bool
    marks: tuple[str, ...]  # a mark per kind of class that meets (its meeting-id prefix), then ▲ and ◆
    no_class: str | None  # the no-class day's name (shaded, named in the legend)
    exams: tuple[str, ...]
    deadlines: tuple[str, ...]  # "Due: Homework 1"
    spoken: str  # everything about the day in words, for a screen reader ("Lecture; Due: Homework 1")

    @property
    def class_day(self) -> bool:
        return bool(self.marks) and not self.no_class


@dataclass(frozen=True, kw_only=True)
class MonthGrid:
    title: str  # "September 2026", in the course language
    weekdays: tuple[tuple[str, str], ...]  # (abbreviated, full) from the locale's first day of the week
    weeks: tuple[tuple[GridDay | None, ...], ...]  # seven cells a row; None outside the month


@dataclass(frozen=True, kw_only=True)
class TermGrid:
    months: tuple[MonthGrid, ...]
    kinds: tuple[tuple[str, str], ...]  # (mark, the kind's label), in the course's order
    no_class: tuple[tuple[str, str], ...]  # (dates, name)
    exam: str  # the words of the legend's flags; empty when the term has none
    deadline: str


def first_week_day(locale: Locale) -> int:
    """The day a week starts on in ``locale`` (0 = Monday), for a language without a territory
    from its likely one (CLDR: ``en`` is ``en_US``, whose weeks start on Sunday)."""
    if locale.territory is None:
        from babel import Locale as BabelLocale
        from babel.core import get_global

        likely = get_global("likely_subtags").get(locale.language)
        if likely:
            try:
                return BabelLocale.parse(likely).first_week_day
            except (ValueError, LookupError):
                pass
    return locale.first_week_day


def term_grid(schedule: Schedule) -> TermGrid:
    """The whole term, month by month: which day has which class, which is off, which has an exam or
    a deadline; month and weekday names in the course's language, weeks from its locale's first day.
    Only the no-class days that concern the course are shaded and named, as in the schedule (``rows``)."""
    from babel.dates import format_skeleton, get_day_names

    course, term = schedule.course, schedule.term
    fmt, words = formats(course.language), messages(course.language)
    first_weekday = first_week_day(fmt.locale)
    short = get_day_names("abbreviated", context="stand-alone", locale=fmt.locale)
    order = [(first_weekday + i) % 7 for i in range(7)]
    weekdays = tuple((short[d], fmt.weekday(d)) for d in order)
    marks = {p.kind: p.prefix for p in course.patterns}
    labels: dict[str, str] = {}
    kinds_on: dict[dt.date, list[str]] = {}
    for mt in schedule.meetings:
        if not mt.cancelled:
            label = kind_label(course, mt.kind)
            labels.setdefault(marks[mt.kind], label)
            kinds_on.setdefault(mt.start.date(), [])
            if marks[mt.kind] not in kinds_on[mt.start.date()]:
                kinds_on[mt.start.date()].append(marks[mt.kind])
    exams: dict[dt.date, list[str]] = {}
    deadlines: dict[dt.date, list[str]] = {}
    for row in item_rows(schedule):
        if not row.item.cancelled:
            (exams if row.item.kind == "exam" else deadlines).setdefault(row.item.start.date(), []).append(row.title)
    off = {}
    concerning = [p for p in term.no_class if _concerns(p, term, meeting_weekdays(course))]  # the schedule's rule
    for period in concerning:
        day = period.start
        while day <= period.end:
            off.setdefault(day, m.localized(period.name, course.language))
            day += dt.timedelta(days=1)
    last = max([term.last_day, *exams, *deadlines])
    months = []
    year, month = term.first_day.year, term.first_day.month
    while (year, month) <= (last.year, last.month):
        start = dt.date(year, month, 1)
        cells: list[GridDay | None] = [None] * ((start.weekday() - first_weekday) % 7)
        day = start
        while day.month == month:
            in_term = term.first_day <= day <= term.last_day
            kinds = tuple(k for k in marks.values() if k in kinds_on.get(day, ()))
            spoken = [labels[k] for k in kinds] + exams.get(day, []) + deadlines.get(day, [])
            name = off.get(day) if in_term else None
            if name:
                spoken.insert(0, words["label_value"].format(label=words["no_class"], value=name))
            flags = ((EXAM_MARK,) if day in exams else ()) + ((DEADLINE_MARK,) if day in deadlines else ())
            cells.append(GridDay(day=day, in_term=in_term, marks=kinds + flags, no_class=name,
                                 exams=tuple(exams.get(day, ())), deadlines=tuple(deadlines.get(day, ())),
                                 spoken="; ".join(spoken)))
            day += dt.timedelta(days=1)
        cells += [None] * (-len(cells) % 7)
        weeks = tuple(tuple(cells[i:i + 7]) for i in range(0, len(cells), 7))
        title = format_skeleton("yMMMM", start, locale=fmt.locale)
        months.append(MonthGrid(title=title[:1].upper() + title[1:], weekdays=weekdays, weeks=weeks))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    no_class = tuple((fmt.full(p.start) if p.start == p.end else fmt.days_between(p.start, p.end),
                      m.localized(p.name, course.language)) for p in concerning)
    kinds = tuple((marks[p.kind], labels[marks[p.kind]]) for p in course.patterns if marks[p.kind] in labels)
    return TermGrid(months=tuple(months), kinds=kinds, no_class=no_class, exam=words["exam"] if exams else "",
                    deadline=words["deadline"] if deadlines else "")
