"""The page being read: its lines, and the problems found in them at their line and column.

Every part of the reader (front matter, header, schedule, staff) reads lines from here and
reports here, so one import reports every problem of the page at once, each at
``path:line:column``. A problem after which nothing further can be read stops the import
(:meth:`PageSource.stop`) with everything collected so far.
"""

from __future__ import annotations

from syllabus_export.errors import Pos, Problems, SyllabusError
from syllabus_export.importer.markdown import without_comments


class PageSource:
    def __init__(self, text: str, path: str):
        if text.startswith("\ufeff"):
            text = text[1:]
        self.path = path
        self.lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self.problems = Problems()

    def pos(self, line: int, column: int = 1) -> Pos:
        return Pos(path=self.path, line=line, column=column)

    def fail(self, line: int, column: int, message: str) -> None:
        """Note a problem and read on."""
        self.problems.add(self.pos(line, column), message)

    def stop(self, line: int, column: int, message: str) -> SyllabusError:
        """The error to raise when nothing further can be read: this problem and all before it."""
        self.fail(line, column, message)
        return self.problems.error()

    def markdown_lines(self, begin: int, end: int) -> list[tuple[int, str]]:
        """(index, text) of lines begin..end-1 (indexes from 0) with HTML comments blanked out."""
        in_comment = False
        out = []
        for i in range(begin, min(end, len(self.lines))):
            visible, in_comment = without_comments(self.lines[i], in_comment)
            out.append((i, visible))
        return out
