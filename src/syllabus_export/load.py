"""YAML files → model, with every check that needs only one file.

YAML is composed into nodes (safe loading, no Python objects, no aliases) and each node is
read as the type the schema expects, from its source text: an unquoted ``16:55`` where a time
is expected is 16:55 (YAML 1.1 would make it 1015), ``yes``/``no`` are refused where a boolean
is expected and stay strings elsewhere. Problems are collected, so a file is reported whole.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from yaml.composer import Composer
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from syllabus_export import model as m
from syllabus_export.errors import Pos, Problems, decode_utf8, quoted

MAX_FILE_BYTES = 1_000_000
MAX_TEXT = 2_000  # one-line texts: titles, names, labels
MAX_LONG_TEXT = 20_000  # description, staff descriptions
MAX_URL = 2_000
MAX_WEEKS = 60
MAX_ENTRIES = 500
MAX_DEPTH = 12
MIN_YEAR, MAX_YEAR = 1900, 2199
URL_SCHEMES = ("http", "https", "mailto")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
SESSION_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")
LANG_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
ZONE_HINTS = {
    "EST": "America/New_York",
    "EDT": "America/New_York",
    "EST5EDT": "America/New_York",
    "CST": "America/Chicago",
    "CDT": "America/Chicago",
    "CST6CDT": "America/Chicago",
    "MST": "America/Denver",
    "MDT": "America/Denver",
    "MST7MDT": "America/Denver",
    "PST": "America/Los_Angeles",
    "PDT": "America/Los_Angeles",
    "PST8PDT": "America/Los_Angeles",
    "CET": "Europe/Paris",
    "CEST": "Europe/Paris",
    "GMT": "Europe/London",
    "BST": "Europe/London",
    "ICT": "Asia/Ho_Chi_Minh",
    "JST": "Asia/Tokyo",
    "IST": "Asia/Kolkata",
}
_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + t
    for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq", "binary", "merge", "value")
}
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # category Cc but tab and line breaks
# Not characters at all: lone surrogates and the 66 noncharacters (U+FDD0–FDEF, U+xFFFE, U+xFFFF).
_NOT_TEXT = re.compile(
    "[\ud800-\udfff\ufdd0-\ufdef" + "".join(chr(p << 16 | 0xFFFE) + chr(p << 16 | 0xFFFF) for p in range(17)) + "]"
)


def load_course(path: str | Path) -> m.Course:
    """Read and check a course file; raise SyllabusError with all its problems."""
    reader, root = _open(path)
    course = _course(reader, root)
    reader.problems.raise_if_any()
    assert course is not None
    return course


def load_term(path: str | Path) -> m.Term:
    """Read and check a term file; raise SyllabusError with all its problems."""
    reader, root = _open(path)
    term = _term(reader, root)
    reader.problems.raise_if_any()
    assert term is not None
    return term


# --- reading YAML into nodes ---------------------------------------------------------------


class _Composing:
    """Composes nodes only; refuses aliases (no alias bombs) and records where it did."""

    _path: str
    _problems: Problems
    _depth: int

    def compose_node(self, parent: Node | None, index: Any) -> Node:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.get_event()
            self._problems.add(
                _mark(self._path, event.start_mark), "anchors and aliases are not supported (write the value out)"
            )
            return _Reported("tag:yaml.org,2002:null", "", event.start_mark, event.end_mark)
        event = self.peek_event()
        if getattr(event, "anchor", None):
            self._problems.add(
                _mark(self._path, event.start_mark), "anchors and aliases are not supported (write the value out)"
            )
            event.anchor = None
        # Stop at the first list or mapping nested deeper than any course needs, before Python's
        # recursion limit does (slowly, and without a position).
        if self._depth >= MAX_DEPTH and isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            raise _TooDeep(event.start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)  # type: ignore[misc]
        finally:
            self._depth -= 1


class _Loader(_Composing, yaml.SafeLoader):
    """PyYAML's own parser, in Python: the reference, and the one whose syntax errors are reported."""

    def __init__(self, stream: str, path: str, problems: Problems):
        yaml.SafeLoader.__init__(self, stream)
        self._path, self._problems, self._depth = path, problems, 0


