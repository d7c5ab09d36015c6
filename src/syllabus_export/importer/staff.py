"""The staff table after the schedule: one person a row (role, photo, contact, about).

The site writes it in Markdown with HTML in its cells: ``<img src=…>`` for the photo, the
contact as a linked name and/or an e-mail address (``mailto:``), ``<br>`` between the lines of
the description. The first table after the schedule is the staff table: a Markdown table (a
head row and a separator row), or the same table as HTML (``<table>`` with ``<td>`` cells, as
the Markdown renders; the Turkish page has it so).
"""

from __future__ import annotations

import re
from bisect import bisect_right

from syllabus_export import model as m
from syllabus_export.errors import quoted
from syllabus_export.importer.links import LinkResolver
from syllabus_export.importer.markdown import InlineHTML, is_separator_row, markdown_links, only_link, split_table_row
from syllabus_export.importer.source import PageSource
from syllabus_export.importer.tokens import clean
from syllabus_export.load import rich_text

_EMAIL = re.compile(r"[^@\s<>\"'()\[\]]+@[^@\s<>\"'()\[\]]+\.[^@\s<>\"'()\[\]]+")
_COLUMNS = "role, photo, contact, about"
Cell = tuple[int, int, str]  # line, column (from 1) and the cell's text (HTML inside allowed)


class StaffTable:
    def __init__(self, source: PageSource, links: LinkResolver):
        self.source = source
        self.links = links

    def read(self, after: int) -> list[m.Person]:
        """The people of the first table after line index ``after`` (none when there is no table)."""
        lines = self.source.markdown_lines(after, len(self.source.lines))
        for k in range(len(lines)):
            if re.match(r"\s*<table\b", lines[k][1], re.IGNORECASE):
                return self.people(self.html_rows(lines[k:]))
            head = split_table_row(lines[k][1])
            rule = split_table_row(lines[k + 1][1]) if k + 1 < len(lines) else None
            if head and rule and is_separator_row(rule):
                break
        else:
            return []
        if len(head) != 4:
            self.source.fail(lines[k][0] + 1, 1, f"the staff table has {len(head)} columns (expected 4: {_COLUMNS})")
            return []
        rows = []
        for i, text in lines[k + 2 :]:
            cells = split_table_row(text)
            if cells is None:
                break
            rows.append((i + 1, [(i + 1, column, cell) for column, cell in cells], len(text) + 1))
        return self.people(rows)

    def html_rows(self, lines: list[tuple[int, str]]) -> list[tuple[int, list[Cell], int]]:
        """The body rows of an HTML table (``lines`` from its ``<table>``): line, cells, and the
        column after the row's last cell (where a missing cell would be)."""
        starts, text = [], ""
        for _, line in lines:
            starts.append(len(text))
            text += line + "\n"
        end = re.search(r"</table\s*>", text, re.IGNORECASE)
        text = text[: end.start()] if end else text

        def place(offset: int) -> tuple[int, int]:
            k = bisect_right(starts, offset) - 1
            return lines[k][0] + 1, offset - starts[k] + 1

        rows = []
        for row in re.finditer(r"<tr\b[^>]*>(.*?)(?=<tr\b|\Z)", text, re.IGNORECASE | re.DOTALL):
            cells = [
                (*place(row.start(1) + cell.start(2) + len(cell[2]) - len(cell[2].lstrip())), cell[2].strip())
                for cell in re.finditer(r"<(t[dh])\b[^>]*>(.*?)</\1\s*>", row[1], re.IGNORECASE | re.DOTALL)
                if cell[1].lower() == "td"
            ]
            if cells:
                rows.append((place(row.start())[0], cells, place(row.end(1))[1]))
        return rows

    def people(self, rows: list[tuple[int, list[Cell], int]]) -> list[m.Person]:
        people = []
        for line, cells, after in rows:
            if len(cells) < 3 or len(cells) > 4:
                self.source.fail(line, 1, f"a staff row has {len(cells)} cells (expected 4: {_COLUMNS})")
                continue
            person = self.person(line, cells + [(line, after, "")] * (4 - len(cells)))
            if person is not None:
                people.append(person)
        return people

    def person(self, line: int, cells: list[Cell]) -> m.Person | None:
        fail = self.source.fail
        (role_line, role_col, role_raw), (photo_line, photo_col, photo_raw) = cells[:2]
        (contact_line, contact_col, contact_raw), (about_line, about_col, about_raw) = cells[2:]
        role = clean(self.inline(role_raw, role_line, role_col)[0])
        photo_text, photos = self.inline(photo_raw, photo_line, photo_col)
        photo = None
        images = photos + [(u, photo_col + s) for s, _, _, u, image in markdown_links(photo_raw) if image]
        if len(images) > 1 or (not images and photo_text.strip()):
            fail(photo_line, photo_col, "cannot read the photo (expected one <img src=…>)")
        elif images:
            photo = self.links.absolute(images[0][0], photo_line, images[0][1], "photo")
        contact, _ = self.inline(contact_raw, contact_line, contact_col)
        name = url = email = None
        for part in (p.strip() for p in contact.split("\n")):
            links = markdown_links(part)
            if (link := only_link(part)) is not None:
                text, href = clean(link[2]), link[3]
                if href.startswith("mailto:"):
                    email = email or href[len("mailto:") :]
                    name = name or (text if not _EMAIL.fullmatch(text) else None)
                elif name is None:
                    name, url = text, self.links.absolute(href, contact_line, contact_col, "contact")
                else:
                    fail(contact_line, contact_col, "cannot read the contact (a second link)")
            elif _EMAIL.fullmatch(part) and email is None:
                email = part
            elif part and name is None and not links:
                name = clean(part)
            elif part:
                fail(contact_line, contact_col, f"cannot read the contact ('{quoted(part)}')")
        if not role or not name:
            at = (role_line, role_col) if not role else (contact_line, contact_col)
            fail(*at, "a staff row needs a role and a name")
            return None
        about, _ = self.inline(about_raw, about_line, about_col)
        description = "\n".join(clean(p) for p in about.split("\n")).strip("\n")
        description = re.sub(r"\n{2,}", "\n", description)
        return m.Person(
            role=role,
            name=name,
            email=email,
            url=url,
            description=rich_text(self.links.text_links(description, about_line, about_col, "staff description")),
            photo=photo,
            pos=self.source.pos(role_line, role_col),
        )

    def inline(self, raw: str, line: int, column: int) -> tuple[str, list[tuple[str, int]]]:
        """A cell's HTML as Markdown text: ``<a>`` → ``[t](u)``, ``<br>`` → a new line; and its images."""
        parser = InlineHTML()
        parser.feed(raw)
        parser.close()
        for tag, offset in parser.unexpected:
            self.source.fail(line, column + offset, f"unexpected <{quoted(tag)}> in the table")
        return parser.text(), [(src, column + offset) for src, offset in parser.images]
