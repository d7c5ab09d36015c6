"""How a change subscribers will see is worded, for the page and for ``diff``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from syllabus_export.messages import messages
from syllabus_export.present.formats import formats
from syllabus_export.present.rows import section_label

if TYPE_CHECKING:
    from syllabus_export.expand import Schedule


# --- what changed -------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ChangePart:
    kind: str  # one of changes.KINDS
    word: str  # the kind in the course language
    detail: str  # "before → after", or when it happens


@dataclass(frozen=True, kw_only=True)
class ChangeLine:
    title: str
    when: str  # empty when a part already says it (a move names both times)
    parts: tuple[ChangePart, ...]


def change_details(record: dict[str, Any], when: Callable[[dict[str, Any]], str]) -> list[tuple[str, str]]:
    """(kind, detail) for each change of a ``changes.compare`` record: a move and a new title or
    place as "before → after", any other change by when it happens (``when`` writes an event's time)."""
    before, after = record.get("before") or {}, record.get("after") or {}
    latest = after or before
    result = []
    for kind in record.get("changes", []):
        if kind == "moved" and before and after:
            detail = f"{when(before)} → {when(after)}"
        elif kind == "retitled":
            detail = f"'{before.get('summary', '')}' → '{after.get('summary', '')}'"
        elif kind == "relocated":
            detail = f"{before.get('location') or '–'} → {after.get('location') or '–'}"
        else:
            detail = when(latest) if latest.get("start") else ""
        result.append((str(kind), detail))
    return result


def change_lines(records: list[dict[str, Any]], schedule: Schedule) -> tuple[ChangeLine, ...]:
    """The changes of the last build that changed anything, worded in the course language."""
    language = schedule.course.language
    words, fmt = messages(language), formats(language)
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(schedule.term.timezone)

    def when(event: dict[str, Any]) -> str:
        from syllabus_export.changes import event_times

        times = event_times(event)
        if times is None:
            return ""
        start, end = times
        if start.tzinfo is None:
            start, end = start.replace(tzinfo=zone), end.replace(tzinfo=zone) if end else None
        start, end = start.astimezone(zone), end.astimezone(zone) if end else None
        return fmt.when(start, end)

    by_id = {mt.id: mt for mt in schedule.meetings}
    result = []
    for record in records:
        before, after = record.get("before") or {}, record.get("after") or {}
        latest = after or before
        meeting = by_id.get(str(record.get("id", "")))
        title = " / ".join(s.title.strip() for s in meeting.sessions) if meeting else latest.get("summary", "")
        if meeting is not None and meeting.section:  # which section's: the titles are every section's
            title += " · " + section_label(schedule.course, meeting.kind, meeting.section)
        parts = tuple(
            ChangePart(kind=kind, word=words.get(f"change_{kind}", kind), detail=detail)
            for kind, detail in change_details(record, when)
        )
        # A move names both dates in its detail; otherwise the date tells which meeting it was.
        moved = "moved" in record.get("changes", [])
        result.append(ChangeLine(title=title, when=when(latest) if latest.get("start") and not moved else "",
                                 parts=parts))
    return tuple(result)