_CLoader: Any = None
if yaml.__with_libyaml__:  # libyaml's parser (in C) makes the events; Python's Composer the nodes

    class _CLoader(_Composing, Composer, yaml.cyaml.CParser, Resolver):  # type: ignore[no-redef]
        def __init__(self, stream: str, path: str, problems: Problems):
            yaml.cyaml.CParser.__init__(self, stream)
            Composer.__init__(self)
            Resolver.__init__(self)
            self._path, self._problems, self._depth = path, problems, 0
            self._flow = 0  # how many flow collections ([…], {…}) the composer is in

        def compose_scalar_node(self, anchor: Any) -> Node:
            node = Composer.compose_scalar_node(self, anchor)
            if node.style == "":  # libyaml's word for a plain scalar; PyYAML's is None
                node.style = None
                if self._flow and "?" in node.value:  # PyYAML ends a plain scalar there, and refuses the rest
                    raise _NotLikePyYAML
            return node

        def compose_sequence_node(self, anchor: Any) -> Node:
            return self._collection(Composer.compose_sequence_node, anchor)

        def compose_mapping_node(self, anchor: Any) -> Node:
            return self._collection(Composer.compose_mapping_node, anchor)

        def _collection(self, compose: Callable[[Any, Any], Node], anchor: Any) -> Node:
            flow = bool(self.peek_event().flow_style)
            self._flow += flow
            try:
                return compose(self, anchor)
            finally:
                self._flow -= flow


class _NotLikePyYAML(Exception):
    """libyaml accepted what PyYAML's parser would not read the same way."""


class _TooDeep(Exception):
    def __init__(self, mark: Any):
        super().__init__()
        self.mark = mark


class _Reported(ScalarNode):
    """Stands for a value already reported (an alias): reading it adds no second problem."""


def _mark(path: str, mark: Any) -> Pos:
    return Pos(path=path, line=mark.line + 1, column=mark.column + 1)


def _open(path: str | Path) -> tuple[_Reader, Node | None]:
    shown = str(path)
    problems = Problems()
    reader = _Reader(shown, problems)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        problems.add(Pos(path=shown), f"cannot read the file ({exc.strerror or exc})")
        problems.raise_if_any()
    if len(raw) > MAX_FILE_BYTES:
        problems.add(Pos(path=shown), f"file is {len(raw):,} bytes (expected at most {MAX_FILE_BYTES:,})")
        problems.raise_if_any()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a UTF-8 byte order mark, as some editors write: harmless
    text = decode_utf8(raw, shown)
    for number, line_text in enumerate(text.split("\n") if _CONTROL.search(text) else (), 1):
        for column, char in enumerate(line_text, 1):
            if _is_forbidden_control(char):
                problems.add(
                    Pos(path=shown, line=number, column=column),
                    f"control character U+{ord(char):04X} (not allowed in a data file)",
                )
    problems.raise_if_any()
    if not text.strip():
        problems.add(Pos(path=shown), "the file is empty (expected a mapping of keys)")
        problems.raise_if_any()
    root = _compose_fast(text, shown)
    if root is not None:
        return reader, root
    loader = _Loader(text, shown, problems)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "invalid YAML"
        if "'\\t'" in what:
            what += " (indent with spaces: YAML does not allow tabs there)"
        problems.add(_mark(shown, mark) if mark else Pos(path=shown), f"YAML syntax: {what}")
        problems.raise_if_any()
        raise AssertionError("unreachable")
    except yaml.YAMLError as exc:
        problems.add(Pos(path=shown), f"YAML: {exc}")
        problems.raise_if_any()
        raise AssertionError("unreachable")
    except _TooDeep as exc:
        problems.add(_mark(shown, exc.mark), f"nesting is too deep (expected at most {MAX_DEPTH} levels)")
        problems.raise_if_any()
        raise AssertionError("unreachable")
    except RecursionError:
        problems.add(Pos(path=shown), f"nesting is too deep (expected at most {MAX_DEPTH} levels)")
        problems.raise_if_any()
        raise AssertionError("unreachable")
    finally:
        loader.dispose()
    if root is None:
        problems.add(Pos(path=shown), "the file has no data, only comments (expected a mapping of keys)")
        problems.raise_if_any()
    return reader, root


def _compose_fast(text: str, shown: str) -> Node | None:
    """The nodes of ``text`` composed from libyaml's events, or None: no libyaml, or anything to report.

    libyaml is several times faster than PyYAML's Python parser and, for a file both accept, gives
    the same events (start marks included). It accepts a little more, though, and places an empty
    value at the end of a file differently, so the Python parser reads the file instead when
    libyaml finds anything to report, and wherever the two differ: a tab outside a quoted or
    block scalar (PyYAML refuses it), a plain scalar with ``?`` inside ``[…]`` or ``{…}`` (PyYAML
    refuses it), a byte order mark past the start (libyaml skips one at the start of every line),
    a last line without a line break (libyaml places an empty value on the next line). Every
    message and its place are the Python parser's; ``tests/test_yaml_parsers.py`` compares both.
    """
    if _CLoader is None or not text.endswith("\n") or "\t" in text or "\ufeff" in text:
        return None
    problems = Problems()
    loader = _CLoader(text, shown, problems)
    try:
        root = loader.get_single_node()
    except (yaml.YAMLError, _TooDeep, _NotLikePyYAML, RecursionError):
        return None
    finally:
        loader.dispose()
    return None if problems or root is None else root


