"""Schedule → the printable syllabus: PDF bytes made with reportlab's platypus.

Reading order of the document: title block (institution, code, title, term, instructors, and
the QR code of the calendar subscription when there is one), times and places, description,
links, the schedule (one row per meeting, rows for no-class days, the material without a class
meeting), the staff. Every page has a footer with "page x of y" and the build date.

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

Only this module imports reportlab (the CLI imports it for ``build`` only). The look (fonts,
sizes, colours, margins) comes from ``templates/pdf-theme.yaml``, or the user's copy of it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import pathlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any
from urllib.parse import quote

import yaml
from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import (
    format_date,
    format_interval,
    format_time,
    get_date_format,
    get_day_names,
    get_time_format,
)
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import NoEncryption, PDFArray, PDFDictionary, PDFName, PDFObject, PDFString
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import HRFlowable
from yaml.constructor import SafeConstructor

from syllabus_export import __version__
from syllabus_export import model as m
from syllabus_export.errors import Pos, Problem, Problems, SyllabusError
from syllabus_export.expand import Meeting, Schedule
from syllabus_export.load import _compose_fast
from syllabus_export.messages import cldr_locale, kind_label, messages, resource_labels, zone_name
from syllabus_export.resources import template_file

THEME_FILE = "pdf-theme.yaml"
PAPERS = {"a4": A4, "letter": LETTER}
FACES = ("regular", "bold", "italic", "bold_italic")
# Every key a theme may set, with the range a number must lie in (sizes in points; qr and
# margins in millimetres). Colours are "#rrggbb".
THEME_NUMBERS = {
    "sizes": {
        "title": (8, 48),
        "subtitle": (6, 24),
        "heading": (6, 30),
        "body": (6, 16),
        "table": (5, 14),
        "small": (5, 12),
        "qr": (15, 60),
    },
    "margins": {"top": (8, 50), "bottom": (12, 50), "left": (8, 50), "right": (8, 50)},
}
THEME_COLORS = (
    "text",
    "muted",
    "accent",
    "link",
    "rule",
    "header_background",
    "stripe",
    "no_class_background",
    "cancelled",
)
COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
# Characters the layout itself draws around the data; the theme's fonts must have them.
LAYOUT_CHARS = " \u00a0·–…:/()0123456789"
SEP = " · "


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
    return _Syllabus(schedule, theme, build_time, PAPERS[paper], subscribe_url).render()


# --- scripts -------------------------------------------------------------------------------

# reportlab draws a text one glyph per character, left to right: no bidi, no shaping. That is
# right for these scripts, given a font that has their glyphs…
PLAIN_SCRIPTS = frozenset({"Latn", "Cyrl", "Grek", "Armn", "Geor", "Ethi"})
# …and for Chinese, Japanese and Korean too (precomposed Hangul), where lines may also break
# between any two characters (wordWrap="CJK" for Chinese and Japanese, which write no spaces).
CJK_SCRIPTS = frozenset({"Hans", "Hant", "Hani", "Jpan", "Kore", "Hang"})
NO_SPACE_SCRIPTS = frozenset({"Hans", "Hant", "Hani", "Jpan"})
# Right-to-left scripts whose letters also join (their shape depends on their neighbours).
JOINING_SCRIPTS = frozenset({"Arab", "Syrc", "Nkoo", "Mand", "Adlm", "Rohg", "Mong"})


class UnsupportedScript(SyllabusError):
    """The course language's script is one the PDF cannot draw correctly (the feed and the page can)."""


def language_script(language: str) -> tuple[str | None, str | None]:
    """``(script, direction)`` of a course language from CLDR: ``("Hans", "ltr")`` for ``zh``,
    ``("Arab", "rtl")`` for ``fa``; ``(None, None)`` for a language CLDR does not know."""
    try:
        locale = Locale.parse(language, sep="-")
    except (UnknownLocaleError, ValueError):
        return None, None
    script = locale.script
    if script is None:
        likely = get_global("likely_subtags")
        tags = [f"{locale.language}_{locale.territory}"] if locale.territory else []
        found = next((likely[t] for t in [*tags, locale.language] if t in likely), "")
        script = next((part for part in found.split("_") if len(part) == 4 and part.istitle()), None)
    return script, "rtl" if locale.character_order == "right-to-left" else "ltr"


def script_problem(course: m.Course, theme: Theme) -> Problem | None:
    """Why the PDF cannot draw the course's language, at its ``language:``; None when it can.

    Right-to-left scripts and scripts that need shaping (Arabic, Farsi, Hebrew, Bengali, Hindi…)
    are refused whatever the font, since reportlab would print their letters backwards, unjoined or
    misplaced; the others are refused when a face of the theme lacks the glyphs of the language's
    weekday names (the bundled DejaVu Sans subset has no CJK, Armenian, Georgian or Ethiopic).
    """
    script, direction = language_script(course.language)
    if script is None:
        return None  # not a language CLDR knows: the glyph check of each text still holds
    english = Locale.parse("en")
    name = english.languages.get(course.language.split("-")[0].lower(), course.language)
    script_name = english.scripts.get(script, script)
    what = f"the PDF cannot draw {name} ({course.language}) text: "
    pos = course.language_pos
    if direction == "rtl":
        joined = script in JOINING_SCRIPTS
        written = "right to left with joined letters" if joined else "right to left"
        lacks = "no bidi, no shaping" if joined else "no bidi"
        how = "backwards and unjoined" if joined else "backwards"
        return Problem(pos=pos, message=what + (
            f"the {script_name} script is written {written}, which reportlab does not do ({lacks}), so its letters "
            f"would come out {how} whatever the font; the feed and the page show it correctly"))
    if script not in PLAIN_SCRIPTS | CJK_SCRIPTS:
        return Problem(pos=pos, message=what + (
            f"the {script_name} script needs shaping (letters that combine, reorder or change form), which reportlab "
            "does not do, so it would come out wrong whatever the font; the feed and the page show it correctly"))
    sample = "".join(get_day_names("wide", locale=cldr_locale(course.language)).values())
    for face in FACES:
        missing = [c for c in dict.fromkeys(sample) if not c.isspace() and not theme.has(face, c)]
        if missing:
            bundled = " (the bundled DejaVu Sans subset: Latin, Vietnamese, Greek, Cyrillic)"
            kind = "CJK" if script in CJK_SCRIPTS else script_name
            return Problem(pos=pos, message=what + (
                f"the theme's {face.replace('_', ' ')} font '{theme.font_labels[face]}'"
                f"{bundled if theme.font_labels[face].startswith('DejaVuSans') else ''} has no {kind} glyphs "
                f"({_char_name(missing[0])}); give pdf-theme.yaml TrueType fonts (.ttf) that have them "
                f"(e.g. Noto Sans {_NOTO.get(script, script_name)})"))
    return None


