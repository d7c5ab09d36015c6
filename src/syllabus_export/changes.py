"""What subscribers will see change: the published feed against the one a build makes now.

Both sides are feeds, so ``diff`` needs no state but what is published (DECISIONS: the
published state lives in the feed itself).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from syllabus_export.published import PublishedFeed

KINDS = ("added", "cancelled", "reinstated", "moved", "retitled", "relocated")


def _events(feed: PublishedFeed | bytes | None) -> dict[str, dict[str, Any]]:
    """UID → the facts a subscriber sees, of the events that start at a time (all-day no-class events
    are not meetings); the feed read by ``published``, which reads what it can of a damaged one."""
    if feed is None:
        return {}
    if isinstance(feed, bytes):
        from syllabus_export.published import read_feed

        feed = read_feed(feed, "feed")
    return {
        uid: {
            "start": event.start.isoformat(),
            "end": event.end.isoformat() if event.end is not None else None,
            "summary": event.summary,
            "location": event.location,
            "status": event.status.lower(),
        }
        for uid, event in feed.events.items()
        if isinstance(event.start, dt.datetime)
    }


def compare(previous: PublishedFeed | bytes | None, current: bytes) -> list[dict[str, Any]]:
    """One record per meeting that changes, in time order: id, uid, what changed, before, after.

    ``previous`` is the published state (``published.read_published``), or a feed's bytes.
    """
    old, new = _events(previous), _events(current)
    # Only this course and term's events: the feed ignores another calendar's (a wrong --previous), so must we.
    ours = {uid.split("@", 1)[-1] for uid in new}
    if ours:
        old = {uid: event for uid, event in old.items() if uid.split("@", 1)[-1] in ours}
    records = []
    for uid in sorted(set(old) | set(new), key=lambda u: ((new.get(u) or old[u])["start"], u)):
        before, after = old.get(uid), new.get(uid)
        kinds = []
        if before is None:
            if after and after["status"] != "cancelled":
                kinds.append("added")
        elif after is None or (after["status"] == "cancelled" and before["status"] != "cancelled"):
            kinds.append("cancelled")
        elif before["status"] == "cancelled" and after["status"] != "cancelled":
            kinds.append("reinstated")
        if before and after and after["status"] != "cancelled":
            if (before["start"], before["end"]) != (after["start"], after["end"]):
                kinds.append("moved")
            if _title(before) != _title(after):
                kinds.append("retitled")
            if before["location"] != after["location"]:
                kinds.append("relocated")
        if kinds:
            records.append({"id": uid.split("@", 1)[0], "uid": uid, "changes": kinds,
                             "before": before, "after": after})
    return records


def _title(event: dict[str, Any]) -> str:
    """The summary without the ``[Cancelled] `` mark of a cancelled event: reinstating is not retitling."""
    text = event["summary"]
    if event["status"] == "cancelled" and text.startswith("[") and "] " in text:
        return text.split("] ", 1)[1]
    return text


def summary(records: list[dict[str, Any]]) -> str:
    """``3 moved, 1 cancelled`` — or ``no changes``."""
    counts = {kind: sum(kind in r["changes"] for r in records) for kind in KINDS}
    return ", ".join(f"{n} {kind}" for kind, n in counts.items() if n) or "no changes"


def to_table(records: list[dict[str, Any]]) -> str:
    """One line per meeting for staff (``diff``): its id, then each change as the page words it."""
    from syllabus_export.present import change_details

    lines = []
    for r in records:
        parts = [f"{kind} {detail}".rstrip() for kind, detail in change_details(r, _when)]
        lines.append(f"{r['id']:<8} " + "; ".join(parts))
    return "\n".join(lines) + ("\n" if lines else "")


def event_times(event: dict[str, Any]) -> tuple[dt.datetime, dt.datetime | None] | None:
    """A change record's start and end (None: unreadable, as in a hand-edited ``changes.json``)."""
    try:
        start = dt.datetime.fromisoformat(event["start"])
        end = dt.datetime.fromisoformat(event["end"]) if event.get("end") else None
    except (KeyError, TypeError, ValueError):
        return None
    return start, end


def _when(event: dict[str, Any]) -> str:
    times = event_times(event)
    if times is None:
        return ""
    start, end = times
    return f"{start:%a %Y-%m-%d %H:%M}" + (f"–{end:%H:%M}" if end else "")


def read_published(path: Path) -> list[dict[str, Any]]:
    """The changes a previous build wrote (``changes.json``), or none when absent or unreadable; a record
    not of the shape ``compare`` writes (a hand edit, another tool's file) is left out."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    records = data.get("changes") if isinstance(data, dict) else None
    return [r for r in records if _is_record(r)] if isinstance(records, list) else []


def _is_record(record: Any) -> bool:
    if not isinstance(record, dict) or not all(isinstance(record.get(k), str) for k in ("id", "uid")):
        return False
    kinds = record.get("changes")
    if not isinstance(kinds, list) or not kinds or not all(isinstance(k, str) and k in KINDS for k in kinds):
        return False
    sides = [record.get("before"), record.get("after")]
    return any(sides) and all(side is None or (
        isinstance(side, dict) and all(isinstance(side.get(k), str) for k in ("start", "summary", "location", "status"))
        and isinstance(side.get("end"), (str, type(None)))) for side in sides)


def to_json(records: list[dict[str, Any]], **header: Any) -> str:
    return json.dumps({**header, "changes": records}, ensure_ascii=False, indent=2) + "\n"
