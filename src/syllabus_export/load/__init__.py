"""YAML files → model, with every check that needs only one file.

A file is read as UTF-8 text (``_source``), composed into nodes with their positions
(``syllabus_export.yamlnodes``: safe loading, no Python objects, no aliases), and each node is
read as the type the schema expects (``reader``), by the course or the term schema (``course``,
``term``); the rules on strings alone (links, ids, language codes, zones) are in ``rules``.
Problems are collected, so a file is reported whole.
"""

from __future__ import annotations

from pathlib import Path

from yaml.nodes import Node

from syllabus_export import model as m
from syllabus_export.errors import Pos, Problems, decode_utf8
from syllabus_export.load.course import read_course
from syllabus_export.load.meetings import MAX_ENTRIES, MAX_WEEKS
from syllabus_export.load.reader import MAX_YEAR, MIN_YEAR, Reader
from syllabus_export.load.rules import (
    CONTROL,
    ID_RE,
    LANG_RE,
    MAX_LONG_TEXT,
    MAX_TEXT,
    MAX_URL,
    SESSION_ID_RE,
    URL_SCHEMES,
    ZONE_HINTS,
    base_url_problem,
    is_forbidden_control,
    markdown_link_problems,
    rich_text,
    url_problem,
    zone_problem,
)
from syllabus_export.load.term import read_term
from syllabus_export.yamlnodes import MAX_DEPTH, compose

__all__ = [
    "ID_RE",
    "LANG_RE",
    "MAX_DEPTH",
    "MAX_ENTRIES",
    "MAX_FILE_BYTES",
    "MAX_LONG_TEXT",
    "MAX_TEXT",
    "MAX_URL",
    "MAX_WEEKS",
    "MAX_YEAR",
    "MIN_YEAR",
    "SESSION_ID_RE",
    "URL_SCHEMES",
    "ZONE_HINTS",
    "base_url_problem",
    "load_course",
    "load_term",
    "markdown_link_problems",
    "rich_text",
    "url_problem",
    "zone_problem",
]

MAX_FILE_BYTES = 1_000_000


def load_course(path: str | Path) -> m.Course:
    """Read and check a course file; raise SyllabusError with all its problems."""
    reader, root = _open(path)
    course = read_course(reader, root)
    reader.problems.raise_if_any()
    assert course is not None
    return course


def load_term(path: str | Path) -> m.Term:
    """Read and check a term file; raise SyllabusError with all its problems."""
    reader, root = _open(path)
    term = read_term(reader, root)
    reader.problems.raise_if_any()
    assert term is not None
    return term


def _open(path: str | Path) -> tuple[Reader, Node]:
    shown = str(path)
    problems = Problems()
    text = _source(path, shown, problems)
    root = compose(text, shown, problems)
    if root is None:
        problems.add(Pos(path=shown), "the file has no data, only comments (expected a mapping of keys)")
        problems.raise_if_any()
    assert root is not None
    return Reader(shown, problems, text), root


def _source(path: str | Path, shown: str, problems: Problems) -> str:
    """The file's text: at most MAX_FILE_BYTES of UTF-8, no control character but tab and line
    breaks, not empty; raises SyllabusError otherwise."""
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
    for number, line_text in enumerate(text.split("\n") if CONTROL.search(text) else (), 1):
        for column, char in enumerate(line_text, 1):
            if is_forbidden_control(char):
                problems.add(
                    Pos(path=shown, line=number, column=column),
                    f"control character U+{ord(char):04X} (not allowed in a data file)",
                )
    problems.raise_if_any()
    if not text.strip():
        problems.add(Pos(path=shown), "the file is empty (expected a mapping of keys)")
        problems.raise_if_any()
    return text
