"""The course description: the first section after the header table (``## Course description``).

Its text is kept as Markdown, paragraph by paragraph, with its links made absolute. The section
that holds the schedule table (its legend, "🖥 Slides…") and a section that is a table are not a
description.
"""

from __future__ import annotations

import unicodedata

from syllabus_export.importer.links import LinkResolver
from syllabus_export.importer.markdown import is_heading, split_table_row
from syllabus_export.importer.source import PageSource


def read_description(source: PageSource, links: LinkResolver, begin: int, table_start: int) -> str:
    """The first section between line indexes ``begin`` and ``table_start``, up to the next heading."""
    lines = source.markdown_lines(begin, table_start)
    heading = next((k for k, (_, text) in enumerate(lines) if is_heading(text)), None)
    if heading is None:
        return ""
    content: list[tuple[int, str]] = []
    for i, text in lines[heading + 1 :]:
        if is_heading(text):
            break
        content.append((i, text.rstrip()))
    else:
        return ""  # the section of the schedule table (its legend), not a description
    if any(split_table_row(text) is not None for _, text in content):
        return ""  # a table, not a description
    out: list[str] = []
    for i, text in content:
        if not text.strip():
            if out and out[-1]:
                out.append("")
            continue
        stripped = unicodedata.normalize("NFC", text.strip())
        column = text.index(text.strip()) + 1
        out.append(links.text_links(stripped, i + 1, column, "description"))
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)