def _close_matches(word: str, possibilities: list[str] | tuple[str, ...], n: int) -> list[str]:
    import difflib  # only a problem needs a suggestion

    return difflib.get_close_matches(word, possibilities, n=n)


def _is_forbidden_control(char: str) -> bool:
    return unicodedata.category(char) == "Cc" and char not in "\n\r\t"


class _Reader:
    """Reads nodes as schema types, recording a problem and returning None when a value is wrong."""

    def __init__(self, path: str, problems: Problems):
        self.path = path
        self.problems = problems

    def pos(self, node: Node) -> Pos:
        return _mark(self.path, node.start_mark)

    def fail(self, node: Node, message: str) -> None:
        if not isinstance(node, _Reported):
            self.problems.add(self.pos(node), message)

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
            self.fail(node, f"{what} must be a mapping of keys (found {_kind(node)})")
            return None
        allowed = required + optional
        result: dict[str, Node] = {}
        guessed: set[str] = set()  # keys a typo was taken for: their absence is not a second problem
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                self.fail(key_node, f"{what}: keys must be plain names")
                continue
            key = key_node.value
            if key in result:
                self.fail(key_node, f"duplicate key '{key}' in {what}")
                continue
            if key not in allowed:
                hint = _close_matches(key, allowed, n=1)
                expected = f"did you mean '{hint[0]}'?" if hint else "expected one of: " + ", ".join(allowed)
                self.fail(key_node, f"unknown key '{_short(key)}' in {what} ({expected})")
                guessed.update(hint)
                continue
            result[key] = value_node
        for key in required:
            if key not in result and key not in guessed:
                self.fail(node, f"{what} is missing '{key}'")
        return result

    def sequence(self, node: Node | None, what: str, limit: int = 1000) -> list[Node]:
        if node is None or self._is_null(node):
            return []
        if not self._check_tag(node):
            return []
        if not isinstance(node, SequenceNode):
            self.fail(node, f"{what} must be a list (found {_kind(node)})")
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
            self.fail(node, f"{what} must be a single value (found {_kind(node)})")
            return None
        bad = _NOT_TEXT.search(node.value)  # only a YAML escape ("\ud83d") can put one here
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
        if _CONTROL.search(value) or (not long and ("\r" in value or "\t" in value)):
            bad = next((c for c in value if _is_forbidden_control(c) or (c in "\r\t" and not long)), None)
        if bad is not None:
            self.fail(node, f"{what} contains control character U+{ord(bad):04X}")
            return None
        if long:
            # every line break becomes \n: a lone CR or U+2028 must not reach an output as a break it can't see
            value = "\n".join(line.rstrip() for line in re.split(r"\r\n|[\r\n\u2028\u2029]", value))
            for problem in markdown_link_problems(value):
                self.fail(node, f"{what}: {problem}")
        return value

    def ident(self, node: Node | None, what: str, pattern: re.Pattern[str] = ID_RE) -> str | None:
        value = self.text(node, what)
        if value is not None and not pattern.match(value):
            self.fail(node, f"{what} '{_short(value)}' is not a valid id (expected letters, digits, '.', '_' or '-')")  # type: ignore[arg-type]
            return None
        return value

    def url(self, node: Node | None, what: str, *, optional: bool = True) -> str | None:
        if node is None or (optional and self._is_null(node)):
            return None
        value = self._scalar(node, what)
        if value is None:
            return None
        problem = url_problem(value)
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
            self.fail(node, f"{what} '{_short(value)}' is not a whole number (expected {low}–{high})")
            return None
        if len(value) > 1 and value.startswith("0"):
            self.fail(
                node,
                f"{what} '{_short(value)}' has a leading zero, which YAML 1.1 reads as octal "
                f"(write {_short(value.lstrip('0') or '0')})",
            )
            return None
        number = int(value) if len(value) <= 18 else high + 1  # int() refuses thousands of digits
        if not low <= number <= high:
            self.fail(node, f"{what} {_short(value)} is out of range (expected {low}–{high})")
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
            f"{what} '{_short(value)}' is not true or false (write true or false; yes/no/on/off are ambiguous in YAML)",
        )
        return None

    def date(self, node: Node | None, what: str) -> dt.date | None:
        value = self._scalar(node, what)
        if value is None:
            return None
        assert node is not None
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value.strip()):
            self.fail(node, f"{what} '{_short(value)}' is not a date (expected YYYY-MM-DD)")
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
            self.fail(node, f"{what} '{_short(value)}' is not a time of day (expected HH:MM, e.g. 16:55)")
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
        self.fail(node, f"unknown weekday '{_short(value)}' (expected Mon–Sun)")
        return None

    def choice(self, node: Node | None, what: str, choices: tuple[str, ...]) -> str | None:
        value = self._scalar(node, what)
        if value is None:
            return None
        assert node is not None
        if value.strip() not in choices:
            self.fail(node, f"{what} '{_short(value)}' is not one of: {', '.join(choices)}")
            return None
        return value.strip()

    def names(self, node: Node | None, what: str) -> dict[str, str] | None:
        """A name given once (``Spring 2020``) or per language (``{en: …, vi: …}``)."""
        if node is None:
            return None
        if isinstance(node, MappingNode):
            result: dict[str, str] = {}
            for key_node, value_node in node.value:
                lang = key_node.value if isinstance(key_node, ScalarNode) else ""
                if not LANG_RE.match(lang):
                    self.fail(key_node, f"{what}: '{_short(str(lang))}' is not a language code (e.g. en, vi)")
                    continue
                if lang in result:
                    self.fail(key_node, f"duplicate key '{lang}' in {what}")
                    continue
                text = self.text(value_node, f"{what} ({lang})")
                if text is not None:
                    result[lang] = text
            return result
        text = self.text(node, what)
        return None if text is None else {"*": text}


