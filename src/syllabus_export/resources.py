"""Templates and the PDF theme: the user's ``--templates DIR`` first, then the installed defaults."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path


def template_file(name: str, user_dir: Path | None = None) -> Traversable:
    """The file ``name`` from ``user_dir`` when it has one, else the default shipped with the package."""
    if user_dir is not None and (user_dir / name).is_file():
        return user_dir / name
    return files("syllabus_export.templates").joinpath(name)


def template_text(name: str, user_dir: Path | None = None) -> str:
    return template_file(name, user_dir).read_text(encoding="utf-8")
