"""Exams, deadlines and office hours as calendar events, and the feeds that hold only them.

Part of the feed renderer (``feed.render_feeds`` calls it); what is decided here:

* an exam is an event at its place and time, busy (OPAQUE), with the course's meeting reminders;
* a deadline is a transparent event at its due time whose summary starts with the course
  language's word for "due" ("Due: Homework 1"). Its DTEND is one minute after DTSTART: RFC 5545
  forbids DTEND equal to DTSTART (calcurse drops such an event, and ``DURATION:PT0S`` too), and
  without DTEND khal shows an hour. ics-check's ten clients all show DTSTART+1 minute at the due
  time; ``DURATION:PT1M`` passes as well, but DTEND is what every event of the feed has and
  what ``changes`` compares. Reminders: the deadline's own, else ``options.deadline_reminders``;
* an office-hours session is a transparent event (it does not make a student busy);
* each event's CATEGORIES is its kind's word, so a withdrawn one is filed back into its feeds.
"""

from __future__ import annotations

import datetime as dt

from icalendar import Alarm, Event

from syllabus_export.expand import Schedule
from syllabus_export.items import Item
from syllabus_export.messages import messages

# Tags of feed.render_feeds' (tag, event) pairs: '+' is in no meeting kind, so no per-kind feed takes them.
TAGS = {"exam": "+exam", "deadline": "+deadline", "office_hours": "+office_hours"}
DEADLINES_FEED = "calendar-deadlines.ics"
OFFICE_HOURS_FEED = "calendar-office-hours.ics"
DEADLINE_LENGTH = dt.timedelta(minutes=1)


def category_tags(language: str) -> dict[str, str]:
    """Each item kind's word (its events' CATEGORIES) → its tag."""
    words = messages(language)
    return {words[kind]: tag for kind, tag in TAGS.items()}


def item_events(schedule: Schedule, text: type) -> list[tuple[str, Event]]:
    """Every item of ``schedule`` as (tag, event); ``text`` is the feed's TEXT value type."""
    return [(TAGS[item.kind], _event(item, schedule, text)) for item in schedule.items]


def summary(item: Item, language: str) -> str:
    """"Midterm exam", "Due: Homework 1", "Office hours: Ada Lovelace"; "[Cancelled] …" when cancelled."""
    words = messages(language)
    labelled = words["label_value"].format
    if item.kind == "deadline":
        text = labelled(label=words["due"], value=item.title)
    elif item.kind == "office_hours":
        text = labelled(label=words["office_hours"], value=item.title)
    else:
        text = item.title
    return f"[{words['cancelled']}] {text}" if item.cancelled else text


def _event(item: Item, schedule: Schedule, text: type) -> Event:
    language = schedule.course.language
    words = messages(language)
    labelled = words["label_value"].format
    event = Event()
    event.add("UID", item.uid)
    event.add("DTSTART", item.start)
    event.add("DTEND", item.end + DEADLINE_LENGTH if item.kind == "deadline" else item.end)
    event.add("SUMMARY", text(summary(item, language)))
    if item.location is not None:
        event.add("LOCATION", text(item.location.name))
    lines = []
    if item.cancelled:
        lines.append(words["cancelled"] + ".")
    if item.url:
        lines.append(labelled(label=words["item_details"], value=item.url))
    if item.location is not None and item.location.url:
        lines.append(labelled(label=item.location.name, value=item.location.url))
    if lines:
        event.add("DESCRIPTION", text("\n".join(lines)))
    if item.url:
        event.add("URL", item.url)
    event.add("CATEGORIES", [text(words[item.kind])])
    event.add("STATUS", "CANCELLED" if item.cancelled else "CONFIRMED")
    event.add("TRANSP", "OPAQUE" if item.kind == "exam" and not item.cancelled else "TRANSPARENT")
    event.add("CLASS", "PUBLIC")
    if not item.cancelled:
        add_reminders(event, item.reminders, text)
    return event


def add_reminders(event: Event, minutes_before: tuple[int, ...], text: type) -> None:
    """A display alarm per reminder, saying the event's summary (meetings' and items' alike)."""
    for minutes in minutes_before:
        alarm = Alarm()
        alarm.add("ACTION", "DISPLAY")
        alarm.add("DESCRIPTION", text(event["SUMMARY"]))
        alarm.add("TRIGGER", -dt.timedelta(minutes=minutes))
        event.add_component(alarm)
