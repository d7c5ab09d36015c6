"""Which course file a course id belongs to.

A course id is part of every UID and names the course's folder in ``out/``. Two files with one id
(a copied file whose id was left as it was) would publish into one folder under the same UIDs,
the second silently replacing the first's feed, so they are refused: both when they are in one
build, and when the id is already published in ``out/`` by another file that still exists. When
that other file no longer exists, the new one is its rename and takes over.

``out/.courses.json`` records each course file by a hash of its path (nothing of the machine is
published) and, when the file lies inside the working directory, by its path relative to it, so
a later build can tell whether the file still exists.

Library code: no output, no exit. Reading a course file's id costs no YAML parse (``declared_id``):
a catalogue build checks every file before any worker starts.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from syllabus_export.errors import Pos, Problem, SyllabusError

# The top-level ``id:`` line as course files write it (plain or quoted; a comment may follow). Only a
# file with exactly one such line gets its id from it; any other is loaded (``current_id``).
ID_LINE = re.compile(r"""^id:[ \t]+(?P<value>(?P<q>['"]?)(?P<id>[a-z0-9][a-z0-9._-]{0,63})(?P=q))[ \t]*(?:#.*)?$""",
                     re.M)
MAX_BYTES = 1_000_000  # the loader's own limit: a larger file is refused anyway


@dataclass(frozen=True, kw_only=True)
class Claim:
    """The id a course file declares, and where it says so (None: not looked up yet, see ``where``)."""

    id: str
    path: str
    pos: Pos | None = None

    @property
    def where(self) -> Pos:
        """Where the file says its id; looked up now when the id came from ``.courses.json``."""
        if self.pos is not None:
            return self.pos
        found = current_id(Path(self.path))
        return found.where if found is not None and found.id == self.id else Pos(path=self.path)


def record_key(path: Path) -> str:
    """How ``.courses.json`` names a course file: a hash of its resolved path."""
    return hashlib.sha256(str(path.resolve()).encode("utf-8", "surrogateescape")).hexdigest()


def recorded_path(path: Path) -> str | None:
    """The path ``.courses.json`` keeps beside the hash: relative to the working directory, and only
    for a file inside it (never an absolute path: nothing of the machine is published)."""
    try:
        return Path(os.path.abspath(path)).relative_to(Path.cwd()).as_posix()
    except (ValueError, OSError):
        return None


def declared_id(path: Path) -> Claim | None:
    """The id on the file's one top-level ``id:`` line, without parsing YAML; None when there is no
    single such line, or the file cannot be read (the loader then decides)."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
        text = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except (OSError, ValueError):
        return None
    found = list(ID_LINE.finditer(text))
    if len(raw) > MAX_BYTES or len(found) != 1:
        return None
    match = found[0]
    line = text.count("\n", 0, match.start()) + 1
    column = match.start("value") - match.start() + 1
    return Claim(id=match["id"], path=str(path), pos=Pos(path=str(path), line=line, column=column))


def current_id(path: Path) -> Claim | None:
    """The id the file declares: from its ``id:`` line, else by loading it; None when it cannot be loaded."""
    claim = declared_id(path)
    if claim is not None:
        return claim
    from syllabus_export.load import load_course

    try:
        course = load_course(path)
    except SyllabusError:
        return None
    return Claim(id=course.id, path=str(path), pos=course.positions.get("id", course.pos))


def duplicates(claims: list[Claim | None]) -> dict[int, Problem]:
    """One problem for each file whose id another of ``claims`` has too (by index), naming the others."""
    by_id: dict[str, list[int]] = {}
    for i, claim in enumerate(claims):
        if claim is not None:
            by_id.setdefault(claim.id, []).append(i)
    refused = {}
    for cid, group in by_id.items():
        for i in group if len(group) > 1 else ():
            others = ", ".join(str(claims[j].where) for j in group if j != i)  # type: ignore[union-attr]
            refused[i] = Problem(pos=claims[i].where, message=(  # type: ignore[union-attr]
                f"course id '{cid}' is also the id of {others}: two course files with one id would publish into "
                "one folder under the same UIDs, so neither is built; give each course its own id"))
    return refused


def published_elsewhere(paths: list[Path], keys: list[str], claims: list[Claim | None], records: dict[str, dict],
                        out: Path) -> tuple[dict[int, Problem], dict[int, list[str]]]:
    """Files whose id ``out/`` has from another course file that still exists (a problem each), and for
    the others the records of files that published their id and are gone (renamed: the new file takes over).

    ``records`` are ``.courses.json``'s, by ``record_key``; ``keys`` the keys of ``paths``.
    """
    owners: dict[str, list[str]] = {}
    for key, record in records.items():
        owners.setdefault(record["folder"][0], []).append(key)
    building = set(keys)
    refused: dict[int, Problem] = {}
    renamed: dict[int, list[str]] = {}
    for i, claim in enumerate(claims):
        if claim is None:
            continue
        for key in owners.get(claim.id, []):
            if key in building or not (out / claim.id).is_dir():
                continue  # a file of this build has the id it declares now; a folder deleted is published no more
            other = _find(records[key].get("path"), key, paths[i])
            if other is None:
                renamed.setdefault(i, []).append(key)
                continue
            theirs = current_id(other)
            if theirs is not None and theirs.id != claim.id:
                continue  # it declares another id now: it will not publish here again
            where = theirs.where if theirs is not None else Pos(path=str(other))
            refused[i] = Problem(pos=claim.where, message=(
                f"course id '{claim.id}' is already published in {out / claim.id} by {where}: a second file with "
                "that id would replace its feed under the same UIDs, so this one is not built. Give this course its "
                f"own id; or, if this file replaces that one (a rename), delete or move {other} and build again"))
            break
    return refused, renamed


def _find(recorded: object, key: str, near: Path) -> Path | None:
    """The course file recorded as ``key``, if it still exists: at its recorded path, or beside ``near``
    (a copy usually sits beside its original; a file outside the working directory has no recorded path)."""
    candidates = []
    if isinstance(recorded, str) and recorded and not os.path.isabs(recorded) and ".." not in Path(recorded).parts:
        candidates.append(Path(recorded))
    try:
        candidates += sorted(p for p in near.parent.iterdir() if p.suffix in (".yaml", ".yml"))
    except OSError:
        pass
    for candidate in candidates:
        try:
            if candidate.is_file() and record_key(candidate) == key:
                return _shown(candidate)
        except (OSError, ValueError, RuntimeError):
            continue
    return None


def _shown(path: Path) -> Path:
    try:
        return Path(os.path.abspath(path)).relative_to(Path.cwd())
    except ValueError:
        return path
