"""The course and the term as the loader leaves them: frozen values, no I/O, positions kept.

Every value that a later check may need to point at carries ``pos`` (file, line, column);
``pos`` never takes part in equality, so two builds of the same data compare equal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal, Protocol, get_args

from syllabus_export.errors import Pos

NOWHERE = Pos(path="<none>")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")  # in messages

ResourceKind = Literal["slides", "notebook", "video", "other"]
ConflictPolicy = Literal["error", "shift", "drop"]  # what happens to a meeting whose date is not a class day
Paper = Literal["a4", "letter"]
Status = Literal["confirmed", "cancelled"]
# How meetings find their dates: by the course week each is listed in (``weeks:``), or each in its
# kind's next class slot of the term, in the order of a flat ``meetings:`` list.
Placement = Literal["by-week", "in-order"]
# The choices the loader accepts and the CLI offers, derived from the types above (one home each).
RESOURCE_KINDS: tuple[ResourceKind, ...] = get_args(ResourceKind)
CONFLICT_POLICIES: tuple[ConflictPolicy, ...] = get_args(ConflictPolicy)
PAPER_SIZES: tuple[Paper, ...] = get_args(Paper)
PLACEMENTS: tuple[Placement, ...] = get_args(Placement)
EXTRA_PREFIX = "X"


def meeting_id(prefix: str, number: int) -> str:
    """The default id of a class meeting: its kind's prefix and a two-digit number (L05): its course
    week when placed by week, its place among its kind's meetings when placed in order."""
    return f"{prefix}{number:02d}"


def section_meeting_id(meeting: str, section: str) -> str:
    """The id of one section's meeting: the meeting's id and the section's key (LAB03-a)."""
    return f"{meeting}-{section}"


def extra_id(first_session: str) -> str:
    """The default id of an extra (material without a meeting): X and its first session's id."""
    return f"{EXTRA_PREFIX}{first_session}"


def default_prefix(kind: str) -> str:
    """A kind's meeting-id prefix when the pattern sets none: its first letter, upper case."""
    return kind[0].upper()


class Scheduled(Protocol):
    """What the extras rule needs of a meeting (an :class:`Entry`, or a row the importer is reading)."""

    @property
    def kind(self) -> str: ...

    @property
    def week(self) -> int: ...


def last_lecture_week(entries: Iterable[Scheduled]) -> int | None:
    """The last course week that has a lecture; None when no meeting is a lecture."""
    return max((e.week for e in entries if e.kind == "lecture"), default=None)


def default_extra_weeks(entries: Iterable[Scheduled]) -> set[int]:
    """The weeks whose meetings are extras when nothing says otherwise: the weeks after the last
    week that has a lecture (material published once the classes are over). With no lecture at
    all, no week comes after the last one: nothing is an extra.

    >>> default_extra_weeks([Entry(id="L14", kind="lecture", week=14, sessions=()),
    ...                      Entry(id="X15-1", kind="practicum", week=15, sessions=())])
    {15}
    """
    entries = tuple(entries)
    last = last_lecture_week(entries)
    return set() if last is None else {e.week for e in entries if e.week > last}


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
    kind: ResourceKind
    url: str
    label: str | None = None  # None: the kind's name in the course language
    pos: Pos = _pos()


@dataclass(frozen=True, kw_only=True)
class Run:
    """A piece of rich text: words, linked to ``url`` when it is a link."""

    text: str
    url: str | None = None
    bold: bool = False  # **bold** in the syllabus's own text (``syllabus:``)


