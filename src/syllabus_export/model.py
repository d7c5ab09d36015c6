"""The course and the term as the loader leaves them: frozen values, no I/O, positions kept.

Every value that a later check may need to point at carries ``pos`` (file, line, column);
``pos`` never takes part in equality, so two builds of the same data compare equal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from syllabus_export.errors import Pos

NOWHERE = Pos(path="<none>")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
RESOURCE_KINDS = ("slides", "notebook", "video", "other")
CONFLICT_POLICIES = ("error", "shift", "drop")
PAPER_SIZES = ("a4", "letter")


def _pos() -> Pos:
    return field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True, kw_only=True)
class Link:
    label: str  # what the link is (PIAZZA, FORUM, Google Drive)
    url: str | None = None
    text: str | None = None  # the link's own words when they differ from the label (r/NYU_DeepLearning)
    access_code: str | None = None
    pos: Pos = _pos()


@dataclass(frozen=True, kw_only=True)
class Location:
    name: str
    url: str | None = None
    pos: Pos = _pos()


@dataclass(frozen=True, kw_only=True)
class Resource:
    kind: str  # one of RESOURCE_KINDS
    url: str
    label: str | None = None  # None: the kind's name in the course language
    pos: Pos = _pos()


@dataclass(frozen=True, kw_only=True)
class Session:
    id: str
    title: str
    url: str | None = None
    pos: Pos = _pos()


@dataclass(frozen=True, kw_only=True)
class Pattern:
    """When and where the meetings of one kind happen in a regular week."""

    kind: str
    weekday: int  # 0 = Monday
    start: dt.time
    end: dt.time
    location: Location
    label: str | None = None  # the kind's name for kinds the message catalog lacks
    prefix: str = ""  # meeting ids are prefix + two-digit week (L01, P01)
    pos: Pos = _pos()


@dataclass(frozen=True, kw_only=True)
class Entry:
    """One row group of the schedule: a class meeting, or material without one (``extra``)."""

    id: str
    kind: str
    week: int
    sessions: tuple[Session, ...]
    resources: tuple[Resource, ...] = ()
    extra: bool = False
    pos: Pos = _pos()


@dataclass(frozen=True, kw_only=True)
class Week:
    number: int
    url: str | None = None
    pos: Pos = _pos()


@dataclass(frozen=True, kw_only=True)
class Person:
    role: str
    name: str
    email: str | None = None
    url: str | None = None
    description: str = ""
    photo: str | None = None
    pos: Pos = _pos()


@dataclass(frozen=True, kw_only=True)
class Override:
    """A one-off exception for one meeting: another date, time or place, or cancelled."""

    meeting: str
    term: str | None = None  # None: applies in every term
    date: dt.date | None = None
    start: dt.time | None = None
    end: dt.time | None = None
    location: Location | None = None
    cancelled: bool = False
    pos: Pos = _pos()


@dataclass(frozen=True, kw_only=True)
class LocationChange:
    """From ``start`` on, meetings (of ``kinds``, or all) take place at ``location``."""

    start: dt.date
    location: Location
    kinds: tuple[str, ...] = ()
    pos: Pos = _pos()


@dataclass(frozen=True, kw_only=True)
class Options:
    reminders: tuple[int, ...] = ()  # minutes before each meeting; empty: no VALARM
    no_class_events: bool = False
    feeds_per_kind: bool = False
    paper: str = "a4"
    base_url: str | None = None
    on_conflict: str = "error"
    pos: Pos = _pos()


@dataclass(frozen=True, kw_only=True)
class Translation:
    translator: str
    date: dt.date | None = None


@dataclass(frozen=True, kw_only=True)
class Course:
    id: str
    language: str
    term: str  # id of the default term
    code: str
    title: str
    institution: Link
    instructors: tuple[str, ...]
    patterns: tuple[Pattern, ...]
    weeks: tuple[Week, ...]
    entries: tuple[Entry, ...]
    site: str | None = None
    author: str | None = None
    translation: Translation | None = None
    links: tuple[Link, ...] = ()
    materials: tuple[Link, ...] = ()
    description: str = ""
    staff: tuple[Person, ...] = ()
    overrides: tuple[Override, ...] = ()
    location_changes: tuple[LocationChange, ...] = ()
    options: Options = Options()
    path: str = ""
    pos: Pos = _pos()
    language_pos: Pos = _pos()  # where the file says its language (labels, scripts and fonts point here)

    def pattern(self, kind: str) -> Pattern:
        return next(p for p in self.patterns if p.kind == kind)


@dataclass(frozen=True, kw_only=True)
class NoClass:
    """A day or a range of days without classes (a holiday, a break, a snow day)."""

    start: dt.date
    end: dt.date
    name: dict[str, str]
    pos: Pos = _pos()

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True, kw_only=True)
class Substitution:
    """``date`` follows the schedule of weekday ``follows`` instead of its own."""

    date: dt.date
    follows: int
    name: dict[str, str]
    pos: Pos = _pos()


@dataclass(frozen=True, kw_only=True)
class Term:
    id: str
    name: dict[str, str]
    timezone: str
    first_day: dt.date
    last_day: dt.date
    week_start: int = 0
    no_class: tuple[NoClass, ...] = ()
    substitutions: tuple[Substitution, ...] = ()
    location_changes: tuple[LocationChange, ...] = ()
    path: str = ""
    pos: Pos = _pos()
    first_day_pos: Pos = _pos()
    last_day_pos: Pos = _pos()


def localized(names: dict[str, str], language: str) -> str:
    """The name in ``language``, else its base language, else English, else any."""
    base = language.split("-")[0]
    for key in (language, base, "en"):
        if key in names:
            return names[key]
    return next(iter(names.values()), "")
