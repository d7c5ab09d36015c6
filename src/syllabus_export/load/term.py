"""The term file's schema: its dates and zone, the days without class, the days that follow another
weekday's schedule, and the checks across them (each inside the term, none twice)."""

from __future__ import annotations

import datetime as dt

from yaml.nodes import Node

from syllabus_export import model as m
from syllabus_export.errors import first_at
from syllabus_export.load.course import location_change
from syllabus_export.load.reader import Reader
from syllabus_export.load.rules import zone_problem


def read_term(r: Reader, root: Node | None) -> m.Term | None:
    """The term in ``root``, or None when anything in it is wrong (each problem in ``r.problems``)."""
    f = r.mapping(
        root,
        "the term file",
        ("id", "name", "timezone", "first_day", "last_day"),
        ("week_start", "no_class", "substitutions", "location_changes"),
    )
    if f is None:
        return None
    tid = r.ident(f.get("id"), "id")
    name = r.names(f.get("name"), "name")
    zone = r.text(f.get("timezone"), "timezone")
    if zone is not None and (problem := zone_problem(zone)):
        r.fail(f["timezone"], problem)
        zone = None
    first = r.date(f.get("first_day"), "first_day")
    last = r.date(f.get("last_day"), "last_day")
    week_start = r.weekday(f["week_start"], "week_start") if "week_start" in f else 0
    if first and last and last < first:
        r.fail(f["last_day"], f"last_day {last} is before first_day {first}")
    span = (first, last) if first and last else None
    holidays = r.each(f.get("no_class"), "no_class", lambda n, w: _no_class(r, n, w, span), 200)
    substitutions = r.each(f.get("substitutions"), "substitutions", lambda n, w: _substitution(r, n, w, span), 100)
    for sub in substitutions:
        for holiday in holidays:
            if sub.date in holiday:
                r.problems.add(sub.pos, f"substitution day {sub.date} is itself a no-class day ({holiday.pos})")
    firsts: dict[dt.date, m.Substitution] = {}
    for sub in substitutions:
        if sub.date in firsts:
            r.problems.add(
                sub.pos, f"{sub.date} has more than one substitution ({first_at(firsts[sub.date].pos, sub.pos)})"
            )
        firsts.setdefault(sub.date, sub)
    changes = r.each(f.get("location_changes"), "location_changes", lambda n, w: location_change(r, n, w), 50)
    if None in (tid, name, zone, first, last, week_start) or r.problems:
        return None
    return m.Term(
        id=tid,
        name=name,
        timezone=zone,
        first_day=first,
        last_day=last,  # type: ignore[arg-type]
        week_start=week_start,
        no_class=holidays,
        substitutions=substitutions,  # type: ignore[arg-type]
        location_changes=changes,
        path=r.path,
        pos=r.pos(root),
        positions=r.positions(f),
        first_day_pos=r.pos(f["first_day"]),
        last_day_pos=r.pos(f["last_day"]),
    )  # type: ignore[arg-type]


def _no_class(r: Reader, node: Node, what: str, span: tuple[dt.date, dt.date] | None) -> m.NoClass | None:
    """A day or a range of days without class, inside the term's ``span`` (when it is known)."""
    g = r.mapping(node, what, ("name",), ("date", "start", "end"))
    if g is None:
        return None
    label = r.names(g.get("name"), f"{what}.name")
    if "date" in g and ("start" in g or "end" in g):
        r.fail(node, f"{what}: give either 'date' or 'start' and 'end', not both")
        return None
    if "date" in g:
        start = end = r.date(g["date"], f"{what}.date")
    elif "start" in g and "end" in g:
        start, end = r.date(g["start"], f"{what}.start"), r.date(g["end"], f"{what}.end")
    else:
        r.fail(node, f"{what} needs 'date' (one day) or 'start' and 'end' (a range)")
        return None
    if start is None or end is None or label is None:
        return None
    if end < start:
        r.fail(g["end"], f"{what}: end {end} is before start {start}")
        return None
    if span and (start < span[0] or end > span[1]):
        r.fail(
            node,
            f"{what} ({start}{'' if start == end else ' to ' + str(end)}) is outside the term ({span[0]} to {span[1]})",
        )
        return None
    return m.NoClass(start=start, end=end, name=label, pos=r.pos(node))


def _substitution(r: Reader, node: Node, what: str, span: tuple[dt.date, dt.date] | None) -> m.Substitution | None:
    """A day that runs another weekday's schedule, inside the term's ``span`` (when it is known)."""
    g = r.mapping(node, what, ("date", "follows"), ("name",))
    if g is None:
        return None
    day = r.date(g.get("date"), f"{what}.date")
    follows = r.weekday(g.get("follows"), f"{what}.follows")
    label = r.names(g["name"], f"{what}.name") if "name" in g else {}
    if day is None or follows is None or label is None:
        return None
    if span and not span[0] <= day <= span[1]:
        r.fail(g["date"], f"{what}: {day} is outside the term ({span[0]} to {span[1]})")
        return None
    if day.weekday() == follows:
        r.fail(g["follows"], f"{what}: {day} is a {m.WEEKDAYS[follows]} already")
        return None
    return m.Substitution(date=day, follows=follows, name=label, pos=r.pos(node))
