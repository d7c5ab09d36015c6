"""YAML text → nodes that remember where they were written.

Composing only (no Python objects are ever made), no anchors or aliases (no alias bombs), no
nesting deeper than any data file needs. Every node keeps its start and end marks, so a check
made long after parsing can still name the line and column. This module knows no schema: the
course and term loader (``syllabus_export.load``) and the PDF theme reader both read through it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

import yaml
from yaml.composer import Composer
from yaml.nodes import Node, ScalarNode
from yaml.resolver import Resolver

from syllabus_export.errors import Pos, Problems

MAX_DEPTH = 12
# What YAML counts as a line break (both parsers): a mark's line counts these, so a source is cut at them too.
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def position(path: str, mark: Any) -> Pos:
    """A parser's mark (0-based) as a Pos (1-based, as editors count)."""
    return Pos(path=path, line=mark.line + 1, column=mark.column + 1)


def compose(text: str, shown: str, problems: Problems) -> Node | None:
    """The root node of ``text`` (None when it holds only comments).

    Anchors and aliases are added to ``problems`` and read as a value already reported; a syntax
    error, or nesting too deep, is added and raised at once (SyllabusError with all ``problems``).
    Messages are PyYAML's Python parser's, whichever parser made the nodes.
    """
    root = compose_fast(text, shown)
    if root is not None:
        return root
    loader = _Loader(text, shown, problems)
    try:
        return loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "invalid YAML"
        if "'\\t'" in what:
            what += " (indent with spaces: YAML does not allow tabs there)"
        _stop(problems, position(shown, mark) if mark else Pos(path=shown), f"YAML syntax: {what}")
    except yaml.YAMLError as exc:
        _stop(problems, Pos(path=shown), f"YAML: {exc}")
    except _TooDeep as exc:
        _stop(problems, position(shown, exc.mark), f"nesting is too deep (expected at most {MAX_DEPTH} levels)")
    except RecursionError:
        _stop(problems, Pos(path=shown), f"nesting is too deep (expected at most {MAX_DEPTH} levels)")
    finally:
        loader.dispose()


def _stop(problems: Problems, pos: Pos, message: str) -> NoReturn:
    problems.add(pos, message)
    raise problems.error()


_INDICATOR_COMMENT = re.compile(r"[|>][-+0-9]*#")


def compose_fast(text: str, shown: str) -> Node | None:
    """The nodes of ``text`` composed from libyaml's events, or None: no libyaml, or anything to report.

    libyaml is several times faster than PyYAML's Python parser and, for a file both accept, gives
    the same events (start marks included). It accepts a little more, though, and places an empty
    value at the end of a file differently, so the Python parser reads the file instead when
    libyaml finds anything to report, and wherever the two differ: a tab outside a quoted or
    block scalar (PyYAML refuses it), a plain scalar with ``?`` inside ``[…]`` or ``{…}`` (PyYAML
    refuses it), a byte order mark past the start (libyaml skips one at the start of every line),
    a last line without a line break (libyaml places an empty value on the next line), a comment
    right after a block scalar's indicator (``|# …``: libyaml reads it, PyYAML refuses it). Every
    message and its place are the Python parser's; ``tests/test_yaml_parsers.py`` compares both.
    """
    if _CLoader is None or not text.endswith("\n") or "\t" in text or "\ufeff" in text:
        return None
    if _INDICATOR_COMMENT.search(text):
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


def source_lines(text: str) -> list[str]:
    """``text`` cut into lines where the parsers count them: ``source_lines(text)[mark.line]``."""
    return _LINE_BREAK.split(text)


def locate(lines: Sequence[str], node: Node, needle: str, nth: int = 0) -> tuple[int, int] | None:
    """Where the ``nth`` (from 0) occurrence of ``needle`` is written within ``node``'s source text,
    as a 0-based (line, column) like a mark's; None when it is not written there as such (an escape
    in a quoted scalar, a line folded inside it).

    Occurrences do not overlap and are counted in the source's order, which is the value's order:
    the ``nth`` of the value is the ``nth`` of the source whenever the source spells it the same.
    """
    start, end = node.start_mark, node.end_mark
    for number in range(start.line, min(end.line, len(lines) - 1) + 1):
        line = lines[number]
        low = start.column if number == start.line else 0
        high = end.column if number == end.line else len(line)
        at = line.find(needle, low, high)
        while at != -1:
            if nth == 0:
                return number, at
            nth -= 1
            at = line.find(needle, at + len(needle), high)
    return None


# --- the two parsers ---------------------------------------------------------------------------


class _Composing:
    """Composes nodes only; refuses aliases (no alias bombs) and records where it did."""

    _path: str
    _problems: Problems
    _depth: int

    def compose_node(self, parent: Node | None, index: Any) -> Node:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.get_event()
            self._problems.add(
                position(self._path, event.start_mark), "anchors and aliases are not supported (write the value out)"
            )
            return _Reported("tag:yaml.org,2002:null", "", event.start_mark, event.end_mark)
        event = self.peek_event()
        if getattr(event, "anchor", None):
            self._problems.add(
                position(self._path, event.start_mark), "anchors and aliases are not supported (write the value out)"
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


def is_reported(node: Node) -> bool:
    """Whether ``node`` stands for a value already reported (an alias): no second problem about it."""
    return isinstance(node, _Reported)
