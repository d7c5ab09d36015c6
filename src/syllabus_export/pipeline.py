"""The stages wired together for one course: load → expand → render → publish.

Library code: it neither prints nor exits. Courses are independent, so a catalogue is built in
a process pool and a failing course never stops the others.
"""

from __future__ import annotations

import functools
import glob
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from syllabus_export import __version__
from syllabus_export.errors import Pos, Problem, SyllabusError, decode_utf8, quoted

if TYPE_CHECKING:  # only for annotations: list and check import no more than they use
    from syllabus_export import model as m
    from syllabus_export.expand import Schedule
    from syllabus_export.published import PublishedFeed

DEFAULT_COURSES = Path("data") / "courses"
# Beside the outputs: the hash of what they were made from, then the name of each output it made.
STAMP = ".inputs.sha256"
# In the output folder: where each course file built into it was published (its outputs' folder, the
# term its file names, its warnings), so a rebuild can tell an unchanged course by hashing its inputs,
# without reading them as YAML; and what out/index.html was made from. Course files are named by a
# hash of their path (nothing of the machine is published). A hint only: the stamp decides.
RECORDS = ".courses.json"


@dataclass(frozen=True, kw_only=True)
class Settings:
    """What the command line chose; None means "the course's own setting"."""

    term: str | None = None
    on_conflict: m.ConflictPolicy | None = None
    out: str = "out"
    previous: str | None = None
    base_url: str | None = None
    templates: str | None = None
    paper: m.Paper | None = None


@dataclass(frozen=True, kw_only=True)
class Outcome:
    """What building one course did: where, a one-line summary, or its problems."""

    course: str
    folder: str | None = None
    summary: str = ""
    written: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = field(default=())
    notes: tuple[Problem, ...] = field(default=())  # warnings: the build went on (cli prints each once)


def course_paths(specs: list[str] | None) -> list[Path]:
    """``--course`` values → course files: a file, a folder, a glob, or a ``.txt`` catalogue listing files.

    None given: every course in ``data/courses/``.
    """
    found: list[Path] = []
    for spec in specs or [str(DEFAULT_COURSES)]:
        path = Path(spec)
        if path.is_dir():
            matches = sorted([*path.glob("*.yaml"), *path.glob("*.yml")])
        elif path.suffix == ".txt" and path.is_file():  # a catalogue: one course file per line
            matches = _catalogue(path)
        elif any(c in spec for c in "*?["):
            matches = [Path(p) for p in sorted(glob.glob(spec)) if Path(p).is_file()]
        else:
            matches = [path]
        if not matches:
            raise SyllabusError([Problem(pos=Pos(path=spec), message="no course files here (expected *.yaml)")])
        found.extend(p for p in matches if p not in found)
    return found


def _catalogue(path: Path) -> list[Path]:
    """The course files a ``.txt`` catalogue lists, one a line (relative to it), ``#`` lines skipped."""
    try:
        text = decode_utf8(path.read_bytes(), str(path), "catalogue")
    except OSError as exc:
        raise SyllabusError([Problem(pos=Pos(path=str(path)), message=f"cannot read ({exc.strerror})")]) from None
    found, problems = [], []
    for number, line in enumerate(text.splitlines(), 1):
        name = line.strip()
        if not name or line.startswith("#"):
            continue
        if bad := next((c for c in name if not c.isprintable()), None):
            problems.append(Problem(pos=Pos(path=str(path), line=number, column=line.index(bad) + 1),
                                    message=f"a file name with the control character {quoted(bad)}"))
            continue
        found.append(path.parent / name)
    if problems:
        raise SyllabusError(problems)
    return found


