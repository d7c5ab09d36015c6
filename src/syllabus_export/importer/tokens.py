"""The words and numbers of a course page, in whatever language and digits it is written.

A translated page says "Thứ hai 16:55 – 18:35", "lundi 16h55-18h35" or "كل إثنين ١٦:٥٥"; this is
where such tokens are read: digits of any script, weekday and month names from Babel/CLDR (the
page's language in every script CLDR writes it in, then English), the language's word for "and",
time ranges (``16:55``, ``16h55``, ``16.55``, ``4:55 pm``), dates, week numbers (①, or digits)
and row counts. Words are compared folded (case, composition, spacing, invisible joiners), never
as typed.

A token that is there but wrong raises :class:`Unreadable` with its offset in the text, so the
caller can name the page's line and column.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from syllabus_export.errors import quoted

VARIATION = "\ufe0e\ufe0f"  # emoji and text presentation selectors: 🖥 and 🖥️ are one symbol
T = TypeVar("T")
_INVISIBLE = "\u200c\u200d\u200e\u200f\u2060"
# A minute has two digits; after a colon, one digit alone ("18:3") is read too, and reported.
_TIME = r"([0-9]{1,2})\s*(?:[:h.\u066b]\s*([0-9]{2})|:\s*([0-9])(?![0-9]))\s*(am|pm|a\.m\.|p\.m\.)?"
_RANGE = re.compile(_TIME + r"\s*[-\u2010-\u2015\u2212~]\s*" + _TIME, re.IGNORECASE)


class Unreadable(ValueError):
    """A token that is there but cannot be read: where it is in the text, and why."""

    def __init__(self, offset: int, message: str):
        super().__init__(message)
        self.offset = offset
        self.message = message


# --- digits and words ------------------------------------------------------------------------


def ascii_digits(text: str) -> str:
    """Every decimal digit (Arabic-Indic, Persian, full-width…) as 0–9; the length is kept."""
    out = []
    for char in text:
        value = unicodedata.decimal(char, None)
        if value is not None:
            out.append(str(value))
        else:
            wide = unicodedata.normalize("NFKC", char)
            out.append(wide if len(wide) == 1 else char)
    return "".join(out)


def fold(text: str) -> str:
    """For comparing words: case, accents' composition, spacing, invisible joiners and end dots."""
    text = unicodedata.normalize("NFC", text).casefold()
    text = "".join(c for c in text if c not in _INVISIBLE and c not in VARIATION)
    return " ".join(text.split()).strip(" .:,;")


def similarity(a: str, b: str) -> float:
    """How close two labels are, 0–1: equal folded, one a prefix of the other, else difflib's ratio."""
    a, b = fold(a), fold(b)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    if min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a)):
        return 0.9
    return difflib.SequenceMatcher(None, a, b).ratio()


def clean(text: str) -> str:
    """A one-line text as shown: NFC, runs of white space as one space, none around it."""
    return " ".join(unicodedata.normalize("NFC", text).split())


# --- names from CLDR -------------------------------------------------------------------------


def locale(language: str):
    """Babel's locale for a language code (``pt-BR`` or ``pt_BR``), or None when CLDR lacks it."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return None


@functools.cache
def scripts_of(language: str) -> tuple[str, ...]:
    """The CLDR locales a language is written in: itself, then each script CLDR has for it
    (``sr`` → ``sr``, ``sr_Cyrl``, ``sr_Latn``; ``zh`` → ``zh``, ``zh_Hans``, ``zh_Hant``…), from
    Babel's own list of locales, so a page in Serbian Latin reads as well as one in Cyrillic."""
    from babel.localedata import locale_identifiers

    base = language.replace("-", "_").split("_")[0].lower()
    scripts = sorted(i for i in locale_identifiers() if re.fullmatch(rf"{base}_[A-Z][a-z]{{3}}", i))
    return (language, *scripts)


@functools.cache
def weekday_names(language: str) -> dict[str, int]:
    """Folded CLDR day names (wide, abbreviated, short) of the page's language in each of its
    scripts, then English → 0–6. The first locale to give a name keeps it."""
    from babel.dates import get_day_names

    return _folded_names([*scripts_of(language), "en"], get_day_names, ("wide", "abbreviated", "short"))


