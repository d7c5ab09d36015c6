"""The course file's schema: its keys, what each holds, and the checks across them (a meeting's
kind has a pattern, ids are unique, an override names a meeting the course has)."""

from __future__ import annotations

import re
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from syllabus_export import model as m
from syllabus_export.errors import first_at
from syllabus_export.load.reader import Reader, kind
from syllabus_export.load.rules import LANG_RE, SESSION_ID_RE, base_url_problem, close_matches, rich_text, short

MAX_WEEKS = 60
MAX_ENTRIES = 500
COURSE_KEYS = ("id", "language", "term", "code", "title", "institution", "instructors", "patterns")
COURSE_OPTIONAL = (
    "weeks",  # placement by-week (the default)
    "placement",
    "meetings",  # placement in-order
    "site",
    "author",
    "translation",
    "links",
    "materials",
    "description",
    "staff",
    "resource_labels",
    "overrides",
    "location_changes",
    "options",
)


def read_course(r: Reader, root: Node | None) -> m.Course | None:
    """The course in ``root``, or None when anything in it is wrong (each problem in ``r.problems``)."""
    f = r.mapping(root, "the course file", COURSE_KEYS, COURSE_OPTIONAL)
    if f is None:
        return None
    cid = r.ident(f.get("id"), "id")
    language = r.text(f.get("language"), "language")
    if language is not None and not LANG_RE.match(language):
        r.fail(f["language"], f"language '{short(language)}' is not a language code (e.g. vi, en, fr)")
    term = r.ident(f.get("term"), "term")
    code = r.text(f.get("code"), "code")
    title = r.text(f.get("title"), "title")
    institution = _link(r, f["institution"], "institution") if "institution" in f else None
    instructors = r.each(f.get("instructors"), "instructors", lambda n, w: r.text(n, w), 50)
    patterns = _patterns(r, f.get("patterns"))
    declared = (
        {k.value for k, _ in f["patterns"].value if isinstance(k, ScalarNode)}
        if isinstance(f.get("patterns"), MappingNode)
        else set()
    )
    placement = r.choice(f["placement"], "placement", m.PLACEMENTS) if "placement" in f else "by-week"
    weeks, entries = _placed(r, root, f, placement, {p.kind: p for p in patterns}, declared)
    section_ids = _section_ids(r, entries, patterns)
    site = r.url(f.get("site"), "site")
    author = r.text(f.get("author"), "author", optional=True)
    translation = None
    if "translation" in f:
        t = r.mapping(f["translation"], "translation", ("translator",), ("date",))
        if t:
            translator = r.text(t.get("translator"), "translation.translator")
            tdate = r.date(t["date"], "translation.date") if "date" in t else None
            if translator:
                translation = m.Translation(translator=translator, date=tdate)
    links = r.each(f.get("links"), "links", lambda n, w: _link(r, n, w), 50)
    materials = r.each(f.get("materials"), "materials", lambda n, w: _link(r, n, w), 50)
    description_text = r.text(f.get("description"), "description", long=True, optional=True)  # links checked there
    description = rich_text(description_text, r.pos(f["description"])) if description_text else m.RichText()
    staff = r.each(f.get("staff"), "staff", lambda n, w: _person(r, n, w), 100)
    resource_words = _resource_labels(r, f.get("resource_labels"))
    overrides = r.each(f.get("overrides"), "overrides", lambda n, w: _override(r, n, w), 200)
    changes = r.each(f.get("location_changes"), "location_changes", lambda n, w: location_change(r, n, w), 50)
    options = _options(r, f.get("options"))
    known_ids = {e.id for e in entries} | set(section_ids)
    for o in overrides:
        if known_ids and o.meeting not in known_ids:
            hint = close_matches(o.meeting, sorted(known_ids), n=1)
            r.problems.add(
                o.pos,
                f"override names meeting '{o.meeting}', which the course does not have"
                + (f" (did you mean '{hint[0]}'?)" if hint else ""),
            )
    _one_override_each(r, overrides, section_ids)
    for change in changes:
        for name in change.kinds:
            if name not in {p.kind for p in patterns}:
                r.problems.add(change.pos, f"location change names kind '{short(name)}', which has no pattern")
    if None in (cid, language, term, code, title, institution, placement) or r.problems:
        return None
    return m.Course(
        id=cid,
        language=language,
        term=term,
        code=code,
        title=title,  # type: ignore[arg-type]
        institution=institution,
        instructors=instructors,
        patterns=patterns,  # type: ignore[arg-type]
        weeks=weeks,
        entries=entries,
        site=site,
        author=author,
        translation=translation,
        links=links,
        materials=materials,
        description=description,
        staff=staff,
        resource_labels=resource_words,
        overrides=overrides,
        location_changes=changes,
        options=options,
        placement=placement,  # type: ignore[arg-type]
        path=r.path,
        pos=r.pos(root),
        language_pos=r.pos(f["language"]),
        positions=r.positions(f),
    )  # type: ignore[arg-type]


