"""The published state: the feed a build replaces, read once and defensively.

DECISIONS: the published state lives in the feed itself. That feed comes from outside the
build — a truncated upload, a ``--previous`` URL that answered with a login page, a feed
edited by hand — so ``read_feed`` never raises. What it cannot read (a line, a property, an
event, the whole file) is left out with a warning naming the feed, the line and what was
ignored, and the build goes on as if that much had never been published. An event whose UID
is readable still counts for that UID when other properties of it are not: its SEQUENCE is
still the floor of the next one.

Each event is parsed on its own (icalendar reads a whole calendar or nothing), so one broken
event, or a file cut in the middle, costs no other event.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from icalendar import Event
from icalendar.parser import Contentline
from icalendar.prop import vBroken

from syllabus_export.errors import Pos, Problem, quoted

if TYPE_CHECKING:
    from syllabus_export.expand import Schedule

SEQUENCE_MAX = 2_147_483_647  # RFC 5545 §3.3.8: INTEGER is 32-bit signed; a SEQUENCE is never negative
# Properties that record when, not what: left out when deciding whether an event changed.
VOLATILE = ("DTSTAMP", "SEQUENCE", "LAST-MODIFIED")
# RFC 5545 §3.6.1: properties a VEVENT has at most once. Given twice with different values, neither counts.
ONCE = frozenset({
    "UID", "DTSTAMP", "DTSTART", "DTEND", "DURATION", "SEQUENCE", "LAST-MODIFIED", "CREATED", "STATUS", "SUMMARY",
    "LOCATION", "DESCRIPTION", "CLASS", "TRANSP", "URL", "PRIORITY", "GEO", "ORGANIZER", "RECURRENCE-ID",
})
# A published meeting of a term lies within its term; a date further than this from it is damage (and a
# cancellation kept for it would stretch every later feed's VTIMEZONE over the years in between).
PLAUSIBLE = dt.timedelta(days=366)
TWICE = "given twice, with different values"
MAX_WARNINGS = 10  # per feed: a feed that is garbage throughout says so in a few lines, not thousands
# A content line whose parameters (if any) have no quoted value: name and value need no parser (RFC 5545 §3.1).
_SIMPLE = re.compile(r"([A-Za-z0-9-]+)(?:;[A-Za-z0-9-]+=[^\";:,]*(?:,[^\";:,]*)*)*:")
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f]")  # in a content line: everything but HTAB is refused


@dataclass(frozen=True, kw_only=True)
class PublishedEvent:
    """One event of the previous feed, as far as it could be read."""

    uid: str
    pos: Pos  # where its BEGIN:VEVENT is
    sequence: int = 0  # 0..SEQUENCE_MAX; 0 when missing or unreadable
    last_modified: dt.datetime | None = None  # aware, UTC
    status: str = "CONFIRMED"  # upper case, as written
    start: dt.date | None = None  # a date (all day) or a datetime (aware, or floating); None: unreadable
    end: dt.date | None = None
    summary: str = ""
    location: str = ""
    categories: tuple[str, ...] = ()
    # The event as parsed, without what could not be read; ``ical`` and ``content`` are made from it when
    # asked (most events of a rebuild are compared, few repeated, none of a feed read for ``diff`` only).
    parsed: Event | None = field(default=None, compare=False, repr=False)

    @functools.cached_property
    def ical(self) -> bytes | None:
        """The event as written without what could not be read: what a cancellation repeats (None: nothing)."""
        try:
            return self.parsed.to_ical() if self.parsed is not None else None
        except Exception:  # noqa: BLE001
            return None

    @functools.cached_property
    def content(self) -> bytes | None:
        """What "changed" compares (``fingerprint``); None: not comparable, so it counts as changed."""
        return fingerprint(self.parsed) if self.ical is not None else None  # type: ignore[arg-type]


@dataclass(frozen=True, kw_only=True)
class PublishedFeed:
    """The readable events of a previous feed by UID, and a warning for each thing that was not."""

    source: str  # the feed's path or URL, as warnings name it
    events: Mapping[str, PublishedEvent] = field(default_factory=dict)
    warnings: tuple[Problem, ...] = ()


def fingerprint(event: Event) -> bytes | None:
    """The event as text without VOLATILE, after one trip through the parser so both sides compare
    alike; None when it cannot be written. Lines are left unfolded: folding is the same on both sides
    and the costliest part of writing."""
    try:
        copy = Event.from_ical("\r\n".join(event.content_lines()))
        for name in VOLATILE:
            copy.pop(name, None)
        return "\r\n".join(copy.content_lines()).encode("utf-8", "surrogateescape")
    except Exception:  # noqa: BLE001 - an event that cannot be written counts as changed
        return None


def raised(sequence: int) -> int:
    """The SEQUENCE after a change: one more, except at the top of the range, where it stays."""
    return min(sequence + 1, SEQUENCE_MAX)


def read_published(data: bytes, source: str, schedule: Schedule) -> PublishedFeed:
    """``read_feed`` for the feed of ``schedule``'s course and term: only their UIDs, dates near the term."""
    from syllabus_export.expand import uid_for

    term = schedule.term
    return read_feed(data, source, suffix=uid_for(schedule.course.id, term.id, ""),
                     within=(term.first_day - PLAUSIBLE, term.last_day + PLAUSIBLE))