_NOTO = {"Hans": "SC", "Hani": "SC", "Hant": "TC", "Jpan": "JP", "Kore": "KR", "Hang": "KR"}


# --- the theme -----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Theme:
    """The theme as the renderer uses it: registered font names, sizes, colours, margins."""

    fonts: dict[str, str]  # face → registered reportlab font name
    font_labels: dict[str, str]  # face → "DejaVuSans.ttf" (for error messages)
    font_places: dict[str, Pos]  # face → where the theme names its font
    sizes: dict[str, float]
    colors: dict[str, str]
    margins: dict[str, float]  # millimetres

    def has(self, face: str, char: str) -> bool:
        return ord(char) in pdfmetrics.getFont(self.fonts[face]).face.charToGlyph


# Themes already loaded in this process (a catalogue build renders many syllabi with one theme):
# (templates folder, theme files, their texts) → the theme, and what its user fonts were when read.
_THEMES: dict[tuple[Any, ...], tuple[Theme, tuple[Any, ...]]] = {}


def load_theme(templates: pathlib.Path | None = None) -> Theme:
    """The packaged theme, with the keys of ``templates/pdf-theme.yaml`` (when there is one) over it.

    A theme is read, checked and its fonts parsed once per process; it is read again when a theme
    file's text or a font file in ``templates`` changed.

    Raises SyllabusError for a key or value the theme may not have, a font file that is missing or
    not TrueType, or a font without the characters the layout itself draws (digits, "·", "–").
    """
    files_read = [template_file(THEME_FILE)]
    if templates is not None and (templates / THEME_FILE).is_file():
        files_read.append(templates / THEME_FILE)
    texts = [file.read_text(encoding="utf-8") for file in files_read]
    key = (templates, tuple(str(file) for file in files_read), tuple(texts))
    cached = _THEMES.get(key)
    if cached is not None and cached[1] == _font_stamps(cached[0], templates):
        return cached[0]
    theme = _load_theme(files_read, texts, templates)
    if len(_THEMES) >= 16:
        _THEMES.clear()
    _THEMES[key] = (theme, _font_stamps(theme, templates))
    return theme


def _font_stamps(theme: Theme, templates: pathlib.Path | None) -> tuple[Any, ...]:
    """Size and modification time of each font the theme names in the user's templates folder (or that
    it has none): the packaged fonts do not change while a build runs."""
    if templates is None:
        return ()
    stamps = []
    for name in theme.font_labels.values():
        try:
            stat = (templates / name).stat()
            stamps.append((name, stat.st_size, stat.st_mtime_ns))
        except OSError:
            stamps.append((name, None, None))
    return tuple(stamps)


def _load_theme(files_read: list[Any], texts: list[str], templates: pathlib.Path | None) -> Theme:
    values: dict[str, dict[str, Any]] = {}
    where: dict[str, Callable[[tuple[str, ...]], Pos]] = {}  # face → position of its font in its file
    for file, text in zip(files_read, texts):
        shown = str(file)
        for section, items in _read_theme(text, shown).items():
            values.setdefault(section, {}).update(items)
            if section == "fonts":
                position = _position_in(text, shown)
                where.update({face: position for face in items})
    problems = Problems()
    names: dict[str, str] = {}
    for face in FACES:
        name, pos = values["fonts"][face], where[face](("fonts", face))
        data = _font_bytes(name, templates)
        if data is None:
            problems.add(pos, f"fonts.{face}: no font file '{name}' in the templates folder or the package's fonts")
            continue
        try:
            names[face] = _register(data)
        except (TTFError, ValueError, OSError, IndexError, KeyError) as exc:
            problems.add(pos, f"fonts.{face}: '{name}' is not a usable TrueType font ({exc})")
    problems.raise_if_any()
    theme = Theme(
        fonts=names,
        font_labels={face: values["fonts"][face] for face in FACES},
        font_places={face: where[face](("fonts", face)) for face in FACES},
        sizes=values["sizes"],
        colors=values["colors"],
        margins=values["margins"],
    )
    for face in FACES:
        missing = [c for c in LAYOUT_CHARS if not theme.has(face, c)]
        if missing:
            problems.add(
                theme.font_places[face],
                f"fonts.{face}: '{theme.font_labels[face]}' lacks characters the layout needs: "
                + ", ".join(_char_name(c) for c in missing),
            )
    problems.raise_if_any()
    return theme


def _read_theme(text: str, shown: str) -> dict[str, dict[str, Any]]:
    """One theme file, checked: known sections and keys, numbers in range, colours as #rrggbb."""
    where = _position_in(text, shown)
    problems = Problems()
    try:
        node = _compose_fast(text, shown)  # libyaml when it reads the file as PyYAML would, else None
        data = yaml.safe_load(text) if node is None else SafeConstructor().construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        pos = Pos(path=shown, line=mark.line + 1, column=mark.column + 1) if mark else Pos(path=shown)
        raise SyllabusError(
            [Problem(pos=pos, message=f"YAML syntax: {getattr(exc, 'problem', None) or exc}")]
        ) from None
    data = {} if data is None else data
    if not isinstance(data, dict):
        raise SyllabusError([Problem(pos=Pos(path=shown), message="the theme must be a mapping of sections")])
    allowed = {"fonts": FACES, "colors": THEME_COLORS, **{k: tuple(v) for k, v in THEME_NUMBERS.items()}}
    result: dict[str, dict[str, Any]] = {}
    for section, items in data.items():
        if section not in allowed:
            problems.add(
                where((section,)), f"unknown theme section '{section}' (expected one of: {', '.join(allowed)})"
            )
            continue
        if not isinstance(items, dict):
            problems.add(where((section,)), f"{section} must be a mapping of keys")
            continue
        result[section] = {}
        for key, value in items.items():
            if key not in allowed[section]:
                problems.add(
                    where((section, key)),
                    f"unknown key '{key}' in {section} (expected one of: {', '.join(allowed[section])})",
                )
            elif section == "fonts":
                if not isinstance(value, str) or not value.lower().endswith(".ttf") or ".." in value:
                    problems.add(
                        where((section, key)), f"fonts.{key} must be the name of a .ttf file (found {value!r})"
                    )
                else:
                    result[section][key] = value
            elif section == "colors":
                if not isinstance(value, str) or not COLOR_RE.match(value):
                    problems.add(
                        where((section, key)), f'colors.{key} must be a colour like "#1b4f8f" (found {value!r})'
                    )
                else:
                    result[section][key] = value.lower()
            else:
                low, high = THEME_NUMBERS[section][key]
                if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
                    problems.add(
                        where((section, key)),
                        f"{section}.{key} must be a number from {low} to {high} (found {value!r})",
                    )
                else:
                    result[section][key] = float(value)
    problems.raise_if_any()
    return result


