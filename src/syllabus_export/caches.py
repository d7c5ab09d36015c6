"""Every process-wide memo table in one object, so tests (and a ``diff`` after a ``build``) can
start from nothing with one call.

A table is a plain dict that a module asks for by name; ``reset()`` empties them all. A table
that reaches its limit is emptied rather than grown: a catalogue of a thousand courses must not
hold a thousand courses' worth of formatted dates.
"""

from __future__ import annotations

from typing import Any


class Caches:
    def __init__(self) -> None:
        self._tables: dict[str, tuple[dict[Any, Any], int]] = {}
        self._attached: list[Any] = []

    def attach(self, other: Any) -> None:
        """Let ``reset()`` also empty ``other`` (anything with a ``reset()``: the PDF's caches, whose
        tables are typed and kept apart for speed)."""
        self._attached.append(other)

    def table(self, name: str, *, limit: int = 4096) -> dict[Any, Any]:
        """The table called ``name`` (made on first use), emptied first when it holds ``limit`` items."""
        found = self._tables.get(name)
        if found is None:
            found = self._tables[name] = ({}, limit)
        if len(found[0]) >= found[1]:
            found[0].clear()
        return found[0]

    def reset(self) -> None:
        """Forget everything remembered in this process."""
        for table, _ in self._tables.values():
            table.clear()
        for other in self._attached:
            other.reset()

    def __len__(self) -> int:
        return sum(len(table) for table, _ in self._tables.values())


CACHES = Caches()
