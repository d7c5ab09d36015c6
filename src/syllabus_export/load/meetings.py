"""The course file's meetings: ``weeks:`` (placed by week) or ``meetings:`` (placed in order), each
meeting's sessions and resources, and the ids a meeting and its sections take."""

from __future__ import annotations

from yaml.nodes import Node, SequenceNode

from syllabus_export import model as m
from syllabus_export.errors import first_at
from syllabus_export.load.reader import Reader
from syllabus_export.load.rules import SESSION_ID_RE, short

MAX_WEEKS = 60
MAX_ENTRIES = 500


def _weeks(
    r: Reader, node: Node | None, kinds: dict[str, m.Pattern], declared: set[str]
) -> tuple[tuple[m.Week, ...], tuple[m.Entry, ...]]:
    """The weeks and their entries; ``declared`` kinds whose pattern was wrong are already reported."""
    weeks: list[m.Week] = []
    entries: list[m.Entry] = []
    seen_weeks: dict[int, Node] = {}
    seen_sessions: dict[str, m.Session] = {}
    seen_ids: dict[str, Node] = {}  # meeting id → where it is given (its 'id', or the meeting)
    for i, week_node in enumerate(r.sequence(node, "weeks", MAX_WEEKS)):
        what = f"weeks[{i + 1}]"
        f = r.mapping(week_node, what, ("week", "meetings"), ("url",))
        if f is None:
            continue
        number = r.integer(f.get("week"), f"{what}.week", 1, MAX_WEEKS)
        url = r.url(f.get("url"), f"{what}.url")
        if number is None:
            continue
        if number in seen_weeks:
            r.fail(f["week"], f"week {number} is listed twice ({r.first_at(seen_weeks[number], f['week'])})")
            continue
        seen_weeks[number] = f["week"]
        weeks.append(m.Week(number=number, url=url, pos=r.pos(f["week"])))
        meeting_nodes = r.sequence(f.get("meetings"), f"week {number}: meetings", MAX_ENTRIES)
        if not meeting_nodes and "meetings" in f:
            r.fail(f["meetings"], f"week {number} has no meetings (expected a list)")
        for j, entry_node in enumerate(meeting_nodes):
            read = _meeting(r, entry_node, f"week {number}, meeting {j + 1}", number, kinds, declared, seen_sessions)
            if read is not None and _unique(r, read, seen_ids):
                entries.append(read[0])
    if len(entries) > MAX_ENTRIES:
        r.fail(node, f"{len(entries)} meetings (expected at most {MAX_ENTRIES})")  # type: ignore[arg-type]
    weeks.sort(key=lambda w: w.number)
    entries.sort(key=lambda e: e.week)
    return tuple(weeks), tuple(entries)


def _in_order(
    r: Reader, node: Node | None, kinds: dict[str, m.Pattern], declared: set[str]
) -> tuple[m.Entry, ...]:
    """``meetings:`` with ``placement: in-order``: a flat list, each meeting in its kind's next class
    slot of the term; a meeting's default id is its kind's prefix and its place among its kind's
    meetings (L01, L02…)."""
    entries: list[m.Entry] = []
    seen_sessions: dict[str, m.Session] = {}
    seen_ids: dict[str, Node] = {}
    counts: dict[str, int] = {}  # kind → its meetings so far
    nodes = r.sequence(node, "meetings", MAX_ENTRIES)
    if isinstance(node, SequenceNode) and not node.value:
        r.fail(node, "meetings is empty (expected a list of meetings)")
    for j, entry_node in enumerate(nodes):
        read = _meeting(r, entry_node, f"meetings[{j + 1}]", 0, kinds, declared, seen_sessions, counts)
        if read is not None and _unique(r, read, seen_ids):
            entries.append(read[0])
    return tuple(entries)


def _unique(r: Reader, read: tuple[m.Entry, Node], seen_ids: dict[str, Node]) -> bool:
    entry, given = read
    if entry.id in seen_ids:
        r.fail(
            given,
            f"meeting id '{entry.id}' is used twice ({r.first_at(seen_ids[entry.id], given)}); "
            "give one of them its own 'id'",
        )
        return False
    seen_ids[entry.id] = given
    return True