def url_problem(value: str) -> str | None:
    """Why ``value`` is not an acceptable link, or None. Only http, https and mailto links."""
    if len(value) > MAX_URL:
        return f"URL is {len(value):,} characters long (expected at most {MAX_URL:,})"
    # (every whitespace and control character but the space is unprintable: the quick test first)
    if value != value.strip() or (
        not (value.isprintable() and " " not in value)
        and any(c.isspace() or unicodedata.category(c) == "Cc" for c in value)
    ):
        return "URL contains whitespace or control characters"
    if any(c in value for c in "<>\"'`\\"):
        return "URL contains a character that must be percent-encoded (< > \" ' ` \\)"
    try:
        parts = urlsplit(value)
    except ValueError as exc:
        return f"URL cannot be read ({exc})"
    scheme = parts.scheme.lower()
    if not scheme:
        return f"'{_short(value)}' is not an absolute URL (expected http://, https:// or mailto:)"
    if scheme not in URL_SCHEMES or parts.scheme != scheme:
        return f"URL scheme '{_short(parts.scheme)}:' is not allowed (expected http, https or mailto, lower case)"
    if scheme in ("http", "https") and not parts.netloc:
        return f"URL '{_short(value)}' has no host"
    if scheme == "mailto" and "@" not in parts.path:
        return f"'{_short(value)}' is not an e-mail link"
    return None


