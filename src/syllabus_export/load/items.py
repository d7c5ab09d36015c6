"""The course file's exams, deadlines, office hours and syllabus text: their schema.

What can be checked in the course file alone is checked here (shapes, ids unique within their kind,
an end after its start); what needs the term (a course week that exists, a date inside the term,
a no-class day) is checked when they are dated (``syllabus_export.items``).
"""

from __future__ import annotations

import re

from yaml.nodes import MappingNode, Node, ScalarNode

from syllabus_export import model as m
from syllabus_export.load.reader import Reader
from syllabus_export.load.rules import SESSION_ID_RE, short

MAX_ITEMS = 200
MAX_SECTIONS = 50
MAX_WEEK = 60
_DUE = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[ T]+([0-9]{1,2}:[0-9]{2}))?")


def read_items(r: Reader, fields: dict[str, Node]) -> dict[str, tuple]:
    """The ``exams``, ``deadlines``, ``office_hours`` and ``syllabus`` of a course file, as the
    Course's keyword arguments; each problem is in ``r.problems``."""
    from syllabus_export.load.patterns import location

    def read_exam(node: Node, what: str) -> m.Exam | None:
        f = r.mapping(node, what, ("id", "title", "start", "end"), ("date", "on", "location", "url", "cancelled"))
        if f is None:
            return None
        eid = r.ident(f.get("id"), f"{what}.id", SESSION_ID_RE)
        title = r.text(f.get("title"), f"{what}.title")
        start = r.time(f.get("start"), f"{what}.start")
        end = r.time(f.get("end"), f"{what}.end")
        date, on = _when(r, f, node, what, "date")
        place = location(r, f.get("location"), f"{what}.location")
        url = r.url(f.get("url"), f"{what}.url")
        cancelled = r.boolean(f["cancelled"], f"{what}.cancelled") if "cancelled" in f else False
        if start is not None and end is not None and end <= start:
            r.fail(f["end"], f"{what}: end {end:%H:%M} is not after start {start:%H:%M}")
            return None
        if None in (eid, title, start, end, cancelled) or (date is None and on is None):
            return None
        return m.Exam(id=eid, title=title, start=start, end=end, date=date, on=on, location=place, url=url,
                      cancelled=cancelled, pos=r.pos(node), date_pos=r.pos(f.get("date") or f.get("on") or node))  # type: ignore[arg-type]

    def read_deadline(node: Node, what: str) -> m.Deadline | None:
        f = r.mapping(node, what, ("id", "title", "due"), ("url", "reminders", "cancelled"))
        if f is None:
            return None
        did = r.ident(f.get("id"), f"{what}.id", SESSION_ID_RE)
        title = r.text(f.get("title"), f"{what}.title")
        url = r.url(f.get("url"), f"{what}.url")
        reminders = _reminders(r, f["reminders"], f"{what}.reminders") if "reminders" in f else None
        cancelled = r.boolean(f["cancelled"], f"{what}.cancelled") if "cancelled" in f else False
        due = _due(r, f.get("due"), f"{what}.due")
        if due is None or None in (did, title, cancelled):
            return None
        date, on, time = due
        return m.Deadline(id=did, title=title, time=time, date=date, on=on, url=url, reminders=reminders,  # type: ignore[arg-type]
                          cancelled=cancelled, pos=r.pos(node), date_pos=r.pos(f["due"]))  # type: ignore[arg-type]

    def read_office_hours(node: Node, what: str) -> m.OfficeHours | None:
        f = r.mapping(node, what, ("who", "weekday", "start", "end"), ("id", "location", "url"))
        if f is None:
            return None
        who = r.text(f.get("who"), f"{what}.who")
        weekday = r.weekday(f.get("weekday"), f"{what}.weekday")
        start = r.time(f.get("start"), f"{what}.start")
        end = r.time(f.get("end"), f"{what}.end")
        place = location(r, f.get("location"), f"{what}.location")
        url = r.url(f.get("url"), f"{what}.url")
        oid = r.ident(f["id"], f"{what}.id", SESSION_ID_RE) if "id" in f else None
        if start is not None and end is not None and end <= start:
            r.fail(f["end"], f"{what}: end {end:%H:%M} is not after start {start:%H:%M}")
            return None
        if None in (who, weekday, start, end) or ("id" in f and oid is None):
            return None
        return m.OfficeHours(id=oid or m.office_hours_id(who, weekday), who=who, weekday=weekday,  # type: ignore[arg-type]
                             start=start, end=end, location=place, url=url, pos=r.pos(f.get("id") or node))  # type: ignore[arg-type]

    def read_section(node: Node, what: str) -> m.SyllabusSection | None:
        from syllabus_export.syllabus_text import parse

        f = r.mapping(node, what, ("title", "text"), ())
        if f is None:
            return None
        title = r.text(f.get("title"), f"{what}.title")
        text = r.text(f.get("text"), f"{what}.text", long=True)  # its links are checked there
        if title is None or text is None:
            return None
        where = r.pos(f["text"])
        return m.SyllabusSection(title=title, blocks=parse(text, where), pos=r.pos(node),
                                 title_pos=r.pos(f["title"]), text_pos=where)

    exams = r.each(fields.get("exams"), "exams", read_exam, MAX_ITEMS)
    deadlines = r.each(fields.get("deadlines"), "deadlines", read_deadline, MAX_ITEMS)
    office_hours = r.each(fields.get("office_hours"), "office_hours", read_office_hours, MAX_ITEMS)
    syllabus = r.each(fields.get("syllabus"), "syllabus", read_section, MAX_SECTIONS)
    for what, items in (("exam", exams), ("deadline", deadlines), ("office hours", office_hours)):
        seen: dict[str, m.Exam | m.Deadline | m.OfficeHours] = {}
        for item in items:
            if item.id in seen:
                from syllabus_export.errors import first_at

                hint = " (give one of them its own 'id')" if what == "office hours" else ""
                r.problems.add(item.pos, f"{what} id '{item.id}' is used twice "
                                         f"({first_at(seen[item.id].pos, item.pos)}){hint}")
            seen.setdefault(item.id, item)
    return {"exams": exams, "deadlines": deadlines, "office_hours": office_hours, "syllabus": syllabus}


