"""The Markdown a course page is written in, as far as the importer reads it.

Links (``[label](url)``, ``![alt](src)``, balanced parentheses in the address; reference links
``[label]`` and ``[label][ref]`` given the page's definitions ``[ref]: url``), table rows (a
``|`` inside a link, a tag or code does not end a cell), separator rows, bold labels, HTML
comments (blanked, so columns keep their place) and HTML inside a table cell (``<a>``, ``<br>``,
``<img>``). Every function keeps offsets into the text, so errors can name their column.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html.parser import HTMLParser

from syllabus_export.importer.tokens import clean

# Inline tags that change how words look, never what they say: read through, never refused.
FORMATTING_TAGS = {"b", "strong", "i", "em", "span", "small", "sup", "sub", "code", "u", "mark"}


NO_REFS: Mapping[str, str] = {}
_DEFINITION = re.compile(r" {0,3}\[([^\]]+)\]:[ \t]*(<[^>]*>|\S+)(?:[ \t]+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?[ \t]*")


def reference_key(label: str) -> str:
    """A reference's label as definitions are matched: case and runs of spaces do not count."""
    return " ".join(label.split()).casefold()


def link_definition(line: str) -> tuple[str, str, int] | None:
    """``[ref]: url`` (or ``<url>``, with an optional title) → (key, url as written, column of the url)."""
    found = _DEFINITION.fullmatch(line.rstrip())
    if found is None:
        return None
    url = found[2][1:-1] if found[2].startswith("<") else found[2]
    return reference_key(found[1]), url, found.start(2) + 1


def markdown_links(text: str, refs: Mapping[str, str] = NO_REFS) -> list[tuple[int, int, str, str, bool]]:
    """``[label](url)`` and ``![alt](src)`` in ``text``: (start, end, label, url, is_image).

    With ``refs`` (the page's definitions, by :func:`reference_key`), ``[label][ref]``,
    ``[label][]`` and ``[label]`` whose reference is defined are links too.
    """
    found = []
    i = 0
    while (i := text.find("[", i)) != -1:
        j, depth = i, 0
        while j < len(text):
            if text[j] == "\\":
                j += 2
                continue
            if text[j] == "[":
                depth += 1
            elif text[j] == "]":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        if j + 1 >= len(text) or text[j + 1] != "(":
            if refs and j < len(text) and (reference := _reference(text, i, j, refs)) is not None:
                end, url = reference
                image = i > 0 and text[i - 1] == "!"
                found.append((i - 1 if image else i, end, text[i + 1 : j], url, image))
                i = end
                continue
            i += 1
            continue
        k, depth = j + 2, 1
        while k < len(text) and text[k] != "\n":
            if text[k] == "\\":
                k += 2
                continue
            if text[k] == "(":
                depth += 1
            elif text[k] == ")":
                depth -= 1
                if depth == 0:
                    break
            k += 1
        if k >= len(text) or text[k] != ")":
            i += 1
            continue
        target = text[j + 2 : k].strip()
        titled = re.fullmatch(r"<?([^\s<>]*)>?(?:\s+(\"[^\"]*\"|'[^']*'))?", target)
        url = titled[1] if titled else target
        image = i > 0 and text[i - 1] == "!"
        found.append((i - 1 if image else i, k + 1, text[i + 1 : j], url, image))
        i = k + 1
    return found


def _reference(text: str, i: int, j: int, refs: Mapping[str, str]) -> tuple[int, str] | None:
    """The reference link whose label is ``text[i:j+1]``: (its end, its url), or None."""
    key, end = reference_key(text[i + 1 : j]), j + 1
    second = re.match(r"\[([^\[\]]*)\]", text[j + 1 :])
    if second is not None:
        key, end = reference_key(second[1]) or key, j + 1 + second.end()
    if key in refs:
        return end, refs[key]
    return None


def only_link(text: str, refs: Mapping[str, str] = NO_REFS) -> tuple[int, int, str, str, bool] | None:
    """The one link that is the whole of ``text``, else None."""
    links = markdown_links(text, refs)
    if len(links) == 1 and links[0][0] == 0 and links[0][1] == len(text):
        return links[0]
    return None