def _kind(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    return f"'{_short(node.value)}'" if node.value else "nothing"


_short = quoted


def _each(
    reader: _Reader, node: Node | None, what: str, read: Callable[[Node, str], Any], limit: int = 1000
) -> tuple[Any, ...]:
    items = [read(item, f"{what}[{i + 1}]") for i, item in enumerate(reader.sequence(node, what, limit))]
    return tuple(item for item in items if item is not None)


# --- the course file -----------------------------------------------------------------------


def _link(r: _Reader, node: Node, what: str) -> m.Link | None:
    f = r.mapping(node, what, ("label",), ("url", "text", "access_code"))
    if f is None:
        return None
    label = r.text(f.get("label"), f"{what}.label")
    url = r.url(f.get("url"), f"{what}.url")
    text = r.text(f.get("text"), f"{what}.text", optional=True)
    code = r.text(f.get("access_code"), f"{what}.access_code", optional=True)
    return None if label is None else m.Link(label=label, url=url, text=text, access_code=code, pos=r.pos(node))


def _location(r: _Reader, node: Node | None, what: str) -> m.Location | None:
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


def _patterns(r: _Reader, node: Node | None) -> tuple[m.Pattern, ...]:
    if node is None:
        return ()
    if not isinstance(node, MappingNode):
        r.fail(node, f"patterns must be a mapping of kinds (found {_kind(node)})")
        return ()
    patterns = []
    prefixes: dict[str, Node] = {}
    for key_node, value_node in node.value:
        kind = key_node.value if isinstance(key_node, ScalarNode) else ""
        if not re.fullmatch(r"[a-z][a-z0-9_-]{0,31}", kind):
            r.fail(key_node, f"meeting kind '{_short(str(kind))}' must be a lower-case name (e.g. lecture)")
            continue
        what = f"patterns.{kind}"
        p = r.mapping(value_node, what, ("weekday", "start", "end", "location"), ("label", "prefix"))
        if p is None:
            continue
        weekday = r.weekday(p.get("weekday"), f"{what}.weekday")
        start = r.time(p.get("start"), f"{what}.start")
        end = r.time(p.get("end"), f"{what}.end")
        location = _location(r, p.get("location"), f"{what}.location")
        label = r.text(p.get("label"), f"{what}.label", optional=True)
        prefix = r.text(p.get("prefix"), f"{what}.prefix", optional=True) or m.default_prefix(kind)
        if not re.fullmatch(r"[A-Za-z]{1,8}", prefix):
            r.fail(p.get("prefix", key_node), f"{what}.prefix '{_short(prefix)}' must be letters only")
            continue
        if prefix in prefixes:
            r.fail(
                p.get("prefix", key_node),
                f"{what}: meeting id prefix '{prefix}' is already used by another kind (set a different 'prefix')",
            )
            continue
        prefixes[prefix] = key_node
        if start is not None and end is not None and end <= start:
            r.fail(p["end"], f"{what}: end {end:%H:%M} is not after start {start:%H:%M}")
            continue
        if None in (weekday, start, end, location):
            continue
        patterns.append(
            m.Pattern(
                kind=kind,
                weekday=weekday,
                start=start,
                end=end,
                location=location,
                label=label,
                prefix=prefix,
                pos=r.pos(key_node),
            )
        )
    return tuple(patterns)


def _resource(r: _Reader, node: Node, what: str) -> m.Resource | None:
    f = r.mapping(node, what, ("kind", "url"), ("label",))
    if f is None:
        return None
    kind = r.choice(f.get("kind"), f"{what}.kind", m.RESOURCE_KINDS)
    url = r.url(f.get("url"), f"{what}.url", optional=False)
    label = r.text(f.get("label"), f"{what}.label", optional=True)
    if kind is None or url is None:
        return None
    return m.Resource(kind=kind, url=url, label=label, pos=r.pos(node))


def _session(r: _Reader, node: Node, what: str) -> m.Session | None:
    f = r.mapping(node, what, ("id", "title"), ("url",))
    if f is None:
        return None
    sid = r.ident(f.get("id"), f"{what}.id", SESSION_ID_RE)
    title = r.text(f.get("title"), f"{what}.title")
    url = r.url(f.get("url"), f"{what}.url")
    if sid is None or title is None:
        return None
    return m.Session(id=sid, title=title, url=url, pos=r.pos(f["id"]))


def _weeks(
    r: _Reader, node: Node | None, kinds: dict[str, m.Pattern], declared: set[str]
) -> tuple[tuple[m.Week, ...], tuple[m.Entry, ...]]:
    """The weeks and their entries; ``declared`` kinds whose pattern was wrong are already reported."""
    weeks: list[m.Week] = []
    entries: list[m.Entry] = []
    seen_weeks: dict[int, Node] = {}
    seen_sessions: dict[str, m.Session] = {}
    seen_ids: dict[str, m.Entry] = {}
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
            r.fail(f["week"], f"week {number} is listed twice (line {seen_weeks[number].start_mark.line + 1})")
            continue
        seen_weeks[number] = f["week"]
        weeks.append(m.Week(number=number, url=url, pos=r.pos(f["week"])))
        meeting_nodes = r.sequence(f.get("meetings"), f"week {number}: meetings", MAX_ENTRIES)
        if not meeting_nodes and "meetings" in f:
            r.fail(f["meetings"], f"week {number} has no meetings (expected a list)")
        for j, entry_node in enumerate(meeting_nodes):
            ewhat = f"week {number}, meeting {j + 1}"
            e = r.mapping(entry_node, ewhat, ("kind", "sessions"), ("id", "resources", "extra"))
            if e is None:
                continue
            kind = r.text(e.get("kind"), f"{ewhat}: kind")
            if kind is not None and kind not in kinds and kind in declared:
                kind = None
            elif kind is not None and kind not in kinds:
                r.fail(
                    e["kind"],
                    f"{ewhat}: kind '{_short(kind)}' has no pattern "
                    f"(expected one of: {', '.join(kinds) or 'none defined'})",
                )
                kind = None
            extra = r.boolean(e["extra"], f"{ewhat}: extra") if "extra" in e else False
            sessions = _each(r, e.get("sessions"), f"{ewhat}: sessions", lambda n, w: _session(r, n, w), 20)
            if isinstance(e.get("sessions"), SequenceNode) and not e["sessions"].value:
                r.fail(e["sessions"], f"{ewhat}: sessions is empty (expected at least one session)")
            resources = _each(r, e.get("resources"), f"{ewhat}: resources", lambda n, w: _resource(r, n, w), 50)
            for session in sessions:
                if session.id in seen_sessions:
                    first = seen_sessions[session.id].pos
                    r.problems.add(
                        session.pos, f"duplicate session id '{session.id}' (first used at line {first.line})"
                    )
                seen_sessions[session.id] = session
            if kind is None or extra is None or not sessions:
                continue
            if "id" in e:
                eid = r.ident(e["id"], f"{ewhat}: id", SESSION_ID_RE)
            else:
                eid = m.meeting_id(kinds[kind].prefix, number) if not extra else m.extra_id(sessions[0].id)
            if eid is None:
                continue
            entry = m.Entry(
                id=eid,
                kind=kind,
                week=number,
                sessions=sessions,
                resources=resources,
                extra=extra,
                pos=r.pos(entry_node),
            )
            if eid in seen_ids:
                r.fail(
                    e.get("id", entry_node),
                    f"meeting id '{eid}' is used twice (line {seen_ids[eid].pos.line}); give one of them its own 'id'",
                )
                continue
            seen_ids[eid] = entry
            entries.append(entry)
    if len(entries) > MAX_ENTRIES:
        r.fail(node, f"{len(entries)} meetings (expected at most {MAX_ENTRIES})")  # type: ignore[arg-type]
    weeks.sort(key=lambda w: w.number)
    entries.sort(key=lambda e: e.week)
    return tuple(weeks), tuple(entries)


def _person(r: _Reader, node: Node, what: str) -> m.Person | None:
    f = r.mapping(node, what, ("role", "name"), ("email", "url", "description", "photo"))
    if f is None:
        return None
    role = r.text(f.get("role"), f"{what}.role")
    name = r.text(f.get("name"), f"{what}.name")
    email = r.text(f.get("email"), f"{what}.email", optional=True)
    if email is not None and not re.fullmatch(r"[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+", email):
        r.fail(f["email"], f"{what}.email '{_short(email)}' is not an e-mail address")
        email = None
    url = r.url(f.get("url"), f"{what}.url")
    description_text = r.text(f.get("description"), f"{what}.description", long=True, optional=True)
    description = rich_text(description_text, r.pos(f["description"])) if description_text else m.RichText()
    photo = r.url(f.get("photo"), f"{what}.photo")
    if role is None or name is None:
        return None
    return m.Person(role=role, name=name, email=email, url=url, description=description, photo=photo, pos=r.pos(node))


def _override(r: _Reader, node: Node, what: str) -> m.Override | None:
    f = r.mapping(node, what, ("meeting",), ("term", "date", "start", "end", "location", "cancelled"))
    if f is None:
        return None
    meeting = r.ident(f.get("meeting"), f"{what}.meeting", SESSION_ID_RE)
    term = r.ident(f.get("term"), f"{what}.term") if "term" in f else None
    date = r.date(f.get("date"), f"{what}.date")
    start = r.time(f.get("start"), f"{what}.start")
    end = r.time(f.get("end"), f"{what}.end")
    location = _location(r, f.get("location"), f"{what}.location")
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
        location=location,
        cancelled=cancelled,
        pos=r.pos(node),
    )


