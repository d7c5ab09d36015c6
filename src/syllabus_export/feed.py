"""Schedule → the iCalendar feeds students subscribe to (RFC 5545, with the RFC 7986 calendar properties).

A renderer: returns bytes, reads no clock and writes no file. Two things make a rebuild safe for
calendars that already subscribed: a meeting's UID never changes (``expand.uid_for``), and the
feed being replaced (``previous``) is the published state, so SEQUENCE and LAST-MODIFIED move
for exactly the events whose content changed and never go backwards (DECISIONS, "Where the
published state lives"). The same inputs, ``previous`` included, give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import functools
import pathlib
import re
from collections.abc import Iterable, Mapping
from urllib.parse import quote, urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import jinja2
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vDuration, vText

from syllabus_export import __version__, present
from syllabus_export import model as m
from syllabus_export.expand import Meeting, Schedule, uid_for
from syllabus_export.feed_items import (
    DEADLINES_FEED,
    OFFICE_HOURS_FEED,
    TAGS,
    add_reminders,
    category_tags,
    item_events,
)
from syllabus_export.messages import kind_label, messages, resource_labels
from syllabus_export.published import VOLATILE, PublishedEvent, PublishedFeed, fingerprint, raised, read_published
from syllabus_export.resources import template_text


class _Text(vText):
    """TEXT escaped exactly as RFC 5545 says.

    icalendar 7.3 first turns a literal ``\\N`` into a line break (``C:\\New`` would become two
    lines), so every text of the feed goes through this instead.
    """

    def to_ical(self) -> bytes:
        text = str(self).replace("\\", "\\\\").replace(";", r"\;").replace(",", r"\,")
        return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", r"\n").encode(self.encoding)



PRODID = f"-//syllabus-export//syllabus-export {__version__}//EN"
# How often clients should fetch again. Only classic Outlook is known to obey; Google and Outlook
# on the web poll every 3–24 hours anyway. Course schedules change by the week, not by the hour.
REFRESH = dt.timedelta(hours=12)
# What a cancellation keeps of a published event whose meeting is gone: what a meeting's event has
# (a hand-edited feed cannot carry another property, an RRULE or an attachment, into every later feed).
WITHDRAWN = ("UID", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION", "LOCATION", "URL", "CATEGORIES", "CLASS", "STATUS",
             "TRANSP")
UTC = dt.UTC
DAY = dt.timedelta(days=1)


def render_feeds(
    schedule: Schedule,
    *,
    build_time: dt.datetime,
    previous: bytes | PublishedFeed | None = None,
    feed_url: str | None = None,
    templates: pathlib.Path | None = None,
    previous_files: Mapping[str, bytes | PublishedFeed] | None = None,
) -> dict[str, bytes]:
    """Return {"calendar.ics": bytes}, plus {"calendar-<kind>-<section>.ics": bytes} per section (per
    combination of sections, ``calendar-lab-a+tutorial-x.ics``) when a kind meets in sections, plus
    {"calendar-<kind>.ics": bytes} per kind when course.options.feeds_per_kind (``feed_files``).

    Parameters:
        build_time: aware UTC datetime (SOURCE_DATE_EPOCH or the data's time): DTSTAMP, and
            LAST-MODIFIED of the events that change in this build.
        previous: the feed this build replaces, or None: as ``published.read_published`` read it (the
            pipeline does, to report its warnings), or its bytes (read here, the warnings dropped).
        feed_url: the public URL of ``calendar.ics``; gives SOURCE and URL when set.
        templates: the user's template folder (``--templates``); None: the packaged defaults.
        previous_files: the published bytes of the other feeds, by file name: each feed's events
            are compared with its own file's (a subscriber of a section's feed saw that file), and
            what left it is withdrawn there. A feed not given here starts from ``previous``.

    Exams and deadlines are in ``calendar.ics``, in every section feed and in ``calendar-deadlines.ics``;
    office hours in ``calendar-office-hours.ics`` (and in ``calendar.ics`` and the section feeds with
    ``options.office_hours_in_feed``), see ``feed_items``. Per-kind feeds hold their kind's meetings only.
    Raises:
        ValueError: ``build_time`` is naive or not UTC.
    """
    if build_time.tzinfo is None or build_time.utcoffset() != dt.timedelta(0):
        raise ValueError(f"build_time must be an aware UTC datetime (got {build_time!r})")
    build_time = build_time.astimezone(UTC).replace(microsecond=0)
    course, term = schedule.course, schedule.term
    zone = ZoneInfo(term.timezone)
    summary = _summary_template(templates)
    published = _published(previous, schedule)

    # (kind or None for "every feed", event); tombstones last, then everything sorted by time.
    items: list[tuple[str | None, Event]] = [
        (mt.kind, _meeting_event(mt, schedule, summary)) for mt in schedule.meetings
    ]
    if course.options.no_class_events:
        items += [(None, _no_class_event(day, schedule)) for day in term.no_class]
    items += item_events(schedule, _Text)
    live = {str(event["UID"]) for _, event in items}
    kinds = {kind_label(course, p.kind): p.kind for p in course.patterns} | category_tags(course.language)
    for uid, old in published.items():
        if uid not in live and (gone := _withdrawn(old, zone, messages(course.language))) is not None:
            items.append((next((kinds[c] for c in old.categories if c in kinds), None), gone))
    for _, event in items:
        _stamp(event, published.get(str(event["UID"])), build_time)
    items.sort(key=lambda item: (_instant(item[1], zone), str(item[1]["UID"])))

    if not course.options.office_hours_in_feed:  # in their own feed only (below)
        hours = [item for item in items if item[0] == TAGS["office_hours"]]
        items = [item for item in items if item[0] != TAGS["office_hours"]]
    else:
        hours = [item for item in items if item[0] == TAGS["office_hours"]]
    events = [event for _, event in items]
    first, last = _span(events + [event for _, event in hours], term, zone)
    vtimezone = _vtimezone(zone, first, last)
    feeds = {"calendar.ics": _calendar(schedule, present.main_feed_name(schedule), vtimezone, events, feed_url)}
    own = _OwnState(schedule, published, live, previous_files or {}, build_time, ((first, last), vtimezone))
    section_of = {mt.uid: (mt.kind, mt.section) for mt in schedule.meetings if mt.section}
    sectioned = {p.kind for p in course.sectioned}
    for feed in present.section_feeds(course):
        # Every meeting without a section and those of this feed's sections. A withdrawn event's
        # section is not known from the main feed: one of a kind with sections is withdrawn by the
        # section feeds that published it (their own state), and by calendar.ics.
        chosen = [
            (kind, event) for kind, event in items
            if section_of.get(uid := str(event["UID"])) in feed.sections
            or (uid not in section_of and (uid in live or kind not in sectioned))
        ]
        url = feed_url and feed_url.rsplit("/", 1)[0] + f"/{feed.file}"
        label = present.calendar_name(schedule, feed.label)
        feeds[feed.file] = _calendar(schedule, label, *own.events(feed.file, chosen), url)
    if course.options.feeds_per_kind:
        for pattern in course.patterns:
            file = f"calendar-{pattern.kind}.ics"
            url = feed_url and feed_url.rsplit("/", 1)[0] + f"/{file}"
            chosen = [(kind, event) for kind, event in items if kind in (None, pattern.kind)]
            label = present.calendar_name(schedule, kind_label(course, pattern.kind))  # as the page names it
            feeds[file] = _calendar(schedule, label, *own.events(file, chosen), url)
    deadlines = [(kind, event) for kind, event in items if kind in (TAGS["exam"], TAGS["deadline"])]
    for file, chosen in ((DEADLINES_FEED, deadlines), (OFFICE_HOURS_FEED, hours)):
        if chosen:
            url = feed_url and feed_url.rsplit("/", 1)[0] + f"/{file}"
            feeds[file] = _calendar(schedule, present.feed_name(schedule, file), *own.events(file, chosen), url)
    return feeds


def feed_files(course: m.Course) -> list[str]:
    """The names of the feeds ``render_feeds`` makes for ``course``, ``calendar.ics`` first."""
    names = ["calendar.ics", *(f.file for f in present.section_feeds(course))]
    if course.options.feeds_per_kind:
        names += [f"calendar-{p.kind}.ics" for p in course.patterns]
    if course.exams or course.deadlines:
        names.append(DEADLINES_FEED)
    if course.office_hours:
        names.append(OFFICE_HOURS_FEED)
    return names


class _OwnState:
    """Each feed file's own published state: its events stamped against what that file said.

    In the usual case a file's events are the main feed's, published by the same builds, and the
    main feed's stamps are kept as they are; an event whose previous version in this file differs
    from the main feed's is stamped against this file's, and what this file published that it no
    longer holds is withdrawn from it (and only what it published).
    """

    def __init__(self, schedule: Schedule, main: dict[str, PublishedEvent], live: set[str],
                 files: Mapping[str, bytes | PublishedFeed], build_time: dt.datetime,
                 main_zone: tuple[tuple[dt.date, dt.date], Timezone]):
        self.schedule, self.term, self.zone = schedule, schedule.term, ZoneInfo(schedule.term.timezone)
        self.words = messages(schedule.course.language)
        self.main, self.live, self.files, self.build_time = main, live, files, build_time
        self.zones = dict([main_zone])

    def events(self, file: str, chosen: list[tuple[str | None, Event]]) -> tuple[Timezone, list[Event]]:
        """The VTIMEZONE and the events of ``file``, given the main feed's events that go into it."""
        if not self.files.get(file):  # never published: the main feed's state is its state
            events = [event for _, event in chosen]
        else:
            state = _published(self.files[file], self.schedule)
            events = []
            for _, event in chosen:
                uid = str(event["UID"])
                if uid not in self.live:
                    continue  # the main feed withdraws it; this file withdraws what it published, below
                old = state.get(uid)
                if not self._same(uid, old):  # this file said something else: stamp against it
                    event = Event.from_ical(event.to_ical())
                    for key in VOLATILE:
                        event.pop(key, None)
                    _stamp(event, old, self.build_time)
                events.append(event)
            held = {str(event["UID"]) for event in events}
            for uid, old in state.items():
                if uid not in held and (gone := _withdrawn(old, self.zone, self.words)) is not None:
                    _stamp(gone, old, self.build_time)
                    events.append(gone)
            events.sort(key=lambda event: (_instant(event, self.zone), str(event["UID"])))
        span = _span(events, self.term, self.zone)
        if span not in self.zones:
            self.zones[span] = _vtimezone(self.zone, *span)
        return self.zones[span], events

    def _same(self, uid: str, old: PublishedEvent | None) -> bool:
        """Whether this file's previous version of an event is the main feed's."""
        main = self.main.get(uid)
        if old is None or main is None:
            return old is main
        return (old.sequence, old.last_modified, old.content) == (main.sequence, main.last_modified, main.content)


