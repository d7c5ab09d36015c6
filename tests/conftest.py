"""Shared test helpers."""

from __future__ import annotations

import contextlib

import pytest


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