def _position_in(text: str, shown: str) -> Callable[[tuple[str, ...]], Pos]:
    """A function giving where a path of mapping keys is in a YAML text (composed once, when first asked)."""
    composed: list[yaml.Node | None] = []

    def where(keys: tuple[str, ...]) -> Pos:
        if not composed:
            try:
                composed.append(_compose_fast(text, shown) or yaml.compose(text, Loader=yaml.SafeLoader))
            except yaml.YAMLError:
                composed.append(None)  # nowhere to point: the whole file, as for an empty one
        node = composed[0]
        mark = None
        for key in keys:
            if not isinstance(node, yaml.MappingNode):
                break
            found = next(
                ((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == str(key)), None
            )
            if found is None:
                break
            mark, node = found[0].start_mark, found[1]
        return Pos(path=shown, line=mark.line + 1, column=mark.column + 1) if mark else Pos(path=shown)

    return where


def _font_bytes(name: str, templates: pathlib.Path | None) -> bytes | None:
    """A font file from the user's templates folder, else from the package's fonts."""
    candidates: list[Traversable | pathlib.Path] = []
    if templates is not None:
        candidates.append(templates / name)
    candidates.append(files("syllabus_export.fonts").joinpath(name))
    for candidate in candidates:
        if candidate.is_file():
            return candidate.read_bytes()
    return None


def _register(data: bytes) -> str:
    """Register a TrueType font once per content; its name comes from the bytes, so it is stable."""
    name = "SyllabusFont-" + hashlib.sha256(data).hexdigest()[:12]
    if name not in pdfmetrics.getRegisteredFontNames():
        # asciiReadable=False: reportlab would otherwise embed all of ASCII in every face, used or not
        font = TTFont(name, io.BytesIO(data), asciiReadable=False)
        font.stringWidth = _remembered_widths(font.stringWidth)
        pdfmetrics.registerFont(font)
    return name


def _remembered_widths(measure: Callable[..., float]) -> Callable[..., float]:
    """A face's ``stringWidth`` that keeps its answers: platypus measures every word of every
    paragraph, and again to draw it, and a catalogue's words repeat. The answer is the face's own
    (a sum over the characters' advance widths), so nothing is laid out differently."""
    known: dict[tuple[Any, float, str], float] = {}

    def string_width(text: Any, size: float, encoding: str = "utf8") -> float:
        key = (text, size, encoding)
        width = known.get(key)
        if width is None:
            if len(known) >= 65536:
                known.clear()
            width = known[key] = measure(text, size, encoding)
        return width

    return string_width


def _register_family(theme: Theme) -> None:
    """Let <b> and <i> in Paragraph markup pick the theme's faces (reportlab keeps this globally)."""
    f = theme.fonts
    pdfmetrics.registerFontFamily(
        f["regular"], normal=f["regular"], bold=f["bold"], italic=f["italic"], boldItalic=f["bold_italic"]
    )


def escape(data: str, entities: dict[str, str] | None = None) -> str:
    """``xml.sax.saxutils.escape``: ``&``, ``<``, ``>`` and the ``entities`` given, as entity references.

    The same function, without importing ``xml.sax`` (which imports ``urllib.request``, and with it
    ``http``, ``email`` and ``ssl``: a seventh of a build's start-up).
    """
    data = data.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
    for key, value in (entities or {}).items():
        data = data.replace(key, value)
    return data


def _char_name(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, 'unnamed character')} ({char!r})"


# --- dates in the course language ----------------------------------------------------------


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


_DATES: dict[str, _Dates] = {}


def _dates(language: str) -> _Dates:
    """The ``_Dates`` of a course language, made once per process."""
    dates = _DATES.get(language)
    if dates is None:
        if len(_DATES) >= 64:
            _DATES.clear()
        dates = _DATES[language] = _Dates(language)
    return dates


# --- the document --------------------------------------------------------------------------

# Paragraph styles of a theme (see ``_Syllabus._styles``): (id of the theme, CJK wrap) → (theme, styles).
_STYLES: dict[tuple[int, bool], tuple[Theme, dict[str, ParagraphStyle]]] = {}


def _markup_color(hex_color: str) -> str:
    """A theme colour ("#1b4f8f") as Paragraph markup's ``color`` attribute: "rgb(27,79,143)", the same
    Color as reportlab reads "#1b4f8f" (same floats), which it parses four times faster."""
    return "rgb({},{},{})".format(*(int(hex_color[i : i + 2], 16) for i in (1, 3, 5)))