def google_calendar_link(meeting: Meeting, schedule: Schedule, *, templates: pathlib.Path | None = None) -> str:
    """An "add this event to Google Calendar" link: wall-clock times with ``ctz``, so DST cannot shift them."""
    fmt = "%Y%m%dT%H%M%S"
    query = {
        "action": "TEMPLATE",
        "text": _summary(meeting, schedule, _summary_template(templates)),
        "dates": f"{meeting.start:{fmt}}/{meeting.end:{fmt}}",
        "ctz": meeting.tz,
        "details": _description(meeting, schedule),
        "location": meeting.location.name,
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(query, quote_via=quote)


def subscribe_links(feed_url: str, name: str) -> dict[str, str]:
    """One-click subscribe links for the feed at ``feed_url`` (see shared/notes/subscribe-links.md).

    Returns ``webcal`` (Apple Calendar, classic Outlook, Thunderbird, ICSx⁵), ``google`` (desktop
    web only, best effort), ``outlook_live`` and ``office365`` (best effort) and ``https`` (the
    URL to copy and paste, which works everywhere).
    """
    parts = urlsplit(feed_url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https", "webcal", "webcals") or not parts.netloc:
        raise ValueError(f"feed_url must be an absolute http(s) URL (got {feed_url!r})")
    https = urlunsplit(("http" if scheme == "http" else "https", *parts[1:]))
    webcal = urlunsplit(("webcal", *parts[1:]))  # never webcals: iOS rejects it
    outlook = urlencode({"url": https, "name": name}, quote_via=quote)
    return {
        "webcal": webcal,
        "google": "https://calendar.google.com/calendar/render?cid=" + quote(webcal, safe=""),
        "outlook_live": "https://outlook.live.com/calendar/0/addfromweb/?" + outlook,
        "office365": "https://outlook.office.com/calendar/0/addfromweb/?" + outlook,
        "https": https,
    }


# --- events ---------------------------------------------------------------------------------


def _meeting_event(mt: Meeting, schedule: Schedule, summary: jinja2.Template) -> Event:
    course = schedule.course
    event = Event()
    event.add("UID", mt.uid)
    event.add("DTSTART", mt.start)  # aware, in the term zone: written with its TZID
    event.add("DTEND", mt.end)
    event.add("SUMMARY", _Text(_summary(mt, schedule, summary)))
    event.add("LOCATION", _Text(mt.location.name))
    event.add("DESCRIPTION", _Text(_description(mt, schedule)))
    url = next((s.url for s in mt.sessions if s.url), None)
    if url:
        event.add("URL", url)
    event.add("CATEGORIES", [_Text(kind_label(course, mt.kind))])
    event.add("STATUS", "CANCELLED" if mt.cancelled else "CONFIRMED")
    # A cancelled class should not block the student's time in free/busy views.
    event.add("TRANSP", "TRANSPARENT" if mt.cancelled else "OPAQUE")
    event.add("CLASS", "PUBLIC")
    if not mt.cancelled:
        add_reminders(event, course.options.reminders, _Text)
    return event


def _no_class_event(day: m.NoClass, schedule: Schedule) -> Event:
    """A holiday or break as a transparent all-day event (DTEND is exclusive)."""
    course, term = schedule.course, schedule.term
    words = messages(course.language)
    event = Event()
    # '+' cannot occur in a meeting id, so this UID never collides with a meeting's.
    event.add("UID", uid_for(course.id, term.id, f"no-class+{day.start.isoformat()}"))
    event.add("DTSTART", day.start)
    event.add("DTEND", day.end + DAY)
    name = words["label_value"].format(label=words["no_class"], value=m.localized(day.name, course.language))
    event.add("SUMMARY", _Text(f"{course.code} · {name}"))
    event.add("CATEGORIES", [_Text(words["no_class"])])
    event.add("STATUS", "CONFIRMED")
    event.add("TRANSP", "TRANSPARENT")
    event.add("CLASS", "PUBLIC")
    return event


def _withdrawn(old: PublishedEvent, zone: ZoneInfo, words: dict[str, str]) -> Event | None:
    """A published event whose meeting is gone, as a cancellation, so subscribed calendars drop it.

    An event that was already cancelled comes out with the same content, so its SEQUENCE stays.
    Returns None for an event too broken to repeat (no readable start).
    """
    if old.ical is None or old.start is None:
        return None
    try:
        event = Event.from_ical(old.ical)
        for name in list(event.keys()):
            if name not in WITHDRAWN or (name == "URL" and not str(event[name]).startswith(("https://", "http://"))):
                event.pop(name)
        event.subcomponents = []
        for name in ("DTSTART", "DTEND"):
            value = event.decoded(name) if name in event else None
            if isinstance(value, dt.datetime) and value.tzinfo is not None:
                event.pop(name)  # into the term zone, so its one VTIMEZONE covers every TZID
                event.add(name, value.astimezone(zone))
        for name in ("SUMMARY", "DESCRIPTION", "LOCATION"):
            if name in event:
                event[name] = _Text(str(event[name]))
        if str(event.get("STATUS", "")).upper() != "CANCELLED":
            summary = f"[{words['cancelled']}] {event.get('SUMMARY', '')}".strip()
            for name, value in (("STATUS", "CANCELLED"), ("TRANSP", "TRANSPARENT"), ("SUMMARY", _Text(summary))):
                event.pop(name, None)
                event.add(name, value)
        event.to_ical()
        return event
    except Exception:  # noqa: BLE001 - someone else's broken event must not stop a build
        return None


def _summary_template(templates: pathlib.Path | None) -> jinja2.Template:
    return _compile(template_text("summary.txt", templates))


@functools.lru_cache(maxsize=8)
def _compile(text: str) -> jinja2.Template:
    env = jinja2.Environment(autoescape=False, undefined=jinja2.StrictUndefined)
    return env.from_string(text)


def _summary(mt: Meeting, schedule: Schedule, template: jinja2.Template) -> str:
    course = schedule.course
    words = messages(course.language)
    text = template.render(
        code=course.code,
        course_title=course.title,
        term=m.localized(schedule.term.name, course.language),
        kind=kind_label(course, mt.kind),
        kind_id=mt.kind,
        week=mt.week,
        sessions=[s.id for s in mt.sessions],
        titles=[s.title for s in mt.sessions],
        location=mt.location.name,
        words=words,
    )
    # one line, whatever the template or the titles hold; no-break spaces stay (French "Semaine 2 : …")
    text = re.sub(r"[^\S\u00a0\u202f]+", " ", text).strip()
    return f"[{words['cancelled']}] {text}" if mt.cancelled else text


def _description(mt: Meeting, schedule: Schedule) -> str:
    """Plain text: cancelled first, then each title with its page, every link labelled ("Slides: …"),
    the place's link under its name (not the place alone: LOCATION shows it), and a move in one
    line at the end."""
    language = schedule.course.language
    words = messages(language)
    notes = []
    if mt.cancelled:
        notes.append(words["cancelled"] + ".")
    labelled = words["label_value"].format  # "label: value" in the language's punctuation
    titles = [labelled(label=s.title.strip(), value=s.url) if s.url else s.title.strip() for s in mt.sessions]
    labels = resource_labels(mt.resources, language, schedule.course.resource_labels)
    links = [labelled(label=label, value=r.url) for r, label in zip(mt.resources, labels)]
    # the place's link under the place's name (a "Location:" line would read as a second LOCATION in calcurse)
    place = labelled(label=mt.location.name, value=mt.location.url) if mt.location.url else ""
    # a move said once, at the end: the titles come first, and a calendar's preview shows the start
    moved = present.moved_line(mt, language) if not mt.cancelled else None
    blocks = ["\n".join(notes), "\n".join(titles), "\n".join(links), place, moved or ""]
    return "\n\n".join(b for b in blocks if b)


# --- the published state (read by published.py) ----------------------------------------------


def _published(previous: bytes | PublishedFeed | None, schedule: Schedule) -> dict[str, PublishedEvent]:
    """The previous feed's events of this course and term, by UID.

    Only UIDs of this course and term count, so a wrong ``--previous`` cannot pour another
    course's events into this feed.
    """
    if previous is None:
        return {}
    if isinstance(previous, bytes):
        previous = read_published(previous, "the previous feed", schedule)
    suffix = uid_for(schedule.course.id, schedule.term.id, "")
    return {uid: event for uid, event in sorted(previous.events.items()) if uid.endswith(suffix)}


def _stamp(event: Event, old: PublishedEvent | None, build_time: dt.datetime) -> None:
    """DTSTAMP, SEQUENCE and LAST-MODIFIED: the last two move only when the content changed."""
    sequence, modified = 0, build_time
    if old is not None:
        sequence, modified = old.sequence, old.last_modified or build_time
        if old.content != fingerprint(event):
            sequence, modified = raised(sequence), max(modified, build_time)
    event.add("DTSTAMP", build_time)
    event.add("SEQUENCE", sequence)
    event.add("LAST-MODIFIED", modified)


# --- the calendar -----------------------------------------------------------------------------


def _calendar(
    schedule: Schedule, name: str, vtimezone: Timezone, events: Iterable[Event], feed_url: str | None
) -> bytes:
    course, term = schedule.course, schedule.term
    cal = Calendar()
    cal.add("VERSION", "2.0")
    cal.add("PRODID", PRODID)
    cal.add("CALSCALE", "GREGORIAN")
    cal.add("METHOD", "PUBLISH")
    # RFC 7986 names for the new clients, X-WR-* for Google, Apple and Outlook, which read only those.
    cal.add("NAME", _Text(name))
    cal.add("X-WR-CALNAME", _Text(name))
    description = "\n\n".join(p for p in (course.description.with_urls, course.site) if p)
    if description:
        cal.add("DESCRIPTION", _Text(description))
        cal.add("X-WR-CALDESC", _Text(description))
    cal.add("X-WR-TIMEZONE", term.timezone)
    cal.add("REFRESH-INTERVAL", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("X-PUBLISHED-TTL", vDuration(REFRESH))
    if feed_url:
        cal.add("SOURCE", feed_url)
        cal.add("URL", feed_url)
    cal.add_component(vtimezone)
    for event in events:
        cal.add_component(event)
    return b"\r\n".join(_fold(line) for line in cal.content_lines() if line) + b"\r\n"


def _fold(line: str) -> bytes:
    """One content line, UTF-8, folded as icalendar 7.3's ``to_ical`` folds it, in a tenth of the time.

    A line longer than 74 bytes is cut after the last whole character that keeps a piece within
    74 bytes (never inside a UTF-8 sequence), the next piece starting with a space; a piece that
    would end in ``\\`` or ``^`` leaves it to the next one (an escape is never split; icalendar
    #1501). The same bytes as ``Calendar.to_ical()``, which folds character by character.
    """
    data = line.encode("utf-8")
    if len(data) <= 74:
        return data
    pieces = []
    start = 0
    while len(data) - start > 74:
        cut = start + 74
        while data[cut] & 0xC0 == 0x80:  # a continuation byte: back to the start of its character
            cut -= 1
        if data[cut - 1] in b"\\^":
            cut -= 1
        pieces.append(data[start:cut])
        start = cut
    pieces.append(data[start:])
    return b"\r\n ".join(pieces)


def _instant(event: Event, zone: ZoneInfo) -> dt.datetime:
    """When an event starts, as an aware datetime: dates and floating times are read in the term zone."""
    value = event.decoded("DTSTART")
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    return value if value.tzinfo is not None else value.replace(tzinfo=zone)


def _span(events: list[Event], term: m.Term, zone: ZoneInfo) -> tuple[dt.date, dt.date]:
    """The local dates the feed's times fall in: the term, widened for any older (withdrawn) event."""
    days = [term.first_day, term.last_day]
    for event in events:
        for name in ("DTSTART", "DTEND"):
            value = event.decoded(name) if name in event else None
            if isinstance(value, dt.datetime):
                days.append((value.astimezone(zone) if value.tzinfo else value).date())
            elif isinstance(value, dt.date):
                days.append(value)
    return min(days), max(days)


def _vtimezone(zone: ZoneInfo, first: dt.date, last: dt.date) -> Timezone:
    """The zone's rules from ``first`` to ``last`` only, one STANDARD/DAYLIGHT block per transition.

    Not icalendar's ``Timezone.from_tzinfo``: over spans longer than a year it writes
    comma-separated RDATE lists, of which ical.js (Thunderbird) and vobject read only the first
    date, and it dates a spring-forward onset at the new wall time (03:00) where RFC 5545 uses
    the old one (02:00). Here each onset is the transition instant in the offset before it.
    """
    start = dt.datetime.combine(first, dt.time(), zone).astimezone(UTC)
    stop = dt.datetime.combine(last + DAY, dt.time(), zone).astimezone(UTC)
    offset = start.astimezone(zone).utcoffset()
    onsets = [(start, offset, offset)]
    hour, second = dt.timedelta(hours=1), dt.timedelta(seconds=1)
    at = start
    while at < stop:  # offsets change on whole minutes and seldom twice a month: an hourly scan finds them
        if (after := (at + hour).astimezone(zone).utcoffset()) != offset:
            low, high = at, at + hour
            while high - low > second:
                middle = low + (high - low) / 2
                low, high = (low, middle) if middle.astimezone(zone).utcoffset() == after else (middle, high)
            onsets.append((high, offset, after))
            offset = after
        at += hour
    tz = Timezone()
    tz.add("TZID", zone.key)
    for instant, before, after in onsets:
        local = instant.astimezone(zone)
        block = TimezoneDaylight() if local.dst() else TimezoneStandard()
        block.add("DTSTART", (instant + before).replace(tzinfo=None))  # RFC 5545: local time before the onset
        block.add("TZOFFSETFROM", before)
        block.add("TZOFFSETTO", after)
        block.add("TZNAME", local.tzname() or "")
        tz.add_component(block)
    return tz
