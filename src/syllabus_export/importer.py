"""A course home page → the text of a course file (the reverse of :mod:`syllabus_export.export_page`).

The page is a course site's home page in any of its languages (``../shared/seed/dlsp20-index.*.md``):
Jekyll front matter, a bold header line ``CODE · TERM · [INSTITUTION](url)``, a Markdown header
table, a description section, the HTML schedule table and a Markdown staff table. Nothing is
guessed: whatever cannot be read is a :class:`SyllabusError` naming the page's line and column.

How the page is read, where the page itself does not say:

- **Lecture or practicum comes from the table's structure**, never from the translated word.
  Several sessions sharing one resources cell are one lecture (two sessions, one class meeting).
  Every other row is a meeting with one session: a practicum, unless its format label is one the
  page uses for its lectures (or the message catalog's word for a lecture, in the page's language
  or English). The header table's day-and-time rows are matched to these kinds by how close their
  label is to the table's labels ("LECTURES" ~ "Lecture", "PRACTICA" ~ "Practicum").
- **Extras** (material published without a class meeting, ``extra: true``): the meetings in the
  weeks after the last week that has a lecture, unless ``extra_weeks`` names the weeks.
- **The header table**, in the site's order: the first row names the instructors (split on
  ``&``, commas and the language's word for "and"); a row whose value holds a time range gives a
  meeting pattern (weekday in the page's language, from Babel/CLDR; times ``16:55``, ``16h55``,
  ``16.55``, in any digits); a row whose label is a link is a forum, with its access code in
  backticks; the material row (its label close to the catalog's word for materials, else the
  last row) lists the materials; any other row of links is a forum: its label is the row's label
  and its ``text`` the link's own words (``FORUM`` / ``r/NYU_DeepLearning``).
- **The language**: ``language``, else the front matter's ``lang``, else the language folder the
  schedule's links point into (the English page has no ``lang`` and links to ``en/week01/01``).
- **Links** are made absolute: ``{{site.baseurl}}`` is the site without its trailing slash; a
  relative link is resolved against the page's own address, which is the site's language folder
  (``…/vi/``) for a page whose front matter has ``lang`` and the site root otherwise.
- **The term** is named by id in the course file, never by the page's term name: ``term``, else
  the one term of ``known_terms`` whose name (in any language) is the page's term name.
- **The course id**: ``course_id``, else ``course``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import yaml
from yaml.nodes import MappingNode, ScalarNode

from syllabus_export import model as m
from syllabus_export.errors import Pos, Problem, Problems, SyllabusError, decode_utf8, quoted
from syllabus_export.load import LANG_RE, SESSION_ID_RE, rich_text, url_problem
from syllabus_export.messages import messages

SITE = "https://atcold.github.io/NYU-DLSP20/"
DEFAULT_COURSE_ID = "course"
RESOURCE_EMOJI = {"\U0001f5a5": "slides", "\U0001f4d3": "notebook", "\U0001f3a5": "video"}
KINDS = ("lecture", "practicum")
_VARIATION = "\ufe0e\ufe0f"
_INVISIBLE = "\u200c\u200d\u200e\u200f\u2060"
_LIQUID = re.compile(r"\{\{\s*site\.(baseurl|url)\s*\}\}")
_TIME = r"([0-9]{1,2})\s*[:h.\u066b]\s*([0-9]{2})\s*(am|pm|a\.m\.|p\.m\.)?"
_RANGE = re.compile(_TIME + r"\s*[-\u2010-\u2015\u2212~]\s*" + _TIME, re.IGNORECASE)
_EMAIL = re.compile(r"[^@\s<>\"'()\[\]]+@[^@\s<>\"'()\[\]]+\.[^@\s<>\"'()\[\]]+")
_FORMATTING_TAGS = {"b", "strong", "i", "em", "span", "small", "sup", "sub", "code", "u", "mark"}


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
) -> str:
    """Read a course page and return the YAML text of its course file.

    Parameters:
        text: the page (Markdown with an HTML schedule table). ``path`` names it in errors.
        course_id: the course's id (default ``course``).
        term: the id of the course's default term; without it, the one term of ``known_terms``
            whose name is the page's term name.
        language: the page's language when its front matter has no ``lang``.
        site: the course site, which ``{{site.baseurl}}`` stands for.
        page_url: the page's own address, for its relative links (default: see the module).
        extra_weeks: the weeks whose meetings are extras (default: those after the last lecture).

    Raises:
        SyllabusError: with every problem found, each at ``path:line:column`` of the page.
    """
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
    )
    return dump_course(course, header=_header_comment(course, path))


def import_file(path: str | Path, **options: Any) -> str:
    """:func:`import_page` on a file: UTF-8 (a byte order mark is allowed), errors at their place."""
    shown = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise SyllabusError([Problem(pos=Pos(path=shown), message=f"cannot read the page ({exc.strerror or exc})")])
    return import_page(decode_utf8(raw, shown, "page"), shown, **options)


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
) -> m.Course:
    """Like :func:`import_page`, but return the course itself (positions point into the page)."""
    page = _Page(text, path, site)
    return page.read(
        course_id=course_id or DEFAULT_COURSE_ID,
        term=term,
        language=language,
        page_url=page_url,
        extra_weeks=extra_weeks,
        known_terms=tuple(known_terms),
    )


# --- small text helpers ----------------------------------------------------------------------


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


def _fold(text: str) -> str:
    """For comparing words: case, accents' composition, spacing, invisible joiners and end dots."""
    text = unicodedata.normalize("NFC", text).casefold()
    text = "".join(c for c in text if c not in _INVISIBLE and c not in _VARIATION)
    return " ".join(text.split()).strip(" .:,;")


def _similarity(a: str, b: str) -> float:
    a, b = _fold(a), _fold(b)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    if min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a)):
        return 0.9
    return difflib.SequenceMatcher(None, a, b).ratio()


def _clean(text: str) -> str:
    """A one-line text as shown: NFC, runs of white space as one space, none around it."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def _plain_label(text: str) -> str:
    text = text.strip()
    for mark in ("**", "__", "*", "_"):
        if len(text) > 2 * len(mark) and text.startswith(mark) and text.endswith(mark):
            text = text[len(mark) : -len(mark)].strip()
    return _clean(text)


def _locale(language: str):
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def _weekday_names(language: str) -> dict[str, int]:
    """Folded CLDR day names (wide, abbreviated, short) of the page's language, then English → 0–6."""
    from babel.dates import get_day_names

    return _folded_names(language, get_day_names, ("wide", "abbreviated", "short"))


def _month_names(language: str) -> dict[str, int]:
    """Folded CLDR month names (wide, abbreviated) of the page's language, then English → 1–12."""
    from babel.dates import get_month_names

    return _folded_names(language, get_month_names, ("wide", "abbreviated"))


def _folded_names(
    language: str, get_names: Callable[..., Mapping[int, str]], widths: tuple[str, ...]
) -> dict[str, int]:
    names: dict[str, int] = {}
    for code in (language, "en"):
        locale = _locale(code)
        if locale is None:
            continue
        for width in widths:
            for context in ("format", "stand-alone"):
                for number, name in get_names(width, context, locale).items():
                    names.setdefault(_fold(name), number)
    return names


