"""Dates and times as the syllabus prints them: the presentation layer's, with reportlab's spaces.

Every rule of how a date or a time reads (the locale's clock included) is ``present.Formats``';
all this module adds is that reportlab's Paragraph breaks lines at U+202F NARROW NO-BREAK SPACE
(en "6:35\u202fPM") but not at U+00A0, and draws a THIN SPACE as a plain space anyway.
"""

from __future__ import annotations

import datetime as dt

from syllabus_export import present


def _spaces(text: str) -> str:
    return text.replace("\u202f", "\u00a0").replace("\u2009", " ")


class PdfDates:
    """One course language's ``present.Formats``, spaced for reportlab."""

    def __init__(self, language: str):
        self.formats = present.formats(language)

    def date(self, day: dt.date) -> str:
        """The locale's numeric date: "27/01/2020"."""
        return _spaces(self.formats.numeric(day))

    def weekday(self, weekday: int) -> str:
        return _spaces(self.formats.weekday(weekday))

    def day(self, day: dt.date) -> str:
        """The weekday's name and the date: "Thứ Hai 27/01/2020"."""
        return f"{self.weekday(day.weekday())} {self.date(day)}"

    def times(self, start: dt.time, end: dt.time) -> str:
        return _spaces(self.formats.times(start, end))

    def time(self, value: dt.time) -> str:
        return _spaces(self.formats.time(value))

    def long(self, day: dt.date) -> str:
        return _spaces(self.formats.long(day))

    def zone(self, name: str) -> str:
        return _spaces(self.formats.zone(name))
