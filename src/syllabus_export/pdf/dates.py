"""Dates and times in the course language, as the syllabus prints them, from Babel (CLDR).

The shared presentation layer will replace this module; until then its interface stays as it is.
"""

from __future__ import annotations

import datetime as dt
import re

from babel import Locale
from babel.dates import (
    format_date,
    format_interval,
    format_time,
    get_date_format,
    get_day_names,
    get_time_format,
)

from syllabus_export.messages import cldr_locale, zone_name
from syllabus_export.pdf.caches import CACHES


def _numeric_date_pattern(locale: Locale | str) -> str:
    """The locale's short date pattern with two-digit day and month and a full year.

    This is what the CLDR skeleton ``yMMdd`` gives (vi ``d/M/yy`` → ``dd/MM/y``: 27/01/2020,
    en ``M/d/yy`` → ``MM/dd/y``): the locale's order and separators, with fixed-width numbers
    that line up in a table column. Quoted literals are left alone.
    """
    pattern = get_date_format("short", locale=locale).pattern
    parts = re.split(r"('[^']*')", pattern)
    for i in range(0, len(parts), 2):
        part = re.sub(r"d+", "dd", parts[i])
        part = re.sub(r"(?<!M)M{1,2}(?!M)", "MM", part)
        parts[i] = re.sub(r"y+", "y", part)
    return "".join(parts)


def _spaces(text: str) -> str:
    """CLDR's spaces as reportlab can keep them: its Paragraph breaks lines at U+202F NARROW NO-BREAK
    SPACE (en "6:35\u202fPM") but not at U+00A0; it draws a THIN SPACE as a plain space anyway."""
    return text.replace("\u202f", "\u00a0").replace("\u2009", " ")


class _Dates:
    """Babel's (CLDR's) words and patterns for one language, as the syllabus prints them.

    One per language in a process (``_dates``); dates and times already formatted are kept, since a
    schedule prints each date twice (to measure its column and in its row) and a catalogue's courses
    share a term."""

    def __init__(self, language: str):
        self.locale = cldr_locale(language)
        self.pattern = _numeric_date_pattern(self.locale)
        self.days = get_day_names("wide", context="format", locale=self.locale)
        self.twelve_hour = "h" in get_time_format("short", locale=self.locale).pattern.replace("'h'", "")
        self._dates: dict[dt.date, str] = {}
        self._times: dict[tuple[dt.time, dt.time], str] = {}

    def date(self, day: dt.date) -> str:
        text = self._dates.get(day)
        if text is None:
            if len(self._dates) >= 4096:
                self._dates.clear()
            text = self._dates[day] = _spaces(format_date(day, self.pattern, locale=self.locale))
        return text

    def weekday(self, weekday: int) -> str:
        return _spaces(self.days[weekday])

    def day(self, day: dt.date) -> str:
        """The weekday's name and the date: "Thứ Hai 27/01/2020"."""
        return f"{self.weekday(day.weekday())} {self.date(day)}"

    def times(self, start: dt.time, end: dt.time) -> str:
        text = self._times.get((start, end))
        if text is None:
            if len(self._times) >= 4096:
                self._times.clear()
            skeleton = "hm" if self.twelve_hour else "Hm"
            text = self._times[start, end] = _spaces(format_interval(start, end, skeleton, locale=self.locale))
        return text

    def time(self, value: dt.time) -> str:
        return _spaces(format_time(value, "short", locale=self.locale))

    def long(self, day: dt.date) -> str:
        return _spaces(format_date(day, "long", locale=self.locale))

    def zone(self, name: str) -> str:
        try:
            return _spaces(zone_name(name, self.locale))
        except (LookupError, ValueError):
            return name


def _dates(language: str) -> _Dates:
    """The ``_Dates`` of a course language, made once per process (``CACHES.dates``)."""
    dates = CACHES.dates.get(language)
    if dates is None:
        if len(CACHES.dates) >= 64:
            CACHES.dates.clear()
        dates = CACHES.dates[language] = _Dates(language)
    return dates