def split_table_row(line: str) -> list[tuple[int, str]] | None:
    """A Markdown table row → [(column of the cell's text, from 1; the cell's text)], or None.

    A ``|`` inside a link, an HTML tag or code does not end a cell; ``\\|`` never does.
    """
    text = line.rstrip()
    start = len(text) - len(text.lstrip())
    if not text[start:].startswith("|"):
        return None
    cells, cell_start = [], start + 1
    i = start + 1
    code = tag = False
    quote = ""
    bracket = paren = 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if code:
            code = c != "`"
        elif tag:
            if quote:
                quote = "" if c == quote else quote
            elif c in "\"'":
                quote = c
            elif c == ">":
                tag = False
        elif c == "`":
            code = True
        elif c == "<" and re.match(r"</?[A-Za-z!]", text[i : i + 2]):
            tag = True
        elif c == "[":
            bracket += 1
        elif c == "]" and bracket:
            bracket -= 1
        elif c == "(" and (paren or text[i - 1] == "]"):
            paren += 1
        elif c == ")" and paren:
            paren -= 1
        elif c == "|" and not bracket and not paren:
            cells.append((cell_start, text[cell_start:i]))
            cell_start = i + 1
        i += 1
    if text[cell_start:].strip():
        cells.append((cell_start, text[cell_start:]))
    result = []
    for begin, raw in cells:
        stripped = raw.lstrip()
        result.append((begin + len(raw) - len(stripped) + 1, stripped.rstrip()))
    return result


def is_separator_row(cells: list[tuple[int, str]]) -> bool:
    """``|---|:--:|``: the row under a table's head, not a row of content."""
    return all(re.fullmatch(r":?-+:?", c) for _, c in cells if c)


def plain_label(text: str) -> str:
    """A table label without its emphasis (``**LECTURES**`` → ``LECTURES``), cleaned."""
    text = text.strip()
    for mark in ("**", "__", "*", "_"):
        if len(text) > 2 * len(mark) and text.startswith(mark) and text.endswith(mark):
            text = text[len(mark) : -len(mark)].strip()
    return clean(text)


def is_heading(text: str) -> bool:
    return re.match(r"#{1,6}\s", text.strip()) is not None


def without_comments(line: str, in_comment: bool) -> tuple[str, bool]:
    """The line with HTML comments blanked (same length), and whether a comment is still open."""
    out, i = [], 0
    while i < len(line):
        if in_comment:
            end = line.find("-->", i)
            if end == -1:
                out.append(" " * (len(line) - i))
                return "".join(out), True
            out.append(" " * (end + 3 - i))
            i, in_comment = end + 3, False
        else:
            start = line.find("<!--", i)
            if start == -1:
                out.append(line[i:])
                break
            out.append(line[i:start])
            i, in_comment = start, True
            out.append(" " * 4)
            i += 4
    return "".join(out), in_comment


def split_outside_links(
    text: str, separators: tuple[str, ...], refs: Mapping[str, str] = NO_REFS, parts: int | None = None
) -> list[tuple[int, str]]:
    """Split on the first separator found outside links (with ``parts``: the first that gives that
    many parts): [(offset of the part's text, text)]."""
    link_spans = [(s, e) for s, e, *_ in markdown_links(text, refs)]
    for sep in separators:
        cuts = [i for i in range(len(text)) if text.startswith(sep, i) and not any(s <= i < e for s, e in link_spans)]
        if not cuts or (parts is not None and len(cuts) + 1 != parts):
            continue
        found, last = [], 0
        for cut in cuts + [len(text)]:
            raw = text[last:cut]
            found.append((last + len(raw) - len(raw.lstrip()), raw.strip()))
            last = cut + len(sep)
        return found
    return [(0, text.strip())]


class InlineHTML(HTMLParser):
    """A table cell's HTML as Markdown text: ``<a>`` → ``[t](u)``, ``<br>`` → a new line; its
    images (src, offset) and the tags it should not have (tag, offset)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.href: str | None = None
        self.link_text: list[str] = []
        self.images: list[tuple[str, int]] = []
        self.unexpected: list[tuple[str, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        offset = self.getpos()[1]
        if tag == "br":
            (self.link_text if self.href is not None else self.parts).append("\n")
        elif tag == "a":
            self.href = dict(attrs).get("href") or ""
            self.link_text = []
        elif tag == "img":
            self.images.append((dict(attrs).get("src") or "", offset))
        elif tag not in FORMATTING_TAGS:
            self.unexpected.append((tag, offset))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.href is not None:
            self.parts.append(f"[{''.join(self.link_text).strip()}]({self.href})")
            self.href = None

    def handle_data(self, data: str) -> None:
        (self.link_text if self.href is not None else self.parts).append(data)

    def text(self) -> str:
        if self.href is not None:
            self.handle_endtag("a")
        return "".join(self.parts)