def read_feed(data: bytes, source: str, *, suffix: str = "",
              within: tuple[dt.date, dt.date] | None = None) -> PublishedFeed:
    """Every readable event of ``data`` whose UID ends with ``suffix``; never raises.

    Events of other UIDs are skipped without a word (the feed of another term or course is no
    damage). A DTSTART or DTEND outside ``within`` is read as unreadable. Of two events with one
    UID, the one with the higher SEQUENCE counts; an event with a RECURRENCE-ID is not a meeting.
    """
    reader = _Reader(source, suffix, within)
    reader.read(data)
    return PublishedFeed(source=source, events=dict(sorted(reader.events.items())), warnings=reader.summary())


# --- reading -----------------------------------------------------------------------------------


@dataclass
class _Line:
    number: int  # physical line of the file where the (unfolded) line starts, from 1
    text: str
    ended: bool  # followed by a line break (the last line of a cut file may be half a line)


class _Reader:
    """One pass over a feed: its lines, its VEVENT blocks, each block as far as it can be read."""

    def __init__(self, source: str, suffix: str, within: tuple[dt.date, dt.date] | None):
        self.source, self.suffix, self.within = source, suffix, within
        self.events: dict[str, PublishedEvent] = {}
        self.warnings: list[Problem] = []
        self.unsaid = 0  # warnings past MAX_WARNINGS: counted, not kept
        self.blocks = 0

    def warn(self, line: int, message: str, column: int = 1) -> None:
        if len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(Problem(pos=Pos(path=self.source, line=line, column=column), message=message))
        else:
            self.unsaid += 1

    def summary(self) -> tuple[Problem, ...]:
        if not self.unsaid:
            return tuple(self.warnings)
        last = self.warnings[-1]
        more = Problem(pos=last.pos, message=f"{last.message}; and {self.unsaid} more things in the previous "
                                             "feed that could not be read were ignored")
        return (*self.warnings[:-1], more)

    def read(self, data: bytes) -> None:
        if not data.strip():
            self.warn(1, "the previous feed is empty; every meeting counts as new")
            return
        began = ended = False
        block: tuple[int, list[_Line]] | None = None
        for line in self._lines(data):
            key = line.text.strip().upper()
            if key == "BEGIN:VEVENT":
                if block is not None:
                    self._block(*block, terminated=False)
                block = (line.number, [])
            elif key == "END:VEVENT" and block is not None:
                self._block(*block, terminated=True)
                block = None
            elif key in ("BEGIN:VCALENDAR", "END:VCALENDAR"):
                if block is not None:
                    self._block(*block, terminated=False)
                    block = None
                began, ended = began or key == "BEGIN:VCALENDAR", ended or key == "END:VCALENDAR"
            elif block is not None:
                block[1].append(line)
        if block is not None:
            self._block(*block, terminated=False)
        if not began and not self.blocks:
            self.warnings.insert(0, Problem(pos=Pos(path=self.source), message=(
                "the previous feed is not an iCalendar feed (no BEGIN:VCALENDAR); nothing of it was read, "
                "every meeting counts as new")))
        elif not ended:
            self.warn(data.count(b"\n") + 1, "the previous feed ends without END:VCALENDAR (cut short?); "
                                             "read as far as it goes")

    def _lines(self, data: bytes) -> Iterator[_Line]:
        """The content lines, unfolded (RFC 5545 §3.1: on bytes, so a fold inside a UTF-8 character
        is mended), each decoded; a line that is not UTF-8 or holds a control character is left out."""
        physical = data.split(b"\n")
        if not physical[-1]:
            physical.pop()  # what follows the last line break is no line
        start, parts = 0, []
        for number, raw in enumerate(physical, 1):
            raw = raw.removesuffix(b"\r")
            if raw[:1] in (b" ", b"\t") and parts:
                parts.append(raw[1:])
                continue
            if parts:
                yield from self._decoded(start, b"".join(parts), True)
            start, parts = number, [raw]
        if parts:
            yield from self._decoded(start, b"".join(parts), data.endswith(b"\n"))

    def _decoded(self, number: int, raw: bytes, ended: bool) -> Iterator[_Line]:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            self.warn(number, f"byte 0x{raw[exc.start]:02x} is not UTF-8: the line ({_name(raw)}) is ignored")
            return
        if bad := _CONTROL.search(text):
            self.warn(number, f"a control character ({quoted(bad[0])}): the line ({_name(raw)}) is ignored")
            return
        if text.strip():
            yield _Line(number, text, ended)

    def _block(self, begin: int, lines: list[_Line], *, terminated: bool) -> None:
        """The lines between BEGIN:VEVENT and END:VEVENT (or what stands for it) as an event."""
        self.blocks += 1
        if not terminated:
            self.warn(begin, "an event without END:VEVENT (the feed is cut short or damaged): read as far as it goes")
            if lines and not lines[-1].ended:
                lines = lines[:-1]  # the file ends inside this line: what is left of it may be another value
        kept: list[str] = []
        where: dict[str, int] = {}  # property name → its line, for the event's own properties
        open_at: list[tuple[str, int, int]] = []  # subcomponents begun: name, line, where it starts in kept
        for line in lines:
            if simple := _SIMPLE.match(line.text):  # most lines: no quoted parameter, nothing to parse twice
                name, value = simple[1], line.text[simple.end():]
            else:
                try:
                    name, _, value = Contentline(line.text).parts()
                except Exception:  # noqa: BLE001 - icalendar's message quotes the line raw: say it our way
                    self.warn(line.number, f"not a content line ({_name(line.text.encode())}): ignored")
                    continue
            name = name.upper()
            if name == "BEGIN":
                open_at.append((value.upper(), line.number, len(kept)))
            elif name == "END":
                if not open_at or open_at[-1][0] != value.upper():
                    self.warn(line.number, f"END:{quoted(value)} without its BEGIN: ignored")
                    continue
                open_at.pop()
            elif not open_at:
                where.setdefault(name, line.number)
            kept.append(line.text)
        if open_at:
            component, number, at = open_at[0]
            self.warn(number, f"BEGIN:{quoted(component)} without its END: the component is ignored")
            kept = kept[:at]
        try:
            event = Event.from_ical("BEGIN:VEVENT\r\n" + "".join(t + "\r\n" for t in kept) + "END:VEVENT\r\n")
        except Exception:  # noqa: BLE001 - whatever icalendar could not make of it
            self.warn(begin, "an event that cannot be read: ignored")
            return
        _Event(self, event, begin, where).add()


