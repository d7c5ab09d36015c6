"""Lecture or practicum: which kind of meeting a schedule row is, and which a header row times.

**The kind comes from the table's structure**; the translated word is read only where the
structure is silent, and where the two disagree the structure wins, with a warning at the label.

- Several sessions sharing one resources cell are one lecture (two sessions, one class meeting),
  whatever their label says.
- A meeting of one session is a practicum when the table's lectures are the shared ones: a
  label the table gives mostly to shared sessions does not make a lone session a lecture (the
  Hungarian page labels week 4's lone practicum "Előadás"), unless that week already has its
  practicum (then it is a one-part lecture).
- In a table without shared sessions the structure says nothing: a meeting is a lecture when its
  label is the message catalog's word for a lecture (the page's language or English), else a
  practicum.

**The header table's day-and-time rows** are matched to these kinds by their order: the n-th
time row gives the times of the n-th kind in the order the schedule lists each week's meetings
(lectures, then practica). Their labels are read second: where a label is clearly another
kind's ("PRACTICA" on the first row), a warning says so; where the rows are not one per kind,
each row's kind is the one its label is closest to ("LECTURES" ~ "Lecture"), among the table's
own labels and the catalog's words, in the page's language and English.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from itertools import groupby

from syllabus_export.errors import quoted
from syllabus_export.importer.schedule import RawEntry
from syllabus_export.importer.source import PageSource
from syllabus_export.importer.tokens import fold, similarity
from syllabus_export.messages import messages

KINDS = ("lecture", "practicum")
CLOSE_ENOUGH = 0.75  # a header label this similar to a kind's label gives that kind's times


def with_kinds(source: PageSource, entries: list[RawEntry], language: str) -> list[RawEntry]:
    """The meetings with their kinds: from the structure, labels only where it is silent."""
    catalog_lecture = {fold(messages(language)["lecture"]), fold(messages("en")["lecture"])}
    catalog_practicum = {fold(messages(language)["practicum"]), fold(messages("en")["practicum"])}
    shared, alone = Counter[str](), Counter[str]()
    for e in entries:
        (shared if e.shared else alone)[fold(e.label)] += 1
    structured = bool(shared)  # the table's lectures are its shared sessions

    def label_kind(label: str) -> str:
        """The kind the table uses a label for: the shape most of its meetings have."""
        if shared[label] != alone[label]:
            return "lecture" if shared[label] > alone[label] else "practicum"
        return "practicum" if label in catalog_practicum and label not in catalog_lecture else "lecture"

    practicum_weeks = {e.week for e in entries if not e.shared and label_kind(fold(e.label)) == "practicum"}
    found = []
    for e in entries:
        label = fold(e.label)
        if e.shared:
            kind = "lecture"
            if label_kind(label) == "practicum":
                source.warn(*e.label_at, f"week {e.week}: '{quoted(e.label)}' is the table's word for practica, but "
                            f"these {len(e.sessions)} sessions share one resources cell, as a lecture's do: read as "
                            "a lecture")
        elif structured:
            kind = "practicum"
            if label_kind(label) == "lecture":
                if e.week in practicum_weeks:
                    kind = "lecture"  # the week has its practicum: a lecture of one part
                else:
                    source.warn(*e.label_at, f"week {e.week}: '{quoted(e.label)}' is the table's word for lectures, "
                                "but this is one session alone, as a practicum is (the lectures are the sessions "
                                "that share a resources cell): read as a practicum")
        else:
            kind = "lecture" if label in catalog_lecture and label not in catalog_practicum else "practicum"
        found.append(replace(e, kind=kind))
    return found


def usual_label(entries: Iterable[RawEntry], kind: str) -> str | None:
    """The format label the table gives most meetings of ``kind`` (None: it has none)."""
    counts = Counter(e.label for e in entries if e.kind == kind)
    return counts.most_common(1)[0][0] if counts else None


def week_order(entries: list[RawEntry]) -> list[str]:
    """The kinds in the order the schedule lists a week's meetings (lectures, then practica): the
    order most weeks that have both agree on; :data:`KINDS` order where none says."""
    kinds = list(dict.fromkeys(e.kind for e in entries))
    before = Counter[tuple[str, str]]()
    for _, group in groupby(entries, key=lambda e: e.week):
        seen = list(dict.fromkeys(e.kind for e in group))
        before.update((a, b) for i, a in enumerate(seen) for b in seen[i + 1 :])

    def rank(kind: str) -> tuple[int, int]:
        wins = sum(before[(kind, other)] - before[(other, kind)] for other in kinds if other != kind)
        return -wins, KINDS.index(kind) if kind in KINDS else len(KINDS)

    return sorted(kinds, key=rank)


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