def _shown(path: Path) -> Path:
    """A path as the user would type it: relative to the working directory when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path


def _term_path(course_path: Path, course_term: str, settings: Settings) -> Path:
    if settings.term:
        return Path(settings.term)
    return _shown(course_path.resolve().parent.parent / "terms" / f"{course_term}.yaml")


class Loader:
    """Loads courses and their terms, each term file once, remembering a broken term's problems."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._terms: dict[Path, m.Term | SyllabusError] = {}

    def term(self, path: Path) -> m.Term:
        """The term in ``path``, read once; raises SyllabusError (every time) when it is broken."""
        from syllabus_export.load import load_term

        key = path.resolve()
        if key not in self._terms:
            try:
                self._terms[key] = load_term(path)
            except SyllabusError as error:
                self._terms[key] = error
        value = self._terms[key]
        if isinstance(value, SyllabusError):
            raise value
        return value

    def schedule(self, course_path: Path) -> Schedule:
        """The course in ``course_path`` dated in its term; raises SyllabusError."""
        from syllabus_export.expand import expand
        from syllabus_export.load import load_course

        course = load_course(course_path)
        term_path = _term_path(course_path, course.term, self.settings)
        if not term_path.exists():
            hint = "" if self.settings.term else " (give --term PATH)"
            raise SyllabusError([Problem(pos=course.pos if not self.settings.term else Pos(path=str(term_path)),
                                         message=f"term file {term_path} does not exist{hint}")])
        return expand(course, self.term(term_path), self.settings.on_conflict)


def load_schedules(paths: list[Path], settings: Settings) -> tuple[list[Schedule], list[Problem]]:
    """Every course's schedule; the problems of one course do not stop the others. Two files with
    one course id are a problem of each (``claims``): ``build`` would refuse both."""
    from syllabus_export.claims import Claim, duplicates

    loader = Loader(settings)
    schedules, problems = [], []
    for path in paths:
        try:
            schedules.append(loader.schedule(path))
        except SyllabusError as error:
            problems.extend(p for p in error.problems if p not in problems)
    same = duplicates([Claim(id=s.course.id, path=s.course.path, pos=s.course.positions.get("id", s.course.pos))
                       for s in schedules])
    problems += [same[i] for i in sorted(same)]
    return [s for i, s in enumerate(schedules) if i not in same], problems


def glyph_check(schedule: Schedule, settings: Settings) -> tuple[list[Problem], list[Problem]]:
    """What ``build`` would say of the PDF's fonts, found without drawing: (problems, warnings).

    A character of the course that the theme's fonts lack is a problem at the text's place; when
    the PDF refuses the course's script altogether, the build publishes without it, so that is a
    warning instead. The PDF renderer is never loaded: the fonts' characters come from their files.
    """
    from syllabus_export import glyphs

    templates = Path(settings.templates) if settings.templates else None
    problems = glyphs.missing(schedule.course, schedule.term, templates)
    if not problems:
        return [], []
    from syllabus_export.scripts import FontCoverage, script_problem

    faces = glyphs.theme_faces(templates)
    fonts = FontCoverage(font_labels={face: name for face, (name, _, _) in faces.items()},
                         characters={face: chars for face, (_, _, chars) in faces.items()})
    refusal = script_problem(schedule.course, fonts)
    if refusal is not None:
        return [], [Problem(pos=refusal.pos, message=f"{refusal.message}; built without syllabus.pdf")]
    return problems, []


def feed_url(schedule: Schedule, settings: Settings) -> str | None:
    base = settings.base_url or schedule.course.options.base_url
    return f"{base.rstrip('/')}/{schedule.course.id}/{schedule.term.id}/calendar.ics" if base else None


def output_folder(schedule: Schedule, settings: Settings) -> Path:
    return Path(settings.out) / schedule.course.id / schedule.term.id


def previous_feed(schedule: Schedule, settings: Settings) -> PublishedFeed | None:
    """The published state: the feed this build replaces (``--previous``, else the one in ``--out``),
    read as far as it can be, with a warning for each thing that could not; None when there is none.
    Raises SyllabusError when ``--previous`` names a file or URL that cannot be fetched at all."""
    from syllabus_export.publish import read_previous
    from syllabus_export.published import read_published

    default = output_folder(schedule, settings) / "calendar.ics"
    data = read_previous(settings.previous, default)
    return None if data is None else read_published(data, settings.previous or str(default), schedule)