def _location_change(r: _Reader, node: Node, what: str) -> m.LocationChange | None:
    f = r.mapping(node, what, ("from", "location"), ("kinds",))
    if f is None:
        return None
    start = r.date(f.get("from"), f"{what}.from")
    location = _location(r, f.get("location"), f"{what}.location")
    kinds = _each(r, f.get("kinds"), f"{what}.kinds", lambda n, w: r.text(n, w), 20)
    if start is None or location is None:
        return None
    return m.LocationChange(start=start, location=location, kinds=kinds, pos=r.pos(node))


def _options(r: _Reader, node: Node | None) -> m.Options:
    f = r.mapping(
        node, "options", (), ("reminders", "no_class_events", "feeds_per_kind", "paper", "base_url", "on_conflict")
    )
    if not f:
        return m.Options()
    values: dict[str, Any] = {}
    if "reminders" in f:
        values["reminders"] = _each(
            r, f["reminders"], "options.reminders", lambda n, w: r.integer(n, w + " (minutes before)", 0, 10080), 5
        )
    for key in ("no_class_events", "feeds_per_kind"):
        if key in f:
            values[key] = r.boolean(f[key], f"options.{key}")
    if "paper" in f:
        values["paper"] = r.choice(f["paper"], "options.paper", m.PAPER_SIZES)
    if "base_url" in f:
        values["base_url"] = _base_url(r, f["base_url"])
    if "on_conflict" in f:
        values["on_conflict"] = r.choice(f["on_conflict"], "options.on_conflict", m.CONFLICT_POLICIES)
    return m.Options(**{k: v for k, v in values.items() if v is not None}, pos=r.pos(node))  # type: ignore[arg-type]


