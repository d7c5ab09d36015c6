"""Lecture or practicum: which kind of meeting a schedule row is, and which a header row times.

**The kind comes from the table's structure**, never from the translated word alone. Several
sessions sharing one resources cell are one lecture (two sessions, one class meeting). Every
other row is a meeting with one session: a practicum, unless its format label is one the page
uses for its lectures (or the message catalog's word for a lecture, in the page's language or
English).

**The header table's day-and-time rows** are matched to these kinds by how close their label is
to the labels of each kind ("LECTURES" ~ "Lecture", "PRACTICA" ~ "Practicum"): the table's own
labels and the catalog's words, in the page's language and English.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import replace

from syllabus_export.errors import quoted
from syllabus_export.importer.schedule import RawEntry
from syllabus_export.importer.source import PageSource
from syllabus_export.importer.tokens import fold, similarity
from syllabus_export.messages import messages

KINDS = ("lecture", "practicum")
CLOSE_ENOUGH = 0.75  # a header label this similar to a kind's label gives that kind's times


def with_kinds(source: PageSource, entries: list[RawEntry], language: str) -> list[RawEntry]:
    """The meetings with their kinds, from the structure; labels only as the structure taught them."""
    lecture_labels = {fold(e.label) for e in entries if e.shared}
    catalog_lecture = {fold(messages(language)["lecture"]), fold(messages("en")["lecture"])}
    catalog_practicum = {fold(messages(language)["practicum"]), fold(messages("en")["practicum"])}
    found = []
    for e in entries:
        label = fold(e.label)
        if e.shared:
            if label in catalog_practicum and label not in catalog_lecture:
                source.fail(*e.label_at, f"'{quoted(e.label)}' names practica, but its sessions share one resources "
                            "cell as a lecture's do")
            kind = "lecture"
        elif label in lecture_labels or (label in catalog_lecture and label not in catalog_practicum):
            kind = "lecture"
        else:
            kind = "practicum"
        found.append(replace(e, kind=kind))
    return found


def usual_label(entries: Iterable[RawEntry], kind: str) -> str | None:
    """The format label the table gives most meetings of ``kind`` (None: it has none)."""
    counts = Counter(e.label for e in entries if e.kind == kind)
    return counts.most_common(1)[0][0] if counts else None


def closest_kind(label: str, entries: list[RawEntry], language: str) -> str | None:
    """The kind whose labels a header row's label is closest to; None when none is close or two tie."""
    candidates: dict[str, set[str]] = {kind: set() for kind in KINDS}
    for e in entries:
        candidates[e.kind].add(e.label)
    for kind in KINDS:
        candidates[kind].update({messages(language).get(kind, ""), messages("en")[kind]})
    scores = {kind: max(similarity(label, word) for word in words if word) for kind, words in candidates.items()}
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    best, score = ranked[0]
    if score < CLOSE_ENOUGH or ranked[1][1] == score:
        return None
    return best


def schedule_labels(entries: list[RawEntry]) -> str:
    """The table's labels for a message: ``lecture: 'Bài giảng'; practicum: 'Thực hành'`` (or ``none``)."""
    seen = "; ".join(
        f"{kind}: '{quoted(label)}'" for kind in KINDS if (label := usual_label(entries, kind)) is not None
    )
    return seen or "none"
