"""The schedule table as html.parser sees it: rows of cells, rowspans followed, every place kept.

The site writes its schedule as an HTML ``<table>`` of four columns (week, format, title,
resources) whose week, format and resources cells span several rows. This module knows HTML
and tables only: it gives each body row its four cells, a spanning cell being the same object in
every row it covers, with the links, images, text and the week comment above each row. What the
cells mean is :mod:`syllabus_export.importer.schedule`'s business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from syllabus_export.errors import quoted
from syllabus_export.importer import tokens
from syllabus_export.importer.markdown import FORMATTING_TAGS
from syllabus_export.importer.source import PageSource

COLUMNS = ("week", "format", "title", "resources")
_BROKEN_END = re.compile(r"(?<!<)/a\s*>", re.IGNORECASE)


@dataclass
class CellLink:
    href: str | None
    title: str | None
    line: int
    column: int
    text: str = ""


@dataclass(eq=False)
class Cell:
    tag: str
    attrs: dict[str, str | None]
    line: int
    column: int
    text: str = ""
    outside: str = ""  # text not inside a link
    links: list[CellLink] = field(default_factory=list)
    images: list[tuple[str | None, int, int]] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)  # body rows it covers


@dataclass(eq=False)
class Row:
    line: int
    column: int
    head: bool
    cells: list[Cell] = field(default_factory=list)
    comment: tuple[str, int, int] | None = None  # the HTML comment just above the row: text, line, column


@dataclass(frozen=True, kw_only=True)
class Table:
    body: list[Row]
    grid: list[list[Cell]]  # each body row's four cells (COLUMNS), spanning cells repeated


class TableParser(HTMLParser):
    """Rows, cells, links and comments of one ``<table>``, each with its line and column."""

    def __init__(self, first_line: int, source: PageSource):
        super().__init__(convert_charrefs=True)
        self.first_line = first_line
        self.report = source.fail
        self.warn = source.warn
        self.rows: list[Row] = []
        self.row: Row | None = None
        self.cell: Cell | None = None
        self.link: CellLink | None = None
        self.in_head = False
        self.comment: tuple[str, int, int] | None = None
        self.depth = 0

    def where(self) -> tuple[int, int]:
        line, offset = self.getpos()
        return self.first_line + line - 1, offset + 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, column = self.where()
        if tag == "table":
            self.depth += 1
            if self.depth > 1:
                self.report(line, column, "a table inside the schedule table cannot be read")
        elif tag == "thead":
            self.in_head = True
        elif tag == "tbody":
            self.in_head = False
        elif tag == "tr":
            self.cell = self.link = None
            self.row = Row(line, column, self.in_head, comment=self.comment)
            self.comment = None
            self.rows.append(self.row)
        elif tag in ("td", "th"):
            self.link = None
            if self.row is None:
                self.report(line, column, f"<{tag}> outside a row (<tr>)")
                self.cell = None
                return
            self.cell = Cell(tag, dict(attrs), line, column)
            self.row.cells.append(self.cell)
        elif tag == "a":
            if self.cell is None:
                self.report(line, column, "a link outside a cell of the schedule table")
                return
            values = dict(attrs)
            self.link = CellLink(values.get("href"), values.get("title"), line, column)
            self.cell.links.append(self.link)
        elif tag == "br":
            if self.cell is not None:
                self.cell.text += "\n"
        elif tag == "img":
            if self.cell is not None:
                self.cell.images.append((dict(attrs).get("src"), line, column))
        elif tag not in FORMATTING_TAGS:
            self.report(line, column, f"unexpected <{quoted(tag)}> in the schedule table")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.depth -= 1
        elif tag == "a":
            self.link = None
        elif tag in ("td", "th"):
            self.cell = self.link = None
        elif tag == "tr":
            self.row = self.cell = self.link = None
        elif tag == "thead":
            self.in_head = False

    def handle_data(self, data: str) -> None:
        if self.link is not None and (broken := _BROKEN_END.search(data)) is not None:
            # "…eğitimi/a></td>": a link's end tag missing its "<" (the Turkish page). A browser shows
            # "/a>" as text; it is the end of the link, as the cell's end would have been.
            line, column = self.where()
            before = data[: broken.start()]
            if "\n" in before:
                line, column = line + before.count("\n"), 1
            column += len(before.rsplit("\n")[-1])
            self.warn(line, column, f"'{broken[0]}' is a link's end tag without its '<': read as </a>")
            self.handle_data(before)
            self.link = None
            self.handle_data(data[broken.end() :])
            return
        if self.cell is not None:
            self.cell.text += data
            if self.link is not None:
                self.link.text += data
            else:
                self.cell.outside += data
        elif data.strip():
            line, column = self.where()
            self.report(line, column, f"text outside the cells of the schedule table: '{quoted(data.strip())}'")

    def handle_comment(self, data: str) -> None:
        line, column = self.where()
        self.comment = (data, line, column)


def read_table(source: PageSource, start: int, end: int) -> Table:
    """The table on lines ``start``..``end`` (indexes from 0), its body rows placed in four columns.

    Raises:
        SyllabusError: a table without body rows, or one whose rows cannot be placed; with
            every problem found so far on the page.
    """
    parser = TableParser(start + 1, source)
    parser.feed("\n".join(source.lines[start : end + 1]))
    parser.close()
    body = [r for r in parser.rows if not r.head and any(c.tag == "td" for c in r.cells)]
    head = [r for r in parser.rows if r not in body]
    for row in head:
        if len(row.cells) != len(COLUMNS):
            source.fail(row.line, row.column, f"the table's header has {len(row.cells)} columns (expected 4: "
                        "week, format, title, resources)")
    if not body:
        raise source.stop(start + 1, 1, "the schedule table has no rows")
    grid = _place(source, body)
    source.problems.raise_if_any()
    return Table(body=body, grid=grid)


def _place(source: PageSource, body: list[Row]) -> list[list[Cell]]:
    """Each body row's four cells (week, format, title, resources), rowspans followed."""
    grid: list[list[Cell]] = []
    spans: dict[int, tuple[Cell, int]] = {}
    for r, row in enumerate(body):
        columns: dict[int, Cell] = {}
        for col, (cell, left) in list(spans.items()):
            columns[col] = cell
            if left > 1:
                spans[col] = (cell, left - 1)
            else:
                del spans[col]
        col = 0
        for cell in row.cells:
            while col in columns:
                col += 1
            columns[col] = cell
            span = _span(source, cell, "rowspan")
            if _span(source, cell, "colspan") != 1:
                source.fail(cell.line, cell.column, "colspan is not supported in the schedule table")
            if span > 1:
                spans[col] = (cell, span - 1)
            col += 1
        for cell in set(columns.values()):
            cell.rows.append(r)
        if sorted(columns) != [0, 1, 2, 3]:
            source.fail(
                row.line,
                row.column,
                f"this row has {len(columns)} cells counting those spanning from above (expected 4: week, format, "
                "title, resources)",
            )
            continue
        grid.append([columns[c] for c in range(len(COLUMNS))])
    for cell, left in spans.values():
        source.fail(cell.line, cell.column, f"rowspan=\"{_span(source, cell, 'rowspan')}\" runs {left} row"
                    f"{'s' if left > 1 else ''} past the end of the table")
    for cell in {id(row[2]): row[2] for row in grid}.values():
        if len(cell.rows) > 1:
            source.fail(cell.line, cell.column, "a title cell spans several rows (one session per row)")
    return grid


def _span(source: PageSource, cell: Cell, name: str) -> int:
    raw = cell.attrs.get(name)
    if raw is None:
        return 1
    count = tokens.row_count(raw)
    if count is None:
        source.fail(cell.line, cell.column, f"{name}=\"{quoted(raw)}\" is not a number of rows (1–100)")
        return 1
    return count