class _Event:
    """One parsed VEVENT block: its UID first, then each property the published state needs."""

    def __init__(self, reader: _Reader, event: Event, begin: int, where: dict[str, int]):
        self.reader, self.event, self.begin, self.where = reader, event, begin, where
        self.about = ""

    def warn(self, name: str, message: str) -> None:
        self.reader.warn(self.where.get(name, self.begin), f"{message} {self.about}".rstrip())

    def add(self) -> None:
        event, reader = self.event, self.reader
        for name in ONCE & set(event.keys()):
            value = event[name]
            if isinstance(value, list) and len({_written(v) for v in value}) == 1:
                event[name] = value[0]  # the same line twice: still one value
        uid = event.get("UID")
        if isinstance(uid, list):
            if any(str(u).endswith(reader.suffix) for u in uid):
                self.warn("UID", "an event with two different UIDs: ignored")
            return
        if uid is None or isinstance(uid, vBroken) or not str(uid).strip() or not str(uid).isprintable():
            self.warn("UID", "an event without a readable UID: ignored")
            return
        uid = str(uid)
        if not uid.endswith(reader.suffix) or "RECURRENCE-ID" in event:
            return  # another course's or term's event, or one occurrence of a series: never one of ours
        self.about = f"(event {quoted(uid, 60)})"
        sequence = self._sequence()
        for name in list(event.keys()):
            value = event[name]
            if name in ("DTSTART", "DTEND", "LAST-MODIFIED"):
                continue  # read below
            if isinstance(value, list) and name in ONCE:
                self.warn(name, f"{name} {TWICE}: ignored")
                event.pop(name)
            elif isinstance(value, vBroken) or (isinstance(value, list) and any(isinstance(v, vBroken) for v in value)):
                self.warn(name, f"{name} {_shown(value)} cannot be read: ignored")
                event.pop(name)
        start = self._moment("DTSTART")
        end = self._moment("DTEND")
        if start is not None and end is not None and not _before(start, end):
            self.warn("DTEND", f"DTEND {_shown(event['DTEND'])} does not end DTSTART {_shown(event['DTSTART'])} "
                               "(not later, or not the same kind of value): ignored")
            event.pop("DTEND")
            end = None
        last_modified = self._last_modified()
        try:
            categories = tuple(str(c) for c in event.categories)
        except Exception:  # noqa: BLE001 - unreadable categories: the event goes to every feed
            categories = ()
        found = PublishedEvent(
            uid=uid, pos=Pos(path=reader.source, line=self.begin), sequence=sequence, last_modified=last_modified,
            status=str(event.get("STATUS", "CONFIRMED")).upper(), start=start, end=end,
            summary=str(event.get("SUMMARY", "")), location=str(event.get("LOCATION", "")), categories=categories,
            parsed=event,
        )
        if uid not in reader.events or found.sequence > reader.events[uid].sequence:
            reader.events[uid] = found

    def _sequence(self) -> int:
        """SEQUENCE within 0..SEQUENCE_MAX: a number beyond the range is read as its end (never as 0:
        the next SEQUENCE must not fall below what subscribers have seen)."""
        value = self.event.pop("SEQUENCE", None)
        if value is None:
            return 0
        text = str(value).strip() if not isinstance(value, list) else ""
        if not re.fullmatch(r"[+-]?[0-9]+", text):
            what = TWICE if isinstance(value, list) else f"{_shown(text)} is not an integer"
            self.warn("SEQUENCE", f"SEQUENCE {what}: read as 0")
            return 0
        digits = text.lstrip("+-").lstrip("0") or "0"
        if text.startswith("-") and digits != "0":
            self.warn("SEQUENCE", f"SEQUENCE {_shown(text)} is negative: read as 0")
            return 0
        if len(digits) > len(str(SEQUENCE_MAX)) or int(digits) > SEQUENCE_MAX:
            self.warn("SEQUENCE", f"SEQUENCE {_shown(text)} is above {SEQUENCE_MAX}, the largest RFC 5545 allows: "
                                  f"read as {SEQUENCE_MAX}")
            return SEQUENCE_MAX
        return int(digits)

    def _moment(self, name: str) -> dt.date | None:
        """DTSTART or DTEND: a date, or a datetime in a known zone (or floating), near the term."""
        prop = self.event.get(name)
        also = "; the event cannot be kept as cancelled" if name == "DTSTART" else ""
        if prop is None:
            if name == "DTSTART":
                self.warn(name, f"no DTSTART{also}")
            return None
        value = None if isinstance(prop, (list, vBroken)) else getattr(prop, "dt", None)
        within = self.reader.within
        if isinstance(prop, list):
            why = TWICE
        elif not isinstance(value, dt.date):
            why = f"{_shown(prop)} is not a date or a date-time"
        elif isinstance(value, dt.datetime) and value.tzinfo is None and "TZID" in prop.params:
            why = f"{_shown(prop)} names an unknown time zone {_shown(prop.params['TZID'])}"
        elif within and not within[0] <= _day(value) <= within[1]:
            why = f"{_shown(prop)} is more than a year away from the term"
        else:
            return value
        self.event.pop(name)
        self.warn(name, f"{name} {why}: ignored{also}")
        return None

    def _last_modified(self) -> dt.datetime | None:
        prop = self.event.get("LAST-MODIFIED")
        if prop is None:
            return None
        value = None if isinstance(prop, (list, vBroken)) else getattr(prop, "dt", None)
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            try:
                return value.astimezone(dt.UTC)
            except (OverflowError, ValueError):
                pass
        self.event.pop("LAST-MODIFIED")
        what = TWICE if isinstance(prop, list) else f"{_shown(prop)} is not a UTC date-time"
        self.warn("LAST-MODIFIED", f"LAST-MODIFIED {what}: ignored")
        return None


