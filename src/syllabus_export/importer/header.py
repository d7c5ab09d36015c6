"""The page's header: the bold line ``CODE · TERM · [INSTITUTION](url)`` and the table under it.

The header line's three parts are separated by ``·``, ``•``, ``|`` or a dash between spaces
(``DS-GA 1008 - PRINTEMPS 2020 - [NYU…](…)``): the first of them that gives three parts.

The header table is read by its structure first, its words second:

- the first row names the instructors (split on ``&``, commas and the language's word for "and");
- a row whose value holds a time range gives a meeting pattern, whatever its label says; which
  kind of meeting it times is decided over all such rows at once
  (:mod:`~syllabus_export.importer.meeting_times`);
- a row whose label is a link is a forum, with its access code in backticks;
- the material row (its label close to the catalog's word for materials, else the last row of
  links) lists the materials;
- any other row of links is a forum: its label is the row's label and its ``text`` the link's
  own words (``FORUM`` / ``r/NYU_DeepLearning``).

Links may be inline or reference links (``[GCASL C95]`` with ``[GCASL C95]: http://…`` elsewhere
on the page); links in a list may be separated by commas or ``<br>``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from syllabus_export import model as m
from syllabus_export.errors import quoted
from syllabus_export.importer import tokens
from syllabus_export.importer.links import LinkResolver
from syllabus_export.importer.markdown import (
    is_separator_row,
    markdown_links,
    only_link,
    plain_label,
    split_outside_links,
    split_table_row,
)
from syllabus_export.importer.meeting_times import PatternReader
from syllabus_export.importer.source import PageSource
from syllabus_export.messages import messages

MATERIALS_CLOSE_ENOUGH = 0.8  # a row label this similar to the catalog's "materials" is the material row
HEADER_SEPARATORS = ("·", "•", "|", " - ", " – ", " — ")
HeaderRow = tuple[int, list[tuple[int, str]]]  # line (from 1) and its two cells: (column, text)


@dataclass(frozen=True, kw_only=True)
class HeaderLine:
    index: int  # of the line, from 0
    code: str
    term_name: str
    institution: m.Link


@dataclass(frozen=True, kw_only=True)
class Header:
    instructors: list[str]
    patterns: list[m.Pattern]
    links: list[m.Link]
    materials: list[m.Link]


def read_header_line(source: PageSource, links: LinkResolver, body: int, table_start: int) -> HeaderLine:
    """The first line of the body with text, read as ``CODE · TERM · INSTITUTION`` (bold or not).

    Raises:
        SyllabusError: the line is missing or is not three parts.
    """
    for i, text in source.markdown_lines(body, table_start):
        if text.strip():
            break
    else:
        raise source.stop(body + 1, 1, "expected the header line 'CODE · TERM · INSTITUTION' before the table")
    line = i + 1
    stripped = text.strip()
    column = text.index(stripped) + 1
    inner = stripped
    if inner.startswith("**") and inner.endswith("**") and len(inner) > 4:
        inner, column = inner[2:-2], column + 2
    parts = split_outside_links(inner, HEADER_SEPARATORS, source.refs, parts=3)
    if len(parts) != 3:
        raise source.stop(
            line, column, "cannot read the header line (expected 'CODE · TERM · [INSTITUTION](url)', three parts)"
        )
    (_, code), (_, term_name), (inst_at, inst) = parts
    if (link := only_link(inst, source.refs)) is not None:
        label, url = tokens.clean(link[2]), links.absolute(link[3], line, column + inst_at, "institution")
    elif not markdown_links(inst, source.refs):
        label, url = tokens.clean(inst), None
    else:
        raise source.stop(line, column + inst_at, "cannot read the institution (expected a name or one link)")
    if not code or not label:
        raise source.stop(line, column, "the header line has an empty part")
    institution = m.Link(label=label, url=url, pos=source.pos(line, column + inst_at))
    return HeaderLine(index=i, code=tokens.clean(code), term_name=tokens.clean(term_name), institution=institution)


def header_rows(source: PageSource, begin: int, table_start: int) -> list[HeaderRow]:
    """The rows of the first Markdown table after the header line, each of two cells (what, value)."""
    rows, started = [], False
    for i, text in source.markdown_lines(begin, table_start):
        cells = split_table_row(text)
        if cells is None:
            if started and text.strip():
                break
            continue
        started = True
        if is_separator_row(cells):
            continue
        if len(cells) != 2:
            source.fail(i + 1, 1, f"a header table row has {len(cells)} cells (expected 2: what, value)")
            continue
        rows.append((i + 1, cells))
    return rows


class HeaderTable:
    """Reads the header table's rows into instructors, patterns, forums and materials."""

    def __init__(
        self, source: PageSource, links: LinkResolver, language: str, times: PatternReader, people: Iterable[str] = ()
    ):
        self.source = source
        self.links = links
        self.language = language
        self.times = times
        self.people = tuple(people)  # the staff table's names

    def read(self, rows: list[HeaderRow]) -> Header:
        refs = self.source.refs
        instructors: list[str] = []
        links: list[m.Link] = []
        list_rows = []
        time_rows = [(line, label_col, label, value_col, value)
                     for line, [(label_col, label), (value_col, value)] in rows if tokens.has_time_range(value)]
        patterns = self.times.patterns(time_rows)
        for index, (line, [(label_col, label), (value_col, value)]) in enumerate(rows):
            if tokens.has_time_range(value):
                continue
            elif (label_link := only_link(label, refs)) is not None:
                _, _, text, url, _ = label_link
                code = re.findall(r"`([^`]+)`", value)
                if len(code) > 1 or (not code and value.strip()):
                    self.source.fail(line, value_col, "cannot read the access code (expected it in backticks: `CODE`)")
                links.append(
                    m.Link(
                        label=tokens.clean(text),
                        url=self.links.absolute(url, line, label_col, "link"),
                        access_code=code[0].strip() if code else None,
                        pos=self.source.pos(line, label_col),
                    )
                )
            elif index == 0 and not markdown_links(value, refs):
                instructors = self.names(value, line, value_col)
            elif (found := self.link_list(value, line, value_col)) is not None:
                list_rows.append((line, label_col, plain_label(label), found))
            else:
                self.source.fail(
                    line,
                    label_col,
                    f"cannot read the header table row '{quoted(plain_label(label))}' (expected instructors, a "
                    "weekday and time range, a forum link or a list of links)",
                )
        material_words = (messages(self.language)["materials"], messages("en")["materials"])
        chosen = [r for r in list_rows if max(tokens.similarity(r[2], w) for w in material_words)
                  >= MATERIALS_CLOSE_ENOUGH]
        if not chosen and list_rows:
            chosen = [list_rows[-1]]
        materials: list[m.Link] = []
        for row in list_rows:
            line, _, label, found = row
            for col, text, url in found:
                at = self.source.pos(line, col)
                if row in chosen:
                    materials.append(m.Link(label=text, url=url, pos=at))
                else:
                    own_words = text if label and tokens.fold(label) != tokens.fold(text) else None
                    links.append(m.Link(label=label or text, text=own_words, url=url, pos=at))
        return Header(instructors=instructors, patterns=patterns, links=links, materials=materials)

    def names(self, value: str, line: int, column: int) -> list[str]:
        """The instructors: split on ``&``, ``,``, ``;``, ``、``, ``،`` and the language's word for
        "and"; a part that is two or more people of the staff table joined by a word (the
        Bengali page's "ও", which CLDR does not give) is those people."""
        text = value
        for start, end, label, _, _ in reversed(markdown_links(value, self.source.refs)):
            text = text[:start] + label + text[end:]
        separators = [r"\s*[&,;、،，]\s*"] + [rf"\s+{re.escape(w)}\s+" for w in tokens.and_words(self.language)]
        names = [tokens.clean(n) for n in re.split("|".join(separators), plain_label(text))]
        if not all(names):
            self.source.fail(line, column, "cannot read the instructors (an empty name between separators)")
            return []
        return [person for name in names for person in self.joined_people(name)]

    def joined_people(self, text: str) -> list[str]:
        """``text`` as the staff table's people it names, joined by at most one word each; else ``[text]``."""
        folded = tokens.fold(text)
        found = []
        for person in sorted(set(self.people), key=len, reverse=True):
            at = folded.find(tokens.fold(person))
            if at != -1 and tokens.fold(person) and not any(s <= at < e for s, e, _ in found):
                found.append((at, at + len(tokens.fold(person)), person))
        found.sort()
        gaps = [folded[a:b] for (_, a, _), (b, _, _) in zip([(0, 0, "")] + found, found + [(len(folded), 0, "")])]
        if len(found) < 2 or gaps[0].strip() or gaps[-1].strip() or any(len(g.split()) > 1 for g in gaps[1:-1]):
            return [text]
        return [person for _, _, person in found]

    def link_list(self, value: str, line: int, column: int) -> list[tuple[int, str, str]] | None:
        """``[a](u), [b](v)`` → [(column, label, absolute url)]; None when the value is not only links."""
        found = markdown_links(value, self.source.refs)
        if not found or any(image for *_, image in found):
            return None
        rest = value
        for start, end, *_ in reversed(found):
            rest = rest[:start] + rest[end:]
        if re.sub(r"<br\s*/?>", "", rest, flags=re.IGNORECASE).strip(" ,;、،，·|"):
            return None
        result = []
        for start, _, label, url, _ in found:
            absolute = self.links.absolute(url, line, column + start, "link")
            if absolute is not None and tokens.clean(label):
                result.append((column + start, tokens.clean(label), absolute))
        return result