def written_script(day_texts: Iterable[str], language: str) -> str | None:
    """The script a page writes its language in, when CLDR's default for the language is another:
    the subtag of the one script variant whose day names every day text holds, where the
    language's own names are in none (the Serbian page's "Ponedeljak" is ``sr_Latn``'s, not
    ``sr``'s Cyrillic). None when the page writes the default script, or English day names.
    """
    from babel.dates import get_day_names

    def holds(text: str, code: str) -> bool:
        names = _folded_names_of(code, get_day_names, ("wide", "abbreviated", "short"))
        return fold(text) in names or bool(names_in(fold(text), names))

    texts = [t for t in day_texts if t.strip()]
    if not texts or any(holds(t, language) for t in texts):
        return None
    variants = [code for code in scripts_of(language)[1:] if all(holds(t, code) for t in texts)]
    return variants[0].rsplit("_", 1)[1] if len(variants) == 1 else None


@functools.cache
def month_names(language: str) -> dict[str, int]:
    """Folded CLDR month names (wide, abbreviated) of the page's language, then English → 1–12."""
    from babel.dates import get_month_names

    return _folded_names([language, "en"], get_month_names, ("wide", "abbreviated"))


@functools.cache
def _folded_names_of(code: str, get_names: Callable[..., Mapping[int, str]], widths: tuple[str, ...]) -> dict[str, int]:
    return _folded_names([code], get_names, widths)


def _folded_names(
    codes: list[str], get_names: Callable[..., Mapping[int, str]], widths: tuple[str, ...]
) -> dict[str, int]:
    names: dict[str, int] = {}
    for code in codes:
        found = locale(code)
        if found is None:
            continue
        for width in widths:
            for context in ("format", "stand-alone"):
                for number, name in get_names(width, context, found).items():
                    if fold(name):
                        names.setdefault(fold(name), number)
    return names


def and_words(language: str) -> list[str]:
    """The language's word for "and" between two names (CLDR list patterns), when it is a word
    ("و" in Arabic's "{0} و{1}", "和" in Chinese "{0}和{1}": a page may set it between spaces)."""
    words = []
    for code in (language, "en"):
        found = locale(code)
        if found is None:
            continue
        for key in ("2", "end"):
            pattern = found.list_patterns["standard"][key]
            between = pattern.replace("{0}", "\0").replace("{1}", "\0").split("\0")[1]
            word = between.strip(" ,،\u200f")
            if word and all(_in_word(c) and not c.isdigit() for c in word) and word not in words:
                words.append(word)
    return words


def weekday(text: str, language: str) -> int | None:
    """The weekday (0 = Monday) a text names, in the page's language (any of its scripts) or
    English; None when it names none, or several.

    A day name is found inside the words around it (:func:`names_in`), so a translator's own
    form reads without a list of forms: a plural or a case ending ("Mondays", "lundis",
    "دوشنبه‌ها"), an article or "every" around it ("كل إثنين", "প্রতি সোমবার", "每周一"), a plural of a
    compound name read through its abbreviation ("Segundas-feiras" holds "seg.").

    >>> weekday("Segundas-feiras", "pt"), weekday("Ponedeljak", "sr"), weekday("كل ثلاثاء", "ar")
    (0, 0, 1)
    """
    names = weekday_names(language)
    folded = fold(text)
    if folded in names:
        return names[folded]
    days = names_in(folded, names)
    return days.pop() if len(days) == 1 else None


def names_in(folded: str, names: Mapping[str, T]) -> set[T]:
    """What the (folded) names found inside a folded text stand for.

    Inside a word, a name must begin or end it and be at least three letters long, unless it is
    written in Chinese, Japanese or Korean characters (no spaces between words; one character may
    be a word, 春, 봄): "th" is not Thursday in "thứ". Of names that overlap, the longest counts
    ("سه‌شنبه", Tuesday, holds "شنبه", Saturday; "sonbahar", autumn, holds "bahar", spring).
    """
    found: list[tuple[int, int, T]] = []  # (start, end, meaning) of every name inside the text
    for name, meaning in names.items():
        wide = all(unicodedata.east_asian_width(c) in "WF" for c in name)
        if len(name) < 3 and not wide:
            continue
        start = folded.find(name)
        while start != -1:
            end = start + len(name)
            starts = start == 0 or not _in_word(folded[start - 1])
            ends = end == len(folded) or not _in_word(folded[end])
            if wide or starts or ends:
                found.append((start, end, meaning))
            start = folded.find(name, start + 1)
    return {f[2] for f in found if not any(o[0] <= f[0] and f[1] <= o[1] and o[1] - o[0] > f[1] - f[0] for o in found)}


