"""Which term file a page's term name ("SPRING 2020", "PRIMAVERA 2020", "2020年度春学期") means.

The course file names its term by id, never by the page's words. Given no ``--term``, the term is
found among the known term files (``data/terms/``), in this order:

1. the term one of whose names (in any language) is the page's term name — no warning;
2. else the terms of the page's year (four digits in the name, any script: "বসন্ত ২০২০"): the one
   term of that year, or, when several share it, the one whose season (its names and id) is the
   season the page names (``seasons.yaml``: CLDR has no seasons) — with a warning, since the page
   did not name the term as its file does;
3. else a problem: give ``--term``.
"""

from __future__ import annotations

import functools
import re
from importlib.resources import files

import yaml

from syllabus_export import model as m
from syllabus_export.errors import quoted
from syllabus_export.importer.source import PageSource
from syllabus_export.importer.tokens import ascii_digits, fold, names_in


@functools.cache
def season_words() -> dict[str, str]:
    """Folded season word → season (``spring``, ``summer``, ``fall``, ``winter``), from ``seasons.yaml``."""
    data = yaml.safe_load((files("syllabus_export.importer") / "seasons.yaml").read_text(encoding="utf-8"))
    return {fold(word): season for season, words in data.items() for word in words}


def season_of(text: str) -> str | None:
    """The one season a text names ("PRIMAVERA 2020" → spring), else None."""
    found = names_in(fold(text), season_words())
    return found.pop() if len(found) == 1 else None


def year_of(text: str) -> int | None:
    """The one four-digit year (1900–2199) a text holds, in any digits; else None."""
    years = {int(y) for y in re.findall(r"(?<![0-9])(19[0-9]{2}|2[01][0-9]{2})(?![0-9])", ascii_digits(text))}
    return years.pop() if len(years) == 1 else None


def term_id(source: PageSource, term: str | None, name: str, line: int, known: tuple[m.Term, ...]) -> str | None:
    """``term``, else the id of the known term the page's term ``name`` (on ``line``) means; a
    problem noted (None) when none or several do."""
    if term is not None:
        return term
    named = [t for t in known if any(fold(n) == fold(name) for n in t.name.values())]
    if len(named) == 1:
        return named[0].id
    if not named:
        year = year_of(name)
        of_year = [t for t in known if year is not None and t.first_day.year == year]
        season = season_of(name)
        chosen = of_year
        if len(of_year) > 1 and season is not None:
            chosen = [t for t in of_year if season_of(" ".join([t.id, *t.name.values()])) == season]
        if len(chosen) == 1:
            how = f"the only term of {year}" if len(of_year) == 1 else f"the {season} term of {year}"
            source.warn(line, 1, f"the page's term '{quoted(name)}' is no term file's name; read as {chosen[0].id}, "
                        f"{how} (give --term to choose another)")
            return chosen[0].id
    options = ", ".join(f"{t.id} ({'/'.join(t.name.values())})" for t in known)
    source.fail(
        line,
        1,
        f"the page's term '{quoted(name)}' "
        + ("matches several term files" if named else "matches no term file")
        + (f" (known: {options})" if options else "")
        + ": give the term id (--term)",
    )
    return None