def _section_ids(r: Reader, entries: tuple[m.Entry, ...], patterns: tuple[m.Pattern, ...]) -> dict[str, str]:
    """Every id a section's meeting has (LAB03-a) → its meeting's id; one that another meeting
    also has is a problem (UIDs come from ids)."""
    sections = {p.kind: p.sections for p in patterns if p.sections}
    ids = {e.id: e for e in entries}
    found: dict[str, str] = {}
    for entry in entries:
        for slot in sections.get(entry.kind, ()) if not entry.extra else ():
            sid = m.section_meeting_id(entry.id, slot.section)  # type: ignore[arg-type]
            other = ids.get(sid)
            if other is not None:
                r.problems.add(
                    other.pos,
                    f"meeting id '{sid}' is also the id of meeting {entry.id} in section {slot.section} "
                    f"({first_at(entry.pos, other.pos)}); give this meeting another 'id'",
                )
            found[sid] = entry.id
    return found


def _meeting(
    r: Reader,
    node: Node,
    what: str,
    week: int,
    kinds: dict[str, m.Pattern],
    declared: set[str],
    seen_sessions: dict[str, m.Session],
    counts: dict[str, int] | None = None,
) -> tuple[m.Entry, Node] | None:
    """One meeting and the node its id comes from; its sessions' ids are checked against (and added
    to) ``seen_sessions``, the sessions of the course so far, even when it is wrong. Its default id
    numbers it by ``week``, or, given ``counts`` (placed in order), by its place among its kind's."""
    e = r.mapping(node, what, ("kind", "sessions"), ("id", "resources", "extra"))
    if e is None:
        return None
    name = r.text(e.get("kind"), f"{what}: kind")
    if name is not None and name not in kinds and name in declared:
        name = None
    elif name is not None and name not in kinds:
        r.fail(
            e["kind"],
            f"{what}: kind '{short(name)}' has no pattern (expected one of: {', '.join(kinds) or 'none defined'})",
        )
        name = None
    extra = r.boolean(e["extra"], f"{what}: extra") if "extra" in e else False
    sessions = r.each(e.get("sessions"), f"{what}: sessions", lambda n, w: _session(r, n, w), 20)
    if isinstance(e.get("sessions"), SequenceNode) and not e["sessions"].value:
        r.fail(e["sessions"], f"{what}: sessions is empty (expected at least one session)")
    resources = r.each(e.get("resources"), f"{what}: resources", lambda n, w: _resource(r, n, w), 50)
    for session in sessions:
        if session.id in seen_sessions:
            first = seen_sessions[session.id].pos
            r.problems.add(session.pos, f"duplicate session id '{session.id}' ({first_at(first, session.pos)})")
        seen_sessions[session.id] = session
    if name is not None and counts is not None and not extra:
        counts[name] = counts.get(name, 0) + 1  # counted even when wrong: the next keeps its number
    if name is None or extra is None or not sessions:
        return None
    if "id" in e:
        eid = r.ident(e["id"], f"{what}: id", SESSION_ID_RE)
    elif extra:
        eid = m.extra_id(sessions[0].id)
    else:
        eid = m.meeting_id(kinds[name].prefix, counts[name] if counts is not None else week)
    if eid is None:
        return None
    entry = m.Entry(
        id=eid, kind=name, week=week, sessions=sessions, resources=resources, extra=extra, pos=r.pos(node)
    )
    return entry, e.get("id", node)


def _session(r: Reader, node: Node, what: str) -> m.Session | None:
    f = r.mapping(node, what, ("id", "title"), ("url",))
    if f is None:
        return None
    sid = r.ident(f.get("id"), f"{what}.id", SESSION_ID_RE)
    title = r.text(f.get("title"), f"{what}.title")
    url = r.url(f.get("url"), f"{what}.url")
    if sid is None or title is None:
        return None
    return m.Session(id=sid, title=title, url=url, pos=r.pos(f["id"]), title_pos=r.pos(f["title"]))


def _resource(r: Reader, node: Node, what: str) -> m.Resource | None:
    f = r.mapping(node, what, ("kind", "url"), ("label",))
    if f is None:
        return None
    name = r.choice(f.get("kind"), f"{what}.kind", m.RESOURCE_KINDS)
    url = r.url(f.get("url"), f"{what}.url", optional=False)
    label = r.text(f.get("label"), f"{what}.label", optional=True)
    if name is None or url is None:
        return None
    return m.Resource(kind=name, url=url, label=label, pos=r.pos(node))


# --- people, changes, options -------------------------------------------------------------------