@dataclass(frozen=True, kw_only=True)
class RichText:
    """A long text with inline links ``[label](url)``, parsed once by the loader into runs."""

    runs: tuple[Run, ...] = ()
    pos: Pos = _pos()

    def __bool__(self) -> bool:
        return bool(self.runs)

    @property
    def plain(self) -> str:
        """The words alone, as the file has them around its links' labels."""
        return "".join(r.text for r in self.runs)

    @property
    def markdown(self) -> str:
        """The text as the course file writes it, links as ``[label](url)``."""
        return "".join(f"[{r.text}]({r.url})" if r.url else r.text for r in self.runs)

    def paragraphs(self) -> tuple[RichText, ...]:
        """The text cut at its blank lines, each paragraph without the whitespace around it."""
        return self._split("\n\n")

    def lines(self) -> tuple[RichText, ...]:
        """The text cut at its line breaks, each line stripped; empty lines left out."""
        return self._split("\n")

    def _split(self, separator: str) -> tuple[RichText, ...]:
        found: list[list[Run]] = [[]]
        for run in self.runs:
            pieces = [run.text] if run.url else run.text.split(separator)  # a link's label has no line break
            for i, piece in enumerate(pieces):
                if i:
                    found.append([])
                if piece:
                    found[-1].append(Run(text=piece, url=run.url))
        return tuple(part for runs in found if (part := RichText(runs=tuple(runs), pos=self.pos).stripped()))

    def stripped(self) -> RichText:
        runs = list(self.runs)
        while runs and not runs[0].url and not runs[0].text.strip():
            runs.pop(0)
        while runs and not runs[-1].url and not runs[-1].text.strip():
            runs.pop()
        if runs and not runs[0].url:
            runs[0] = Run(text=runs[0].text.lstrip())
        if runs and not runs[-1].url:
            runs[-1] = Run(text=runs[-1].text.rstrip())
        return RichText(runs=tuple(runs), pos=self.pos)

    @property
    def with_urls(self) -> str:
        """For plain-text outputs: each link written ``label (url)``."""
        return "".join(f"{r.text} ({r.url})" if r.url else r.text for r in self.runs)


@dataclass(frozen=True, kw_only=True)
class Session:
    id: str
    title: str
    url: str | None = None
    pos: Pos = _pos()  # where its id is written
    title_pos: Pos = _pos()  # where its title is (a glyph the PDF lacks is reported there)


@dataclass(frozen=True, kw_only=True)
class Slot:
    """One weekly time and place of a kind: a weekday, a time range, a room. For a kind with
    sections, one section's (each section meets at its own)."""

    weekday: int  # 0 = Monday
    start: dt.time
    end: dt.time
    location: Location
    section: str | None = None  # the section's key (a, b): also in its meetings' ids and its feed's name
    label: str | None = None  # the section's name for students ("Section A"); None: its key
    pos: Pos = _pos()


@dataclass(frozen=True, kw_only=True)
class Pattern:
    """When and where the meetings of one kind happen in a regular week.

    ``weekday``, ``start``, ``end`` and ``location`` are the first slot's (the only one in the
    one-mapping form); ``slots`` lists every slot when the kind meets on several days a week or in
    sections, and is empty otherwise.
    """

    kind: str
    weekday: int  # 0 = Monday
    start: dt.time
    end: dt.time
    location: Location
    label: str | None = None  # the kind's name for kinds the message catalog lacks
    prefix: str = ""  # meeting ids are prefix + two-digit week (L01, P01)
    slots: tuple[Slot, ...] = ()
    pos: Pos = _pos()

    @property
    def weekly(self) -> tuple[Slot, ...]:
        """Every slot of the kind (its sections' when it has sections), as written."""
        if self.slots:
            return self.slots
        return (Slot(weekday=self.weekday, start=self.start, end=self.end, location=self.location, pos=self.pos),)

    @property
    def sections(self) -> tuple[Slot, ...]:
        """The kind's sections, one slot each, as written; empty for a kind without sections."""
        return tuple(s for s in self.slots if s.section is not None)


