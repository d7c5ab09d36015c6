"""The schedule's legend: the page's own word for each kind of resource.

Above the schedule table the site explains its symbols: ``**Legend**: 🖥 slides, 📓 Jupyter
notebook, 🎥 YouTube video.`` (on one line or several). The words after each symbol, up to the
next symbol, without the punctuation around them, are the page's word for that kind; the course
file keeps them (``resource_labels``) and the outputs use them. A word that says what the
message catalog already says (the same word, or one containing it: "Jupyter notebook" ⊇
"Notebook") is left to the catalog, so a page in a language with a catalog keeps its catalog's
vocabulary where the two agree. A label stands at the start of a cell, so its first letter is
written as a capital ("diapositivas" → "Diapositivas").
"""

from __future__ import annotations

import unicodedata

from syllabus_export.importer.schedule import RESOURCE_EMOJI
from syllabus_export.importer.source import PageSource
from syllabus_export.importer.tokens import VARIATION, clean, fold
from syllabus_export.messages import messages


def read_legend(source: PageSource, begin: int, table_start: int, language: str) -> dict[str, str]:
    """The page's words for the resource kinds, from the last paragraph with a resource symbol
    between line indexes ``begin`` and ``table_start``; only those the catalog does not say."""
    paragraphs: list[list[str]] = [[]]
    for _, text in source.markdown_lines(begin, table_start):
        if text.strip():
            paragraphs[-1].append(text.strip())
        elif paragraphs[-1]:
            paragraphs.append([])
    legend = next((" ".join(p) for p in reversed(paragraphs) if any(e in " ".join(p) for e in RESOURCE_EMOJI)), "")
    marks = sorted((legend.find(e), e) for e in RESOURCE_EMOJI if legend.count(e) == 1)
    catalog = messages(language)
    words = {}
    for (at, emoji), (after, _) in zip(marks, [*marks[1:], (len(legend), "")]):
        word = _strip_punctuation(legend[at + len(emoji) : after])
        kind = RESOURCE_EMOJI[emoji]
        if not word or fold(catalog[kind]) in fold(word):
            continue
        words[kind] = word[0].upper() + word[1:] if word[0].islower() else word
    return words


def _strip_punctuation(text: str) -> str:
    """The words between two symbols: without the punctuation, variation selectors and spaces around."""
    text = clean(text.strip(VARIATION))
    ends = [i for i, c in enumerate(text) if not (c.isspace() or unicodedata.category(c).startswith("P"))]
    return text[ends[0] : ends[-1] + 1] if ends else ""