def _placed(
    r: Reader, root: Node | None, f: dict[str, Node], placement: str | None, kinds: dict[str, m.Pattern],
    declared: set[str],
) -> tuple[tuple[m.Week, ...], tuple[m.Entry, ...]]:
    """The weeks and the entries, from ``weeks:`` (by week) or ``meetings:`` (in order)."""
    if placement == "in-order":
        if "weeks" in f:
            r.fail(f["weeks"], "with placement: in-order the meetings are listed under 'meetings:', without "
                               "weeks (the term decides each one's week); found 'weeks'")
        elif "meetings" not in f:
            r.fail(root, "the course file is missing 'meetings' (placement: in-order lists them in one list)")  # type: ignore[arg-type]
        return (), _in_order(r, f.get("meetings"), kinds, declared)
    if "meetings" in f:
        r.fail(f["meetings"], "a flat 'meetings:' list needs placement: in-order (with placement by-week, "
                              "the default, meetings are listed in 'weeks:')")
    elif "weeks" not in f:
        r.fail(root, "the course file is missing 'weeks'")  # type: ignore[arg-type]
    return _weeks(r, f.get("weeks"), kinds, declared)


def _resource_labels(r: Reader, node: Node | None) -> dict[str, str]:
    """``{slides: Diapositivas, video: …}``: the course's word for each kind of resource it names."""
    f = r.mapping(node, "resource_labels", (), m.RESOURCE_KINDS)
    if not f:
        return {}
    words = {kind: r.text(value, f"resource_labels.{kind}") for kind, value in f.items()}
    return {kind: word for kind, word in words.items() if word is not None}


# --- places and links ---------------------------------------------------------------------------


def _link(r: Reader, node: Node, what: str) -> m.Link | None:
    f = r.mapping(node, what, ("label",), ("url", "text", "access_code"))
    if f is None:
        return None
    label = r.text(f.get("label"), f"{what}.label")
    url = r.url(f.get("url"), f"{what}.url")
    text = r.text(f.get("text"), f"{what}.text", optional=True)
    code = r.text(f.get("access_code"), f"{what}.access_code", optional=True)
    return None if label is None else m.Link(label=label, url=url, text=text, access_code=code, pos=r.pos(node))


def location(r: Reader, node: Node | None, what: str) -> m.Location | None:
    """A room: its name alone (``Room 1``) or a mapping with ``name`` and ``url``."""
    if node is None:
        return None
    if isinstance(node, ScalarNode):
        name = r.text(node, what)
        return None if name is None else m.Location(name=name, pos=r.pos(node))
    f = r.mapping(node, what, ("name",), ("url",))
    if f is None:
        return None
    name = r.text(f.get("name"), f"{what}.name")
    url = r.url(f.get("url"), f"{what}.url")
    return None if name is None else m.Location(name=name, url=url, pos=r.pos(node))


def location_change(r: Reader, node: Node, what: str) -> m.LocationChange | None:
    """From a date on, meetings (of some kinds) are somewhere else; a course or a term says so."""
    f = r.mapping(node, what, ("from", "location"), ("kinds",))
    if f is None:
        return None
    start = r.date(f.get("from"), f"{what}.from")
    place = location(r, f.get("location"), f"{what}.location")
    kinds = r.each(f.get("kinds"), f"{what}.kinds", lambda n, w: r.text(n, w), 20)
    if start is None or place is None:
        return None
    return m.LocationChange(start=start, location=place, kinds=kinds, pos=r.pos(node))


# --- when meetings are, and what they are -------------------------------------------------------