class _Syllabus:
    """Builds the story of one syllabus; every data text passes through ``text()`` (check + escape)."""

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
        self.dates = _dates(self.course.language)
        self.script = language_script(self.course.language)[0]
        self.problems = Problems()
        # before any Paragraph is made: a Paragraph resolves <b>/<i> to fonts when it is created
        _register_family(theme)
        self._seen: set[tuple[str, Pos, str]] = set()
        self._drawable: dict[str, set[str]] = {face: set() for face in FACES}  # characters checked and found
        self.styles = self._styles()
        margins = theme.margins
        self.width = pagesize[0] - (margins["left"] + margins["right"]) * mm

    # checking and escaping

    def check(self, value: str, pos: Pos | Callable[[], Pos], what: str, face: str = "regular") -> None:
        """Record a problem for each character of ``value`` that ``face`` cannot draw.

        ``pos`` may be a function: positions that cost a look into the file are found only for a problem.
        """
        drawable = self._drawable[face]
        if drawable.issuperset(value):  # the common case: every character already seen in this face
            return
        for char in dict.fromkeys(value):
            if char in "\n\t" or self.theme.has(face, char):
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
        return escape(value.replace("\t", " ")).replace("\n", "<br/>")

    def word(self, key: str, face: str = "regular", **values: str) -> str:
        """A word of the message catalog (with its values filled in, already escaped markup)."""
        template = self.words[key]
        what = f"the word '{key}' in the course language '{self.course.language}'"
        self.check(template.format(**{k: "" for k in values}), self._field(("language",)), what, face)
        return escape(template).format(**values) if values else escape(template)

    def babel(self, value: str, face: str = "regular") -> str:
        """A date, weekday or time as Babel writes it in the course language, checked and escaped."""
        what = f"a date or time in the course language '{self.course.language}'"
        self.check(value, self._field(("language",)), what, face)
        return escape(value)

    def url(self, url: str, pos: Pos | Callable[[], Pos]) -> str:
        """A web address printed for readers of the paper copy, linked for readers on screen."""
        return self.link(self.text(_shown_url(url), pos, "link"), url)

    def link(self, label_markup: str, url: str | None) -> str:
        if not url:
            return label_markup
        href = escape(url, {'"': "&quot;"})
        return f'<a href="{href}" color="{_markup_color(self.theme.colors["link"])}">{label_markup}</a>'

    def rich(self, value: m.RichText, what: str, face: str = "regular") -> str:
        """Text with inline links (descriptions), each part checked and escaped."""
        return "".join(
            self.link(self.text(run.text, value.pos, what, face), run.url) for run in value.runs
        )

    # styles

    def _styles(self) -> dict[str, ParagraphStyle]:
        """The paragraph styles, made once per theme and line-breaking rule in a process: the parsed
        paragraphs kept in ``_PARSED`` belong to a style object, so a catalogue's courses share them."""
        key = (id(self.theme), self.script in NO_SPACE_SCRIPTS)
        cached = _STYLES.get(key)
        if cached is not None and cached[0] is self.theme:
            return cached[1]
        styles = self._make_styles()
        if len(_STYLES) >= 16:
            _STYLES.clear()
        _STYLES[key] = (self.theme, styles)
        return styles

    def _make_styles(self) -> dict[str, ParagraphStyle]:
        f, s, c = self.theme.fonts, self.theme.sizes, self.theme.colors
        body = ParagraphStyle(
            "body",
            wordWrap="CJK" if self.script in NO_SPACE_SCRIPTS else None,
            fontName=f["regular"],
            bulletFontName=f["regular"],
            fontSize=s["body"],
            leading=s["body"] * 1.32,
            textColor=colors.HexColor(c["text"]),
        )
        cell = ParagraphStyle("cell", parent=body, fontSize=s["table"], leading=s["table"] * 1.28)
        small = ParagraphStyle(
            "small", parent=body, fontSize=s["small"], leading=s["small"] * 1.3, textColor=colors.HexColor(c["muted"])
        )
        return {
            "body": body,
            "title": ParagraphStyle(
                "title",
                parent=body,
                fontName=f["bold"],
                fontSize=s["title"],
                leading=s["title"] * 1.18,
                textColor=colors.HexColor(c["accent"]),
                spaceBefore=s["subtitle"] * 0.3,
                spaceAfter=s["subtitle"] * 0.35,
            ),
            "subtitle": ParagraphStyle(
                "subtitle",
                parent=body,
                fontSize=s["subtitle"],
                leading=s["subtitle"] * 1.3,
                textColor=colors.HexColor(c["muted"]),
            ),
            "heading": ParagraphStyle(
                "heading",
                parent=body,
                fontName=f["bold"],
                fontSize=s["heading"],
                leading=s["heading"] * 1.25,
                textColor=colors.HexColor(c["accent"]),
                spaceBefore=s["heading"] * 1.05,
                spaceAfter=s["heading"] * 0.4,
            ),
            "cell": cell,
            "cell_head": ParagraphStyle("cell_head", parent=cell, fontName=f["bold"]),
            "cell_small": ParagraphStyle(
                "cell_small",
                parent=cell,
                fontSize=s["small"],
                leading=s["small"] * 1.3,
                textColor=colors.HexColor(c["muted"]),
            ),
            "small": small,
            "caption": ParagraphStyle("caption", parent=small, alignment=TA_CENTER),
        }

    # the whole document

    def render(self) -> bytes:
        story = self.title_block()
        story += self.times_places()
        story += self.description()
        story += self.links()
        story += self.schedule_table()
        story += self.staff()
        footer = self._footer_texts()
        self.problems.raise_if_any()

        course, margins = self.course, self.theme.margins
        buffer = io.BytesIO()
        term_name = m.localized(self.term.name, course.language)
        doc = BaseDocTemplate(
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
            doc.leftMargin,
            doc.bottomMargin,
            doc.width,
            doc.height,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="body",
        )
        doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
        # ASCII85 only makes content streams a quarter larger; the PDF is binary anyway.
        a85, rl_config.useA85 = rl_config.useA85, 0
        try:
            doc.build(story, canvasmaker=_canvas_maker(self.build_time, self._footer_drawer(footer)))
        finally:
            rl_config.useA85 = a85
        return buffer.getvalue()

    # title block

    def title_block(self) -> list[Flowable]:
        course, st = self.course, self.styles
        institution = course.institution
        line = self.link(self.text(institution.label, institution.pos, "institution"), institution.url)
        line += SEP + self.text(course.code, self._field(("code",)), "course code")
        term_name = m.localized(self.term.name, course.language)
        left: list[Flowable] = [
            _Bookmark(line, st["subtitle"], key="top", title=f"{course.code} {course.title}"),
            _Paragraph(self.text(course.title, self._field(("title",)), "course title", "bold"), st["title"]),
            _Paragraph(self.text(term_name, self._term_name_pos(), "term name"), st["subtitle"]),
            Spacer(1, 2 * mm),
        ]
        if course.instructors:
            names = ", ".join(
                self.text(name, self._field(("instructors", i)), "instructor")
                for i, name in enumerate(course.instructors)
            )
            left.append(
                _Paragraph(
                    self.word(
                        "label_value", "regular", label=f"<b>{self.word('instructors', 'bold')}</b>", value=names
                    ),
                    st["body"],
                )
            )
        extra = []
        if course.site:
            extra.append(
                self.word(
                    "label_value", label=self.word("pdf_site"), value=self.url(course.site, self._field(("site",)))
                )
            )
        if course.translation is not None:
            extra.append(
                self.word(
                    "pdf_translated_by",
                    translator=self.text(course.translation.translator, self._field(("translation",)), "translator"),
                )
                + (f" ({self.babel(self.dates.date(course.translation.date))})" if course.translation.date else "")
            )
        if extra:
            left.append(_Paragraph(SEP.join(extra), st["small"]))
        if not self.subscribe_url:
            return [*left, self._rule()]
        size = self.theme.sizes["qr"] * mm
        caption = _Paragraph(self.word("scan_to_subscribe"), st["caption"])
        caption_width = pdfmetrics.stringWidth(
            self.words["scan_to_subscribe"], self.theme.fonts["regular"], self.theme.sizes["small"]
        )
        right_width = max(size, min(70 * mm, caption_width + 2 * mm))
        block = Table(
            [[left, [_QrCode(self.subscribe_url, size, self.theme.fonts["regular"]), caption]]],
            colWidths=[self.width - right_width, right_width],
            style=self._plain_table_style()
            + [
                ("ALIGN", (1, 0), (1, 0), "CENTER"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ],
        )
        return [block, self._rule()]

    def _rule(self) -> Flowable:
        return HRFlowable(
            width="100%",
            thickness=0.6,
            color=colors.HexColor(self.theme.colors["rule"]),
            spaceBefore=3 * mm,
            spaceAfter=1 * mm,
        )

    # times and places

    def times_places(self) -> list[Flowable]:
        st, course = self.styles, self.course
        rows = []
        for pattern in course.patterns:
            location = pattern.location
            rows.append(
                [
                    _Paragraph(
                        f"<b>{self.text(kind_label(course, pattern.kind), pattern.pos, 'meeting kind', 'bold')}</b>",
                        st["body"],
                    ),
                    _Paragraph(self.babel(self.dates.weekday(pattern.weekday)), st["body"]),
                    _Paragraph(self.babel(self.dates.times(pattern.start, pattern.end)), st["body"]),
                    _Paragraph(self.link(self.text(location.name, location.pos, "location"), location.url), st["body"]),
                ]
            )
        table = Table(rows, colWidths=[32 * mm, 28 * mm, 34 * mm, None], hAlign="LEFT", style=self._plain_table_style())
        notes = []
        changes = sorted((*self.term.location_changes, *course.location_changes), key=lambda c: (c.start, c.pos))
        for change in changes:
            kinds = ", ".join(self.text(kind_label(course, k), change.pos, "meeting kind") for k in change.kinds)
            place = self.link(self.text(change.location.name, change.location.pos, "location"), change.location.url)
            label = self.word("pdf_from", date=self.babel(self.dates.day(change.start)))
            notes.append(self.word("label_value", label=label + (f" ({kinds})" if kinds else ""), value=place))
        first, last = self.term.first_day, self.term.last_day
        notes.append(
            self.word("pdf_term_dates", first=self.babel(self.dates.day(first)), last=self.babel(self.dates.day(last)))
        )
        notes.append(
            self.word(
                "label_value", label=self.word("pdf_time_zone"), value=self.babel(self.dates.zone(self.term.timezone))
            )
        )
        return [
            KeepTogether(
                [
                    self._heading("pdf_times_places", "times"),
                    table,
                    Spacer(1, 1.5 * mm),
                    *(_Paragraph(note, st["body"]) for note in notes),
                ]
            )
        ]

    # description and links

    def description(self) -> list[Flowable]:
        if not self.course.description:
            return []
        paragraphs = self.course.description.paragraphs()
        body = ParagraphStyle("description", parent=self.styles["body"], spaceAfter=self.theme.sizes["body"] * 0.5)
        return [
            CondPageBreak(30 * mm),
            self._heading("description", "description"),
            *(_Paragraph(self.rich(p, "description"), body) for p in paragraphs),
        ]

    def links(self) -> list[Flowable]:
        course, st = self.course, self.styles
        groups = [("links", course.links), ("materials", course.materials)]
        rows = []
        for key, links in groups:
            for i, item in enumerate(links):
                label = f"<b>{self.text(item.label, item.pos, 'link label', 'bold')}</b>"
                value = self.url(item.url, item.pos) if item.url else ""
                if item.access_code:
                    code = self.text(item.access_code, item.pos, "access code", "bold")
                    value += ("<br/>" if value else "") + self.word(
                        "label_value", label=self.word("access_code"), value=f"<b>{code}</b>"
                    )
                rows.append(
                    [
                        _Paragraph(self.word(key) if i == 0 else "", st["body"]),
                        _Paragraph(label, st["body"]),
                        _Paragraph(value, st["body"]),
                    ]
                )
        if not rows:
            return []
        table = Table(rows, colWidths=[32 * mm, 34 * mm, self.width - 66 * mm], hAlign="LEFT")
        table.setStyle(TableStyle(self._plain_table_style()))
        return [KeepTogether([self._heading("links", "links"), table])]

    # the schedule

    def schedule_table(self) -> list[Flowable]:
        st, words = self.styles, self.words
        head = [
            words["week"],
            words["date"],
            f"{words['time']}\n{words['location']}",
            words["format"],
            words["title"],
            words["resources"],
        ]
        language = self._field(("language",))
        header = [_Paragraph(self.text(h, language, "column heading", "bold"), st["cell_head"]) for h in head]
        items = self._schedule_items()
        widths = self._schedule_widths(items, head)
        rows: list[list[Any]] = [header]
        style = self._grid_style()
        stripe = colors.HexColor(self.theme.colors["stripe"])
        week_of_row: list[int | None] = []
        seen: set[int] = set()
        for item in items:
            kind, payload, week = item
            row_index = len(rows)
            if kind == "meeting":
                rows.append(self._meeting_row(payload, seen))
            elif kind == "extra":
                rows.append(self._extra_row(payload, seen))
                style.append(("SPAN", (1, row_index), (2, row_index)))
            else:
                rows.append(self._no_class_row(payload, week, seen))
                style.append(("SPAN", (2, row_index), (-1, row_index)))
                style.append(
                    (
                        "BACKGROUND",
                        (0, row_index),
                        (-1, row_index),
                        colors.HexColor(self.theme.colors["no_class_background"]),
                    )
                )
            week_of_row.append(week if kind != "no_class" else None)
        # every other course week on a light stripe; a stronger line where a week begins
        previous = None
        shade = False
        for offset, week in enumerate(week_of_row, 1):
            if week is not None and week != previous:
                shade = not shade if previous is not None else False
                if offset > 1:
                    style.append(
                        ("LINEABOVE", (0, offset), (-1, offset), 0.7, colors.HexColor(self.theme.colors["rule"]))
                    )
                previous = week
            if week is not None and shade:
                style.append(("BACKGROUND", (0, offset), (-1, offset), stripe))
        table = Table(rows, colWidths=widths, repeatRows=1, splitInRow=0, hAlign="LEFT")
        table.setStyle(TableStyle(style))
        # the heading, the column heads and a few rows at least on the page where the schedule starts
        return [CondPageBreak(45 * mm), self._heading("schedule", "schedule"), table]

    def _schedule_widths(self, items: list[tuple[str, Any, int | None]], head: list[str]) -> list[float]:
        """Column widths: week, date, time and kind as wide as their longest unbreakable line (so
        "27/01/2020" never wraps, in any language), resources 40 mm, the titles the rest."""
        fonts, size = self.theme.fonts, self.theme.sizes["table"]
        padding = 6 + 2  # LEFTPADDING + RIGHTPADDING of the grid, and a little air between columns

        def width(text: str, face: str = "regular") -> float:
            return pdfmetrics.stringWidth(text, fonts[face], size)

        def words(text: str, face: str = "regular") -> float:
            return max((width(w, face) for w in text.split()), default=0)

        lines: dict[int, list[float]] = {i: [words(h, "bold")] for i, h in enumerate(head)}
        kinds = {kind_label(self.course, p.kind) for p in self.course.patterns}
        kinds |= {kind_label(self.course, e.kind) for e in self.course.entries}
        for kind, payload, week in items:
            lines[0].append(width(str(week) if week else "–"))
            if kind == "meeting":
                start, end = payload.start, payload.end
                lines[1] += [width(self.dates.weekday(start.weekday())), width(self.dates.date(start.date()))]
                lines[2].append(width(self.dates.times(start.time(), end.time())))
            elif kind == "no_class":
                lines[1] += [
                    width(self.dates.weekday(payload.start.weekday())),
                    width(self.dates.date(payload.start) + " –"),
                ]
        lines[3] += [max(words(k), min(width(k), 24 * mm)) for k in kinds]
        lines[3].append(min(width(head[3], "bold"), 24 * mm))
        if any(kind == "meeting" and payload.cancelled for kind, payload, _ in items):
            lines[3].append(width(self.words["cancelled"], "bold"))
        result = [max(lines[i]) + padding for i in range(4)] + [0.0, 40 * mm]
        result[4] = self.width - sum(result)
        if result[4] < 55 * mm:  # a narrow page or wide words: the resources give way first
            result[5] = max(28 * mm, result[5] - (55 * mm - result[4]))
            result[4] = self.width - sum(result[:4]) - result[5]
        return result

    def _schedule_items(self) -> list[tuple[str, Any, int | None]]:
        """Meetings, no-class days and material without a meeting, in date order."""
        schedule = self.schedule
        keyed: list[tuple[tuple, tuple[str, Any, int | None]]] = []
        for mt in schedule.meetings:
            keyed.append(((mt.start.date(), 1, mt.start, mt.id), ("meeting", mt, mt.week)))
        for holiday in self.term.no_class:
            week = schedule.week_of(holiday.start)
            keyed.append(((holiday.start, 0, None, str(holiday.pos)), ("no_class", holiday, week)))
        for index, entry in enumerate(schedule.extras):
            if 1 <= entry.week <= len(schedule.week_starts):
                day = schedule.week_starts[entry.week - 1] + dt.timedelta(days=6)
            else:
                day = dt.date.max
            keyed.append(((day, 2, None, f"{index:05d}"), ("extra", entry, entry.week)))
        keyed.sort(
            key=lambda pair: (pair[0][0], pair[0][1], pair[0][2] or dt.datetime.min.replace(tzinfo=dt.UTC), pair[0][3])
        )
        return [item for _, item in keyed]

    def _week_cell(self, week: int, seen: set[int]) -> Flowable:
        if week in seen:  # the week's second row: the number again, quieter
            muted = _markup_color(self.theme.colors["muted"])
            return _Paragraph(f'<font color="{muted}">{week}</font>', self.styles["cell"])
        seen.add(week)
        return _Paragraph(str(week), self.styles["cell"])

    def _titles(self, sessions: tuple[m.Session, ...], cancelled: bool) -> str:
        muted = _markup_color(self.theme.colors["muted"])
        lines = []
        for session in sessions:
            title = self.link(self.text(session.title, session.pos, f"session {session.id} title"), session.url)
            if cancelled:
                title = f"<strike>{title}</strike>"
            sid = self.text(session.id, session.pos, "session id")
            lines.append(f'<font color="{muted}">{sid}</font> {title}')
        return "<br/>".join(lines)

    def _resources(self, resources: tuple[m.Resource, ...]) -> str:
        labels = resource_labels(resources, self.course.language, self.course.resource_labels)
        parts = []
        for resource, label in zip(resources, labels):
            what = "resource label" if resource.label else f"the word '{resource.kind}'"
            # "Notebook 1" stays on one line (a no-break space before a label's number)
            label = re.sub(r" (\d+)$", "\u00a0\\1", label)
            parts.append(self.link(self.text(label, resource.pos, what), resource.url))
        return SEP.join(parts)

    def _meeting_row(self, mt: Meeting, seen: set[int]) -> list[Any]:
        st, course = self.styles, self.course
        start, end = mt.start, mt.end
        date = self.babel(self.dates.weekday(start.weekday())) + "<br/>" + self.babel(self.dates.date(start.date()))
        cells_date: list[Flowable] = [_Paragraph(date, st["cell"])]
        if mt.moved_from is not None:
            original = mt.moved_from
            parts = []
            if original.date() != start.date():
                parts.append(self.dates.day(original.date()))
            if original.time() != start.time():
                parts.append(self.dates.time(original.time()))
            when = " ".join(parts)
            cells_date.append(
                _Paragraph(f"<i>{self.word('moved', 'italic')} {self.babel(when, 'italic')}</i>", st["cell_small"])
            )
        # the place's link is in "times and places"; here it would only add a link per row
        place = self.text(mt.location.name, mt.location.pos, "location")
        when = self.babel(self.dates.times(start.time(), end.time()))
        kind = self.text(kind_label(course, mt.kind), mt.pos, "meeting kind")
        if mt.cancelled:
            color = _markup_color(self.theme.colors["cancelled"])
            kind += f'<br/><font color="{color}"><b>{self.word("cancelled", "bold")}</b></font>'
        return [
            self._week_cell(mt.week, seen),
            cells_date,
            [_Paragraph(when, st["cell"]), _Paragraph(place, st["cell_small"])],
            _Paragraph(kind, st["cell"]),
            _Paragraph(self._titles(mt.sessions, mt.cancelled), st["cell"]),
            _Paragraph(self._resources(mt.resources), st["cell"]),
        ]

    def _extra_row(self, entry: m.Entry, seen: set[int]) -> list[Any]:
        st = self.styles
        return [
            self._week_cell(entry.week, seen),
            _Paragraph(f"<i>{self.word('extra', 'italic')}</i>", st["cell"]),
            "",
            _Paragraph(self.text(kind_label(self.course, entry.kind), entry.pos, "meeting kind"), st["cell"]),
            _Paragraph(self._titles(entry.sessions, False), st["cell"]),
            _Paragraph(self._resources(entry.resources), st["cell"]),
        ]

    def _no_class_row(self, holiday: m.NoClass, week: int | None, seen: set[int]) -> list[Any]:
        st = self.styles
        if week is not None:
            seen.add(week)
        if holiday.start == holiday.end:
            date = (
                self.babel(self.dates.weekday(holiday.start.weekday()))
                + "<br/>"
                + self.babel(self.dates.date(holiday.start))
            )
        else:
            date = self.babel(self.dates.date(holiday.start)) + " –<br/>" + self.babel(self.dates.date(holiday.end))
        name = self.text(m.localized(holiday.name, self.course.language), holiday.pos, "no-class day name", "italic")
        no_class = f"<b>{self.word('no_class', 'bold')}</b>"
        label = self.word("label_value", "bold", label=no_class, value=f"<i>{name}</i>")
        return [
            _Paragraph(str(week) if week else "–", st["cell"]),
            _Paragraph(date, st["cell"]),
            _Paragraph(label, st["cell"]),
            "",
            "",
            "",
        ]

    # the staff

    def staff(self) -> list[Flowable]:
        st, words = self.styles, self.words
        if not self.course.staff:
            return []
        head = [words["role"], words["pdf_name"], words["contact"], words["about"]]
        rows: list[list[Any]] = [
            [
                _Paragraph(self.text(h, self._field(("language",)), "column heading", "bold"), st["cell_head"])
                for h in head
            ]
        ]
        for person in self.course.staff:
            name = f"<b>{self.text(person.name, person.pos, 'staff name', 'bold')}</b>"
            email = ""
            if person.email:
                email = self.link(self.text(person.email, person.pos, "staff email"), f"mailto:{person.email}")
            rows.append(
                [
                    _Paragraph(self.text(person.role, person.pos, "staff role"), st["cell"]),
                    _Paragraph(self.link(name, person.url), st["cell"]),
                    _Paragraph(email, st["cell"]),
                    _Paragraph(self.rich(person.description, "staff description"), st["cell"]),
                ]
            )
        widths = [24 * mm, 34 * mm, 40 * mm]
        widths.append(self.width - sum(widths))
        table = Table(rows, colWidths=widths, repeatRows=1, splitInRow=0, hAlign="LEFT")
        table.setStyle(TableStyle(self._grid_style()))
        heading = self._heading("staff", "staff")
        if len(rows) <= 12:  # a short table goes to the next page whole rather than leave its heading behind
            return [KeepTogether([heading, table])]
        return [CondPageBreak(40 * mm), heading, table]

    # pieces

    def _heading(self, word: str, key: str) -> Flowable:
        text = self.words[word]
        return _Bookmark(self.word(word, "bold"), self.styles["heading"], key=key, title=text)

    def _plain_table_style(self) -> list[tuple]:
        return [
            ("FONTNAME", (0, 0), (-1, -1), self.theme.fonts["regular"]),
            ("FONTSIZE", (0, 0), (-1, -1), self.theme.sizes["body"]),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 6),
            ("TOPPADDING", (0, 0), (-1, -1), 1),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ]

    def _grid_style(self) -> list[tuple]:
        c = self.theme.colors
        rule = colors.HexColor(c["rule"])
        return [
            # Table sets the font of every cell, Paragraph or not: without this, reportlab puts an
            # unembedded Helvetica into the page resources.
            ("FONTNAME", (0, 0), (-1, -1), self.theme.fonts["regular"]),
            ("FONTSIZE", (0, 0), (-1, -1), self.theme.sizes["table"]),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(c["header_background"])),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, rule),
            ("LINEBELOW", (0, 1), (-1, -1), 0.25, rule),
            ("BOX", (0, 0), (-1, -1), 0.6, rule),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ]

    # footer

    def _footer_texts(self) -> tuple[str, str]:
        """The footer's left text and its right template (``{page}``/``{pages}`` left to fill)."""
        course = self.course
        term_name = m.localized(self.term.name, course.language)
        left = SEP.join((course.code, course.title, term_name))
        built = self.words["built_on"].format(date=self.dates.long(self.build_time.astimezone(dt.UTC).date()))
        right = built + SEP + self.words["page_x_of_y"]
        self.check(left, self.course.pos, "footer")  # its parts are checked where they are drawn first
        self.check(right.replace("{page}", "0").replace("{pages}", "0"), self._field(("language",)), "footer")
        return left, right

    def _footer_drawer(self, texts: tuple[str, str]) -> Callable[[Canvas, int, int], None]:
        left_text, right_template = texts
        theme = self.theme
        font, size = theme.fonts["regular"], theme.sizes["small"]
        page_width = self.pagesize[0]
        left_x, right_x = theme.margins["left"] * mm, page_width - theme.margins["right"] * mm
        y = theme.margins["bottom"] * mm * 0.5
        muted, rule = colors.HexColor(theme.colors["muted"]), colors.HexColor(theme.colors["rule"])

        def draw(canvas: Canvas, page: int, pages: int) -> None:
            right = right_template.format(page=page, pages=pages)
            room = right_x - left_x - pdfmetrics.stringWidth(right, font, size) - 12
            left = _fit(left_text, font, size, room)
            canvas.saveState()
            canvas.setStrokeColor(rule)
            canvas.setLineWidth(0.4)
            canvas.line(left_x, y + size * 1.6, right_x, y + size * 1.6)
            canvas.setFont(font, size)
            canvas.setFillColor(muted)
            canvas.drawString(left_x, y, left)
            canvas.drawRightString(right_x, y, right)
            canvas.restoreState()

        return draw

    # positions of course-level values

    def _field(self, keys: tuple[str | int, ...]) -> Pos:
        """Where a course-level value is in the course file."""
        return self.course.at(".".join(str(k) for k in keys))

    def _term_name_pos(self) -> Pos:
        names = self.term.name
        language = self.course.language
        key = next((k for k in (language, language.split("-")[0], "en") if k in names), None)
        return self.term.at(f"name.{key}" if key and key != "*" else "name")