def previous_feeds(schedule: Schedule, settings: Settings) -> dict[str, PublishedFeed]:
    """The published state of each feed beside ``calendar.ics`` (a section's, a kind's), by name: each
    file's own. Looked for beside ``--previous`` when given (the same folder or URL), else in ``--out``;
    one that cannot be fetched counts as never published (its events start from calendar.ics's)."""
    from urllib.parse import urljoin

    from syllabus_export.feed import feed_files
    from syllabus_export.publish import read_previous
    from syllabus_export.published import read_published

    found = {}
    for name in feed_files(schedule.course)[1:]:
        source = None
        if settings.previous:
            remote = settings.previous.startswith(("http://", "https://"))
            source = urljoin(settings.previous, name) if remote else str(Path(settings.previous).parent / name)
        default = output_folder(schedule, settings) / name
        try:
            data = read_previous(source, default)
        except SyllabusError:
            data = None
        if data is not None:
            found[name] = read_published(data, source or str(default), schedule)
    return found


def render(schedule: Schedule, settings: Settings, previous: PublishedFeed | None, *, everything: bool = True,
           notes: list[Problem] | None = None, previous_files: dict[str, PublishedFeed] | None = None
           ) -> dict[str, bytes]:
    """Every output of one course, in memory: nothing is written until all of them succeeded.

    ``previous`` is the published ``calendar.ics``, ``previous_files`` the other published feeds
    (``previous_feeds``). ``everything=False`` renders the feeds only (what ``diff`` compares). Given ``notes``, a PDF
    that cannot draw the course's script is left out with a note there (the feed and the page draw
    every script); without, it is an error.
    """
    from syllabus_export import changes
    from syllabus_export.feed import render_feeds
    from syllabus_export.publish import build_time

    when = build_time([schedule.course.path, schedule.term.path])
    templates = Path(settings.templates) if settings.templates else None
    url = feed_url(schedule, settings)
    files = render_feeds(schedule, build_time=when, previous=previous, feed_url=url, templates=templates,
                         previous_files=previous_files)
    if not everything:
        return files
    from syllabus_export.page import render_page
    from syllabus_export.pdf import UnsupportedScript, render_pdf

    try:
        files["syllabus.pdf"] = render_pdf(schedule, build_time=when, paper=settings.paper, subscribe_url=url,
                                           templates=templates)
    except UnsupportedScript as refusal:
        if notes is None:
            raise
        notes += [Problem(pos=p.pos, message=f"{p.message}; built without syllabus.pdf") for p in refusal.problems]
    hours = (previous_files or {}).get(OFFICE_HOURS_FEED)
    records = feed_changes(schedule, previous, hours, files) if previous is not None else []
    if records:
        files["changes.json"] = changes.to_json(records, course=schedule.course.id, term=schedule.term.id).encode()
    else:  # the page keeps showing the changes of the last build that changed anything
        records = changes.read_published(output_folder(schedule, settings) / "changes.json")
    files["index.html"] = render_page(schedule, build_time=when, feed_url=url, changes=records or None,
                                      files=sorted([*files, "index.html"]), templates=templates)
    return files


# --- the office hours' own feed (issue 14) -----------------------------------------------------

OFFICE_HOURS_FEED = "calendar-office-hours.ics"


def feed_changes(schedule: Schedule, previous: PublishedFeed | None, previous_hours: PublishedFeed | None,
                 files: dict[str, bytes]) -> list[dict]:
    """What subscribers will see change: in ``calendar.ics`` (meetings, exams, deadlines), and in the
    office hours' feed when ``calendar.ics`` does not hold them; in time order."""
    from syllabus_export import changes

    records = changes.compare(previous, files["calendar.ics"])
    if not schedule.course.options.office_hours_in_feed and (previous_hours or OFFICE_HOURS_FEED in files):
        hours = changes.compare(previous_hours, files.get(OFFICE_HOURS_FEED, b""))
        if hours:
            records = sorted([*records, *hours], key=lambda r: ((r["after"] or r["before"])["start"], r["uid"]))
    return records


def diff_courses(
    schedules: list[Schedule], settings: Settings
) -> list[tuple[Schedule, PublishedFeed | None, list[dict]]]:
    """For each course: the feed published now (None: nothing yet; its ``warnings`` say what of it could
    not be read) and what a build would change in it.

    Asks git afresh, as ``build`` does: files may have been committed since the last build in this process.
    """
    from syllabus_export.publish import forget_git

    forget_git()
    results = []
    for schedule in schedules:
        previous = previous_feed(schedule, settings)
        others = previous_feeds(schedule, settings)
        files = render(schedule, settings, previous, everything=False, previous_files=others)
        results.append((schedule, previous, feed_changes(schedule, previous, others.get(OFFICE_HOURS_FEED), files)))
    return results