def _base_url(r: _Reader, node: Node) -> str | None:
    url = r.url(node, "options.base_url")
    if url is not None and not url.startswith(("http://", "https://")):
        r.fail(node, "options.base_url must be an http or https URL")
        return None
    return url


COURSE_KEYS = ("id", "language", "term", "code", "title", "institution", "instructors", "patterns", "weeks")
COURSE_OPTIONAL = (
    "site",
    "author",
    "translation",
    "links",
    "materials",
    "description",
    "staff",
    "overrides",
    "location_changes",
    "options",
)


def _course(r: _Reader, root: Node | None) -> m.Course | None:
    f = r.mapping(root, "the course file", COURSE_KEYS, COURSE_OPTIONAL)
    if f is None:
        return None
    cid = r.ident(f.get("id"), "id")
    language = r.text(f.get("language"), "language")
    if language is not None and not LANG_RE.match(language):
        r.fail(f["language"], f"language '{_short(language)}' is not a language code (e.g. vi, en, fr)")
    term = r.ident(f.get("term"), "term")
    code = r.text(f.get("code"), "code")
    title = r.text(f.get("title"), "title")
    institution = _link(r, f["institution"], "institution") if "institution" in f else None
    instructors = _each(r, f.get("instructors"), "instructors", lambda n, w: r.text(n, w), 50)
    patterns = _patterns(r, f.get("patterns"))
    declared = (
        {k.value for k, _ in f["patterns"].value if isinstance(k, ScalarNode)}
        if isinstance(f.get("patterns"), MappingNode)
        else set()
    )
    weeks, entries = _weeks(r, f.get("weeks"), {p.kind: p for p in patterns}, declared)
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
    links = _each(r, f.get("links"), "links", lambda n, w: _link(r, n, w), 50)
    materials = _each(r, f.get("materials"), "materials", lambda n, w: _link(r, n, w), 50)
    description_text = r.text(f.get("description"), "description", long=True, optional=True)  # links checked there
    description = rich_text(description_text, r.pos(f["description"])) if description_text else m.RichText()
    staff = _each(r, f.get("staff"), "staff", lambda n, w: _person(r, n, w), 100)
    overrides = _each(r, f.get("overrides"), "overrides", lambda n, w: _override(r, n, w), 200)
    changes = _each(r, f.get("location_changes"), "location_changes", lambda n, w: _location_change(r, n, w), 50)
    options = _options(r, f.get("options"))
    known_ids = {e.id for e in entries}
    for o in overrides:
        if known_ids and o.meeting not in known_ids:
            hint = _close_matches(o.meeting, sorted(known_ids), n=1)
            r.problems.add(
                o.pos,
                f"override names meeting '{o.meeting}', which the course does not have"
                + (f" (did you mean '{hint[0]}'?)" if hint else ""),
            )
    for change in changes:
        for kind in change.kinds:
            if kind not in {p.kind for p in patterns}:
                r.problems.add(change.pos, f"location change names kind '{_short(kind)}', which has no pattern")
    if None in (cid, language, term, code, title, institution) or r.problems:
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
        overrides=overrides,
        location_changes=changes,
        options=options,
        path=r.path,
        pos=r.pos(root),
        language_pos=r.pos(f["language"]),
        positions=_positions(r, f),
    )  # type: ignore[arg-type]


def _positions(r: _Reader, fields: dict[str, Node]) -> dict[str, Pos]:
    """Where each top-level value is written, and each item of a top-level list or mapping in it
    ("instructors.0", "name.vi")."""
    found = {}
    for key, node in fields.items():
        found[key] = r.pos(node)
        if isinstance(node, SequenceNode):
            for i, item in enumerate(node.value):
                found[f"{key}.{i}"] = r.pos(item)
        elif isinstance(node, MappingNode):
            for key_node, item in node.value:
                if isinstance(key_node, ScalarNode):
                    found.setdefault(f"{key}.{key_node.value}", r.pos(item))
    return found


_LINK_OPEN = re.compile(r"\[([^\[\]\n]+)\]\(")


def _inline_links(text: str) -> list[tuple[int, int, str, str]]:
    """Every ``[label](url)`` in ``text`` as (start, end, label, url); a URL may hold balanced
    parentheses (``…/Mercury_(planet)``) and no whitespace."""
    found = []
    at = 0
    while (match := _LINK_OPEN.search(text, at)) is not None:
        depth, end = 0, match.end()
        while end < len(text) and not text[end].isspace():
            if text[end] == "(":
                depth += 1
            elif text[end] == ")":
                if depth == 0:
                    break
                depth -= 1
            end += 1
        if end < len(text) and text[end] == ")" and end > match.end():
            found.append((match.start(), end + 1, match[1], text[match.end() : end]))
            at = end + 1
        else:
            at = match.start() + 1
    return found