SLOT_KEYS = ("weekday", "start", "end", "location")
MAX_SLOTS = 14  # slots of one kind a week (twice a day, every day)
MAX_SECTIONS = 26
MAX_COMBINATIONS = 64  # one calendar feed per combination of sections: more is a list nobody can choose from
SECTION_RE = re.compile(r"[a-z0-9][a-z0-9_]{0,15}")  # part of ids (LAB03-a) and feed names (calendar-lab-a.ics)


def _patterns(r: Reader, node: Node | None) -> tuple[m.Pattern, ...]:
    """Each kind's weekly slots: one mapping (today's form), a list of them (several days a week),
    or ``sections:`` (each section at its own time and place)."""
    if node is None:
        return ()
    if not isinstance(node, MappingNode):
        r.fail(node, f"patterns must be a mapping of kinds (found {kind(node)})")
        return ()
    patterns = []
    prefixes: dict[str, tuple[str, Node]] = {}  # prefix → the kind that has it, where it is given
    for key_node, value_node in node.value:
        name = key_node.value if isinstance(key_node, ScalarNode) else ""
        if not re.fullmatch(r"[a-z][a-z0-9_-]{0,31}", name):
            r.fail(key_node, f"meeting kind '{short(str(name))}' must be a lower-case name (e.g. lecture)")
            continue
        what = f"patterns.{name}"
        read = _kind_slots(r, value_node, what)
        if read is None:
            continue
        slots, p = read
        label = r.text(p.get("label"), f"{what}.label", optional=True)
        prefix = r.text(p.get("prefix"), f"{what}.prefix", optional=True) or m.default_prefix(name)
        given = p.get("prefix", key_node)
        if not re.fullmatch(r"[A-Za-z]{1,8}", prefix):
            r.fail(given, f"{what}.prefix '{short(prefix)}' must be letters only")
            continue
        if prefix in prefixes:
            other, first = prefixes[prefix]
            r.fail(
                given,
                f"{what}: meeting id prefix '{prefix}' is already used by kind '{other}' "
                f"({r.first_at(first, given)}); set a different 'prefix'",
            )
            continue
        prefixes[prefix] = (name, given)
        if not slots:
            continue
        first_slot = slots[0]
        patterns.append(
            m.Pattern(
                kind=name,
                weekday=first_slot.weekday,
                start=first_slot.start,
                end=first_slot.end,
                location=first_slot.location,
                label=label,
                prefix=prefix,
                slots=slots if len(slots) > 1 or first_slot.section else (),
                pos=r.pos(key_node),
            )
        )
    combinations = 1
    for pattern in patterns:
        combinations *= max(1, len(pattern.sections))
    if combinations > MAX_COMBINATIONS:
        sectioned = [p for p in patterns if p.sections]
        r.problems.add(
            sectioned[-1].pos,
            f"{len(sectioned)} kinds with sections ("
            + ", ".join(f"{p.kind}: {len(p.sections)}" for p in sectioned)
            + f") make {combinations} combinations of sections, each its own calendar feed "
            f"(expected at most {MAX_COMBINATIONS})",
        )
    return tuple(patterns)


def _kind_slots(r: Reader, node: Node, what: str) -> tuple[tuple[m.Slot, ...], dict[str, Node]] | None:
    """One kind's slots and the mapping its ``label`` and ``prefix`` are read from; None when the
    form is wrong (the slots themselves may be empty when one of them is wrong)."""
    if isinstance(node, SequenceNode):
        items = r.sequence(node, what, MAX_SLOTS)
        if not items:
            r.fail(node, f"{what} is an empty list (expected at least one slot: weekday, start, end, location)")
            return None
        slots: list[m.Slot | None] = []
        kind_keys: dict[str, Node] = {}
        for i, item in enumerate(items):
            slot, f = _slot(r, item, f"{what}[{i + 1}]", ("label", "prefix"))
            for key in ("label", "prefix"):
                if f is not None and key in f:
                    if i:  # the kind's, not the slot's: written once
                        r.fail(f[key], f"{what}[{i + 1}].{key}: write the kind's {key} on its first slot")
                    else:
                        kind_keys[key] = f[key]
            slots.append(slot)
        _no_overlap(r, [s for s in slots if s is not None], what)
        return (tuple(slots) if None not in slots else ()), kind_keys  # type: ignore[return-value]
    keys = [k.value for k, _ in node.value if isinstance(k, ScalarNode)] if isinstance(node, MappingNode) else []
    if "sections" in keys:
        f = r.mapping(node, what, ("sections",), ("label", "prefix"))
        if f is None:
            return None
        return _sections(r, f["sections"], f"{what}.sections"), f
    slot, f = _slot(r, node, what, ("label", "prefix", "sections"))
    if f is None:
        return None
    return ((slot,) if slot is not None else ()), f


