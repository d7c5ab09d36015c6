"""The syllabus's own text (``syllabus:`` sections: grading, policies) → blocks, parsed once at load.

A small Markdown subset, and nothing else is interpreted:

* paragraphs, separated by blank lines (the lines of one paragraph are joined by a space);
* lists: lines starting ``- `` (a line indented under an item continues it; a list may follow a
  paragraph's first lines directly, as "Grading:" then "- Homework: 40%");
* ``**bold**`` and ``[links](url)`` inside any of them;
* simple pipe tables: a header row, a separator row (``|---|---|``) and body rows, every line
  starting with ``|``.

Anything else (``# heading``, ``*italic*``, ``1.`` lists, an unpaired ``**``) is printed as written.
The links' URLs obey the rule of every link (``load.rules.url_problem``); the reader has checked
them, at their line and column, before this runs. Renderers escape every run's text.
"""

from __future__ import annotations

import re

from syllabus_export import model as m
from syllabus_export.errors import Pos
from syllabus_export.load.rules import inline_links

_ITEM = re.compile(r"^- +(.*)$")
_SEPARATOR = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")


def parse(text: str, pos: Pos = m.NOWHERE) -> tuple[m.TextBlock, ...]:
    """``text`` as paragraphs, lists and tables of runs (bold and linked where the text says so).

    >>> [type(b).__name__ for b in parse("Grading:\\n- Homework: 40%\\n- Final: 60%\\n\\nLate work loses 10%.")]
    ['TextParagraph', 'TextList', 'TextParagraph']
    """
    blocks: list[m.TextBlock] = []
    for chunk in re.split(r"\n[ \t]*\n", text.strip("\n")):
        lines = [line.rstrip() for line in chunk.split("\n") if line.strip()]
        if lines:
            blocks += _blocks(lines, pos)
    return tuple(blocks)


def _blocks(lines: list[str], pos: Pos) -> list[m.TextBlock]:
    if len(lines) >= 2 and all(line.lstrip().startswith("|") for line in lines) and _SEPARATOR.match(lines[1].strip()):
        header = _cells(lines[0])
        rows = []
        for line in lines[2:]:
            cells = _cells(line)
            cells = (cells + [""] * len(header))[: len(header)]
            rows.append(tuple(inline(c, pos) for c in cells))
        return [m.TextTable(header=tuple(inline(c, pos) for c in header), rows=tuple(rows))]
    first_item = next((i for i, line in enumerate(lines) if _ITEM.match(line.lstrip())), None)
    if first_item is None:
        return [m.TextParagraph(text=inline(" ".join(line.strip() for line in lines), pos))]
    found: list[m.TextBlock] = []
    if first_item:
        found.append(m.TextParagraph(text=inline(" ".join(line.strip() for line in lines[:first_item]), pos)))
    items: list[str] = []
    for line in lines[first_item:]:
        match = _ITEM.match(line.lstrip()) if not line.startswith((" ", "\t")) or not items else None
        if match:
            items.append(match[1].strip())
        else:  # an indented line, or one without "- ": it continues the item above
            items[-1] += " " + line.strip()
    found.append(m.TextList(items=tuple(inline(item, pos) for item in items)))
    return found


def _cells(line: str) -> list[str]:
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|"):
        line = line[:-1]
    return [cell.strip() for cell in line.split("|")]


def inline(text: str, pos: Pos = m.NOWHERE) -> m.RichText:
    """``text`` with its ``[label](url)`` links and ``**bold**`` spans as runs; an unpaired ``**``
    stays as written.

    >>> [(r.text, r.bold, r.url) for r in inline("**Late** work: see [policy](https://x.org/p)").runs]
    [('Late', True, None), (' work: see ', False, None), ('policy', False, 'https://x.org/p')]
    """
    pieces: list[tuple[str, str | None]] = []  # (text, url)
    last = 0
    for start, end, label, url in inline_links(text):
        if start > last:
            pieces.append((text[last:start], None))
        pieces.append((label, url))
        last = end
    if last < len(text):
        pieces.append((text[last:], None))
    # every "**" outside a link's label, paired in order; a last unpaired one is text
    marks = [(i, at.start()) for i, (piece, url) in enumerate(pieces) if url is None
             for at in re.finditer(r"\*\*", piece)]
    if len(marks) % 2:
        marks.pop()
    cuts: dict[int, list[int]] = {}
    for i, at in marks:
        cuts.setdefault(i, []).append(at)
    runs: list[m.Run] = []
    bold = False
    for i, (piece, url) in enumerate(pieces):
        if url is not None:
            runs.append(m.Run(text=piece, url=url, bold=bold))
            continue
        at = 0
        for cut in cuts.get(i, []):
            if cut > at:
                runs.append(m.Run(text=piece[at:cut], bold=bold))
            bold = not bold
            at = cut + 2
        if at < len(piece):
            runs.append(m.Run(text=piece[at:], bold=bold))
    return m.RichText(runs=tuple(runs), pos=pos)