def write_index(settings: Settings) -> None:
    """``out/index.html``: a link to every course and term published in ``out/``, in the courses'
    common language (English when they differ), each title marked with its own language.

    Not rendered again when it was made from the same entries, words, template and tool version,
    and is still the file that was written.
    """
    import hashlib

    out = Path(settings.out)
    entries = []
    for page in sorted(out.glob("*/*/index.html")):
        course, term = page.parent.parent.name, page.parent.name
        title, title_lang = _page_title(page)
        entries.append((course, term, title or f"{course} · {term}", f"{course}/{term}/", title_lang or ""))
    languages = {entry[4] for entry in entries}
    language = languages.pop() if len(languages) == 1 and "" not in languages else "en"
    if entries:
        from syllabus_export.messages import messages
        from syllabus_export.resources import template_text

        templates = Path(settings.templates) if settings.templates else None
        made_from = hashlib.sha256(json.dumps(
            [__version__, language, entries, messages(language), template_text("index.html.j2", templates)],
            ensure_ascii=False, sort_keys=True).encode()).hexdigest()
        state = _read_records(settings)
        try:
            current = hashlib.sha256((out / "index.html").read_bytes()).hexdigest()
        except OSError:
            current = None
        if state.get("index") == [made_from, current]:
            return
        from syllabus_export.page import render_index
        from syllabus_export.publish import publish

        data = render_index(entries, templates=templates, language=language)
        publish(out, {"index.html": data}, root=out)
        if state:  # kept beside what builds published; a build that published nothing adds no file
            state["index"] = [made_from, hashlib.sha256(data).hexdigest()]
            _write_records(settings, state)


def _page_title(page: Path) -> tuple[str | None, str | None]:
    """A course page's title and its language (``<html lang>``), as the page itself says them."""
    import html
    import re

    head = page.read_bytes()[:4096]
    title = re.search(rb"<title>(.*?)</title>", head, re.S)
    lang = re.search(rb'<html[^>]*\slang="([A-Za-z0-9-]{1,35})"', head)
    return (html.unescape(title[1].decode("utf-8", "replace")).strip() if title else None,
            lang[1].decode("ascii") if lang else None)


def inputs_hash(course_path: Path, term_path: Path, settings: Settings) -> str:
    """What a course's outputs are made from: tool version, input bytes, templates, settings, build time."""
    import hashlib

    from syllabus_export.resources import default_templates

    digest = hashlib.sha256(f"{__version__}\n{_package_fingerprint()}\n{settings!r}\n"
                            f"{os.environ.get('SOURCE_DATE_EPOCH', '')}".encode())
    for path in (course_path, term_path):
        digest.update(b"\0" + path.read_bytes())
    folders = [default_templates()]
    if settings.templates:
        folders.append(Path(settings.templates))  # type: ignore[arg-type]
    for folder in folders:
        for item in sorted(folder.iterdir(), key=lambda p: p.name):
            if item.is_file():
                digest.update(item.name.encode() + b"\0" + item.read_bytes())
    return digest.hexdigest()


@functools.cache
def _package_fingerprint() -> str:
    """Name, size and time of every file of the installed package (code, fonts, message catalogs), so
    an edited catalog or font rebuilds what it appears in even without a new version number."""
    root = Path(__file__).resolve().parent
    parts = [f"{p.relative_to(root)}:{p.stat().st_size}:{p.stat().st_mtime_ns}"
             for p in sorted(root.rglob("*")) if p.is_file() and "__pycache__" not in p.parts]
    return "\n".join(parts)


def _made_from(folder: Path, stamp: str) -> bool:
    """Whether ``folder`` holds a course's outputs, made from the inputs whose hash is ``stamp``."""
    try:
        made_from, *outputs = (folder / STAMP).read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return False
    return made_from == stamp and bool(outputs) and all((folder / name).is_file() for name in outputs)