@dataclass(frozen=True, kw_only=True)
class Entry:
    """One row group of the schedule: a class meeting, or material without one (``extra``)."""

    id: str
    kind: str
    week: int  # the course week it is listed in; 0 when placed in order (the term decides)
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
    description: RichText = RichText()
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
    paper: Paper = "a4"
    base_url: str | None = None
    on_conflict: ConflictPolicy = "error"
    pos: Pos = _pos()
    deadline_reminders: tuple[int, ...] = ()  # minutes before each deadline, unless it sets its own
    office_hours_in_feed: bool = False  # office hours in calendar.ics too (always in calendar-office-hours.ics)


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
    description: RichText = RichText()
    staff: tuple[Person, ...] = ()
    # The course's own word for a kind of resource ("slides" → "Diapositivas"), from its page's
    # legend; a kind it does not name takes the message catalog's word.
    resource_labels: Mapping[str, str] = field(default_factory=dict)
    overrides: tuple[Override, ...] = ()
    location_changes: tuple[LocationChange, ...] = ()
    options: Options = Options()
    placement: Placement = "by-week"
    path: str = ""
    pos: Pos = _pos()
    language_pos: Pos = _pos()  # where the file says its language (labels, scripts and fonts point here)
    # Where each top-level value is written ("code", "title", "site", "translation", "instructors.0"…),
    # so a later check (a glyph the PDF font lacks) names its line without reading the file again.
    positions: Mapping[str, Pos] = field(default_factory=dict, compare=False, repr=False)
    # What students need most besides the meetings (dated by ``items``, shown by every output).
    exams: tuple[Exam, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    office_hours: tuple[OfficeHours, ...] = ()
    syllabus: tuple[SyllabusSection, ...] = ()

    def pattern(self, kind: str) -> Pattern:
        return next(p for p in self.patterns if p.kind == kind)

    def at(self, key: str) -> Pos:
        """Where the value ``key`` is written, else where the course begins."""
        return self.positions.get(key, self.pos)

    @property
    def extras(self) -> tuple[Entry, ...]:
        """Material published without a class meeting (``extra: true``)."""
        return tuple(e for e in self.entries if e.extra)

    @property
    def sectioned(self) -> tuple[Pattern, ...]:
        """The kinds that meet in sections, in the order the file declares them."""
        return tuple(p for p in self.patterns if p.sections)


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
    positions: Mapping[str, Pos] = field(default_factory=dict, compare=False, repr=False)

    def at(self, key: str) -> Pos:
        """Where the value ``key`` is written ("name.vi"), else where the term begins."""
        return self.positions.get(key, self.pos)


def localized(names: dict[str, str], language: str) -> str:
    """The name in ``language``, else its base language, else English, else any."""
    base = language.split("-")[0]
    for key in (language, base, "en"):
        if key in names:
            return names[key]
    return next(iter(names.values()), "")


# --- exams, deadlines, office hours and the syllabus's own text ---------------------------------


@dataclass(frozen=True, kw_only=True)
class CourseDay:
    """A day named by its place in the course: weekday ``weekday`` of course week ``week`` (it
    rolls over with the term, as the meetings do)."""

    week: int
    weekday: int  # 0 = Monday
    pos: Pos = _pos()


@dataclass(frozen=True, kw_only=True)
class Exam:
    """An exam at its own date (``date``, or ``on`` a course day) and time; never a weekly meeting."""

    id: str
    title: str
    start: dt.time
    end: dt.time
    date: dt.date | None = None
    on: CourseDay | None = None
    location: Location | None = None
    url: str | None = None
    cancelled: bool = False
    pos: Pos = _pos()
    date_pos: Pos = _pos()  # where its date (or ``on``) is written


@dataclass(frozen=True, kw_only=True)
class Deadline:
    """Something due at a moment: ``due`` an absolute date and time, or a course day and a time."""

    id: str
    title: str
    time: dt.time
    date: dt.date | None = None
    on: CourseDay | None = None
    url: str | None = None
    reminders: tuple[int, ...] | None = None  # None: the course's options.deadline_reminders
    cancelled: bool = False
    pos: Pos = _pos()
    date_pos: Pos = _pos()


@dataclass(frozen=True, kw_only=True)
class OfficeHours:
    """One person's weekly office-hours slot; ``id`` (default: from the person and the weekday)
    names its events."""

    id: str
    who: str
    weekday: int
    start: dt.time
    end: dt.time
    location: Location | None = None
    url: str | None = None
    pos: Pos = _pos()


@dataclass(frozen=True, kw_only=True)
class TextParagraph:
    text: RichText


@dataclass(frozen=True, kw_only=True)
class TextList:
    items: tuple[RichText, ...]


@dataclass(frozen=True, kw_only=True)
class TextTable:
    header: tuple[RichText, ...]
    rows: tuple[tuple[RichText, ...], ...]


TextBlock = TextParagraph | TextList | TextTable


@dataclass(frozen=True, kw_only=True)
class SyllabusSection:
    """A titled part of the syllabus's own text (Grading, Policies): blocks parsed once at load
    from a small Markdown subset (``syllabus_text``)."""

    title: str
    blocks: tuple[TextBlock, ...]
    pos: Pos = _pos()
    title_pos: Pos = _pos()
    text_pos: Pos = _pos()


def office_hours_id(who: str, weekday: int) -> str:
    """The default id of an office-hours slot: the person's name and the weekday, as an id.

    >>> office_hours_id("Alfredo Canziani", 2)
    'alfredo-canziani-wed'
    """
    import re
    import unicodedata

    plain = unicodedata.normalize("NFKD", who).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:40] or "staff"
    return f"{slug}-{WEEKDAYS[weekday].lower()}"
