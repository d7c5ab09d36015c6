"""One syllabus as a PDF document: the story of its sections, and the rules every text of the data passes.

Reading order of the document: title block (institution, code, title, term, instructors, and
the QR code of the calendar subscription when there is one), times and places, description,
links (``sections``), the schedule (``schedule_table``), the staff (``sections``). Every page has
a footer with "page x of y" and the build date (``canvas``).

Three rules hold for every text that comes from the data:

* it is checked against the cmap of the face that draws it before anything is drawn, so a
  character the font lacks is a SyllabusError that names it and its place in the input file,
  never a black box or a gap on paper;
* it is escaped (``escape``, as ``xml.sax.saxutils.escape``) before it enters Paragraph markup, and link
  targets are attribute-escaped, so ``<``, ``&`` or reportlab markup in a title print as
  themselves;
* nothing depends on the clock or the machine: the build time is a parameter, reportlab runs
  in invariant mode and the document's dates and ID come from the build time, so the same
  inputs give the same bytes.

``Document`` keeps the first two: every data text of a section passes through ``Document.text()``
(or ``word``, ``babel``, ``url``, ``rich``), which checks and escapes it.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable

from reportlab import rl_config
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from syllabus_export import __version__
from syllabus_export import model as m
from syllabus_export.errors import Pos, Problems
from syllabus_export.expand import Schedule
from syllabus_export.messages import english_keys, messages
from syllabus_export.pdf import sections, syllabus_section
from syllabus_export.pdf.canvas import _canvas_maker, footer_drawer, footer_texts
from syllabus_export.pdf.dates import PdfDates
from syllabus_export.pdf.flowables import _Bookmark, escape
from syllabus_export.pdf.schedule_table import schedule_table
from syllabus_export.pdf.scripts import footer_line, language_script, script_fonts, script_runs
from syllabus_export.pdf.styles import markup_color, paragraph_styles
from syllabus_export.pdf.term_grid import term_grid
from syllabus_export.pdf.theme import FACES, Theme, _char_name, _register_family


class Document:
    """One syllabus being made: its data, theme, styles and words. ``render()`` builds its story from the
    sections; every data text of a section passes through ``text()`` (check + escape) or its kin."""

    def __init__(
        self,
        schedule: Schedule,
        theme: Theme,
        build_time: dt.datetime,
        pagesize: tuple[float, float],
        subscribe_url: str | None,
    ):
        self.schedule = schedule
        self.course = schedule.course
        self.term = schedule.term
        self.theme = theme
        self.build_time = build_time
        self.pagesize = pagesize
        self.subscribe_url = subscribe_url
        self.words = messages(self.course.language)
        self._english = english_keys(self.course.language)
        self.dates = PdfDates(self.course.language)
        self.script = language_script(self.course.language)[0]
        # the bundled face of the course's script, for the characters the theme's faces lack (or None)
        self.script_fonts = script_fonts(self.course.language, theme)
        self.problems = Problems()
        # before any Paragraph is made: a Paragraph resolves <b>/<i> to fonts when it is created
        _register_family(theme)
        self._seen: set[tuple[str, Pos, str]] = set()
        self._drawable: dict[str, set[str]] = {face: set() for face in FACES}  # characters checked and found
        shaped = self.script_fonts.face if self.script_fonts and self.script_fonts.face.shaping else None
        self.styles = paragraph_styles(theme, self.script, shaped and ("rtl" if shaped.rtl else "ltr"))
        margins = theme.margins  # the frame's width, which the tables share:
        self.width = pagesize[0] - (margins["left"] + margins["right"]) * mm

    # the whole document

    def render(self) -> bytes:
        """The PDF bytes; raises SyllabusError with every character the fonts lack, before drawing any."""
        story = sections.title_block(self)
        story += sections.times_places(self)
        story += sections.description(self)
        story += sections.links(self)
        story += syllabus_section.exams_deadlines(self)
        story += syllabus_section.syllabus_text(self)
        story += schedule_table(self)
        story += sections.staff(self)
        story += term_grid(self)
        footer = footer_texts(self)
        self.problems.raise_if_any()

        course, margins = self.course, self.theme.margins
        buffer = io.BytesIO()
        term_name = m.localized(self.term.name, course.language)
        template = BaseDocTemplate(
            buffer,
            pagesize=self.pagesize,
            leftMargin=margins["left"] * mm,
            rightMargin=margins["right"] * mm,
            topMargin=margins["top"] * mm,
            bottomMargin=margins["bottom"] * mm,
            title=f"{course.code} {course.title} — {term_name}",
            author=", ".join(course.instructors) or (course.author or ""),
            subject=f"{self.words['pdf_syllabus']}: {course.code} {course.title}, {term_name}"
            + (f" ({course.institution.label})" if course.institution.label else ""),
            keywords=[course.code, course.title, term_name, course.id, self.term.id, self.words["pdf_syllabus"]],
            creator=f"syllabus-export {__version__}",
            lang=course.language,
            invariant=1,
            pageCompression=1,
            initialFontName=self.theme.fonts["regular"],
            initialFontSize=self.theme.sizes["body"],
        )
        # The frame has no padding of its own: the margins of the theme are the margins on paper.
        frame = Frame(
            template.leftMargin,
            template.bottomMargin,
            template.width,
            template.height,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="body",
        )
        template.addPageTemplates([PageTemplate(id="page", frames=[frame])])
        line = footer_line(self) if self.script_fonts is not None else None
        drawer = footer_drawer(self.theme, self.pagesize[0], footer, line)
        # ASCII85 only makes content streams a quarter larger; the PDF is binary anyway.
        a85, rl_config.useA85 = rl_config.useA85, 0
        try:
            template.build(story, canvasmaker=_canvas_maker(self.build_time, drawer))
        finally:
            rl_config.useA85 = a85
        return buffer.getvalue()

    # checking and escaping

    def check(self, value: str, pos: Pos | Callable[[], Pos], what: str, face: str = "regular") -> None:
        """Record a problem for each character of ``value`` that ``face`` cannot draw.

        ``pos`` may be a function: positions that cost a look into the file are found only for a problem.
        """
        drawable = self._drawable[face]
        if drawable.issuperset(value):  # the common case: every character already seen in this face
            return
        for char in dict.fromkeys(value):
            fonts = self.script_fonts
            if char in "\n\t" or self.theme.has(face, char) or (fonts is not None and fonts.has(face, char)):
                drawable.add(char)
                continue
            where = pos() if callable(pos) else pos
            key = (char, where, what)
            if key in self._seen:
                continue
            self._seen.add(key)
            self.problems.add(
                where,
                f"{what}: the PDF font has no glyph for {_char_name(char)}: "
                f"'{self.theme.font_labels[face]}' ({face.replace('_', ' ')}, set at {self.theme.font_places[face]}) "
                "cannot draw it (remove the character, or give pdf-theme.yaml a font that has it)",
            )

    def text(self, value: str, pos: Pos | Callable[[], Pos], what: str, face: str = "regular") -> str:
        """``value`` checked against ``face`` and escaped for Paragraph markup; line breaks kept."""
        self.check(value, pos, what, face)
        if self.script_fonts is not None:
            return script_runs(value.replace("\t", " "), self.theme, self.script_fonts, face)
        return escape(value.replace("\t", " ")).replace("\n", "<br/>")

    def word(self, key: str, face: str = "regular", **values: str) -> str:
        """A word of the message catalog (with its values filled in, already escaped markup)."""
        template = self.words[key]
        what = f"the word '{key}' in the course language '{self.course.language}'"
        self.check(template.format(**{k: "" for k in values}), self.field(("language",)), what, face)
        if self.script_fonts is not None:  # the words in the script's face, the {placeholders} as they are
            parts = re.split(r"(\{\w+\})", template)
            fonts = self.script_fonts
            return "".join(p if i % 2 else script_runs(p, self.theme, fonts, face) for i, p in enumerate(parts)).format(
                **values
            )
        return escape(template).format(**values) if values else escape(template)

    def babel(self, value: str, face: str = "regular") -> str:
        """A date, weekday or time as Babel writes it in the course language, checked and escaped."""
        what = f"a date or time in the course language '{self.course.language}'"
        self.check(value, self.field(("language",)), what, face)
        if self.script_fonts is not None:
            return script_runs(value, self.theme, self.script_fonts, face)
        return escape(value)

    def url(self, url: str, pos: Pos | Callable[[], Pos]) -> str:
        """A web address printed for readers of the paper copy, linked for readers on screen."""
        return self.link(self.text(_shown_url(url), pos, "link"), url)

    def link(self, label_markup: str, url: str | None) -> str:
        """``label_markup`` as a link to ``url`` (attribute-escaped); as it is when there is no ``url``."""
        if not url:
            return label_markup
        href = escape(url, {'"': "&quot;"})
        return f'<a href="{href}" color="{markup_color(self.theme.colors["link"])}">{label_markup}</a>'

    def rich(self, value: m.RichText, what: str, face: str = "regular") -> str:
        """Text with inline links (descriptions), each part checked and escaped."""
        return "".join(self.link(self.text(run.text, value.pos, what, face), run.url) for run in value.runs)

    def heading(self, word: str, key: str) -> Flowable:
        """A section's heading (H2): a word of the message catalog, and an entry of the outline."""
        text = self.words[word]
        lang = self.word_lang(word)
        return _Bookmark(self.word(word, "bold"), self.styles["heading"], key=key, title=text, lang=lang)

    def word_lang(self, *keys: str) -> str | None:
        """The language of words of the message catalog when it is not the course's: "en" when the
        course language's catalog lacks them all (they are English), else None."""
        return "en" if keys and all(k in self._english for k in keys) else None

    def page_url(self) -> str:
        """The course page (``index.html``) beside the calendar feed at ``subscribe_url``: the PDF's
        accessible version. A ``webcal:`` feed is served over https."""
        assert self.subscribe_url is not None
        url = re.sub(r"^webcal://", "https://", self.subscribe_url)
        return url[: url.rfind("/") + 1] + "index.html"

    # positions of course-level values

    def field(self, keys: tuple[str | int, ...]) -> Pos:
        """Where a course-level value is in the course file."""
        return self.course.at(".".join(str(k) for k in keys))

    def term_name_pos(self) -> Pos:
        """Where the term's name in the course language is in the term file."""
        names = self.term.name
        language = self.course.language
        key = next((k for k in (language, language.split("-")[0], "en") if k in names), None)
        return self.term.at(f"name.{key}" if key and key != "*" else "name")


def _shown_url(url: str) -> str:
    """A link as printed on paper: without the scheme of a web address, and without a final slash."""
    return re.sub(r"^https?://", "", url).rstrip("/") if url.startswith(("http://", "https://")) else url
