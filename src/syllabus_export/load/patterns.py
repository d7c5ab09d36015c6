"""The course file's ``patterns:``: when and where each kind meets in a regular week — one slot, a
list of slots (several days a week), or sections with their own times and places."""

from __future__ import annotations

import re

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from syllabus_export import model as m
from syllabus_export.errors import first_at
from syllabus_export.load.reader import Reader, kind
from syllabus_export.load.rules import short


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