def _build(course_path: Path, settings: Settings, claimed: str | None = None) -> tuple[Outcome, dict | None]:
    """Load, expand, render and publish one course: its outcome (problems included), and the record a
    later build can skip the course by (None when it failed).

    ``claimed`` is the id ``build_courses`` checked the file by (``claims.declared_id``); a file that
    turns out to declare another is not published.
    """
    from syllabus_export import changes
    from syllabus_export.claims import recorded_path
    from syllabus_export.messages import fallback_note
    from syllabus_export.publish import publish

    shown = str(course_path)
    notes: list[Problem] = []
    try:
        loader = Loader(settings)
        schedule = loader.schedule(course_path)
        course = schedule.course
        if claimed is not None and course.id != claimed:
            raise SyllabusError([Problem(pos=course.positions.get("id", course.pos), message=(
                f"course id '{course.id}' could not be checked against the other course files (this file has "
                f"another line 'id: {claimed}'); write the course's id on one top-level line 'id: {course.id}'"))])
        notes += [*filter(None, [fallback_note(course)]), *schedule.notes]
        folder = output_folder(schedule, settings)
        stamp = inputs_hash(course_path, _term_path(course_path, course.term, settings), settings)
        previous = None
        if settings.previous is None and _made_from(folder, stamp):
            what = "unchanged inputs, nothing rebuilt"
            written: list[str] = []
        else:
            from syllabus_export.feed import feed_files
            from syllabus_export.publish import refuse_links

            refuse_links(Path(settings.out), folder, feed_files(course))  # not even read through a link
            previous = previous_feed(schedule, settings)
            notes += previous.warnings if previous is not None else ()
            others = previous_feeds(schedule, settings)
            notes += [w for feed in others.values() for w in feed.warnings]
            files = render(schedule, settings, previous, notes=notes, previous_files=others)
            files[STAMP] = "\n".join([stamp, *sorted(files)]).encode()
            written = publish(folder, files, stale=("syllabus.pdf",), root=Path(settings.out))
            if previous is None:
                what = "first publication"
            else:
                what = changes.summary(json.loads(files["changes.json"])["changes"] if "changes.json" in files else [])
    except SyllabusError as error:
        return Outcome(course=shown, problems=error.problems, notes=tuple(notes)), None
    # A warning about another file (a damaged previous feed) cannot be said again without building:
    # the record then only says who owns the folder.
    record = {"folder": [course.id, schedule.term.id], "term": course.term, "path": recorded_path(course_path),
              "notes": [[n.pos.line, n.pos.column, n.message] for n in notes if n.pos.path == shown]}
    if any(n.pos.path != shown for n in notes):
        record["rebuild"] = True
    return Outcome(course=shown, folder=str(folder), summary=what, written=tuple(n for n in written if n[0] != "."),
                   notes=tuple(notes)), record


def _unchanged(course_path: Path, settings: Settings, record: dict | None) -> Outcome | None:
    """What ``_build`` says of a course whose inputs are those its outputs were made from, found
    by hashing the inputs only (no YAML is read, no renderer imported); None when it must be built."""
    if record is None or settings.previous is not None or record.get("rebuild"):
        return None
    try:
        folder = Path(settings.out).joinpath(*record["folder"])
        stamp = inputs_hash(course_path, _term_path(course_path, record["term"], settings), settings)
        if not _made_from(folder, stamp):
            return None
    except (OSError, UnicodeDecodeError, ValueError):
        return None  # no stamp, an input gone: build it
    notes = tuple(Problem(pos=Pos(path=str(course_path), line=line, column=column), message=message)
                  for line, column, message in record["notes"])
    return Outcome(course=str(course_path), folder=str(folder), summary="unchanged inputs, nothing rebuilt",
                   notes=notes)