def _shown_url(url: str) -> str:
    """A link as printed on paper: without the scheme of a web address, and without a final slash."""
    return re.sub(r"^https?://", "", url).rstrip("/") if url.startswith(("http://", "https://")) else url


def _fit(text: str, font: str, size: float, width: float) -> str:
    """``text``, shortened with an ellipsis until it fits ``width`` points."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


# --- flowables and the canvas --------------------------------------------------------------


# Parsed paragraphs without links: (markup, id of the style) → (style, cleaned markup, fragments).
_PARSED: dict[tuple[str, int], tuple[ParagraphStyle, str, list[Any]]] = {}


class _Paragraph(Paragraph):
    """A Paragraph that does not break its lines again for the width it was last wrapped to.

    A table wraps every cell to measure its row, then again to draw it, with the same width:
    breaking the lines once is a sixth of a syllabus's time. The lines depend on the width only
    (the text and style do not change), so the second answer is the first; a split starts afresh.
    """

    _wrapped: tuple[float, tuple[float, float]] | None = None

    def __init__(self, text: str | None, style: ParagraphStyle, **kw: Any):
        # A text without links is parsed once per style in a process: the week numbers, dates, times,
        # places and kinds of a schedule repeat from row to row and from course to course. The
        # fragments are shared; laying out and drawing only read them (and set the same _fkind).
        if kw or not isinstance(text, str) or "<a " in text:
            super().__init__(text, style, **kw)
            return
        key = (text, id(style))
        hit = _PARSED.get(key)
        if hit is not None and hit[0] is style:
            super().__init__(hit[1], style, frags=hit[2])
            return
        super().__init__(text, style)
        if len(_PARSED) >= 4096:
            _PARSED.clear()
        _PARSED[key] = (style, self.text, self.frags)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self._wrapped is None or self._wrapped[0] != availWidth:
            self._wrapped = (availWidth, super().wrap(availWidth, availHeight))
        return self._wrapped[1]

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self._wrapped = None
        return super().split(availWidth, availHeight)


class _Bookmark(_Paragraph):
    """A Paragraph that is also an entry of the document's outline (a section heading)."""

    def __init__(self, text: str, style: ParagraphStyle, *, key: str, title: str):
        super().__init__(text, style)
        self._key, self._title = key, title

    def draw(self) -> None:
        super().draw()
        self.canv.bookmarkHorizontal(self._key, 0, self.height)
        self.canv.addOutlineEntry(self._title, self._key, level=0)


