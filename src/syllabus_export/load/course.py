"""The course file's schema: its keys, what each holds, and the checks across them (a meeting's
kind has a pattern, ids are unique, an override names a meeting the course has)."""

from __future__ import annotations

import re
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode

from syllabus_export import model as m
from syllabus_export.errors import first_at
from syllabus_export.load.items import read_items
from syllabus_export.load.meetings import _in_order, _section_ids, _weeks
from syllabus_export.load.patterns import _patterns, location
from syllabus_export.load.reader import Reader
from syllabus_export.load.rules import LANG_RE, SESSION_ID_RE, base_url_problem, close_matches, rich_text, short

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
    "exams",
    "deadlines",
    "office_hours",
    "syllabus",
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
    items = read_items(r, f)
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
        **items,
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
        node,
        "options",
        (),
        ("reminders", "no_class_events", "feeds_per_kind", "paper", "base_url", "on_conflict",
         "deadline_reminders", "office_hours_in_feed"),
    )
    if not f:
        return m.Options()
    values: dict[str, Any] = {}
    if "reminders" in f:
        values["reminders"] = r.each(
            f["reminders"], "options.reminders", lambda n, w: r.integer(n, w + " (minutes before)", 0, 10080), 5
        )
    if "deadline_reminders" in f:
        values["deadline_reminders"] = r.each(
            f["deadline_reminders"], "options.deadline_reminders",
            lambda n, w: r.integer(n, w + " (minutes before)", 0, 40320), 5
        )
    for key in ("no_class_events", "feeds_per_kind", "office_hours_in_feed"):
        if key in f:
            values[key] = r.boolean(f[key], f"options.{key}")
    if "paper" in f:
        values["paper"] = r.choice(f["paper"], "options.paper", m.PAPER_SIZES)
    if "base_url" in f:
        values["base_url"] = r.url(f["base_url"], "options.base_url", rule=base_url_problem)
    if "on_conflict" in f:
        values["on_conflict"] = r.choice(f["on_conflict"], "options.on_conflict", m.CONFLICT_POLICIES)
    return m.Options(**{k: v for k, v in values.items() if v is not None}, pos=r.pos(node))  # type: ignore[arg-type]
