"""Dates, times and zones in the course's language, on the locale's own clock; the day a build is dated."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from syllabus_export import model as m
from syllabus_export.caches import CACHES
from syllabus_export.messages import cldr_locale, date_and_time, zone_name

if TYPE_CHECKING:
    from babel import Locale



# --- dates, times and zones in the course language ----------------------------------------------


def twelve_hour(locale: Locale) -> bool:
    """Whether ``locale`` writes a 12-hour clock: an ``h`` or ``K`` in its short time pattern,
    quoted literals left out (fr-CA writes ``HH 'h' mm``: a 24-hour clock with a literal h)."""
    pattern = re.sub(r"'[^']*'", "", locale.time_formats["short"].pattern)
    return "h" in pattern or "K" in pattern


class Formats:
    """How one course language writes dates, times and zones (CLDR, through Babel).

    One per language in a process (``formats``): the schedule writes each date more than once.
    """

    def __init__(self, language: str):
        from babel.dates import get_date_format, get_day_names

        self.language = language
        self.locale = cldr_locale(language)
        self.twelve_hour = twelve_hour(self.locale)
        self.clock = "hm" if self.twelve_hour else "Hm"  # the CLDR skeleton of a time of day
        self.numeric_pattern = _numeric_date_pattern(get_date_format("short", locale=self.locale).pattern)
        self.days = get_day_names("wide", context="format", locale=self.locale)
        self._memo: dict[Any, str] = {}

    def _remember(self, key: Any, make: Callable[[], str]) -> str:
        text = self._memo.get(key)
        if text is None:
            if len(self._memo) >= 8192:
                self._memo.clear()
            text = self._memo[key] = make()
        return text

    def weekday(self, weekday: int) -> str:
        """"Thứ Hai", "Monday" (0 = Monday)."""
        return self.days[weekday]

    def numeric(self, day: dt.date) -> str:
        """The locale's short date with two-digit day and month: 27/01/2020, 01/27/2020."""
        from babel.dates import format_date

        return self._remember(("numeric", day), lambda: format_date(day, self.numeric_pattern, locale=self.locale))

    def full(self, day: dt.date) -> str:
        """"Monday, January 27, 2020"."""
        from babel.dates import format_date

        return self._remember(("full", day), lambda: format_date(day, "full", locale=self.locale))

    def long(self, day: dt.date) -> str:
        """"January 27, 2020"."""
        from babel.dates import format_date

        return self._remember(("long", day), lambda: format_date(day, "long", locale=self.locale))

    def month_day(self, day: dt.date) -> str:
        """"January 27"."""
        from babel.dates import format_skeleton

        return self._remember(("MMMMd", day), lambda: format_skeleton("MMMMd", day, locale=self.locale))

    def short(self, day: dt.date) -> str:
        """A day in few characters, its weekday kept: "Mon, Feb 15"."""
        from babel.dates import format_skeleton

        return self._remember(("MMMEd", day), lambda: format_skeleton("MMMEd", day, locale=self.locale))

    def days_between(self, first: dt.date, last: dt.date) -> str:
        """A range of days: "March 16 – 22, 2020"."""
        from babel.dates import format_interval

        return self._remember(
            ("range", first, last), lambda: format_interval(first, last, "yMMMMd", locale=self.locale)
        )

    def time(self, value: dt.time) -> str:
        """A time of day on the locale's clock: "4:55 PM", "16:55"."""
        from babel.dates import format_time

        return self._remember(("time", value), lambda: format_time(value, "short", locale=self.locale))

    def times(self, start: dt.time, end: dt.time) -> str:
        """A time range on the locale's clock: "4:55 – 6:35 PM", "16:55 – 18:35"."""
        from babel.dates import format_interval

        return self._remember(
            ("times", start, end), lambda: format_interval(start, end, self.clock, locale=self.locale)
        )

    def when(self, start: dt.datetime, end: dt.datetime | None = None) -> str:
        """A day and a time (or a time range) as one phrase: "Monday, January 27, 2020, 4:55 PM"."""
        time = self.times(start.time(), end.time()) if end is not None else self.time(start.time())
        return date_and_time(self.full(start.date()), time, self.locale)

    def zone(self, name: str) -> str:
        """The zone as CLDR names it, with its city ("Eastern Time (New York)"); the IANA name when
        CLDR does not know it."""
        try:
            return zone_name(name, self.locale)
        except (LookupError, ValueError):
            return name


def formats(language: str) -> Formats:
    """The ``Formats`` of a course language, made once per process (``CACHES`` forgets them)."""
    table = CACHES.table("formats", limit=64)
    found = table.get(language)
    if found is None:
        found = table[language] = Formats(language)
    return found


def _numeric_date_pattern(pattern: str) -> str:
    """A short date pattern with two-digit day and month and a full year, quoted literals kept.

    This is what the CLDR skeleton ``yMMdd`` gives (vi ``d/M/yy`` → ``dd/MM/y``: 27/01/2020,
    en ``M/d/yy`` → ``MM/dd/y``): the locale's order and separators, with fixed-width numbers
    that line up in a table column.
    """
    parts = re.split(r"('[^']*')", pattern)
    for i in range(0, len(parts), 2):
        part = re.sub(r"d+", "dd", parts[i])
        part = re.sub(r"(?<!M)M{1,2}(?!M)", "MM", part)
        parts[i] = re.sub(r"y+", "y", part)
    return "".join(parts)


def build_day(build_time: dt.datetime, term: m.Term) -> dt.date:
    """The day a build is dated, in the term's zone: what "built on" says in every output."""
    from zoneinfo import ZoneInfo

    return build_time.astimezone(ZoneInfo(term.timezone)).date()