def _in_word(char: str) -> bool:
    """Whether a character is part of a word: a letter, a digit or a mark (Bengali vowel signs)."""
    return char.isalnum() or unicodedata.category(char).startswith("M")


def weekday_choices(language: str) -> str:
    """The seven day names a message offers: the page's language, else English."""
    from babel.dates import get_day_names

    found = locale(language) or locale("en")
    return ", ".join(get_day_names("wide", locale=found)[d] for d in range(7))


# --- times, dates, numbers -------------------------------------------------------------------


def has_time_range(text: str) -> bool:
    """Whether the text holds a time range (in any digits): the sign of a meeting-times row."""
    return _RANGE.search(ascii_digits(text)) is not None


@dataclass(frozen=True, kw_only=True)
class TimeRange:
    start: dt.time
    end: dt.time
    begin: int  # offsets of the range in the text read: where it begins and ends
    finish: int
    one_digit: tuple[tuple[int, int], ...] = ()  # (begin, end) of each time whose minute has one digit ("18:3")


def time_range(text: str) -> TimeRange | None:
    """The first time range in ``text`` (``16:55 – 18:35``, ``16h55-18h35``, ``4.55pm~6.35pm``, any
    digits), or None when it has none. A minute of one digit after a colon (``18:3``) is that many
    minutes (18:03), as clocks read it; ``one_digit`` says where, for the caller to warn.

    Raises:
        Unreadable: an hour that is not on a 12-hour clock beside am/pm, a time that is not a time
            of day, or an end that is not after the start.
    """
    found = _RANGE.search(ascii_digits(text))
    if found is None:
        return None
    short: list[tuple[int, int]] = []
    times = []
    for group, at in ((1, found.start(1)), (5, found.start(5))):
        hour, minute, digit, half = found[group], found[group + 1], found[group + 2], found[group + 3]
        h, mi = int(hour), int(minute or digit)
        if half:
            if not 1 <= h <= 12:
                raise Unreadable(at, f"'{hour}' is not an hour on a 12-hour clock")
            h = h % 12 + (12 if half.lower().startswith("p") else 0)
        if h > 23 or mi > 59:
            raise Unreadable(at, f"'{quoted(text[at:found.end()])}' is not a time of day")
        times.append(dt.time(h, mi))
        if digit:
            short.append((at, found.end(group + 2)))
    if times[1] <= times[0]:
        raise Unreadable(found.start(4), f"the end {times[1]:%H:%M} is not after the start {times[0]:%H:%M}")
    return TimeRange(start=times[0], end=times[1], begin=found.start(), finish=found.end(), one_digit=tuple(short))


def date(text: str, language: str) -> dt.date | None:
    """``2020-09-16``, or a day, a month's name (page's language or English) and a four-digit year
    in any order and digits (``16 Sep 2020``, ``Sep. 16, 2020``); None when it is neither."""
    plain = ascii_digits(text).strip()
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", plain):
        try:
            return dt.date.fromisoformat(plain)
        except ValueError:
            pass
    months = month_names(language)
    words = re.findall(r"[0-9]+|[^\W\d_]+\.?", plain)
    years = [w for w in words if w.isdigit() and len(w) == 4]
    days = [w for w in words if w.isdigit() and len(w) <= 2]
    named = [months[fold(w)] for w in words if not w.isdigit() and fold(w) in months]
    if len(years) == 1 and len(days) == 1 and len(named) == 1:
        try:
            return dt.date(int(years[0]), named[0], int(days[0]))
        except ValueError:
            pass
    return None


def week_number(text: str) -> int | None:
    """A week cell's number: one circled number (⑤, ㉑) or digits of any script, 1–60; else None."""
    number = None
    if len(text) == 1 and (value := unicodedata.numeric(text, None)) is not None and value == int(value):
        number = int(value)
    elif text and all(unicodedata.decimal(c, None) is not None for c in text):
        number = int(ascii_digits(text))
    return number if number is not None and 1 <= number <= 60 else None


def row_count(text: str) -> int | None:
    """A rowspan's number of rows (any digits), 1–100; else None."""
    value = ascii_digits(text.strip())
    return int(value) if value.isdigit() and 1 <= int(value) <= 100 else None