def _and_words(language: str) -> list[str]:
    """The language's word for "and" between two names (CLDR list patterns), when it is a word."""
    words = []
    for code in (language, "en"):
        locale = _locale(code)
        if locale is None:
            continue
        for key in ("2", "end"):
            pattern = locale.list_patterns["standard"][key]
            between = pattern.replace("{0}", "\0").replace("{1}", "\0").split("\0")[1]
            word = between.strip(" ,،\u200f")
            if word and between.startswith(" ") and between.endswith(" ") and word.isalpha():
                words.append(word)
    return words


def markdown_links(text: str) -> list[tuple[int, int, str, str, bool]]:
    """``[label](url)`` and ``![alt](src)`` in ``text``: (start, end, label, url, is_image)."""
    found = []
    i = 0
    while (i := text.find("[", i)) != -1:
        j, depth = i, 0
        while j < len(text):
            if text[j] == "\\":
                j += 2
                continue
            if text[j] == "[":
                depth += 1
            elif text[j] == "]":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        if j + 1 >= len(text) or text[j + 1] != "(":
            i += 1
            continue
        k, depth = j + 2, 1
        while k < len(text) and text[k] != "\n":
            if text[k] == "\\":
                k += 2
                continue
            if text[k] == "(":
                depth += 1
            elif text[k] == ")":
                depth -= 1
                if depth == 0:
                    break
            k += 1
        if k >= len(text) or text[k] != ")":
            i += 1
            continue
        target = text[j + 2 : k].strip()
        titled = re.fullmatch(r"<?([^\s<>]*)>?(?:\s+(\"[^\"]*\"|'[^']*'))?", target)
        url = titled[1] if titled else target
        image = i > 0 and text[i - 1] == "!"
        found.append((i - 1 if image else i, k + 1, text[i + 1 : j], url, image))
        i = k + 1
    return found


def split_table_row(line: str) -> list[tuple[int, str]] | None:
    """A Markdown table row → [(column of the cell's text, from 1; the cell's text)], or None.

    A ``|`` inside a link, an HTML tag or code does not end a cell; ``\\|`` never does.
    """
    text = line.rstrip()
    start = len(text) - len(text.lstrip())
    if not text[start:].startswith("|"):
        return None
    cells, cell_start = [], start + 1
    i = start + 1
    code = tag = False
    quote = ""
    bracket = paren = 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if code:
            code = c != "`"
        elif tag:
            if quote:
                quote = "" if c == quote else quote
            elif c in "\"'":
                quote = c
            elif c == ">":
                tag = False
        elif c == "`":
            code = True
        elif c == "<" and re.match(r"</?[A-Za-z!]", text[i : i + 2]):
            tag = True
        elif c == "[":
            bracket += 1
        elif c == "]" and bracket:
            bracket -= 1
        elif c == "(" and (paren or text[i - 1] == "]"):
            paren += 1
        elif c == ")" and paren:
            paren -= 1
        elif c == "|" and not bracket and not paren:
            cells.append((cell_start, text[cell_start:i]))
            cell_start = i + 1
        i += 1
    if text[cell_start:].strip():
        cells.append((cell_start, text[cell_start:]))
    result = []
    for begin, raw in cells:
        stripped = raw.lstrip()
        result.append((begin + len(raw) - len(stripped) + 1, stripped.rstrip()))
    return result


# --- the schedule table as html.parser sees it -----------------------------------------------


@dataclass
class _A:
    href: str | None
    title: str | None
    line: int
    column: int
    text: str = ""


@dataclass(eq=False)
class _Cell:
    tag: str
    attrs: dict[str, str | None]
    line: int
    column: int
    text: str = ""
    outside: str = ""  # text not inside a link
    links: list[_A] = field(default_factory=list)
    images: list[tuple[str | None, int, int]] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)  # body rows it covers


@dataclass(eq=False)
class _Row:
    line: int
    column: int
    head: bool
    cells: list[_Cell] = field(default_factory=list)
    comment: tuple[str, int, int] | None = None


class _TableParser(HTMLParser):
    """Rows, cells, links and comments of one ``<table>``, each with its line and column."""

    def __init__(self, first_line: int, report):
        super().__init__(convert_charrefs=True)
        self.first_line = first_line
        self.report = report  # (line, column, message)
        self.rows: list[_Row] = []
        self.row: _Row | None = None
        self.cell: _Cell | None = None
        self.link: _A | None = None
        self.in_head = False
        self.comment: tuple[str, int, int] | None = None
        self.depth = 0

    def where(self) -> tuple[int, int]:
        line, offset = self.getpos()
        return self.first_line + line - 1, offset + 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, column = self.where()
        if tag == "table":
            self.depth += 1
            if self.depth > 1:
                self.report(line, column, "a table inside the schedule table cannot be read")
        elif tag == "thead":
            self.in_head = True
        elif tag == "tbody":
            self.in_head = False
        elif tag == "tr":
            self.cell = self.link = None
            self.row = _Row(line, column, self.in_head, comment=self.comment)
            self.comment = None
            self.rows.append(self.row)
        elif tag in ("td", "th"):
            self.link = None
            if self.row is None:
                self.report(line, column, f"<{tag}> outside a row (<tr>)")
                self.cell = None
                return
            self.cell = _Cell(tag, dict(attrs), line, column)
            self.row.cells.append(self.cell)
        elif tag == "a":
            if self.cell is None:
                self.report(line, column, "a link outside a cell of the schedule table")
                return
            values = dict(attrs)
            self.link = _A(values.get("href"), values.get("title"), line, column)
            self.cell.links.append(self.link)
        elif tag == "br":
            if self.cell is not None:
                self.cell.text += "\n"
        elif tag == "img":
            if self.cell is not None:
                self.cell.images.append((dict(attrs).get("src"), line, column))
        elif tag not in _FORMATTING_TAGS:
            self.report(line, column, f"unexpected <{tag}> in the schedule table")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.depth -= 1
        elif tag == "a":
            self.link = None
        elif tag in ("td", "th"):
            self.cell = self.link = None
        elif tag == "tr":
            self.row = self.cell = self.link = None
        elif tag == "thead":
            self.in_head = False

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.text += data
            if self.link is not None:
                self.link.text += data
            else:
                self.cell.outside += data
        elif data.strip():
            line, column = self.where()
            self.report(line, column, f"text outside the cells of the schedule table: '{_short(data.strip())}'")

    def handle_comment(self, data: str) -> None:
        line, column = self.where()
        self.comment = (data, line, column)


_short = quoted


# --- the page --------------------------------------------------------------------------------


@dataclass
class _RawEntry:
    """One meeting as the table shows it, before its kind is known."""

    week: int
    label: str
    label_at: tuple[int, int]
    sessions: list[m.Session]
    resources: list[m.Resource]
    shared: bool  # several sessions share one resources cell: a lecture
    at: tuple[int, int]
    kind: str = ""


