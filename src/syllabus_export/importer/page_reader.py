"""A course page → a :class:`~syllabus_export.model.Course`: the reader's parts, in page order.

Front matter, header line, header table, description, legend, schedule table, staff table: each is read
by its own module; this one finds where they are, settles what the page leaves to the options
(language, the page's address, the term, the course id) and puts the course together.

- **The language**: ``language``, else the front matter's ``lang``, else the language folder the
  schedule's links point into; with the script the page writes it in, where that is not CLDR's
  default for the language (the Serbian page, ``lang: sr``, writes Latin: ``sr-Latn``).
- **The page's address** (for its relative links): ``page_url``, else the site's language folder
  for a page whose front matter has ``lang``, else the site root.
- **The term** is named by id in the course file, never by the page's term name: ``term``, else
  the term of ``known_terms`` the page's term name means (:mod:`.terms`).
- **The course id**: ``course_id``, else ``course``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

from syllabus_export import model as m
from syllabus_export.errors import Problem, quoted
from syllabus_export.importer import terms, tokens
from syllabus_export.importer.description import read_description
from syllabus_export.importer.front_matter import read_front_matter
from syllabus_export.importer.header import HeaderTable, header_rows, read_header_line
from syllabus_export.importer.kinds import with_kinds
from syllabus_export.importer.legend import read_legend
from syllabus_export.importer.links import SITE, LinkResolver, language_from_links, page_address, site_root
from syllabus_export.importer.markdown import without_comments
from syllabus_export.importer.meeting_times import PatternReader
from syllabus_export.importer.schedule import ScheduleReader, meeting_entries
from syllabus_export.importer.source import PageSource
from syllabus_export.importer.staff import StaffTable
from syllabus_export.load import LANG_RE, rich_text

DEFAULT_COURSE_ID = "course"


def read_page(
    text: str,
    path: str,
    *,
    course_id: str | None = None,
    term: str | None = None,
    language: str | None = None,
    site: str = SITE,
    page_url: str | None = None,
    extra_weeks: Collection[int] | None = None,
    known_terms: Iterable[m.Term] = (),
    notes: list[Problem] | None = None,
) -> m.Course:
    """Like :func:`~syllabus_export.importer.import_page`, but return the course itself (positions
    point into the page).

    Raises:
        SyllabusError: with every problem found, each at ``path:line:column`` of the page.
    """
    source = PageSource(text, path)
    try:
        return _read(source, course_id, term, language, site, page_url, extra_weeks, tuple(known_terms))
    finally:
        if notes is not None:
            notes.extend(sorted(source.notes, key=lambda note: note.pos))


def _read(
    source: PageSource,
    course_id: str | None,
    term: str | None,
    language: str | None,
    site: str,
    page_url: str | None,
    extra_weeks: Collection[int] | None,
    known_terms: tuple[m.Term, ...],
) -> m.Course:
    path = source.path
    site = site_root(site)
    front = read_front_matter(source)
    table_start, table_end = find_table(source, front.body)
    page_lang = front.get("lang")
    at = (1, 1)  # where the language comes from, for its error
    if language is None and page_lang is not None:
        language, at = page_lang.text, (page_lang.line, page_lang.column)
    elif language is None:
        language = language_from_links(source, site, table_start, table_end)
    if not LANG_RE.match(language):
        raise source.stop(*at, f"'{quoted(language)}' is not a language code (e.g. vi, en, fr)")
    if page_url is None:
        page_url = page_address(site, page_lang.text if page_lang is not None else None)
    links = LinkResolver(source, site, page_url)

    header_line = read_header_line(source, links, front.body, table_start)
    rows = header_rows(source, header_line.index + 1, table_start)
    unkinded, weeks = ScheduleReader(source, links, language).read(table_start, table_end)
    entries = with_kinds(source, unkinded, language)
    staff = StaffTable(source, links).read(table_end + 1)
    times = PatternReader(source, links, language, entries)
    header = HeaderTable(source, links, language, times, people=[p.name for p in staff]).read(rows)
    description = read_description(source, links, header_line.index + 1, table_start)
    resource_words = read_legend(source, header_line.index + 1, table_start, language)
    term_id = terms.term_id(source, term, header_line.term_name, header_line.index + 1, known_terms)
    model_entries = meeting_entries(source, entries, extra_weeks)
    times.check_every_kind_timed()
    if (script := tokens.written_script(times.day_texts, language)) is not None:
        line = min((p.pos.line for p in header.patterns), default=1)
        source.warn(line, 1, f"the page writes {language} in the {script} script (its weekday names are CLDR's "
                    f"{language}_{script}, not {language}'s): language {language}-{script}, so dates come out in it")
        language = f"{language}-{script}"
    title = front.title(source)
    translation = front.translation(source, language)
    source.problems.raise_if_any()
    assert title is not None and term_id is not None  # else a problem was raised
    return m.Course(
        id=course_id or DEFAULT_COURSE_ID,
        language=language,
        term=term_id,
        code=header_line.code,
        title=title,
        institution=header_line.institution,
        instructors=tuple(header.instructors),
        patterns=tuple(header.patterns),
        weeks=tuple(weeks),
        entries=tuple(model_entries),
        site=site,
        author=front.author(),
        translation=translation,
        links=tuple(header.links),
        materials=tuple(header.materials),
        description=rich_text(description),
        staff=tuple(staff),
        resource_labels=resource_words,
        path=path,
        pos=source.pos(1),
    )


def find_table(source: PageSource, body: int) -> tuple[int, int]:
    """Line indexes (from 0) of the schedule table's ``<table`` and ``</table>`` lines.

    Raises:
        SyllabusError: the page has no table, or its table is not closed.
    """
    in_comment = False
    start = None
    for i in range(body, len(source.lines)):
        line = source.lines[i]
        if start is None:
            visible, in_comment = without_comments(line, in_comment)
            if re.search(r"<table\b", visible, re.IGNORECASE):
                start = i
        if start is not None and re.search(r"</table\s*>", line, re.IGNORECASE):
            return start, i
    if start is None:
        raise source.stop(body + 1, 1, "the page has no schedule table (<table>…</table>)")
    raise source.stop(start + 1, 1, "the schedule table is not closed (no </table>)")