class _QrCode(Flowable):
    """The QR code of the subscription address, also a link to it for readers on screen."""

    def __init__(self, url: str, size: float, font: str):
        super().__init__()
        self.url, self.size, self.font = url, size, font
        self.hAlign = "CENTER"

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        from reportlab.graphics import renderPDF  # only a syllabus with a subscription address needs these
        from reportlab.graphics.barcode.qr import QrCodeWidget
        from reportlab.graphics.shapes import Drawing

        widget = QrCodeWidget(self.url, barLevel="M")
        x0, y0, x1, y1 = widget.getBounds()
        scale = [self.size / (x1 - x0), 0, 0, self.size / (y1 - y0), 0, 0]
        # initialFontName: else the renderer sets Helvetica, an unembedded font in the page resources
        drawing = Drawing(self.size, self.size, transform=scale, initialFontName=self.font)
        drawing.add(widget)
        renderPDF.draw(drawing, self.canv, 0, 0)
        self.canv.linkURL(self.url, (0, 0, self.size, self.size), relative=1, thickness=0)


class _LinkAnnotation(PDFObject):
    """A URI link annotation: the bytes reportlab's PDFDictionary writes for it (keys sorted, one
    line), made with string formatting; a syllabus has hundreds of links, and formatting each as
    nested PDF objects was a tenth of a syllabus's time. ``uri`` is printable ASCII without spaces."""

    def __init__(self, uri: str, rect: list[float]):
        self.uri, self.rect = uri, rect

    def dictionary(self) -> PDFDictionary:
        """The same annotation as reportlab's objects (what an encrypted or multi-line document gets)."""
        action = PDFDictionary()
        action["S"] = PDFName("URI")
        action["URI"] = PDFString(self.uri)
        annotation = PDFDictionary()
        annotation["Type"] = PDFName("Annot")
        annotation["Subtype"] = PDFName("Link")
        annotation["Rect"] = PDFArray(self.rect)
        annotation["Border"] = PDFArray([0, 0, 0])
        annotation["A"] = action
        return annotation

    def format(self, document: Any) -> bytes:
        if not isinstance(document.encrypt, NoEncryption) or rl_config.pdfMultiLine:
            return self.dictionary().format(document)
        uri = self.uri.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        rect = " ".join(_pdf_number(v) for v in self.rect)
        return (
            f"<<\n/A <<\n/S /URI /URI ({uri})\n>> /Border [ 0 0 0 ] /Rect [ {rect} ] /Subtype /Link /Type /Annot\n>>"
        ).encode("ascii")


