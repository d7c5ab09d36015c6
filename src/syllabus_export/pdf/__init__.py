"""Schedule → the printable syllabus: PDF bytes made with reportlab's platypus.

Only this package imports reportlab (the CLI imports it for ``build`` only). Its modules, in the
order a syllabus is made:

* ``theme``: the look (fonts, sizes, colours, margins) from ``templates/pdf-theme.yaml``, or the
  user's copy of it, checked; its fonts;
* ``scripts``: whether the course language's writing system can be drawn at all, and the bundled face
  that draws the characters of its script the theme's fonts lack (``script_runs``);
* ``shaping``: Arabic, Farsi and Bengali lines shaped (HarfBuzz) and put in visual order (bidi);
* ``document``: one syllabus — the story of its sections, and the checking and escaping every
  text of the data passes; ``styles``: the paragraph and table styles of the theme;
* ``sections`` (title block, times and places, description, links, staff) and ``schedule_table``
  (the schedule: its rows and column widths), each a function of the document;
* ``dates``: dates and times in the course language;
* ``flowables``: the paragraphs, bookmarks, QR code and link annotations platypus lays out;
* ``canvas``: the pages, dated from the build time, and their footer;
* ``tagging``: the structure tree of the tagged PDF (PDF/UA-1), built while the pages are drawn: the
  tagging canvas, marked text, the ``Tagged`` flowable mixin and ``TaggedTable``; ``metadata``: the
  XMP packet and the viewer's title; ``compact``: the file, written with an object stream;
* ``caches``: what a process keeps between syllabi (``CACHES``; ``CACHES.reset()`` empties it).
"""

from __future__ import annotations

import datetime as dt
import pathlib
import re

from reportlab.lib.pagesizes import A4, LETTER

from syllabus_export.expand import Schedule
from syllabus_export.pdf import _harfbuzz_later  # noqa: F401  (first: before reportlab's TrueType support)
from syllabus_export.pdf.document import Document
from syllabus_export.pdf.flowables import _LinkAnnotation as _LinkAnnotation  # tests import these from here
from syllabus_export.pdf.flowables import _pdf_number as _pdf_number
from syllabus_export.pdf.scripts import UnsupportedScript, language_script, script_problem
from syllabus_export.pdf.theme import Theme, load_theme

__all__ = ["PAPERS", "Theme", "UnsupportedScript", "language_script", "load_theme", "render_pdf", "script_problem"]

PAPERS = {"a4": A4, "letter": LETTER}


def render_pdf(
    schedule: Schedule,
    *,
    build_time: dt.datetime,
    paper: str | None = None,
    subscribe_url: str | None = None,
    templates: pathlib.Path | None = None,
) -> bytes:
    """The printable syllabus of ``schedule`` as PDF bytes.

    Parameters:
        schedule: the expanded course and term (``expand.expand``).
        build_time: an aware datetime (the caller's SOURCE_DATE_EPOCH, git time…); the PDF's
            creation and modification dates and the footer's "built on" come from it, so two
            builds with the same inputs give identical bytes.
        paper: ``"a4"`` or ``"letter"``; None: the course's ``options.paper``.
        subscribe_url: the calendar subscription address (``webcal:`` or ``https:``); when given,
            the title block carries its QR code, which is also a link.
        templates: the user's ``--templates`` folder; its ``pdf-theme.yaml`` and fonts win over
            the packaged ones.

    Raises:
        SyllabusError: a character of the data that the theme's fonts lack (with the file, line
            and column of the value), or a problem in the theme file.
        ValueError: a naive ``build_time``, an unknown ``paper``, or a ``subscribe_url`` that is
            not an absolute http, https or webcal address.
    """
    if build_time.tzinfo is None or build_time.utcoffset() is None:
        raise ValueError("build_time must be an aware datetime")
    paper = (paper or schedule.course.options.paper).lower()
    if paper not in PAPERS:
        raise ValueError(f"unknown paper {paper!r} (expected one of: {', '.join(PAPERS)})")
    if subscribe_url is not None and not re.match(r"^(https?|webcal)://[^\s<>\"']+$", subscribe_url):
        raise ValueError(f"subscribe_url {subscribe_url!r} is not an absolute http, https or webcal address")
    theme = load_theme(templates)
    refusal = script_problem(schedule.course, theme)
    if refusal is not None:
        raise UnsupportedScript([refusal])
    return Document(schedule, theme, build_time, PAPERS[paper], subscribe_url).render()
