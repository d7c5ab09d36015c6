"""Meetings → the ``list`` outputs: the JSON contract and a readable table."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from syllabus_export.expand import Meeting, Schedule
from syllabus_export.items import Item
from syllabus_export.messages import resource_labels


def meeting_record(meeting: Meeting, language: str, own_words: Mapping[str, str] | None = None) -> dict[str, Any]:
    """One meeting as the JSON contract has it (README: "The list --json contract"); ``own_words``:
    the course's ``resource_labels``."""
    labels = resource_labels(meeting.resources, language, own_words or {})
    return {
        "id": meeting.id,
        "uid": meeting.uid,
        "course": meeting.course,
        "term": meeting.term,
        "week": meeting.week,
        "kind": meeting.kind,
        "sessions": [s.id for s in meeting.sessions],
        "titles": [s.title for s in meeting.sessions],
        "urls": [s.url for s in meeting.sessions],
        "start": meeting.start.isoformat(),
        "end": meeting.end.isoformat(),
        "tz": meeting.tz,
        "location": meeting.location.name,
        "location_url": meeting.location.url,
        "resources": [{"kind": r.kind, "url": r.url, "label": label} for r, label in zip(meeting.resources, labels)],
        "status": meeting.status,
        "moved_from": meeting.moved_from.isoformat() if meeting.moved_from else None,
        "section": meeting.section,
    }


def to_json(schedules: list[Schedule]) -> str:
    records = []
    for s in schedules:
        events = [(mt.start, meeting_record(mt, s.course.language, s.course.resource_labels)) for mt in s.meetings]
        if s.items:  # meetings and items in one time order (a stable sort keeps each list's own order)
            events = sorted([*events, *((item.start, item_record(item)) for item in s.items)], key=lambda e: e[0])
        records += [record for _, record in events]
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def to_table(schedules: list[Schedule]) -> str:
    """A plain-text table for people: date, weekday, local times, week, kind, titles, location."""
    rows = [("date", "day", "time", "week", "kind", "titles", "location")]
    for schedule in schedules:
        for item in schedule.items:
            when = f"{item.start:%H:%M}" if item.kind == "deadline" else f"{item.start:%H:%M}–{item.end:%H:%M}"
            title = f"[{'cancelled' if item.cancelled else item.kind.replace('_', ' ')}] {item.title}"
            rows.append((item.start.strftime("%Y-%m-%d"), item.start.strftime("%a"), when,
                         str(item.week or ""), item.kind, title, item.location.name if item.location else ""))
        for mt in schedule.meetings:
            titles = " / ".join(f"{s.id} {s.title}" for s in mt.sessions)
            if mt.cancelled:
                titles = "[cancelled] " + titles
            elif mt.moved_from:
                titles += f" [moved from {mt.moved_from:%Y-%m-%d %H:%M}]"
            rows.append(
                (
                    mt.start.strftime("%Y-%m-%d"),
                    mt.start.strftime("%a"),
                    f"{mt.start:%H:%M}–{mt.end:%H:%M}",
                    str(mt.week),
                    f"{mt.kind} {mt.section}" if mt.section else mt.kind,
                    titles,
                    mt.location.name,
                )
            )
    rows[1:] = sorted(rows[1:], key=lambda row: (row[0], row[2]))  # items among the meetings, by local day and time
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 2)]
    lines = []
    for row in rows:
        fixed = "  ".join(cell.ljust(width) for cell, width in zip(row, widths))
        lines.append(f"{fixed}  {row[-2]}  @ {row[-1]}" if row is not rows[0] else f"{fixed}  titles  @ location")
    return "\n".join(lines) + "\n"


# --- exams, deadlines and office hours ----------------------------------------------------------


def item_record(item: Item) -> dict[str, Any]:
    """An exam, a deadline or an office-hours session as the JSON contract has it (DECISIONS):
    the meetings' keys where they apply, one title, a deadline's start and end both its due time."""
    return {
        "id": item.id,
        "uid": item.uid,
        "course": item.course,
        "term": item.term,
        "week": item.week,
        "kind": item.kind,
        "titles": [item.title],
        "urls": [item.url],
        "start": item.start.isoformat(),
        "end": item.end.isoformat(),
        "tz": item.tz,
        "location": item.location.name if item.location else None,
        "location_url": item.location.url if item.location else None,
        "status": item.status,
        "section": None,
    }