def _pdf_number(value: float) -> str:
    """A number with at most one decimal as reportlab's ``fp_str`` writes it ("12.5", "-3", ".5")."""
    if not -1e5 < value < 1e5 or round(value, 1) != value:
        return fp_str(value)
    if abs(value) <= 1e-7:
        return "0"
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text[1:] if text.startswith("0.") else text


class _Stamp:
    """What reportlab's PDFDocument reads of its TimeStamp, made from the build time (UTC)."""

    def __init__(self, when: dt.datetime):
        utc = when.astimezone(dt.UTC)
        self.t = utc.timestamp()
        self.lt = utc.timetuple()
        self.YMDhms = tuple(self.lt)[:6]
        self.dhh = self.dmm = 0
        self.tzname = "UTC"


def _canvas_maker(build_time: dt.datetime, footer: Callable[[Canvas, int, int], None]) -> type[Canvas]:
    """A Canvas that dates the document from ``build_time`` and draws "page x of y" footers.

    Pages are kept until the end so the footer knows the page count; the document's creation
    and modification dates and its /ID come from the build time (not the clock, nor the
    SOURCE_DATE_EPOCH that reportlab would read from the environment).
    """

    class _Canvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any):
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []
            stamp = _Stamp(build_time)
            self._doc._timeStamp = stamp
            signature = hashlib.md5(usedforsecurity=False)
            signature.update(b"syllabus-export " + repr(stamp.t).encode())
            self._doc.signature = signature
            self.showOutline()

        def linkURL(self, url: str, rect: Any, relative: int = 0, thickness: int = 0, **kw: Any) -> None:
            """A URI link (every link goes through here, Paragraph <a> too) as small as it may be:
            reportlab's own adds an optional /Type /Action and writes the rectangle to seven digits,
            which ~140 links turn into kilobytes. A URI is 7-bit ASCII: other characters are %-encoded."""
            uri = "".join(c if 0x20 < ord(c) < 0x7F else quote(c) for c in url)
            self._addAnnotation(_LinkAnnotation(uri, [round(v, 1) for v in self._absRect(rect, relative)]))

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, 1):
                self.__dict__.update(state)
                footer(self, number, total)
                Canvas.showPage(self)
            Canvas.save(self)

    return _Canvas
