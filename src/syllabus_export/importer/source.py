"""The page being read: its lines, its link definitions, and what was found in them at their
line and column — problems, and warnings.

Every part of the reader (front matter, header, schedule, staff) reads lines from here and
reports here, so one import reports every problem of the page at once, each at
``path:line:column``. A problem after which nothing further can be read stops the import
(:meth:`PageSource.stop`) with everything collected so far. A warning is a reading the page
does not state plainly (a label the structure contradicts, a term chosen by its year): the
import goes on, and the command prints it.

The page's reference-link definitions (``[GCASL C95]: http://…``, which some translations use
instead of inline links) are read once here, and blanked from the Markdown lines like comments,
so no part mistakes them for text.
"""

from __future__ import annotations

import re

from syllabus_export.errors import Pos, Problem, Problems, SyllabusError, quoted
from syllabus_export.importer.markdown import link_definition, without_comments


class PageSource:
    def __init__(self, text: str, path: str):
        if text.startswith("\ufeff"):
            text = text[1:]
        self.path = path
        self.lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self.problems = Problems()
        self.notes: list[Problem] = []
        self.refs: dict[str, str] = {}
        self._definitions: set[int] = set()
        self._read_definitions()

    def pos(self, line: int, column: int = 1) -> Pos:
        return Pos(path=self.path, line=line, column=column)

    def fail(self, line: int, column: int, message: str) -> None:
        """Note a problem and read on."""
        self.problems.add(self.pos(line, column), message)

    def warn(self, line: int, column: int, message: str) -> None:
        """Note a warning: the page was read, in a way it does not state plainly."""
        note = Problem(pos=self.pos(line, column), message=message)
        if note not in self.notes:
            self.notes.append(note)

    def stop(self, line: int, column: int, message: str) -> SyllabusError:
        """The error to raise when nothing further can be read: this problem and all before it."""
        self.fail(line, column, message)
        return self.problems.error()

    def markdown_lines(self, begin: int, end: int) -> list[tuple[int, str]]:
        """(index, text) of lines begin..end-1 (indexes from 0) with HTML comments and link
        definitions blanked out."""
        in_comment = False
        out = []
        for i in range(begin, min(end, len(self.lines))):
            visible, in_comment = without_comments(self.lines[i], in_comment)
            out.append((i, " " * len(visible) if i in self._definitions else visible))
        return out

    def _read_definitions(self) -> None:
        """``[ref]: url`` lines outside comments; the first definition of a reference counts, as in
        Markdown. An address written in parentheses, ``[ref]: (https://…)``, is the address inside
        them (Markdown would take the parentheses as part of a relative address, a link that leads
        nowhere), with a warning."""
        in_comment = False
        for i, line in enumerate(self.lines):
            visible, in_comment = without_comments(line, in_comment)
            found = link_definition(visible)
            if found is None:
                continue
            key, url, column = found
            self._definitions.add(i)
            inner = re.fullmatch(r"\((\w+://[^\s()]+)\)", url)
            if inner is not None:
                self.warn(i + 1, column, f"the address '{quoted(url)}' is in parentheses; read as {inner[1]}")
                url = inner[1]
            self.refs.setdefault(key, url)