def _read_records(settings: Settings) -> dict:
    """``.courses.json``, with only the records of the shape ``_build`` writes (a hand edit, a damaged
    file, another version's: as if absent, so those courses are built and recorded again)."""
    try:
        state = json.loads((Path(settings.out) / RECORDS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(state, dict) or state.get("version") != __version__:
        return {}
    courses = state.get("courses")
    state["courses"] = {k: r for k, r in courses.items() if _is_record(r)} if isinstance(courses, dict) else {}
    return state


def _is_record(record: object) -> bool:
    from syllabus_export.load import ID_RE

    if not isinstance(record, dict):
        return False
    folder, notes, path = record.get("folder"), record.get("notes"), record.get("path")
    return (isinstance(folder, list) and len(folder) == 2 and all(isinstance(f, str) and ID_RE.match(f) for f in folder)
            and isinstance(record.get("term"), str) and bool(ID_RE.match(record["term"]))
            and isinstance(notes, list) and all(
                isinstance(n, list) and len(n) == 3 and all(type(x) is int and x >= 1 for x in n[:2])
                and isinstance(n[2], str) and n[2].isprintable() for n in notes)
            and (path is None or isinstance(path, str)) and isinstance(record.get("rebuild", False), bool))


def _write_records(settings: Settings, records: dict) -> None:
    from syllabus_export.publish import publish

    out = Path(settings.out)
    if out.is_dir():
        data = json.dumps({**records, "version": __version__}, ensure_ascii=False, sort_keys=True, indent=1)
        publish(out, {RECORDS: data.encode() + b"\n"}, root=out)


def build_courses(paths: list[Path], settings: Settings, jobs: int | None = None,
                  progress: Callable[[int, int], None] | None = None) -> list[Outcome]:
    """Build every course, in a process pool when there are several; results in input order.

    A course whose inputs are those its published outputs were made from is not built again: that
    is found by hashing its inputs, here, before any worker starts. So is a course file whose id
    another file of this build has too, or that another existing file published (``claims``): it is
    refused, and not built.
    """
    from syllabus_export import claims
    from syllabus_export.publish import forget_git

    forget_git()  # files may have been committed since the last build in this process
    state = _read_records(settings)
    records = state.setdefault("courses", {})
    keys = [claims.record_key(path) for path in paths]
    outcomes: list[Outcome | None] = [_unchanged(path, settings, records.get(key)) for path, key in zip(paths, keys)]
    # The id each file declares: an unchanged one's from its record, the others' from their id line.
    found = [claims.Claim(id=records[key]["folder"][0], path=str(path)) if outcome is not None
             else claims.current_id(path) for path, key, outcome in zip(paths, keys, outcomes)]
    refused = claims.duplicates(found)
    elsewhere, renamed = claims.published_elsewhere(paths, keys, [c if i not in refused else None
                                                                  for i, c in enumerate(found)], records,
                                                    Path(settings.out))
    for i, problem in {**refused, **elsewhere}.items():
        outcomes[i] = Outcome(course=str(paths[i]), problems=(problem,))
    todo = [i for i, outcome in enumerate(outcomes) if outcome is None]
    claimed = [found[i].id if found[i] is not None else None for i in todo]  # type: ignore[union-attr]
    done = len(paths) - len(todo)
    if progress and done:
        progress(done, len(paths))
    jobs = jobs or os.cpu_count() or 1
    if len(todo) < 4 or jobs == 1:
        results = []
        for i, cid in zip(todo, claimed):
            results.append(_build(paths[i], settings, cid))
            if progress:
                progress(done + len(results), len(paths))
    else:
        from concurrent.futures import ProcessPoolExecutor

        workers = min(jobs, len(todo))
        chunk = max(1, min(8, len(todo) // (workers * 8)))  # small chunks near the end keep every core busy
        results = []
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for result in pool.map(_build, [paths[i] for i in todo], [settings] * len(todo), claimed,
                                   chunksize=chunk):
                results.append(result)
                if progress:
                    progress(done + len(results), len(paths))
    changed = False
    for i, (outcome, record) in zip(todo, results):
        outcomes[i] = outcome
        if record is None:
            continue  # a failed course leaves out/ as it was
        for key in renamed.get(i, []):  # the file it replaces is gone: its record with it
            changed = records.pop(key, None) is not None or changed
        if records.get(keys[i]) != record:
            records[keys[i]] = record
            changed = True
    if changed:
        try:
            _write_records(settings, state)
        except SyllabusError as error:
            outcomes.append(Outcome(course=str(Path(settings.out) / RECORDS), problems=error.problems))
    return outcomes  # type: ignore[return-value]
