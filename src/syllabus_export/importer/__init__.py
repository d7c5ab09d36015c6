"""A course home page → the text of a course file (the reverse of :mod:`syllabus_export.export_page`).

The page is a course site's home page in any of its languages (``tests/fixtures/pages/`` holds
the Vietnamese and English pages and, in ``translations/``, the fourteen others): Jekyll front
matter, a bold header line ``CODE · TERM · [INSTITUTION](url)``, a Markdown header table, a
description section, the legend, the HTML schedule table and a staff table (Markdown or HTML).
Nothing is invented: whatever cannot be read is a :class:`SyllabusError` naming the page's line
and column, and a reading the page does not state plainly is a warning at its line and column.
The rules are general (structure first, words second), never one per page or language.

How the page is read, where the page itself does not say — each rule in the module that owns it:

- **Lecture or practicum** comes from the table's structure; a label that contradicts it is a
  warning, and the structure wins (:mod:`.kinds`). The header's time rows are time rows by their
  value and are matched to kinds by their order, their labels second (:mod:`.meeting_times`).
- **Extras** (material published without a class meeting, ``extra: true``): the meetings in the
  weeks after the last week that has a lecture, unless ``extra_weeks`` names the weeks
  (:func:`syllabus_export.model.default_extra_weeks`, applied in :mod:`.schedule`).
- **The header line and header table**: instructors, meeting times, forums, materials
  (:mod:`.header`); a time row's weekday, times and place (:mod:`.meeting_times`); weekday
  names from Babel/CLDR in every script of the language, found inside plural and "every" forms,
  times ``16:55``, ``16h55``, ``16.55`` in any digits (:mod:`.tokens`).
- **The schedule table**: HTML and rowspans (:mod:`.html_table`), then weeks, meetings,
  sessions and resources (:mod:`.schedule`). **The staff table**: :mod:`.staff`. **The legend**,
  the page's words for the resource kinds: :mod:`.legend`.
- **Links** are made absolute against the site and the page's address (:mod:`.links`);
  reference links through the page's definitions (:mod:`.source`, :mod:`.markdown`).
- **The language, the page's address and the course id** (:mod:`.page_reader`); **the term**
  (:mod:`.terms`).
- **Warnings**: where the page is read in a way it does not state plainly, the import goes on
  and says so at the page's line (:meth:`.source.PageSource.warn`).
- **The course file's text** (:mod:`.course_yaml`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any

from syllabus_export import model as m
from syllabus_export.errors import Pos, Problem, SyllabusError, decode_utf8
from syllabus_export.importer.course_yaml import dump_course
from syllabus_export.importer.kinds import KINDS
from syllabus_export.importer.links import SITE
from syllabus_export.importer.markdown import markdown_links, split_table_row
from syllabus_export.importer.page_reader import DEFAULT_COURSE_ID, read_page
from syllabus_export.importer.schedule import RESOURCE_EMOJI
from syllabus_export.importer.tokens import ascii_digits

__all__ = [
    "DEFAULT_COURSE_ID",
    "KINDS",
    "RESOURCE_EMOJI",
    "SITE",
    "ascii_digits",
    "dump_course",
    "import_file",
    "import_page",
    "markdown_links",
    "read_page",
    "split_table_row",
]


def import_page(
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
) -> str:
    """Read a course page and return the YAML text of its course file.

    Parameters:
        text: the page (Markdown with an HTML schedule table). ``path`` names it in errors.
        course_id: the course's id (default ``course``).
        term: the id of the course's default term; without it, the term of ``known_terms`` the
            page's term name means (its name, else its year and season: :mod:`.terms`).
        language: the page's language when its front matter has no ``lang``.
        site: the course site, which ``{{site.baseurl}}`` stands for.
        page_url: the page's own address, for its relative links (default: see :mod:`.page_reader`).
        extra_weeks: the weeks whose meetings are extras (default: those after the last lecture).
        notes: given, the import's warnings are added to it (readings the page does not state
            plainly: a label its structure contradicts, a term chosen by its year), even when
            the import fails.

    Raises:
        SyllabusError: with every problem found, each at ``path:line:column`` of the page.
    """
    found: list[Problem] = []
    try:
        course = read_page(
            text,
            path,
            course_id=course_id,
            term=term,
            language=language,
            site=site,
            page_url=page_url,
            extra_weeks=extra_weeks,
            known_terms=known_terms,
            notes=found,
        )
    finally:
        if notes is not None:
            notes.extend(found)
    return dump_course(course, header=_header_comment(course, path, found))


def import_file(path: str | Path, **options: Any) -> str:
    """:func:`import_page` on a file: UTF-8 (a byte order mark is allowed), errors at their place."""
    shown = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise SyllabusError([Problem(pos=Pos(path=shown), message=f"cannot read the page ({exc.strerror or exc})")])
    return import_page(decode_utf8(raw, shown, "page"), shown, **options)


def _header_comment(course: m.Course, path: str, notes: list[Problem]) -> str:
    """The comment at the top of an imported course file: where it came from, how links were made,
    and how the page was read where it does not say plainly (the import's warnings)."""
    text = (
        f"{course.title} ({course.code}), imported from the course page {path}\n"
        "by `syllabus-export import`. Links are made absolute: \"{{site.baseurl}}\" is\n"
        f"{(course.site or SITE).rstrip('/')}, and relative links are resolved against the page's address."
    )
    if notes:
        text += "\n\nRead with warnings (line:column of the page):\n" + "\n".join(
            f"  {n.pos.line}:{n.pos.column}: {n.message}" for n in notes
        )
    return text