def _course_day(r: Reader, node: Node, what: str, *, time: bool = False) -> tuple[m.CourseDay, object] | None:
    """``{week: 14, weekday: Wed}`` (and ``time: 23:59`` where ``time``): a day of the course weeks."""
    f = r.mapping(node, what, ("week", "weekday", "time") if time else ("week", "weekday"), ())
    if f is None:
        return None
    week = r.integer(f.get("week"), f"{what}.week", 1, MAX_WEEK)
    weekday = r.weekday(f.get("weekday"), f"{what}.weekday")
    at = r.time(f.get("time"), f"{what}.time") if time else True
    if week is None or weekday is None or at is None:
        return None
    return m.CourseDay(week=week, weekday=weekday, pos=r.pos(node)), at


def _when(r: Reader, f: dict[str, Node], node: Node, what: str, key: str) -> tuple:
    """An exam's day: ``date`` (absolute) or ``on`` (a course day), exactly one of them."""
    if key in f and "on" in f:
        r.fail(f["on"], f"{what}: give either {key} or on, not both")
        return None, None
    if key in f:
        return r.date(f[key], f"{what}.{key}"), None
    if "on" in f:
        found = _course_day(r, f["on"], f"{what}.on")
        return None, (found[0] if found else None)
    r.fail(node, f"{what} is missing '{key}' (YYYY-MM-DD) or 'on' ({{week: N, weekday: Mon}})")
    return None, None


def _due(r: Reader, node: Node | None, what: str) -> tuple | None:
    """``2020-02-14 23:59``, or ``{week: 6, weekday: Fri, time: 23:59}``: (date, course day, time)."""
    if node is None:
        return None
    if isinstance(node, MappingNode):
        found = _course_day(r, node, what, time=True)
        return None if found is None else (None, found[0], found[1])
    if not isinstance(node, ScalarNode):
        r.fail(node, f"{what} must be a date and time (YYYY-MM-DD HH:MM) or {{week, weekday, time}}")
        return None
    match = _DUE.fullmatch(node.value.strip())
    if not match or not match[2]:
        r.fail(node, f"{what} '{short(node.value)}' is not a date and time "
                     "(expected YYYY-MM-DD HH:MM, e.g. 2020-02-14 23:59, or {week, weekday, time})")
        return None
    date = r.date(ScalarNode("tag:yaml.org,2002:str", match[1], node.start_mark, node.end_mark), what)
    time = r.time(ScalarNode("tag:yaml.org,2002:str", match[2], node.start_mark, node.end_mark), what)
    return None if date is None or time is None else (date, None, time)


def _reminders(r: Reader, node: Node, what: str) -> tuple[int, ...]:
    return r.each(node, what, lambda n, w: r.integer(n, w + " (minutes before)", 0, 40320), 5)
