"""Templates and the PDF theme: the user's ``--templates DIR`` first, then the installed defaults."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

# In a checkout run without installing (PYTHONPATH=src), the defaults are the top-level templates/.
_CHECKOUT_TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"


def default_templates() -> Traversable:
    """The packaged templates folder (``syllabus_export.templates``), or the checkout's own."""
    try:
        return files("syllabus_export.templates")
    except ModuleNotFoundError:
        return _CHECKOUT_TEMPLATES


def template_file(name: str, user_dir: Path | None = None) -> Traversable:
    """The file ``name`` from ``user_dir`` when it has one, else the default shipped with the package."""
    if user_dir is not None and (user_dir / name).is_file():
        return user_dir / name
    return default_templates().joinpath(name)


def template_text(name: str, user_dir: Path | None = None) -> str:
    """The template's text; raises SyllabusError at the byte of a user's template that is not UTF-8."""
    from syllabus_export.errors import decode_utf8

    source = template_file(name, user_dir)
    return decode_utf8(source.read_bytes(), str(source), "template")