def _slot(
    r: Reader, node: Node, what: str, optional: tuple[str, ...], section: str | None = None
) -> tuple[m.Slot | None, dict[str, Node] | None]:
    """A weekday, a time range and a place; the slot (None when wrong) and its keys."""
    p = r.mapping(node, what, SLOT_KEYS, optional)
    if p is None:
        return None, None
    if isinstance(p.get("weekday"), SequenceNode) and section is None:
        r.fail(
            p["weekday"],
            f"{what}.weekday must be a single value (found a list); for several days a week write a "
            f"list of slots: {what.split('[')[0]}: [{{weekday: Tue, start: …}}, {{weekday: Thu, start: …}}]",
        )
        weekday = None
    else:
        weekday = r.weekday(p.get("weekday"), f"{what}.weekday")
    start = r.time(p.get("start"), f"{what}.start")
    end = r.time(p.get("end"), f"{what}.end")
    place = location(r, p.get("location"), f"{what}.location")
    label = r.text(p.get("label"), f"{what}.label", optional=True) if section is not None else None
    if start is not None and end is not None and end <= start:
        r.fail(p["end"], f"{what}: end {end:%H:%M} is not after start {start:%H:%M}")
        return None, p
    if None in (weekday, start, end, place):
        return None, p
    return m.Slot(weekday=weekday, start=start, end=end, location=place, section=section, label=label,  # type: ignore[arg-type]
                  pos=r.pos(node)), p


def _sections(r: Reader, node: Node, what: str) -> tuple[m.Slot, ...]:
    """``sections: {a: {weekday, start, end, location, label}, …}``, in the order written."""
    if not isinstance(node, MappingNode):
        r.fail(node, f"{what} must be a mapping of sections (e.g. a: {{weekday: Wed, …}}; found {kind(node)})")
        return ()
    if not node.value:
        r.fail(node, f"{what} is empty (expected at least one section)")
        return ()
    if len(node.value) > MAX_SECTIONS:
        r.fail(node, f"{what} has {len(node.value)} sections (expected at most {MAX_SECTIONS})")
        return ()
    slots: list[m.Slot] = []
    seen: dict[str, Node] = {}
    wrong = False
    for key_node, value_node in node.value:
        key = key_node.value if isinstance(key_node, ScalarNode) else ""
        if not SECTION_RE.fullmatch(str(key)):
            r.fail(key_node, f"{what}: section '{short(str(key))}' must be a short lower-case name of letters, "
                             "digits and _ (e.g. a, b, mon1)")
            wrong = True
            continue
        if key in seen:
            r.fail(key_node, f"duplicate section '{key}' in {what} ({r.first_at(seen[key], key_node)})")
            wrong = True
            continue
        seen[key] = key_node
        slot, _ = _slot(r, value_node, f"{what}.{key}", ("label",), section=key)
        if slot is None:
            wrong = True
        else:
            slots.append(slot)
    return () if wrong else tuple(slots)


def _no_overlap(r: Reader, slots: list[m.Slot], what: str) -> None:
    """Two slots of one kind at the same time of the same weekday would be one meeting twice."""
    for i, slot in enumerate(slots):
        for other in slots[:i]:
            if other.weekday == slot.weekday and slot.start < other.end and other.start < slot.end:
                r.problems.add(
                    slot.pos,
                    f"{what}: {m.WEEKDAYS[slot.weekday]} {slot.start:%H:%M}–{slot.end:%H:%M} overlaps the slot "
                    f"{m.WEEKDAYS[other.weekday]} {other.start:%H:%M}–{other.end:%H:%M} "
                    f"({first_at(other.pos, slot.pos).removeprefix('first ')})",
                )
                break


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


