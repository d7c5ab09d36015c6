"""Schedule → the course page (``out/<course>/<term>/index.html``) and the list of courses (``out/index.html``).

A renderer: returns bytes, reads no clock and writes nothing; it reads only the templates and,
for a staff photo, a local file beside the course data (the page never loads anything remote).
The page is also the accessible version of the syllabus (reportlab cannot tag PDFs), so it is
plain semantic HTML that reads in order without CSS and without JavaScript. The only script
turns relative feed links into ``webcal://`` and subscribe-by-URL links when no base URL was
configured, from the page's own address; without it the links stay plain relative https links.
Same inputs, same bytes: every list is in a fixed order and no clock is read.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import jinja2
from markupsafe import Markup

from syllabus_export import model as m
from syllabus_export import present
from syllabus_export.expand import Schedule
from syllabus_export.messages import kind_label, messages
from syllabus_export.resources import template_text

MAIN_FEED = "calendar.ics"
PDF = "syllabus.pdf"
ITEM_FEEDS = {"calendar-deadlines.ics": "exams_deadlines", "calendar-office-hours.ics": "office_hours"}
PER_KIND_FEED = re.compile(r"^calendar-([a-z0-9_-]+)\.ics$")
GOOGLE_ADD_BY_URL = "https://calendar.google.com/calendar/u/0/r/settings/addbyurl"
PHOTO_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
               ".webp": "image/webp"}
MAX_PHOTO_BYTES = 200_000
SAFE_SCHEMES = ("http", "https", "mailto")


def render_page(
    schedule: Schedule,
    *,
    build_time: dt.datetime,
    feed_url: str | None,
    changes: list[dict] | None,
    files: list[str],
    templates: Path | None = None,
) -> bytes:
    """The page of one course in one term, UTF-8 HTML.

    Parameters:
        build_time: aware datetime of the build ("built on"); never the clock.
        feed_url: the public absolute URL of ``calendar.ics``, or None when no base URL is
            configured: then every link is relative and a small inline script derives the
            subscribe links from the page's own address.
        changes: the records of ``changes.compare`` of the last build that changed anything, or None.
        files: names of the files published beside the page (``calendar.ics``,
            ``calendar-lecture.ics``, ``syllabus.pdf``…); only those get links.
        templates: the user's template folder (``--templates``); None: the packaged defaults.
    Raises:
        ValueError: ``feed_url`` is not an absolute http(s) URL, or ``build_time`` is naive.
    """
    if build_time.tzinfo is None:
        raise ValueError(f"build_time must be an aware datetime (got {build_time!r})")
    if feed_url is not None and (urlsplit(feed_url).scheme not in ("http", "https") or not urlsplit(feed_url).netloc):
        raise ValueError(f"feed_url must be an absolute http(s) URL (got {feed_url!r})")
    context = _PageContext(schedule, feed_url=feed_url, files=sorted(set(files))).build(build_time, changes or [])
    return _environment(templates).get_template("page.html.j2").render(context).encode("utf-8")


def render_index(
    entries: list[tuple[str, ...]],
    *,
    templates: Path | None = None,
    language: str = "en",
) -> bytes:
    """``out/index.html``: one link per course and term published.

    ``entries`` are (course id, term id, display title, relative href[, the title's language]), e.g.
    ``("dlsp20", "nyu-2020-spring", "DS-GA 1008 · HỌC SÂU · Học kỳ mùa xuân 2020", "dlsp20/nyu-2020-spring/", "vi")``;
    they are listed sorted by course id, then term id. ``language`` is the page's language (the
    catalogue's common language; English when courses differ).
    """
    rows = []
    for course_id, term_id, title, href, *title_lang in sorted(entries):
        if urlsplit(href).scheme or href.startswith(("/", "\\")) or ".." in href.split("/"):
            raise ValueError(f"href must be a relative path inside out/ (got {href!r})")
        lang = title_lang[0] if title_lang and title_lang[0] != language else ""
        rows.append({"course": course_id, "term": term_id, "title": title, "href": href, "lang": lang})
    courses: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        courses.setdefault(row["course"], []).append(row)
    context = {"lang": language, "w": messages(language), "courses": courses}
    return _environment(templates).get_template("index.html.j2").render(context).encode("utf-8")


# --- the template environment ---------------------------------------------------------------


# One environment per templates folder and process: Jinja keeps each compiled template (a tenth of a
# course's build time) and compiles it again only when its file's text changed.
_ENVIRONMENTS: dict[Path | None, jinja2.Environment] = {}


def _environment(templates: Path | None) -> jinja2.Environment:
    env = _ENVIRONMENTS.get(templates)
    if env is None:
        env = _ENVIRONMENTS[templates] = _new_environment(templates)
    return env


def _source(name: str, templates: Path | None) -> tuple[str, None, Callable[[], bool]]:
    text = template_text(name, templates)
    return text, None, lambda: template_text(name, templates) == text


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Jinja's compiled templates kept between runs (in the user's temporary folder, keyed by each
    template's text, so an edited template is compiled again): compiling the page's templates is a
    fifth of a one-course build otherwise. None where that folder cannot be made."""
    try:
        return jinja2.FileSystemBytecodeCache()
    except (OSError, RuntimeError):
        return None


def _new_environment(templates: Path | None) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(lambda name: _source(name, templates)),
        bytecode_cache=_bytecode_cache(),
        autoescape=True,  # every value from the data is text, never markup
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["csp_hash"] = _csp_hash
    env.filters["safe_href"] = _safe_href
    return env


def _csp_hash(script: str) -> str:
    """``'sha256-…'`` of an inline script, for the page's Content-Security-Policy."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(str(script).encode("utf-8")).digest()).decode() + "'"


def _safe_href(url: str | None) -> str | None:
    """A URL from the data, if its scheme is one a link may have; the loader already refused others."""
    if url is None:
        return None
    scheme = urlsplit(url).scheme.lower()
    return url if scheme in SAFE_SCHEMES else None


# --- what the template is given --------------------------------------------------------------


@dataclass
class _PageContext:
    schedule: Schedule
    feed_url: str | None
    files: list[str]
    lang: str = field(init=False)
    fmt: present.Formats = field(init=False)
    words: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.lang = self.schedule.course.language
        self.fmt = present.formats(self.lang)
        self.words = messages(self.lang)

    def build(self, build_time: dt.datetime, changes: list[dict]) -> dict[str, Any]:
        course, term = self.schedule.course, self.schedule.term
        term_name = m.localized(term.name, self.lang)
        name = present.calendar_name(self.schedule)  # the feed's X-WR-CALNAME
        return {
            "lang": self.lang,
            "dir": "rtl" if self.fmt.locale.character_order == "right-to-left" else None,  # Arabic, Farsi, Hebrew…
            "w": self.words,
            "course": course,
            "term_name": term_name,
            "calendar_name": name,
            "institution": {"label": course.institution.label, "url": _safe_href(course.institution.url)},
            "description": [(run.text, _safe_href(run.url)) for run in course.description.runs],
            "patterns": self._patterns(),
            "zone": self._zone_name(),
            "links": [self._link(link) for link in course.links],
            "materials": [self._link(link) for link in course.materials],
            "feed": self._feed(MAIN_FEED, present.main_feed_name(self.schedule)) if MAIN_FEED in self.files else None,
            "kind_feeds": self._kind_feeds(name),
            "section_feeds": self._section_feeds(),
            "pdf": self._href(PDF) if PDF in self.files else None,
            "relative": self.feed_url is None,
            "google_add_by_url": GOOGLE_ADD_BY_URL,
            "qr": self._qr(),
            "groups": (groups := self._groups()),
            "moves": any(r.get("moved_from") for g in groups for r in g["rows"]),
            "staff": [self._person(p) for p in course.staff],
            "changes": self._changes(changes),
            "built_on": self.fmt.long(present.build_day(build_time, term)),
            **self._items_context(),
        }

    # -- links and feeds --

    def _href(self, name: str) -> str:
        """A sibling file: absolute under the base URL when there is one, else relative."""
        return urljoin(self.feed_url, name) if self.feed_url else name

    def _feed(self, file: str, name: str) -> dict[str, Any]:
        if self.feed_url is None:
            # The script fills in the real links from the page's address; until then (and without
            # JavaScript) every subscribe link is the relative https link, which always works.
            return {"file": file, "name": name, "webcal": file, "google": GOOGLE_ADD_BY_URL,
                    "outlook_live": file, "office365": file, "https": file}
        from syllabus_export.feed import subscribe_links

        return {"file": file, "name": name, **subscribe_links(urljoin(self.feed_url, file), name)}

    def _section_feeds(self) -> list[dict[str, Any]]:
        """One feed per section (per combination of sections), each with its subscribe links."""
        result = []
        for feed in present.section_feeds(self.schedule.course):
            if feed.file not in self.files:
                continue
            links = self._feed(feed.file, present.calendar_name(self.schedule, feed.label))
            times = [{"kind": t.kind, "day": t.day, "time": t.time, "location": t.location.name} for t in feed.times]
            result.append({**links, "label": feed.label, "times": times, "href": self._href(feed.file),
                           "key": feed.file.removeprefix("calendar-").removesuffix(".ics")})
        return result

    def _kind_feeds(self, name: str) -> list[dict[str, Any]]:
        """The per-kind feeds published beside the main one, in the course's order of kinds."""
        items = ITEM_FEEDS  # the exams and deadlines' feed and the office hours': named by what they hold
        sections = {f.file for f in present.section_feeds(self.schedule.course)}
        found = {match[1]: f for f in self.files
                 if (match := PER_KIND_FEED.match(f)) and f not in sections and f not in items}
        kinds = [p.kind for p in self.schedule.course.patterns if p.kind in found]
        kinds += sorted(k for k in found if k not in kinds)
        result = []
        for kind in kinds:
            label = kind_label(self.schedule.course, kind)
            feed = self._feed(found[kind], present.calendar_name(self.schedule, label))
            only = self.words["page_only_kind"].format(kind=label)
            result.append({**feed, "label": only, "href": self._href(found[kind])})
        for file, word in items.items():
            if file in self.files:
                label = self.words[word]
                result.append({**self._feed(file, present.feed_name(self.schedule, file)), "label": label,
                               "href": self._href(file)})
        return result

    def _link(self, link: m.Link) -> dict[str, Any]:
        return {"label": link.label, "text": link.text, "url": _safe_href(link.url), "access_code": link.access_code}

    def _qr(self) -> Markup | None:
        """The webcal address as an inline SVG QR code: a phone camera opens the subscribe dialog."""
        if self.feed_url is None or MAIN_FEED not in self.files:
            return None
        from syllabus_export.feed import subscribe_links

        target = subscribe_links(urljoin(self.feed_url, MAIN_FEED), "")["webcal"]
        alt = self.words["page_qr_alt"].format(url=target)
        return qr_svg(target, title=alt)

    # -- times, places and the schedule --

    def _zone_name(self) -> str:
        name = self.schedule.term.timezone
        zone = self.fmt.zone(name)
        return name if zone == name else f"{zone} · {name}"

    def _patterns(self) -> list[dict[str, Any]]:
        """Each kind with its weekly slots (its sections' when it has sections)."""
        kinds: dict[str, dict[str, Any]] = {}
        for t in present.times_and_places(self.schedule.course):
            kinds.setdefault(t.kind, {"kind": t.kind, "slots": []})["slots"].append({
                "section": t.section,
                "day": t.day,
                "time": t.time,
                "location": {"name": t.location.name, "url": _safe_href(t.location.url)},
            })
        return list(kinds.values())

    def _row(self, row: present.Row) -> dict[str, Any]:
        if isinstance(row, present.NoClassRow):
            period = row.period
            date = (self.fmt.full(period.start) if period.start == period.end
                    else self.fmt.days_between(period.start, period.end))
            return {"type": "no_class", "date": date, "name": row.name}
        if isinstance(row, present.SubstitutionRow):
            return {"type": "substitution", "date": self.fmt.full(row.day), "follows": row.follows, "name": row.name}
        common = {
            "id": row.id,
            "kind": row.kind,
            "sessions": [{"title": s.title, "url": _safe_href(s.url)} for s in row.sessions],
            "resources": [{"label": r.label, "url": _safe_href(r.url)} for r in row.resources],
        }
        if isinstance(row, present.ExtraRow):
            return {"type": "extra", **common, "section": None, "cancelled": False, "moved_from": None}
        mt = row.meeting
        return {
            "type": "meeting",
            **common,
            "date": self.fmt.full(row.day),
            "time": self.fmt.times(mt.start.time(), mt.end.time()),
            "location": {"name": mt.location.name, "url": _safe_href(mt.location.url)},
            "section": row.section,
            "cancelled": mt.cancelled,
            "moved_from": present.moved_brief(row, self.fmt),
        }

    def _groups(self) -> list[dict[str, Any]]:
        """The rows in course weeks (a break that takes a whole week is a group of its own); the
        material without a meeting in a group of its own after its week's."""
        schedule = self.schedule
        week_urls = {w.number: _safe_href(w.url) for w in schedule.course.weeks}
        groups: dict[Any, dict[str, Any]] = {}

        def group(key: Any, sort: Any, week: int | None, start: str | None = None) -> dict[str, Any]:
            if key not in groups:
                groups[key] = {"week": week, "url": week_urls.get(week) if week else None, "sort": sort,
                               "start": start, "extra": key[0] == "extra", "rows": []}
            return groups[key]

        for number, start in enumerate(schedule.week_starts, 1):
            group(("week", number), (start, 0), number, self.fmt.month_day(start))
        for row in present.rows(schedule):
            if isinstance(row, (present.NoClassRow, present.SubstitutionRow)):
                if row.week is None:
                    found = group(("break", row.day), (row.day, 1), None)
                else:
                    found = group(("week", row.week), None, row.week)
            elif isinstance(row, present.ExtraRow):
                found = group(("extra", row.week), (dt.date.max, row.week), row.week)
            else:
                found = group(("week", row.week), (row.day, 0), row.week)
            found["rows"].append(self._row(row))
        return [g for g in sorted(groups.values(), key=lambda g: g["sort"]) if g["rows"]]

    # -- staff and changes --

    def _person(self, person: m.Person) -> dict[str, Any]:
        return {
            "role": person.role,
            "name": person.name,
            "url": _safe_href(person.url),
            "email": person.email,
            "description": [
                [(run.text, _safe_href(run.url)) for run in line.runs] for line in person.description.lines()
            ],
            "photo": local_photo(self.schedule.course, person),
            "office_hours": [h for h in self._office_hours() if h["who"] == person.name],
        }

    def _changes(self, records: list[dict]) -> list[dict[str, Any]]:
        return [
            {"title": line.title, "when": line.when,
             "parts": [{"kind": p.kind, "word": p.word, "detail": p.detail} for p in line.parts]}
            for line in present.change_lines(records, self.schedule)
        ]


    # -- exams, deadlines, office hours, the syllabus's text, the term at a glance, next up (issue 14) --

    def _items_context(self) -> dict[str, Any]:
        schedule = self.schedule
        names = {p.name for p in schedule.course.staff}
        return {
            "items": [self._item(row) for row in present.item_rows(schedule)],
            "syllabus": [{"title": s.title, "blocks": [_block(b) for b in s.blocks]} for s in schedule.course.syllabus],
            "other_office_hours": [h for h in self._office_hours() if h["who"] not in names],
            "grid": self._grid() if schedule.meetings or schedule.items else None,
            "upcoming": self._upcoming(),
            "week_starts": [{"start": start.isoformat(), "anchor": f"week-{n}"}
                            for n, start in enumerate(schedule.week_starts, 1)],
            "term_end": schedule.term.last_day.isoformat(),
        }

    def _item(self, row: present.ItemRow) -> dict[str, Any]:
        item = row.item
        place = {"name": item.location.name, "url": _safe_href(item.location.url)} if item.location else None
        return {"id": f"{item.kind}-{item.id}", "kind": item.kind, "word": row.kind, "title": row.title,
                "url": _safe_href(item.url), "date": row.date, "time": row.time, "location": place,
                "cancelled": item.cancelled}

    def _office_hours(self) -> list[dict[str, Any]]:
        return [{"who": line.who, "day": line.day, "time": line.time,
                 "location": {"name": line.location.name, "url": _safe_href(line.location.url)} if line.location
                 else None} for line in present.office_hours(self.schedule)]

    def _grid(self) -> dict[str, Any]:
        grid = present.term_grid(self.schedule)
        return {
            "months": [{"title": month.title, "weekdays": month.weekdays,
                        "weeks": [[None if d is None else {
                            "day": d.day.day, "marks": "".join(d.marks), "spoken": d.spoken, "cls": _cell_class(d)}
                            for d in week] for week in month.weeks]}
                       for month in grid.months],
            "kinds": grid.kinds, "no_class": grid.no_class, "exam": grid.exam, "deadline": grid.deadline,
            "exam_mark": present.EXAM_MARK, "deadline_mark": present.DEADLINE_MARK,
        }

    def _upcoming(self) -> list[dict[str, str]]:
        """What the "next up" line may say, in time order: every meeting that takes place, every exam
        and deadline; each with its end (a deadline's is its due time), its words and its row."""
        found = []
        for mt in self.schedule.meetings:
            if not mt.cancelled:
                title = " / ".join(s.title.strip() for s in mt.sessions)
                text = f"{title} ({kind_label(self.schedule.course, mt.kind)}) · {self.fmt.when(mt.start, mt.end)}"
                found.append((mt.start, {"end": mt.end.isoformat(), "text": text, "anchor": f"m-{mt.id}"}))
        for row in present.item_rows(self.schedule):
            item = row.item
            if not item.cancelled:
                when = self.fmt.when(item.start) if item.kind == "deadline" else self.fmt.when(item.start, item.end)
                found.append((item.start, {"end": item.end.isoformat(), "text": f"{row.title} · {when}",
                                           "anchor": f"{item.kind}-{item.id}"}))
        found.sort(key=lambda pair: pair[0])
        return [entry for _, entry in found]


def _cell_class(day: present.GridDay) -> str:
    """A day's classes in the term grid: off (no class), class (a class meets), out (not in the term),
    flag (an exam or a deadline)."""
    names = ["off" if day.no_class else "class" if day.class_day else "", "" if day.in_term else "out",
             "flag" if day.exams or day.deadlines else ""]
    return " ".join(n for n in names if n)


def _block(block: m.TextBlock) -> dict[str, Any]:
    """A block of the syllabus's text for the template: runs as (text, href, bold)."""
    def runs(text: m.RichText) -> list[tuple[str, str | None, bool]]:
        return [(r.text, _safe_href(r.url), r.bold) for r in text.runs]

    if isinstance(block, m.TextParagraph):
        return {"type": "paragraph", "runs": runs(block.text)}
    if isinstance(block, m.TextList):
        return {"type": "list", "entries": [runs(item) for item in block.items]}
    return {"type": "table", "header": [runs(c) for c in block.header],
            "rows": [[runs(c) for c in row] for row in block.rows]}


def local_photo(course: m.Course, person: m.Person) -> str | None:
    """A staff photo as a ``data:`` URI, only from a local file; never fetched.

    The file is looked for in ``photos/`` beside the course file, then in ``photos/`` of the
    data folder (``data/photos/`` for ``data/courses/x.yaml``), named as the last segment of the
    person's ``photo`` URL (``ylc-thumb.jpeg``), or else as the person's name in lower case with
    ``-`` for spaces (``yann-lecun.jpg``). PNG, JPEG, GIF and WebP up to 200 KB.
    """
    if not course.path:
        return None
    folder = Path(course.path).parent
    names = []
    if person.photo:
        last = urlsplit(person.photo).path.rsplit("/", 1)[-1]
        if last and last not in (".", ".."):
            names.append(last)
    slug = re.sub(r"[^\w]+", "-", person.name.lower()).strip("-")
    names += [slug + ext for ext in PHOTO_TYPES]
    for base in (folder / "photos", folder.parent / "photos"):
        for name in names:
            path = base / name
            kind = PHOTO_TYPES.get(path.suffix.lower())
            try:
                if kind and path.is_file() and path.stat().st_size <= MAX_PHOTO_BYTES:
                    return f"data:{kind};base64," + base64.b64encode(path.read_bytes()).decode("ascii")
            except OSError:
                continue
    return None


def qr_svg(text: str, *, title: str, module: int = 4) -> Markup:
    """``text`` as a QR code in inline SVG (error correction M, a 4-module quiet zone), one path."""
    from reportlab.graphics.barcode import qrencoder

    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(qrencoder.QR8bitByte(text))
    code.make()
    count = code.getModuleCount()
    quiet = 4
    path = []
    for row in range(count):
        col = 0
        while col < count:
            if code.isDark(row, col):
                run = col
                while run < count and code.isDark(row, run):
                    run += 1
                path.append(f"M{col + quiet} {row + quiet}h{run - col}v1h-{run - col}z")
                col = run
            else:
                col += 1
    size = count + 2 * quiet
    pixels = size * module
    return Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{0}" '
        f'width="{pixels}" height="{pixels}" viewBox="0 0 {size} {size}" shape-rendering="crispEdges">'
        '<title>{0}</title>'
        f'<rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(path)}"/></svg>'
    ).format(title)
