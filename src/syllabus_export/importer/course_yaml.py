"""A course → the text of its course file: the writer beside :mod:`syllabus_export.load`'s schema.

What the loader reads, this writes back, in the layout of the hand-made
``data/courses/dlsp20.yaml``: keys in the schema's order, one flow mapping a link, long texts
folded (``>-``) or literal (``|-``), a scalar plain only when YAML reads it back as the same
string, and every default left out (a pattern's prefix, a meeting's id). Loading the text
gives back the same course; the importer's tests check that it does.
"""

from __future__ import annotations

import json
import re

import yaml

from syllabus_export import model as m
from syllabus_export.importer.markdown import markdown_links


def _dq(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's; C1 controls escaped as well)."""
    dumped = json.dumps(text, ensure_ascii=False)
    return re.sub(r"[\x7f-\x9f\u2028\u2029]", lambda c: f"\\u{ord(c[0]):04x}", dumped)


def _plain_ok(text: str, flow: bool) -> bool:
    """Whether ``text`` may be written plain (unquoted): YAML reads it back as this very string."""
    if not text or text != text.strip() or re.search(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]", text):
        return False
    if text[0] in "!&*[]{}|>'\"%@`#,?:-" or ": " in text or " #" in text or text.endswith(":"):
        return False
    if flow and any(c in text for c in ",[]{}"):
        return False
    try:
        loaded = yaml.safe_load(("{k: %s}" if flow else "k: %s") % text)
    except yaml.YAMLError:
        return False
    return loaded == {"k": text}


def _s(text: str, flow: bool = False) -> str:
    """A scalar: plain when that reads back exactly, else double-quoted."""
    return text if _plain_ok(text, flow) else _dq(text)


def _flow(pairs: list[tuple[str, str | None]], quote: tuple[str, ...] = ("url",)) -> str:
    """``{k: v, …}`` of the pairs whose value is not None; the keys in ``quote`` always double-quoted."""
    items = [f"{k}: {_dq(v) if k in quote else _s(v, flow=True)}" for k, v in pairs if v is not None]
    return "{" + ", ".join(items) + "}"


def _long_text(key: str, text: str, indent: str, width: int = 96) -> str:
    """``key: >-`` folded (one line) or ``|-`` literal (several lines), when that reads back exactly."""
    inner = indent + "  "
    if "\n" not in text:
        inside = [(s, e) for s, e, *_ in markdown_links(text)]
        cuts = [i for i in range(1, len(text) - 1) if text[i] == " " and text[i - 1] != " " and text[i + 1] != " "
                and not any(s < i < e for s, e in inside)]  # never inside a link: it reads badly
        words = [text[a + 1 : b] for a, b in zip([-1, *cuts], [*cuts, len(text)])]
        lines, current = [], ""
        for word in words:
            if current and len(inner) + len(current) + 1 + len(word) > width:
                lines.append(current)
                current = word
            else:
                current = f"{current} {word}" if current else word
        lines.append(current)
        block = f"{indent}{key}: >-\n" + "\n".join(inner + line for line in lines)
    else:
        block = f"{indent}{key}: |-\n" + "\n".join(inner + line if line else "" for line in text.split("\n"))
    try:
        if yaml.safe_load(block.replace("\n" + indent, "\n")[len(indent) :]) == {key: text}:
            return block
    except yaml.YAMLError:
        pass
    return f"{indent}{key}: {_dq(text)}"


def dump_course(course: m.Course, *, header: str = "") -> str:
    """A course as a course file, in the layout of the hand-made ``data/courses/dlsp20.yaml``.

    Writes what a course page can hold; overrides, location changes and options are refused.
    """
    if course.overrides or course.location_changes or course.options != m.Options():
        raise ValueError("dump_course writes what a page holds: no overrides, location changes or options")
    out: list[str] = [("# " + line).rstrip() for line in header.split("\n")] + [""] if header else []
    out += [
        f"id: {_s(course.id)}",
        f"language: {_s(course.language)}",
        f"term: {_s(course.term)}",
        f"code: {_s(course.code)}",
        f"title: {_dq(course.title)}",
    ]
    if course.site:
        out.append(f"site: {_s(course.site)}")
    if course.author:
        out.append(f"author: {_s(course.author)}")
    if course.translation:
        date = course.translation.date.isoformat() if course.translation.date else None
        out.append(
            "translation: {"
            + ", ".join(
                [f"translator: {_s(course.translation.translator, flow=True)}"] + ([f"date: {date}"] if date else [])
            )
            + "}"
        )
    institution = [("label", course.institution.label), ("url", course.institution.url)]
    out.append(f"institution: {_flow(institution, ('label', 'url'))}")
    out.append("instructors: [" + ", ".join(_s(name, flow=True) for name in course.instructors) + "]")
    out += ["", "patterns:"]
    for p in course.patterns:
        out.append(f"  {p.kind}:")
        if p.label:
            out.append(f"    label: {_s(p.label)}")
        if p.prefix and p.prefix != m.default_prefix(p.kind):
            out.append(f"    prefix: {p.prefix}")
        out += [
            f"    weekday: {m.WEEKDAYS[p.weekday]}",
            f"    start: {p.start:%H:%M}",
            f"    end: {p.end:%H:%M}",
            f"    location: {_flow([('name', p.location.name), ('url', p.location.url)])}",
        ]
    if course.resource_labels:
        words = [(kind, course.resource_labels.get(kind)) for kind in m.RESOURCE_KINDS]
        out += ["", f"resource_labels: {_flow(words, quote=())}"]
    for key, items in (("links", course.links), ("materials", course.materials)):
        if items:
            out += ["", f"{key}:"]
            out += [
                "  - " + _flow([("label", link.label), ("text", link.text), ("url", link.url),
                                ("access_code", link.access_code)])
                for link in items
            ]
    if course.description:
        out += ["", _long_text("description", course.description.markdown, "")]
    out += ["", "weeks:"]
    prefixes = {p.kind: p.prefix or m.default_prefix(p.kind) for p in course.patterns}
    for week in course.weeks:
        out.append(f"  - week: {week.number}")
        if week.url:
            out.append(f"    url: {_s(week.url)}")
        out.append("    meetings:")
        for e in (e for e in course.entries if e.week == week.number):
            out.append(f"      - kind: {e.kind}")
            prefix = prefixes.get(e.kind, m.default_prefix(e.kind))
            default = m.extra_id(e.sessions[0].id) if e.extra else m.meeting_id(prefix, e.week)
            if e.id != default:
                out.append(f"        id: {_s(e.id)}")
            if e.extra:
                out.append("        extra: true")
            out.append("        sessions:")
            for s in e.sessions:
                out.append(f"          - id: {_dq(s.id)}")
                out.append(f"            title: {_dq(s.title)}")
                if s.url:
                    out.append(f"            url: {_s(s.url)}")
            if e.resources:
                out.append("        resources:")
                out += [
                    "          - " + _flow([("kind", r.kind), ("url", r.url), ("label", r.label)]) for r in e.resources
                ]
    if course.staff:
        out += ["", "staff:"]
        for person in course.staff:
            out.append(f"  - role: {_s(person.role)}")
            out.append(f"    name: {_s(person.name)}")
            for key in ("email", "url"):
                if getattr(person, key):
                    out.append(f"    {key}: {_s(getattr(person, key))}")
            if person.description:
                out.append(f"    description: {_dq(person.description.markdown)}")
            if person.photo:
                out.append(f"    photo: {_s(person.photo)}")
    return "\n".join(out) + "\n"