def _person(r: Reader, node: Node, what: str) -> m.Person | None:
    f = r.mapping(node, what, ("role", "name"), ("email", "url", "description", "photo"))
    if f is None:
        return None
    role = r.text(f.get("role"), f"{what}.role")
    name = r.text(f.get("name"), f"{what}.name")
    email = r.text(f.get("email"), f"{what}.email", optional=True)
    if email is not None and not re.fullmatch(r"[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+", email):
        r.fail(f["email"], f"{what}.email '{short(email)}' is not an e-mail address")
        email = None
    url = r.url(f.get("url"), f"{what}.url")
    description_text = r.text(f.get("description"), f"{what}.description", long=True, optional=True)
    description = rich_text(description_text, r.pos(f["description"])) if description_text else m.RichText()
    photo = r.url(f.get("photo"), f"{what}.photo")
    if role is None or name is None:
        return None
    return m.Person(role=role, name=name, email=email, url=url, description=description, photo=photo, pos=r.pos(node))


def _override(r: Reader, node: Node, what: str) -> m.Override | None:
    f = r.mapping(node, what, ("meeting",), ("term", "date", "start", "end", "location", "cancelled"))
    if f is None:
        return None
    meeting = r.ident(f.get("meeting"), f"{what}.meeting", SESSION_ID_RE)
    term = r.ident(f.get("term"), f"{what}.term") if "term" in f else None
    date = r.date(f.get("date"), f"{what}.date")
    start = r.time(f.get("start"), f"{what}.start")
    end = r.time(f.get("end"), f"{what}.end")
    place = location(r, f.get("location"), f"{what}.location")
    cancelled = r.boolean(f["cancelled"], f"{what}.cancelled") if "cancelled" in f else False
    if len(f) == 1 or (len(f) == 2 and "term" in f):
        r.fail(node, f"{what} changes nothing (expected date, start, end, location or cancelled)")
        return None
    if meeting is None or cancelled is None:
        return None
    return m.Override(
        meeting=meeting,
        term=term,
        date=date,
        start=start,
        end=end,
        location=place,
        cancelled=cancelled,
        pos=r.pos(node),
    )


def _one_override_each(r: Reader, overrides: tuple[m.Override, ...], section_ids: dict[str, str]) -> None:
    """Two overrides of a meeting that can apply in the same term (the same term, or one for every
    term): a build keeps the last one only, and the first's changes would be lost without a word.
    An override of a meeting (LAB03) applies to each of its sections (LAB03-a) too."""

    def meeting(o: m.Override) -> str:
        return section_ids.get(o.meeting, o.meeting)

    for i, override in enumerate(overrides):
        same = (
            o for o in overrides[:i]
            if o.meeting == override.meeting or meeting(o) == override.meeting or meeting(override) == o.meeting
        )
        first = next((o for o in same if None in (o.term, override.term) or o.term == override.term), None)
        if first is not None:
            r.problems.add(
                override.pos,
                f"meeting '{override.meeting}' has a second override ({first_at(first.pos, override.pos)}); "
                "only one would apply (write both changes in one override)",
            )


def _options(r: Reader, node: Node | None) -> m.Options:
    f = r.mapping(
        node, "options", (), ("reminders", "no_class_events", "feeds_per_kind", "paper", "base_url", "on_conflict")
    )
    if not f:
        return m.Options()
    values: dict[str, Any] = {}
    if "reminders" in f:
        values["reminders"] = r.each(
            f["reminders"], "options.reminders", lambda n, w: r.integer(n, w + " (minutes before)", 0, 10080), 5
        )
    for key in ("no_class_events", "feeds_per_kind"):
        if key in f:
            values[key] = r.boolean(f[key], f"options.{key}")
    if "paper" in f:
        values["paper"] = r.choice(f["paper"], "options.paper", m.PAPER_SIZES)
    if "base_url" in f:
        values["base_url"] = r.url(f["base_url"], "options.base_url", rule=base_url_problem)
    if "on_conflict" in f:
        values["on_conflict"] = r.choice(f["on_conflict"], "options.on_conflict", m.CONFLICT_POLICIES)
    return m.Options(**{k: v for k, v in values.items() if v is not None}, pos=r.pos(node))  # type: ignore[arg-type]