def _written(value: object) -> object:
    """A property value as it is written, to tell two copies of one line from two different values."""
    try:
        return (value.to_ical(), tuple(sorted(getattr(value, "params", {}).items())))  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001
        return id(value)


def _before(start: dt.date, end: dt.date) -> bool:
    """Whether ``end`` can end what ``start`` starts: the same kind of value (a date, a floating or an
    aware date-time), and later."""
    if isinstance(start, dt.datetime) != isinstance(end, dt.datetime):
        return False
    if isinstance(start, dt.datetime) and (start.tzinfo is None) != (end.tzinfo is None):  # type: ignore[union-attr]
        return False
    return start < end  # type: ignore[operator]


def _day(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _shown(value: object) -> str:
    """A value quoted for a message: as written when it is a property, cut, never a raw control character."""
    if hasattr(value, "to_ical") and not isinstance(value, vBroken):
        try:
            raw = value.to_ical()
            value = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
        except Exception:  # noqa: BLE001
            value = str(value)
    return f"'{quoted(str(value))}'"


def _name(raw: bytes) -> str:
    """What a line is, for a message: its property name, or its first characters."""
    head = re.match(rb"[A-Za-z0-9-]{1,40}(?=[;:])", raw)
    return head[0].decode("ascii").upper() if head else f"'{quoted(raw[:20].decode('utf-8', 'replace'))}'"
