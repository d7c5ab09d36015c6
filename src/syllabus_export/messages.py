"""Words the outputs print, per course language, from the gettext catalogs in ``locale/``.

``locale/<lang>/LC_MESSAGES/syllabus_export.po`` is the source a translator edits, and the
``.mo`` beside it is what is read here, with the standard library's ``gettext`` (one small file
per language, read once per process). A msgid is a stable key (``page_x_of_y``), not the English
text; English is a catalog like the others and lists every key. A message a catalog lacks is
taken from English, and a language without a catalog gets English throughout
(``fallback_note`` says so). ``locale/README.md`` tells how to add a language; dates, weekday
and time zone names come from Babel (CLDR), not from these catalogs.
"""

from __future__ import annotations

import functools
import gettext
from collections.abc import Mapping
from importlib.resources import files
from importlib.resources.abc import Traversable
from types import MappingProxyType
from typing import TYPE_CHECKING

from syllabus_export import model as m
from syllabus_export.errors import Problem

if TYPE_CHECKING:  # Babel is imported where it is used: list and check need none of it
    from babel import Locale

DOMAIN = "syllabus_export"
REFERENCE = "en"  # the catalog that lists every key, and the fallback


def catalog_language(language: str) -> str | None:
    """The language whose catalog serves ``language``: ``pt-BR`` → ``pt_BR`` when there is one,
    else ``pt``; None when neither has a catalog."""
    parts = language.replace("-", "_").split("_")
    candidates = ["_".join([parts[0].lower(), *parts[1:]]), parts[0].lower()]
    return next((c for c in dict.fromkeys(candidates) if _mo(c).is_file()), None)


def has_messages(language: str) -> bool:
    """Whether ``language`` (or its base language) has a catalog of its own."""
    return catalog_language(language) is not None


def fallback_note(course: m.Course) -> Problem | None:
    """The warning for a course whose language has no catalog (its labels come out in English),
    or that CLDR does not know either (its dates and times too)."""
    if has_messages(course.language):
        return None
    known = cldr_locale(course.language).language == course.language.split("-")[0].lower()
    what = "labels" if known else "labels, dates and times"
    return Problem(pos=course.language_pos,
                   message=f"no messages for language '{course.language}'; {what} fall back to English")


def cldr_locale(language: str) -> Locale:
    """Babel's locale for a course language: itself, else its base language, else English."""
    from babel import Locale, UnknownLocaleError

    for tag in (language, language.split("-")[0]):
        try:
            return Locale.parse(tag, sep="-")
        except (UnknownLocaleError, ValueError):
            continue
    return Locale.parse(REFERENCE)


def messages(language: str) -> dict[str, str]:
    """Every word for ``language`` by key, English where its catalog lacks one (or has none)."""
    return dict(_words(language))


@functools.cache
def english_keys(language: str) -> frozenset[str]:
    """The keys whose words ``language`` takes from English (its catalog lacks them, or it has no
    catalog); none for an English course."""
    found = catalog_language(language)
    if language.split("-")[0].lower() == REFERENCE or found == REFERENCE:
        return frozenset()
    english = _load(REFERENCE)
    own = _load(found)._catalog if found else {}  # noqa: SLF001 - what the catalog itself has
    return frozenset(key for key in english._catalog if key and key not in own)  # noqa: SLF001


@functools.cache
def _words(language: str) -> MappingProxyType[str, str]:
    english = _load(REFERENCE)
    found = catalog_language(language)
    chosen = _load(found) if found and found != REFERENCE else english
    if chosen is not english:
        chosen.add_fallback(english)
    keys = [key for key in english._catalog if key]  # noqa: SLF001 - the English catalog lists every key
    return MappingProxyType({key: chosen.gettext(key) for key in sorted(keys)})


def zone_name(zone: str, locale: Locale) -> str:
    """A time zone as CLDR names it in ``locale``, with its city: "Eastern Time (New York)",
    "Giờ miền Đông (New York)", "heure de l’Est nord-américain (New York)"; "UTC" for UTC.

    The generic name holds across a DST change (a term usually spans one); CLDR's location format
    alone reads badly in several languages ("United States (New York) Time", "heure : États-Unis
    (New York)"). Raises LookupError for a zone CLDR does not know.
    """
    from babel.dates import get_timezone, get_timezone_location, get_timezone_name

    if zone in ("UTC", "Etc/UTC"):
        return "UTC"
    tz = get_timezone(zone)
    generic = get_timezone_name(tz, "long", zone_variant="generic", locale=locale)
    city = get_timezone_location(tz, locale=locale, return_city=True)
    return generic if city in generic else f"{generic} ({city})"


def date_and_time(date: str, time: str, locale: Locale) -> str:
    """A formatted date and time joined as CLDR joins them in ``locale``: "Monday, February 10,
    2020, 4:55 PM", "lundi 10 février 2020, 16:55", "16:55 Thứ Hai, 10 tháng 2, 2020"."""
    import re

    from babel.dates import get_datetime_format

    glue = re.sub(r"'([^']*)'", lambda q: q[1] or "'", get_datetime_format("full", locale=locale))
    return glue.format(time, date)


def _mo(language: str) -> Traversable:
    return files("syllabus_export") / "locale" / language / "LC_MESSAGES" / f"{DOMAIN}.mo"


def _load(language: str) -> gettext.GNUTranslations:
    with _mo(language).open("rb") as handle:
        return gettext.GNUTranslations(handle)


def kind_label(course: m.Course, kind: str) -> str:
    """A meeting kind in the course language: the catalog's word, else the pattern's own label."""
    words = _words(course.language)
    pattern = next((p for p in course.patterns if p.kind == kind), None)
    if pattern is not None and pattern.label:
        return pattern.label
    return words.get(kind, kind.replace("_", " ").capitalize())


def resource_labels(
    resources: tuple[m.Resource, ...], language: str, own_words: Mapping[str, str] = MappingProxyType({})
) -> list[str]:
    """One label per resource: its own, or its kind's word (the course's ``own_words``, from its
    ``resource_labels``, else the catalog's), numbered when a kind repeats."""
    words: Mapping[str, str] = _words(language)
    if own_words:
        words = {**words, **own_words}
    counts: dict[str, int] = {}
    for r in resources:
        counts[r.kind] = counts.get(r.kind, 0) + 1
    seen: dict[str, int] = {}
    labels = []
    for r in resources:
        seen[r.kind] = seen.get(r.kind, 0) + 1
        if r.label:
            labels.append(r.label)
        elif counts[r.kind] > 1:
            labels.append(f"{words[r.kind]} {seen[r.kind]}")
        else:
            labels.append(words[r.kind])
    return labels
