"""Nodes read as the types a schema expects: text, id, URL, whole number, boolean, date, time,
weekday, choice, per-language names, mappings and lists.

Each value is read from its source text, not from what YAML 1.1 would make of it: an unquoted
``16:55`` where a time is expected is 16:55 (YAML 1.1 would make it 1015), ``yes``/``no`` are
refused where a boolean is expected and stay strings elsewhere. A wrong value is recorded as a
problem at its line and column and read as None, so the whole file is reported at once.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from functools import cached_property
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from syllabus_export import errors
from syllabus_export import model as m
from syllabus_export.errors import Pos, Problems
from syllabus_export.load.rules import (
    CONTROL,
    ID_RE,
    LANG_RE,
    MAX_LONG_TEXT,
    MAX_TEXT,
    NOT_TEXT,
    bad_inline_links,
    close_matches,
    is_forbidden_control,
    short,
    url_problem,
)
from syllabus_export.yamlnodes import MAX_DEPTH, is_reported, locate, position, source_lines

MIN_YEAR, MAX_YEAR = 1900, 2199
_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + t
    for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq", "binary", "merge", "value")
}


class Reader:
    """Reads the nodes of one file as schema types, recording a problem and returning None when a
    value is wrong. ``source`` is the text the nodes were composed from (to place what is inside a
    value: a link in a description)."""

    def __init__(self, path: str, problems: Problems, source: str = ""):
        self.path = path
        self.problems = problems
        self.source = source

    @cached_property
    def _lines(self) -> list[str]:
        return source_lines(self.source)

    def pos(self, node: Node) -> Pos:
        return position(self.path, node.start_mark)

    def fail(self, node: Node, message: str) -> None:
        if not is_reported(node):
            self.problems.add(self.pos(node), message)

    def each(
        self, node: Node | None, what: str, read: Callable[[Node, str], Any], limit: int = 1000
    ) -> tuple[Any, ...]:
        """``read`` applied to every item of the list ``node`` (``what[1]``, ``what[2]``…), the
        wrong ones left out."""
        items = [read(item, f"{what}[{i + 1}]") for i, item in enumerate(self.sequence(node, what, limit))]
        return tuple(item for item in items if item is not None)

    def positions(self, fields: dict[str, Node]) -> dict[str, Pos]:
        """Where each top-level value is written, and each item of a top-level list or mapping in it
        ("instructors.0", "name.vi")."""
        found = {}
        for key, node in fields.items():
            found[key] = self.pos(node)
            if isinstance(node, SequenceNode):
                for i, item in enumerate(node.value):
                    found[f"{key}.{i}"] = self.pos(item)
            elif isinstance(node, MappingNode):
                for key_node, item in node.value:
                    if isinstance(key_node, ScalarNode):
                        found.setdefault(f"{key}.{key_node.value}", self.pos(item))
        return found

    def _check_tag(self, node: Node) -> bool:
        if node.tag in _STANDARD_TAGS:
            return True
        name = node.tag.removeprefix("tag:yaml.org,2002:")
        shown = f"!!{name}" if name != node.tag else repr(node.tag)
        self.fail(node, f"YAML tag {shown} is not allowed (only plain values)")
        return False

    # mappings and sequences

    def mapping(
        self, node: Node | None, what: str, required: tuple[str, ...], optional: tuple[str, ...], depth: int = 0
    ) -> dict[str, Node] | None:
        if node is None:
            return None
        if depth > MAX_DEPTH:
            self.fail(node, f"nesting is too deep (expected at most {MAX_DEPTH} levels)")
            return None
        if not self._check_tag(node):
            return None
        if not isinstance(node, MappingNode):
            self.fail(node, f"{what} must be a mapping of keys (found {kind(node)})")
            return None
        allowed = required + optional
        result: dict[str, Node] = {}
        keys: dict[str, Node] = {}
        guessed: set[str] = set()  # keys a typo was taken for: their absence is not a second problem
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                self.fail(key_node, f"{what}: keys must be plain names")
                continue
            key = key_node.value
            if key in result:
                self.fail(key_node, f"duplicate key '{key}' in {what} ({self.first_at(keys[key], key_node)})")
                continue
            if key not in allowed:
                hint = close_matches(key, allowed, n=1)
                expected = f"did you mean '{hint[0]}'?" if hint else "expected one of: " + ", ".join(allowed)
                self.fail(key_node, f"unknown key '{short(key)}' in {what} ({expected})")
                guessed.update(hint)
                continue
            result[key] = value_node
            keys[key] = key_node
        for key in required:
            if key not in result and key not in guessed:
                self.fail(node, f"{what} is missing '{key}'")
        return result

    def first_at(self, first: Node, again: Node) -> str:
        """``first at line 9, column 3``: how a duplicate at ``again`` names the value it repeats."""
        return errors.first_at(self.pos(first), self.pos(again))

    def sequence(self, node: Node | None, what: str, limit: int = 1000) -> list[Node]:
        if node is None or self._is_null(node):
            return []
        if not self._check_tag(node):
            return []
        if not isinstance(node, SequenceNode):
            self.fail(node, f"{what} must be a list (found {kind(node)})")
            return []
        if len(node.value) > limit:
            self.fail(node, f"{what} has {len(node.value)} items (expected at most {limit})")
            return []
        return list(node.value)

    # scalars

    def _scalar(self, node: Node | None, what: str) -> str | None:
        if node is None:
            return None
        if not self._check_tag(node):
            return None
        if not isinstance(node, ScalarNode):
            self.fail(node, f"{what} must be a single value (found {kind(node)})")
            return None
        bad = NOT_TEXT.search(node.value)  # only a YAML escape ("\ud83d") can put one here
        if bad is not None:
            code = ord(bad[0])
            why = (
                "half of a UTF-16 surrogate pair (write the character itself, or an escape like \\U0001F600)"
                if 0xD800 <= code <= 0xDFFF
                else "a Unicode noncharacter"
            )
            self.fail(node, f"{what} contains U+{code:04X}, {why}")
            return None
        return node.value

    @staticmethod
    def _is_null(node: Node) -> bool:
        return isinstance(node, ScalarNode) and node.style is None and node.value in ("", "~", "null", "Null", "NULL")

    def text(self, node: Node | None, what: str, *, long: bool = False, optional: bool = False) -> str | None:
        if node is None:
            return None
        if optional and self._is_null(node):
            return None
        value = self._scalar(node, what)
        if value is None:
            return None
        value = unicodedata.normalize("NFC", value.strip())
        limit = MAX_LONG_TEXT if long else MAX_TEXT
        if not value:
            self.fail(node, f"{what} is empty (expected text)")
            return None
        if len(value) > limit:
            self.fail(node, f"{what} is {len(value):,} characters long (expected at most {limit:,})")
            return None
        if not long and any(c in value for c in "\n\r\u2028\u2029"):
            self.fail(node, f"{what} must be one line (found a line break)")
            return None
        bad = None
        if CONTROL.search(value) or (not long and ("\r" in value or "\t" in value)):
            bad = next((c for c in value if is_forbidden_control(c) or (c in "\r\t" and not long)), None)
        if bad is not None:
            self.fail(node, f"{what} contains control character U+{ord(bad):04X}")
            return None
        if long:
            # every line break becomes \n: a lone CR or U+2028 must not reach an output as a break it can't see
            value = "\n".join(line.rstrip() for line in re.split(r"\r\n|[\r\n\u2028\u2029]", value))
            for start, label, url, problem in bad_inline_links(value):
                where = self._link_pos(node, value, start, label, url)
                self.problems.add(where, f"{what}: link '{short(url)}': {problem}")
        return value

    def _link_pos(self, node: Node, value: str, start: int, label: str, url: str) -> Pos:
        """Where the link ``[label](url)`` at ``start`` in ``value`` (the text read from ``node``) is
        written: at its ``[``, or at its URL when the label is not on that line as written (folded);
        at the node when the source spells the URL otherwise (an escape in a quoted scalar)."""
        needle = f"]({url})"
        middle = start + 1 + len(label)  # where the link's "](" is in the value
        found = locate(self._lines, node, needle, nth=value.count(needle, 0, middle))
        if found is None:
            return self.pos(node)
        line, column = found
        before = self._lines[line][:column]
        if before.endswith("[" + label):
            return Pos(path=self.path, line=line + 1, column=column - len(label))
        return Pos(path=self.path, line=line + 1, column=column + 3)

    def ident(self, node: Node | None, what: str, pattern: re.Pattern[str] = ID_RE) -> str | None:
        value = self.text(node, what)
        if value is not None and not pattern.match(value):
            self.fail(node, f"{what} '{short(value)}' is not a valid id (expected letters, digits, '.', '_' or '-')")  # type: ignore[arg-type]
            return None
        return value

    def url(
        self, node: Node | None, what: str, *, optional: bool = True, rule: Callable[[str], str | None] = url_problem
    ) -> str | None:
        """A link that obeys ``rule`` (by default any http, https or mailto link)."""
        if node is None or (optional and self._is_null(node)):
            return None
        value = self._scalar(node, what)
        if value is None:
            return None
        problem = rule(value)
        if problem:
            self.fail(node, f"{what}: {problem}")
            return None
        return value.strip()

    def integer(self, node: Node | None, what: str, low: int, high: int) -> int | None:
        value = self._scalar(node, what)
        if value is None:
            return None
        assert node is not None
        if not re.fullmatch(r"[0-9]+", value):
            self.fail(node, f"{what} '{short(value)}' is not a whole number (expected {low}–{high})")
            return None
        if len(value) > 1 and value.startswith("0"):
            self.fail(
                node,
                f"{what} '{short(value)}' has a leading zero, which YAML 1.1 reads as octal "
                f"(write {short(value.lstrip('0') or '0')})",
            )
            return None
        number = int(value) if len(value) <= 18 else high + 1  # int() refuses thousands of digits
        if not low <= number <= high:
            self.fail(node, f"{what} {short(value)} is out of range (expected {low}–{high})")
            return None
        return number

    def boolean(self, node: Node | None, what: str) -> bool | None:
        value = self._scalar(node, what)
        if value is None:
            return None
        assert node is not None
        if value.lower() in ("true", "false") and node.style is None:
            return value.lower() == "true"
        self.fail(
            node,
            f"{what} '{short(value)}' is not true or false (write true or false; yes/no/on/off are ambiguous in YAML)",
        )
        return None

    def date(self, node: Node | None, what: str) -> dt.date | None:
        value = self._scalar(node, what)
        if value is None:
            return None
        assert node is not None
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value.strip()):
            self.fail(node, f"{what} '{short(value)}' is not a date (expected YYYY-MM-DD)")
            return None
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError as exc:
            self.fail(node, f"{what} {value.strip()} does not exist ({exc})")
            return None
        if not MIN_YEAR <= day.year <= MAX_YEAR:  # year 9999 would overflow the week arithmetic
            self.fail(node, f"{what} {day} is out of range (expected a year from {MIN_YEAR} to {MAX_YEAR})")
            return None
        return day

    def time(self, node: Node | None, what: str) -> dt.time | None:
        value = self._scalar(node, what)
        if value is None:
            return None
        assert node is not None
        match = re.fullmatch(r"([0-9]{1,2}):([0-9]{2})", value.strip())
        if not match or int(match[1]) > 23 or int(match[2]) > 59:
            self.fail(node, f"{what} '{short(value)}' is not a time of day (expected HH:MM, e.g. 16:55)")
            return None
        return dt.time(int(match[1]), int(match[2]))

    def weekday(self, node: Node | None, what: str) -> int | None:
        value = self._scalar(node, what)
        if value is None:
            return None
        assert node is not None
        name = value.strip()[:3].title()
        full = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
        if name in m.WEEKDAYS and value.strip().title() in (name, full[m.WEEKDAYS.index(name)]):
            return m.WEEKDAYS.index(name)
        self.fail(node, f"unknown weekday '{short(value)}' (expected Mon–Sun)")
        return None

    def choice(self, node: Node | None, what: str, choices: tuple[str, ...]) -> str | None:
        value = self._scalar(node, what)
        if value is None:
            return None
        assert node is not None
        if value.strip() not in choices:
            self.fail(node, f"{what} '{short(value)}' is not one of: {', '.join(choices)}")
            return None
        return value.strip()

    def names(self, node: Node | None, what: str) -> dict[str, str] | None:
        """A name given once (``Spring 2020``) or per language (``{en: …, vi: …}``)."""
        if node is None:
            return None
        if isinstance(node, MappingNode):
            result: dict[str, str] = {}
            keys: dict[str, Node] = {}
            for key_node, value_node in node.value:
                lang = key_node.value if isinstance(key_node, ScalarNode) else ""
                if not LANG_RE.match(lang):
                    self.fail(key_node, f"{what}: '{short(str(lang))}' is not a language code (e.g. en, vi)")
                    continue
                if lang in keys:
                    self.fail(key_node, f"duplicate key '{lang}' in {what} ({self.first_at(keys[lang], key_node)})")
                    continue
                keys[lang] = key_node
                text = self.text(value_node, f"{what} ({lang})")
                if text is not None:
                    result[lang] = text
            return result
        text = self.text(node, what)
        return None if text is None else {"*": text}


def kind(node: Node) -> str:
    """What a node is, as a message says what it found instead."""
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    return f"'{short(node.value)}'" if node.value else "nothing"