class _Page:
    def __init__(self, text: str, path: str, site: str):
        if text.startswith("\ufeff"):
            text = text[1:]
        self.path = path
        self.lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self.site = site if site.endswith("/") else site + "/"
        self.problems = Problems()
        self.page_url = self.site
        self.language = "en"
        self.timed_kinds: set[str] = set()
        self.any_unmatched = False  # a time row of unknown kind: a kind without times is no second problem

    # errors

    def pos(self, line: int, column: int = 1) -> Pos:
        return Pos(path=self.path, line=line, column=column)

    def fail(self, line: int, column: int, message: str) -> None:
        self.problems.add(self.pos(line, column), message)

    def stop(self, line: int, column: int, message: str) -> SyllabusError:
        self.fail(line, column, message)
        return self.problems.error()

    # links

    def absolute(self, raw: str | None, line: int, column: int, what: str) -> str | None:
        """A link as the page has it, made absolute against the site and the page's address."""
        if raw is None or not raw.strip():
            self.fail(line, column, f"{what}: the link has no address")
            return None
        value = raw.strip()
        root = urlsplit(self.site)
        value = _LIQUID.sub(
            lambda found: self.site.rstrip("/") if found[1] == "baseurl" else f"{root.scheme}://{root.netloc}", value
        )
        if "{{" in value or "{%" in value:
            self.fail(line, column, f"{what}: cannot resolve '{_short(value)}' (of Liquid, only {{{{site.baseurl}}}})")
            return None
        url = urljoin(self.page_url, value)
        problem = url_problem(url)
        if problem:
            self.fail(line, column, f"{what}: {problem}")
            return None
        return url

    def text_links(self, text: str, line: int, column: int, what: str) -> str:
        """Markdown text with each link's address made absolute."""
        out, last = [], 0
        for start, end, label, url, image in markdown_links(text):
            absolute = self.absolute(url, line, column + start, what) or url
            out.append(text[last:start] + ("!" if image else "") + f"[{label}]({absolute})")
            last = end
        return "".join(out) + text[last:]

    # the whole page

    def read(
        self,
        *,
        course_id: str,
        term: str | None,
        language: str | None,
        page_url: str | None,
        extra_weeks: Collection[int] | None,
        known_terms: tuple[m.Term, ...],
    ) -> m.Course:
        front, body = self.front_matter()
        table_start, table_end = self.find_table(body)
        page_lang = front.get("lang")
        if language is not None:
            self.language = language
        elif page_lang is not None:
            self.language = page_lang[0]
        else:
            self.language = self.language_from_links(table_start, table_end)
        if not LANG_RE.match(self.language):
            line, column = (page_lang[1], page_lang[2]) if page_lang and language is None else (1, 1)
            raise self.stop(line, column, f"'{_short(self.language)}' is not a language code (e.g. vi, en, fr)")
        if page_url is not None:
            self.page_url = page_url
        elif page_lang is not None:
            self.page_url = urljoin(self.site, page_lang[0] + "/")
        else:
            self.page_url = self.site

        header_at, code, term_name, institution = self.header_line(body, table_start)
        rows = self.header_rows(header_at + 1, table_start)
        entries, weeks = self.schedule(table_start, table_end)
        self.kinds(entries)
        instructors, patterns, links, materials = self.header_table(rows, entries)
        description = self.description(header_at + 1, table_start)
        staff = self.staff(table_end + 1)
        term_id = self.term_id(term, term_name, header_at, known_terms)

        # With no lecture at all, no week comes after the last one: nothing is an extra.
        last_week = max((w.number for w in weeks), default=0)
        last_lecture = max((e.week for e in entries if e.kind == "lecture"), default=last_week)
        extras = set(extra_weeks) if extra_weeks is not None else {e.week for e in entries if e.week > last_lecture}
        prefixes = {kind: kind[0].upper() for kind in KINDS}
        model_entries, taken = [], Counter()
        for raw in entries:
            extra = raw.week in extras
            if extra:
                eid = f"X{raw.sessions[0].id}"
            else:
                eid = f"{prefixes[raw.kind]}{raw.week:02d}"
                taken[eid] += 1
                if taken[eid] > 1:
                    eid = f"{eid}-{taken[eid]}"
            model_entries.append(
                m.Entry(
                    id=eid,
                    kind=raw.kind,
                    week=raw.week,
                    sessions=tuple(raw.sessions),
                    resources=tuple(raw.resources),
                    extra=extra,
                    pos=self.pos(*raw.at),
                )
            )
        for kind in dict.fromkeys(e.kind for e in entries):
            if kind not in self.timed_kinds and not self.any_unmatched:
                first = next(e for e in entries if e.kind == kind)
                self.fail(
                    *first.label_at,
                    f"the schedule has {kind} meetings ('{first.label}') but the header table gives no day and "
                    "time for them",
                )

        title = front.get("title")
        if title is None or not _clean(title[0]):
            self.fail(1, 1, "the front matter has no title")
        translator = front.get("translator")
        tdate = front.get("translation-date")
        translation = None
        if tdate is not None and translator is None:
            self.fail(tdate[1], tdate[2], "translation-date without a translator (add 'translator:')")
        elif translator is not None:
            translation = m.Translation(translator=_clean(translator[0]), date=self.date(tdate) if tdate else None)
        self.problems.raise_if_any()
        author = front.get("author")
        return m.Course(
            id=course_id,
            language=self.language,
            term=term_id,  # type: ignore[arg-type]
            code=code,
            title=_clean(title[0]),  # type: ignore[index]
            institution=institution,
            instructors=tuple(instructors),
            patterns=tuple(patterns),
            weeks=tuple(weeks),
            entries=tuple(model_entries),
            site=self.site,
            author=_clean(author[0]) if author and _clean(author[0]) else None,
            translation=translation,
            links=tuple(links),
            materials=tuple(materials),
            description=rich_text(description),
            staff=tuple(staff),
            path=self.path,
            pos=self.pos(1),
        )

    # front matter

    def front_matter(self) -> tuple[dict[str, tuple[str, int, int]], int]:
        if not self.lines or self.lines[0].strip() != "---":
            raise self.stop(1, 1, "expected Jekyll front matter (the page's first line '---')")
        end = next((i for i in range(1, len(self.lines)) if self.lines[i].strip() in ("---", "...")), None)
        if end is None:
            raise self.stop(1, 1, "the front matter has no closing '---'")
        try:
            node = yaml.compose("\n".join(self.lines[1:end]), Loader=yaml.BaseLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line, column = (mark.line + 2, mark.column + 1) if mark else (2, 1)
            raise self.stop(line, column, f"front matter: {exc.problem or exc.context or 'invalid YAML'}") from None
        values: dict[str, tuple[str, int, int]] = {}
        if node is not None and not isinstance(node, MappingNode):
            raise self.stop(2, 1, "the front matter must be keys and values")
        for key, value in node.value if node is not None else ():
            if isinstance(key, ScalarNode) and isinstance(value, ScalarNode):
                values[key.value] = (value.value.strip(), value.start_mark.line + 2, value.start_mark.column + 1)
        return values, end + 1

    def date(self, value: tuple[str, int, int]) -> dt.date | None:
        text, line, column = value
        plain = ascii_digits(text).strip()
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", plain):
            try:
                return dt.date.fromisoformat(plain)
            except ValueError:
                pass
        months = _month_names(self.language)
        words = re.findall(r"[0-9]+|[^\W\d_]+\.?", plain)
        years = [w for w in words if w.isdigit() and len(w) == 4]
        days = [w for w in words if w.isdigit() and len(w) <= 2]
        named = [months[_fold(w)] for w in words if not w.isdigit() and _fold(w) in months]
        if len(years) == 1 and len(days) == 1 and len(named) == 1:
            try:
                return dt.date(int(years[0]), named[0], int(days[0]))
            except ValueError:
                pass
        self.fail(line, column, f"cannot read the date '{_short(text)}' (expected e.g. 16 Sep 2020 or 2020-09-16)")
        return None

    # where things are

    def find_table(self, body: int) -> tuple[int, int]:
        """Line indexes (from 0) of the schedule table's ``<table`` and ``</table>`` lines."""
        in_comment = False
        start = None
        for i in range(body, len(self.lines)):
            line = self.lines[i]
            if start is None:
                visible, in_comment = _without_comments(line, in_comment)
                if re.search(r"<table\b", visible, re.IGNORECASE):
                    start = i
            if start is not None and re.search(r"</table\s*>", line, re.IGNORECASE):
                return start, i
        if start is None:
            raise self.stop(body + 1, 1, "the page has no schedule table (<table>…</table>)")
        raise self.stop(start + 1, 1, "the schedule table is not closed (no </table>)")

    def markdown_lines(self, begin: int, end: int) -> list[tuple[int, str]]:
        """(index, text) of lines begin..end-1 with HTML comments blanked out."""
        in_comment = False
        out = []
        for i in range(begin, min(end, len(self.lines))):
            visible, in_comment = _without_comments(self.lines[i], in_comment)
            out.append((i, visible))
        return out

    def language_from_links(self, start: int, end: int) -> str:
        """The site folder the schedule links point into (``en/week01/01`` → ``en``)."""
        folders = Counter()
        for line in self.lines[start : end + 1]:
            for href in re.findall(r"<a\s[^>]*href=\"([^\"]*)\"", line):
                value = _LIQUID.sub(self.site.rstrip("/"), href)
                url = urljoin(self.site, value)
                if url.startswith(self.site):
                    folder = url[len(self.site) :].split("/")[0]
                    if folder and "/" in url[len(self.site) :]:
                        folders[folder] += 1
        if len(folders) == 1:
            folder = next(iter(folders))
            if LANG_RE.match(folder) and _locale(folder) is not None:
                return folder
        raise self.stop(
            1, 1, "the page does not say its language (no 'lang' in the front matter): give the language (--lang)"
        )

    # header line and header table

    def header_line(self, body: int, table_start: int) -> tuple[int, str, str, m.Link]:
        for i, text in self.markdown_lines(body, table_start):
            if text.strip():
                break
        else:
            raise self.stop(body + 1, 1, "expected the header line 'CODE · TERM · INSTITUTION' before the table")
        line = i + 1
        stripped = text.strip()
        column = text.index(stripped) + 1
        inner = stripped
        if inner.startswith("**") and inner.endswith("**") and len(inner) > 4:
            inner, column = inner[2:-2], column + 2
        parts = _split_outside_links(inner, ("·", "•", "|"))
        if len(parts) != 3:
            raise self.stop(
                line, column, "cannot read the header line (expected 'CODE · TERM · [INSTITUTION](url)', three parts)"
            )
        (code_at, code), (term_at, term_name), (inst_at, inst) = parts
        links = markdown_links(inst)
        if len(links) == 1 and links[0][0] == 0 and links[0][1] == len(inst):
            label, url = _clean(links[0][2]), self.absolute(links[0][3], line, column + inst_at, "institution")
        elif not links:
            label, url = _clean(inst), None
        else:
            raise self.stop(line, column + inst_at, "cannot read the institution (expected a name or one link)")
        if not code or not label:
            raise self.stop(line, column, "the header line has an empty part")
        institution = m.Link(label=label, url=url, pos=self.pos(line, column + inst_at))
        return i, _clean(code), _clean(term_name), institution

    def header_rows(self, begin: int, table_start: int) -> list[tuple[int, list[tuple[int, str]]]]:
        rows, started = [], False
        for i, text in self.markdown_lines(begin, table_start):
            cells = split_table_row(text)
            if cells is None:
                if started and text.strip():
                    break
                continue
            started = True
            if all(re.fullmatch(r":?-+:?", c) for _, c in cells if c):
                continue  # a separator row
            if len(cells) != 2:
                self.fail(i + 1, 1, f"a header table row has {len(cells)} cells (expected 2: what, value)")
                continue
            rows.append((i + 1, cells))
        return rows

    def header_table(
        self, rows: list[tuple[int, list[tuple[int, str]]]], entries: list[_RawEntry]
    ) -> tuple[list[str], list[m.Pattern], list[m.Link], list[m.Link]]:
        instructors: list[str] = []
        patterns: list[m.Pattern] = []
        links: list[m.Link] = []
        materials: list[m.Link] = []
        words = messages(self.language)
        english = messages("en")
        list_rows = []
        for index, (line, [(label_col, label), (value_col, value)]) in enumerate(rows):
            label_links = markdown_links(label)
            digits = ascii_digits(value)
            if _RANGE.search(digits):
                pattern = self.pattern(line, label_col, label, value_col, value, entries)
                if pattern is not None:
                    patterns.append(pattern)
            elif len(label_links) == 1 and label_links[0][0] == 0 and label_links[0][1] == len(label):
                _, _, text, url, _ = label_links[0]
                code = re.findall(r"`([^`]+)`", value)
                if len(code) > 1 or (not code and value.strip()):
                    self.fail(line, value_col, "cannot read the access code (expected it in backticks: `CODE`)")
                links.append(
                    m.Link(
                        label=_clean(text),
                        url=self.absolute(url, line, label_col, "link"),
                        access_code=code[0].strip() if code else None,
                        pos=self.pos(line, label_col),
                    )
                )
            elif index == 0 and not markdown_links(value):
                instructors = self.names(value, line, value_col)
            elif (found := self.link_list(value, line, value_col)) is not None:
                list_rows.append((line, label_col, _plain_label(label), found))
            else:
                self.fail(
                    line,
                    label_col,
                    f"cannot read the header table row '{_short(_plain_label(label))}' (expected instructors, a "
                    "weekday and time range, a forum link or a list of links)",
                )
        material_words = (words["materials"], english["materials"])
        chosen = [r for r in list_rows if max(_similarity(r[2], w) for w in material_words) >= 0.8]
        if not chosen and list_rows:
            chosen = [list_rows[-1]]
        for row in list_rows:
            line, column, label, found = row
            if row in chosen:
                materials.extend(m.Link(label=text, url=url, pos=self.pos(line, col)) for col, text, url in found)
            else:
                links.extend(
                    m.Link(label=label or text, text=text if label and _fold(label) != _fold(text) else None,
                           url=url, pos=self.pos(line, col))
                    for col, text, url in found
                )
        return instructors, patterns, links, materials

    def names(self, value: str, line: int, column: int) -> list[str]:
        text = value
        for start, end, label, _, _ in reversed(markdown_links(value)):
            text = text[:start] + label + text[end:]
        separators = [r"\s*[&,;、،]\s*"] + [rf"\s+{re.escape(w)}\s+" for w in _and_words(self.language)]
        names = [_clean(n) for n in re.split("|".join(separators), _plain_label(text))]
        if not all(names):
            self.fail(line, column, "cannot read the instructors (an empty name between separators)")
            return []
        return names

    def link_list(self, value: str, line: int, column: int) -> list[tuple[int, str, str]] | None:
        """``[a](u), [b](v)`` → [(column, label, absolute url)]; None when the value is not only links."""
        found = markdown_links(value)
        if not found or any(image for *_, image in found):
            return None
        rest = value
        for start, end, *_ in reversed(found):
            rest = rest[:start] + rest[end:]
        if rest.strip(" ,;、،·|"):
            return None
        result = []
        for start, _, label, url, _ in found:
            absolute = self.absolute(url, line, column + start, "link")
            if absolute is not None and _clean(label):
                result.append((column + start, _clean(label), absolute))
        return result

    def pattern(
        self,
        line: int,
        label_col: int,
        label: str,
        value_col: int,
        value: str,
        entries: list[_RawEntry],
    ) -> m.Pattern | None:
        kind = self.kind_of_row(line, label_col, label, entries)
        if kind is None:
            return None
        self.timed_kinds.add(kind)  # given, even when the rest of the row has a problem
        digits = ascii_digits(value)
        found = _RANGE.search(digits)
        assert found is not None
        times = []
        for hour, minute, half, at in ((found[1], found[2], found[3], found.start(1)),
                                       (found[4], found[5], found[6], found.start(4))):
            h, mi = int(hour), int(minute)
            if half:
                if not 1 <= h <= 12:
                    self.fail(line, value_col + at, f"'{hour}' is not an hour on a 12-hour clock")
                    return None
                h = h % 12 + (12 if half.lower().startswith("p") else 0)
            if h > 23 or mi > 59:
                self.fail(line, value_col + at, f"'{value[at:found.end()]}' is not a time of day")
                return None
            times.append(dt.time(h, mi))
        if times[1] <= times[0]:
            self.fail(line, value_col + found.start(4), f"the end {times[1]:%H:%M} is not after the start "
                      f"{times[0]:%H:%M}")
            return None
        day_text = value[: found.start()].strip()
        names = _weekday_names(self.language)
        weekday = names.get(_fold(day_text))
        if weekday is None and _fold(day_text).endswith("s"):
            weekday = names.get(_fold(day_text)[:-1])  # "Mondays", "lundis"
        if weekday is None:
            from babel.dates import get_day_names

            locale = _locale(self.language) or _locale("en")
            expected = ", ".join(get_day_names("wide", locale=locale)[d] for d in range(7))
            self.fail(line, value_col, f"cannot read the weekday '{_short(day_text)}' (expected one of: {expected})")
            return None
        after = value[found.end() :]
        place = after.lstrip(" ,;،，、")
        place_col = value_col + found.end() + len(after) - len(place)
        place = place.strip()
        place_links = markdown_links(place)
        if len(place_links) == 1 and place_links[0][0] == 0 and place_links[0][1] == len(place):
            location = m.Location(
                name=_clean(place_links[0][2]),
                url=self.absolute(place_links[0][3], line, place_col, "room"),
                pos=self.pos(line, place_col),
            )
        elif place and not place_links and not _RANGE.search(ascii_digits(place)):
            location = m.Location(name=_clean(place), pos=self.pos(line, place_col))
        else:
            self.fail(line, place_col, "cannot read the place after the times (expected a room name or one link)")
            return None
        counts = Counter(e.label for e in entries if e.kind == kind)
        shown = counts.most_common(1)[0][0] if counts else None
        return m.Pattern(
            kind=kind,
            weekday=weekday,
            start=times[0],
            end=times[1],
            location=location,
            label=shown if shown and shown != messages(self.language).get(kind) else None,
            prefix=kind[0].upper(),
            pos=self.pos(line, label_col),
        )

    def kind_of_row(self, line: int, column: int, label: str, entries: list[_RawEntry]) -> str | None:
        """Which kind of meeting a header row gives the times of: the closest of the table's labels."""
        label = _plain_label(label)
        candidates: dict[str, set[str]] = {kind: set() for kind in KINDS}
        for e in entries:
            candidates[e.kind].add(e.label)
        for kind in KINDS:
            candidates[kind].update({messages(self.language).get(kind, ""), messages("en")[kind]})
        scores = {kind: max(_similarity(label, word) for word in words if word) for kind, words in candidates.items()}
        ranked = sorted(scores.items(), key=lambda item: -item[1])
        best, score = ranked[0]
        if score < 0.75 or ranked[1][1] == score:
            seen = "; ".join(
                f"{kind}: '{Counter(e.label for e in entries if e.kind == kind).most_common(1)[0][0]}'"
                for kind in KINDS
                if any(e.kind == kind for e in entries)
            )
            self.any_unmatched = True
            self.fail(line, column, f"cannot tell which meetings '{_short(label)}' gives the times of "
                      f"(the schedule's labels are {seen or 'none'})")
            return None
        if best in self.timed_kinds:
            self.fail(line, column, f"a second day and time for the {best} meetings ('{_short(label)}')")
            return None
        return best

    # description

    def description(self, begin: int, table_start: int) -> str:
        """The first section after the header table, up to the next heading, as Markdown lines."""
        lines = self.markdown_lines(begin, table_start)
        heading = next((k for k, (_, text) in enumerate(lines) if re.match(r"#{1,6}\s", text.strip())), None)
        if heading is None:
            return ""
        content: list[tuple[int, str]] = []
        for i, text in lines[heading + 1 :]:
            if re.match(r"#{1,6}\s", text.strip()):
                break
            content.append((i, text.rstrip()))
        else:
            return ""  # the section of the schedule table (its legend), not a description
        if any(split_table_row(text) is not None for _, text in content):
            return ""  # a table, not a description
        out: list[str] = []
        for i, text in content:
            if not text.strip():
                if out and out[-1]:
                    out.append("")
                continue
            stripped = unicodedata.normalize("NFC", text.strip())
            column = text.index(text.strip()) + 1
            out.append(self.text_links(stripped, i + 1, column, "description"))
        while out and not out[-1]:
            out.pop()
        return "\n".join(out)

    # the schedule table

    def schedule(self, start: int, end: int) -> tuple[list[_RawEntry], list[m.Week]]:
        chunk = "\n".join(self.lines[start : end + 1])
        parser = _TableParser(start + 1, self.fail)
        parser.feed(chunk)
        parser.close()
        body = [r for r in parser.rows if not r.head and any(c.tag == "td" for c in r.cells)]
        head = [r for r in parser.rows if r not in body]
        for row in head:
            if len(row.cells) != 4:
                self.fail(row.line, row.column, f"the table's header has {len(row.cells)} columns (expected 4: "
                          "week, format, title, resources)")
        if not body:
            raise self.stop(start + 1, 1, "the schedule table has no rows")
        grid = self.place(body)
        self.problems.raise_if_any()

        entries: list[_RawEntry] = []
        weeks: list[m.Week] = []
        seen_weeks: dict[int, int] = {}
        seen_sessions: dict[str, int] = {}
        for week_rows in _runs(range(len(body)), lambda r: id(grid[r][0])):
            week_cell = grid[week_rows[0]][0]
            number = self.week_number(week_cell)
            first = body[week_rows[0]]
            if number is None:
                continue
            # The site's "<!-- ===== WEEK 7 ===== -->": one that names another week hints at a lost row.
            week_comment = re.compile(r"[=\-\s]*[^\W\d_]+\s*([0-9]+)[=\-\s]*")
            if first.comment and (said := week_comment.fullmatch(ascii_digits(first.comment[0]))):
                if int(said[1]) != number:
                    self.fail(
                        first.comment[1],
                        first.comment[2],
                        f"the comment says week {int(said[1])} but the week cell below says {number} "
                        f"(line {week_cell.line})",
                    )
            if number in seen_weeks:
                self.fail(week_cell.line, week_cell.column, f"week {number} appears twice (line {seen_weeks[number]})")
                continue
            seen_weeks[number] = week_cell.line
            url = None
            if week_cell.links:
                url = self.absolute(week_cell.links[0].href, week_cell.links[0].line, week_cell.links[0].column,
                                    f"week {number}")
            weeks.append(m.Week(number=number, url=url, pos=self.pos(week_cell.line, week_cell.column)))
            index = 0
            for format_rows in _runs(week_rows, lambda r: id(grid[r][1])):
                format_cell = grid[format_rows[0]][1]
                if format_cell.rows[0] != format_rows[0] or format_cell.rows[-1] != format_rows[-1]:
                    self.fail(format_cell.line, format_cell.column, "the format cell's rowspan crosses into another "
                              "week")
                    continue
                label = _clean(format_cell.text)
                if not label or format_cell.links:
                    self.fail(format_cell.line, format_cell.column, "cannot read the format (expected a word such as "
                              f"'{messages(self.language)['lecture']}')")
                    continue
                for resource_rows in _runs(format_rows, lambda r: id(grid[r][3])):
                    resource_cell = grid[resource_rows[0]][3]
                    if resource_cell.rows[0] != resource_rows[0] or resource_cell.rows[-1] != resource_rows[-1]:
                        self.fail(resource_cell.line, resource_cell.column, "the resources cell's rowspan crosses "
                                  "into another meeting")
                        continue
                    sessions = []
                    for r in resource_rows:
                        index += 1
                        session = self.session(grid[r][2], number, index, seen_sessions)
                        if session is not None:
                            sessions.append(session)
                    resources = self.resources(resource_cell)
                    if len(sessions) == len(resource_rows):
                        entries.append(
                            _RawEntry(
                                week=number,
                                label=label,
                                label_at=(format_cell.line, format_cell.column),
                                sessions=sessions,
                                resources=resources,
                                shared=len(sessions) > 1,
                                at=(body[resource_rows[0]].line, body[resource_rows[0]].column),
                            )
                        )
        return entries, weeks

    def place(self, body: list[_Row]) -> list[list[_Cell]]:
        """Each body row's four cells (week, format, title, resources), rowspans followed."""
        grid: list[list[_Cell]] = []
        spans: dict[int, tuple[_Cell, int]] = {}
        for r, row in enumerate(body):
            columns: dict[int, _Cell] = {}
            for col, (cell, left) in list(spans.items()):
                columns[col] = cell
                if left > 1:
                    spans[col] = (cell, left - 1)
                else:
                    del spans[col]
            col = 0
            for cell in row.cells:
                while col in columns:
                    col += 1
                columns[col] = cell
                span = self.span(cell, "rowspan")
                if self.span(cell, "colspan") != 1:
                    self.fail(cell.line, cell.column, "colspan is not supported in the schedule table")
                if span > 1:
                    spans[col] = (cell, span - 1)
                col += 1
            for cell in set(columns.values()):
                cell.rows.append(r)
            if sorted(columns) != [0, 1, 2, 3]:
                self.fail(
                    row.line,
                    row.column,
                    f"this row has {len(columns)} cells counting those spanning from above (expected 4: week, format, "
                    "title, resources)",
                )
                continue
            grid.append([columns[c] for c in range(4)])
        for cell, left in spans.values():
            self.fail(cell.line, cell.column, f"rowspan=\"{self.span(cell, 'rowspan')}\" runs {left} row"
                      f"{'s' if left > 1 else ''} past the end of the table")
        for cell in {id(row[2]): row[2] for row in grid}.values():
            if len(cell.rows) > 1:
                self.fail(cell.line, cell.column, "a title cell spans several rows (one session per row)")
        return grid

    def span(self, cell: _Cell, name: str) -> int:
        raw = cell.attrs.get(name)
        if raw is None:
            return 1
        value = ascii_digits(raw.strip())
        if not value.isdigit() or not 1 <= int(value) <= 100:
            self.fail(cell.line, cell.column, f"{name}=\"{_short(raw)}\" is not a number of rows (1–100)")
            return 1
        return int(value)

    def week_number(self, cell: _Cell) -> int | None:
        text = _clean(cell.text)
        number = None
        if len(text) == 1 and (value := unicodedata.numeric(text, None)) is not None and value == int(value):
            number = int(value)
        elif text and all(unicodedata.decimal(c, None) is not None for c in text):
            number = int(ascii_digits(text))
        if number is None or not 1 <= number <= 60:
            self.fail(cell.line, cell.column, f"cannot read the week number '{_short(text)}' (expected a circled "
                      "number such as ⑤, or digits)")
            return None
        if len(cell.links) > 1:
            self.fail(cell.line, cell.column, "the week cell has more than one link")
        return number

    def session(self, cell: _Cell, week: int, index: int, seen: dict[str, int]) -> m.Session | None:
        title = _clean(cell.text)
        if not title:
            self.fail(cell.line, cell.column, "the title cell is empty")
            return None
        if len(cell.links) > 1:
            self.fail(cell.line, cell.column, "the title cell has more than one link")
            return None
        url = None
        sid = f"{week:02d}-{index}"
        if cell.links:
            link = cell.links[0]
            url = self.absolute(link.href, link.line, link.column, f"'{_short(title)}'")
            if url is not None:
                last = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
                last = re.sub(r"\.(html?|md)$", "", last)
                if SESSION_ID_RE.match(last) and last not in seen:
                    sid = last
        if sid in seen:
            self.fail(cell.line, cell.column, f"session '{sid}' appears twice (line {seen[sid]})")
            return None
        seen[sid] = cell.line
        return m.Session(id=sid, title=title, url=url, pos=self.pos(cell.line, cell.column))

    def resources(self, cell: _Cell) -> list[m.Resource]:
        if cell.outside.strip():
            self.fail(cell.line, cell.column, f"text outside the links of a resources cell: "
                      f"'{_short(cell.outside.strip())}'")
        for _, line, column in cell.images:
            self.fail(line, column, "an image in the resources cell (expected 🖥, 📓, 🎥 or a word as the link)")
        found = []
        for link in cell.links:
            text = _clean(link.text)
            emoji = "".join(c for c in text if c not in _VARIATION and not c.isspace())
            url = self.absolute(link.href, link.line, link.column, "resource")
            if not text:
                self.fail(link.line, link.column, "a resource link without a symbol (expected 🖥, 📓 or 🎥)")
                continue
            if url is None:
                continue
            kind = RESOURCE_EMOJI.get(emoji)
            label = _clean(link.title) if link.title and _clean(link.title) else None
            if kind is None:
                kind, label = "other", label or text
            found.append(m.Resource(kind=kind, url=url, label=label, pos=self.pos(link.line, link.column)))
        return found

    def kinds(self, entries: list[_RawEntry]) -> None:
        """Lecture or practicum, from the structure; labels only as the structure taught them."""
        lecture_labels = {_fold(e.label) for e in entries if e.shared}
        catalog_lecture = {_fold(messages(self.language)["lecture"]), _fold(messages("en")["lecture"])}
        catalog_practicum = {_fold(messages(self.language)["practicum"]), _fold(messages("en")["practicum"])}
        for e in entries:
            label = _fold(e.label)
            if e.shared:
                if label in catalog_practicum and label not in catalog_lecture:
                    self.fail(*e.label_at, f"'{e.label}' names practica, but its sessions share one resources cell "
                              "as a lecture's do")
                e.kind = "lecture"
            elif label in lecture_labels or (label in catalog_lecture and label not in catalog_practicum):
                e.kind = "lecture"
            else:
                e.kind = "practicum"

    # staff

    def staff(self, after: int) -> list[m.Person]:
        lines = self.markdown_lines(after, len(self.lines))
        for k in range(len(lines) - 1):
            head = split_table_row(lines[k][1])
            rule = split_table_row(lines[k + 1][1])
            if head and rule and all(re.fullmatch(r":?-+:?", c) for _, c in rule if c):
                break
        else:
            return []
        if len(head) != 4:
            self.fail(lines[k][0] + 1, 1, f"the staff table has {len(head)} columns (expected 4: role, photo, "
                      "contact, about)")
            return []
        people = []
        for i, text in lines[k + 2 :]:
            cells = split_table_row(text)
            if cells is None:
                break
            if len(cells) < 3 or len(cells) > 4:
                self.fail(i + 1, 1, f"a staff row has {len(cells)} cells (expected 4: role, photo, contact, about)")
                continue
            person = self.person(i + 1, cells + [(len(text) + 1, "")] * (4 - len(cells)))
            if person is not None:
                people.append(person)
        return people

    def person(self, line: int, cells: list[tuple[int, str]]) -> m.Person | None:
        (role_col, role_raw), (photo_col, photo_raw), (contact_col, contact_raw), (about_col, about_raw) = cells
        role = _clean(self.inline(role_raw, line, role_col)[0])
        photo_text, photos = self.inline(photo_raw, line, photo_col)
        photo = None
        images = photos + [(u, photo_col + s) for s, _, _, u, image in markdown_links(photo_raw) if image]
        if len(images) > 1 or (not images and photo_text.strip()):
            self.fail(line, photo_col, "cannot read the photo (expected one <img src=…>)")
        elif images:
            photo = self.absolute(images[0][0], line, images[0][1], "photo")
        contact, _ = self.inline(contact_raw, line, contact_col)
        name = url = email = None
        for part in (p.strip() for p in contact.split("\n")):
            links = markdown_links(part)
            if len(links) == 1 and links[0][0] == 0 and links[0][1] == len(part):
                text, href = _clean(links[0][2]), links[0][3]
                if href.startswith("mailto:"):
                    email = email or href[len("mailto:") :]
                    name = name or (text if not _EMAIL.fullmatch(text) else None)
                elif name is None:
                    name, url = text, self.absolute(href, line, contact_col, "contact")
                else:
                    self.fail(line, contact_col, "cannot read the contact (a second link)")
            elif _EMAIL.fullmatch(part) and email is None:
                email = part
            elif part and name is None and not links:
                name = _clean(part)
            elif part:
                self.fail(line, contact_col, f"cannot read the contact ('{_short(part)}')")
        if not role or not name:
            self.fail(line, role_col if not role else contact_col, "a staff row needs a role and a name")
            return None
        about, _ = self.inline(about_raw, line, about_col)
        description = "\n".join(_clean(p) for p in about.split("\n")).strip("\n")
        description = re.sub(r"\n{2,}", "\n", description)
        return m.Person(
            role=role,
            name=name,
            email=email,
            url=url,
            description=rich_text(self.text_links(description, line, about_col, "staff description")),
            photo=photo,
            pos=self.pos(line, role_col),
        )

    def inline(self, raw: str, line: int, column: int) -> tuple[str, list[tuple[str, int]]]:
        """A cell's HTML as Markdown text: ``<a>`` → ``[t](u)``, ``<br>`` → a new line; and its images."""
        parser = _InlineParser()
        parser.feed(raw)
        parser.close()
        for tag, offset in parser.unexpected:
            self.fail(line, column + offset, f"unexpected <{tag}> in the table")
        return parser.text(), [(src, column + offset) for src, offset in parser.images]

    # the term

    def term_id(self, term: str | None, name: str, header_at: int, known: tuple[m.Term, ...]) -> str | None:
        if term is not None:
            return term
        matches = [t for t in known if any(_fold(n) == _fold(name) for n in t.name.values())]
        if len(matches) == 1:
            return matches[0].id
        options = ", ".join(f"{t.id} ({'/'.join(t.name.values())})" for t in known)
        self.fail(
            header_at + 1,
            1,
            f"the page's term '{_short(name)}' "
            + ("matches several term files" if matches else "matches no term file")
            + (f" (known: {options})" if options else "")
            + ": give the term id (--term)",
        )
        return None


class _InlineParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.href: str | None = None
        self.link_text: list[str] = []
        self.images: list[tuple[str, int]] = []
        self.unexpected: list[tuple[str, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        offset = self.getpos()[1]
        if tag == "br":
            (self.link_text if self.href is not None else self.parts).append("\n")
        elif tag == "a":
            self.href = dict(attrs).get("href") or ""
            self.link_text = []
        elif tag == "img":
            self.images.append((dict(attrs).get("src") or "", offset))
        elif tag not in _FORMATTING_TAGS:
            self.unexpected.append((tag, offset))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.href is not None:
            self.parts.append(f"[{''.join(self.link_text).strip()}]({self.href})")
            self.href = None

    def handle_data(self, data: str) -> None:
        (self.link_text if self.href is not None else self.parts).append(data)

    def text(self) -> str:
        if self.href is not None:
            self.handle_endtag("a")
        return "".join(self.parts)


def _runs(indexes, key) -> list[list[int]]:
    """Consecutive indexes with the same key."""
    runs: list[list[int]] = []
    last = object()
    for i in indexes:
        k = key(i)
        if runs and k == last:
            runs[-1].append(i)
        else:
            runs.append([i])
        last = k
    return runs


def _without_comments(line: str, in_comment: bool) -> tuple[str, bool]:
    """The line with HTML comments blanked (same length), and whether a comment is still open."""
    out, i = [], 0
    while i < len(line):
        if in_comment:
            end = line.find("-->", i)
            if end == -1:
                out.append(" " * (len(line) - i))
                return "".join(out), True
            out.append(" " * (end + 3 - i))
            i, in_comment = end + 3, False
        else:
            start = line.find("<!--", i)
            if start == -1:
                out.append(line[i:])
                break
            out.append(line[i:start])
            i, in_comment = start, True
            out.append(" " * 4)
            i += 4
    return "".join(out), in_comment


def _split_outside_links(text: str, separators: tuple[str, ...]) -> list[tuple[int, str]]:
    """Split on the first separator found outside links: [(offset of the part's text, text)]."""
    link_spans = [(s, e) for s, e, *_ in markdown_links(text)]
    for sep in separators:
        cuts = [i for i in range(len(text)) if text.startswith(sep, i) and not any(s <= i < e for s, e in link_spans)]
        if not cuts:
            continue
        parts, last = [], 0
        for cut in cuts + [len(text)]:
            raw = text[last:cut]
            parts.append((last + len(raw) - len(raw.lstrip()), raw.strip()))
            last = cut + len(sep)
        return parts
    return [(0, text.strip())]


# --- the course file as YAML -----------------------------------------------------------------


def _dq(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's; C1 controls escaped as well)."""
    quoted = json.dumps(text, ensure_ascii=False)
    return re.sub(r"[\x7f-\x9f\u2028\u2029]", lambda c: f"\\u{ord(c[0]):04x}", quoted)


def _plain_ok(text: str, flow: bool) -> bool:
    if not text or text != text.strip() or re.search(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]", text):
        return False
    if text[0] in "!&*[]{}|>'\"%@`#,?:-" or ": " in text or " #" in text or text.endswith(":"):
        return False
    if flow and any(c in text for c in ",[]{}"):
        return False
    try:
        loaded = yaml.safe_load(("{k: %s}" if flow else "k: %s") % text)
    except yaml.YAMLError:
        return False
    return loaded == {"k": text}


def _s(text: str, flow: bool = False) -> str:
    return text if _plain_ok(text, flow) else _dq(text)


def _flow(pairs: list[tuple[str, str | None]], quote: tuple[str, ...] = ("url",)) -> str:
    items = [f"{k}: {_dq(v) if k in quote else _s(v, flow=True)}" for k, v in pairs if v is not None]
    return "{" + ", ".join(items) + "}"


def _long_text(key: str, text: str, indent: str, width: int = 96) -> str:
    """``key: >-`` folded (one line) or ``|-`` literal (several lines), when that reads back exactly."""
    inner = indent + "  "
    if "\n" not in text:
        inside = [(s, e) for s, e, *_ in markdown_links(text)]
        cuts = [i for i in range(1, len(text) - 1) if text[i] == " " and text[i - 1] != " " and text[i + 1] != " "
                and not any(s < i < e for s, e in inside)]  # never inside a link: it reads badly
        words = [text[a + 1 : b] for a, b in zip([-1, *cuts], [*cuts, len(text)])]
        lines, current = [], ""
        for word in words:
            if current and len(inner) + len(current) + 1 + len(word) > width:
                lines.append(current)
                current = word
            else:
                current = f"{current} {word}" if current else word
        lines.append(current)
        block = f"{indent}{key}: >-\n" + "\n".join(inner + line for line in lines)
    else:
        block = f"{indent}{key}: |-\n" + "\n".join(inner + line if line else "" for line in text.split("\n"))
    try:
        if yaml.safe_load(block.replace("\n" + indent, "\n")[len(indent) :]) == {key: text}:
            return block
    except yaml.YAMLError:
        pass
    return f"{indent}{key}: {_dq(text)}"


def dump_course(course: m.Course, *, header: str = "") -> str:
    """A course as a course file, in the layout of the hand-made ``data/courses/dlsp20.yaml``.

    Writes what a course page can hold; overrides, location changes and options are refused.
    """
    if course.overrides or course.location_changes or course.options != m.Options():
        raise ValueError("dump_course writes what a page holds: no overrides, location changes or options")
    out: list[str] = [("# " + line).rstrip() for line in header.split("\n")] + [""] if header else []
    out += [
        f"id: {_s(course.id)}",
        f"language: {_s(course.language)}",
        f"term: {_s(course.term)}",
        f"code: {_s(course.code)}",
        f"title: {_dq(course.title)}",
    ]
    if course.site:
        out.append(f"site: {_s(course.site)}")
    if course.author:
        out.append(f"author: {_s(course.author)}")
    if course.translation:
        date = course.translation.date.isoformat() if course.translation.date else None
        out.append(
            "translation: {"
            + ", ".join(
                [f"translator: {_s(course.translation.translator, flow=True)}"] + ([f"date: {date}"] if date else [])
            )
            + "}"
        )
    institution = [("label", course.institution.label), ("url", course.institution.url)]
    out.append(f"institution: {_flow(institution, ('label', 'url'))}")
    out.append("instructors: [" + ", ".join(_s(name, flow=True) for name in course.instructors) + "]")
    out += ["", "patterns:"]
    for p in course.patterns:
        out.append(f"  {p.kind}:")
        if p.label:
            out.append(f"    label: {_s(p.label)}")
        if p.prefix and p.prefix != p.kind[0].upper():
            out.append(f"    prefix: {p.prefix}")
        out += [
            f"    weekday: {m.WEEKDAYS[p.weekday]}",
            f"    start: {p.start:%H:%M}",
            f"    end: {p.end:%H:%M}",
            f"    location: {_flow([('name', p.location.name), ('url', p.location.url)])}",
        ]
    for key, items in (("links", course.links), ("materials", course.materials)):
        if items:
            out += ["", f"{key}:"]
            out += [
                "  - " + _flow([("label", link.label), ("text", link.text), ("url", link.url),
                                ("access_code", link.access_code)])
                for link in items
            ]
    if course.description:
        out += ["", _long_text("description", course.description.markdown, "")]
    out += ["", "weeks:"]
    prefixes = {p.kind: p.prefix or p.kind[0].upper() for p in course.patterns}
    for week in course.weeks:
        out.append(f"  - week: {week.number}")
        if week.url:
            out.append(f"    url: {_s(week.url)}")
        out.append("    meetings:")
        for e in (e for e in course.entries if e.week == week.number):
            out.append(f"      - kind: {e.kind}")
            default = f"X{e.sessions[0].id}" if e.extra else f"{prefixes.get(e.kind, e.kind[0].upper())}{e.week:02d}"
            if e.id != default:
                out.append(f"        id: {_s(e.id)}")
            if e.extra:
                out.append("        extra: true")
            out.append("        sessions:")
            for s in e.sessions:
                out.append(f"          - id: {_dq(s.id)}")
                out.append(f"            title: {_dq(s.title)}")
                if s.url:
                    out.append(f"            url: {_s(s.url)}")
            if e.resources:
                out.append("        resources:")
                out += [
                    "          - " + _flow([("kind", r.kind), ("url", r.url), ("label", r.label)]) for r in e.resources
                ]
    if course.staff:
        out += ["", "staff:"]
        for person in course.staff:
            out.append(f"  - role: {_s(person.role)}")
            out.append(f"    name: {_s(person.name)}")
            for key in ("email", "url"):
                if getattr(person, key):
                    out.append(f"    {key}: {_s(getattr(person, key))}")
            if person.description:
                out.append(f"    description: {_dq(person.description.markdown)}")
            if person.photo:
                out.append(f"    photo: {_s(person.photo)}")
    return "\n".join(out) + "\n"


def _header_comment(course: m.Course, path: str) -> str:
    return (
        f"{course.title} ({course.code}), imported from the course page {path}\n"
        "by `syllabus-export import`. Links are made absolute: \"{{site.baseurl}}\" is\n"
        f"{(course.site or SITE).rstrip('/')}, and relative links are resolved against the page's address."
    )