def markdown_link_problems(text: str) -> list[str]:
    """Links in long texts are written ``[label](url)``; each URL obeys the same rules as any other."""
    return [
        f"link '{_short(url)}': {problem}"
        for *_, url in _inline_links(text)
        if (problem := url_problem(url))
    ]


def rich_text(text: str, pos: Pos = m.NOWHERE) -> m.RichText:
    """``"a [b](u) c"`` → runs ``a ``, ``b`` linked to ``u``, `` c``: what every renderer draws.

    The links' URLs are checked by ``text(long=True)`` (``markdown_link_problems``) before this.
    """
    runs: list[m.Run] = []
    last = 0
    for start, end, label, url in _inline_links(text):
        if start > last:
            runs.append(m.Run(text=text[last:start]))
        runs.append(m.Run(text=label, url=url))
        last = end
    if last < len(text):
        runs.append(m.Run(text=text[last:]))
    return m.RichText(runs=tuple(runs), pos=pos)


# --- the term file -------------------------------------------------------------------------


def zone_problem(name: str) -> str | None:
    """Why ``name`` is not an IANA ``Area/Location`` zone this machine knows, or None."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

    if name != "UTC" and not re.fullmatch(r"[A-Z][A-Za-z_-]+(/[A-Za-z0-9_+-]+)+", name):
        hint = ZONE_HINTS.get(name.upper())
        suggestion = f"e.g. {hint}" if hint else "e.g. America/New_York or Asia/Ho_Chi_Minh"
        return (
            f"time zone '{_short(name)}' is not an IANA Area/Location name; an abbreviation or a "
            f"fixed offset puts meetings an hour off after a DST change ({suggestion})"
        )
    if re.fullmatch(r"Etc/GMT[+-][0-9]+", name):
        return (
            f"time zone '{name}' is a fixed offset (with its sign inverted: Etc/GMT+5 is UTC-5), which puts "
            "meetings an hour off after a DST change (name the place, e.g. America/New_York or Asia/Ho_Chi_Minh)"
        )
    try:
        ZoneInfo(name)
        return None
    except (ZoneInfoNotFoundError, ValueError, OSError):
        hint = _close_matches(name, sorted(available_timezones()), n=1)
        return f"unknown time zone '{_short(name)}'" + (f" (did you mean {hint[0]}?)" if hint else "")


def _term(r: _Reader, root: Node | None) -> m.Term | None:
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

    def no_class(node: Node, what: str) -> m.NoClass | None:
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
        if first and last and (start < first or end > last):
            r.fail(
                node,
                f"{what} ({start}{'' if start == end else ' to ' + str(end)}) is outside the term ({first} to {last})",
            )
            return None
        return m.NoClass(start=start, end=end, name=label, pos=r.pos(node))

    def substitution(node: Node, what: str) -> m.Substitution | None:
        g = r.mapping(node, what, ("date", "follows"), ("name",))
        if g is None:
            return None
        day = r.date(g.get("date"), f"{what}.date")
        follows = r.weekday(g.get("follows"), f"{what}.follows")
        label = r.names(g["name"], f"{what}.name") if "name" in g else {}
        if day is None or follows is None or label is None:
            return None
        if first and last and not first <= day <= last:
            r.fail(g["date"], f"{what}: {day} is outside the term ({first} to {last})")
            return None
        if day.weekday() == follows:
            r.fail(g["follows"], f"{what}: {day} is a {m.WEEKDAYS[follows]} already")
            return None
        return m.Substitution(date=day, follows=follows, name=label, pos=r.pos(node))

    holidays = _each(r, f.get("no_class"), "no_class", no_class, 200)
    substitutions = _each(r, f.get("substitutions"), "substitutions", substitution, 100)
    for sub in substitutions:
        for holiday in holidays:
            if sub.date in holiday:
                r.problems.add(sub.pos, f"substitution day {sub.date} is itself a no-class day ({holiday.pos})")
    days = [s.date for s in substitutions]
    for sub in substitutions:
        if days.count(sub.date) > 1:
            r.problems.add(sub.pos, f"{sub.date} has more than one substitution")
    changes = _each(r, f.get("location_changes"), "location_changes", lambda n, w: _location_change(r, n, w), 50)
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
        positions=_positions(r, f),
        first_day_pos=r.pos(f["first_day"]),
        last_day_pos=r.pos(f["last_day"]),
    )  # type: ignore[arg-type]
