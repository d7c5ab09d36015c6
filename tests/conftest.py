"""Shared test helpers."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from syllabus_export import cli

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def in_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run in the checkout's root, where the default paths (data/courses, out/) are."""
    monkeypatch.chdir(ROOT)


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    """``main(argv)`` in this process → (exit status, stdout, stderr); an exception escaping it fails
    the test (a traceback)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = cli.main(argv)
    return status, out.getvalue(), err.getvalue()


@contextlib.contextmanager
def fresh_vobject_zones():
    """vobject keeps the first VTIMEZONE it read for a TZID, process-wide, and uses it for every later
    feed with that TZID (``registerTzinfo`` registers only unknown ids). Feeds of different spans
    would be read with another feed's rules: forget them before and after each read."""
    import vobject.icalendar

    registry = vars(vobject.icalendar)["__tzidMap"]
    kept = {k: v for k, v in registry.items() if k == "UTC"}
    registry.clear()
    registry.update(kept)
    try:
        yield
    finally:
        registry.clear()
        registry.update(kept)


@pytest.fixture(autouse=True)
def _vobject_forgets_zones_between_tests():
    """No test reads a feed with the time zone rules of another test's feed."""
    with fresh_vobject_zones():
        yield
