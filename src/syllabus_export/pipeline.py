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
from syllabus_export.errors import Pos, Problem, SyllabusError

if TYPE_CHECKING:  # only for annotations: list and check import no more than they use
    from syllabus_export import model as m
    from syllabus_export.expand import Schedule

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
            lines = path.read_text(encoding="utf-8").splitlines()
            matches = [path.parent / line.strip() for line in lines if line.strip() and not line.startswith("#")]
        elif any(c in spec for c in "*?["):
            matches = [Path(p) for p in sorted(glob.glob(spec)) if Path(p).is_file()]
        else:
            matches = [path]
        if not matches:
            raise SyllabusError([Problem(pos=Pos(path=spec), message="no course files here (expected *.yaml)")])
        found.extend(p for p in matches if p not in found)
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
    """Every course's schedule; the problems of one course do not stop the others."""
    loader = Loader(settings)
    schedules, problems = [], []
    for path in paths:
        try:
            schedules.append(loader.schedule(path))
        except SyllabusError as error:
            problems.extend(p for p in error.problems if p not in problems)
    return schedules, problems


def glyph_check(schedule: Schedule, settings: Settings) -> tuple[list[Problem], list[Problem]]:
    """What ``build`` would say of the PDF's fonts, found without drawing: (problems, warnings).

    A character of the course that the theme's fonts lack is a problem at the text's place; when
    the PDF refuses the course's script altogether, the build publishes without it, so that is a
    warning instead. Only a course with a missing character loads the PDF renderer.
    """
    from syllabus_export import glyphs

    templates = Path(settings.templates) if settings.templates else None
    problems = glyphs.missing(schedule.course, schedule.term, templates)
    if not problems:
        return [], []
    from syllabus_export.pdf import load_theme, script_problem

    refusal = script_problem(schedule.course, load_theme(templates))
    if refusal is not None:
        return [], [Problem(pos=refusal.pos, message=f"{refusal.message}; built without syllabus.pdf")]
    return problems, []


def feed_url(schedule: Schedule, settings: Settings) -> str | None:
    base = settings.base_url or schedule.course.options.base_url
    return f"{base.rstrip('/')}/{schedule.course.id}/{schedule.term.id}/calendar.ics" if base else None


def output_folder(schedule: Schedule, settings: Settings) -> Path:
    return Path(settings.out) / schedule.course.id / schedule.term.id


def previous_feed(schedule: Schedule, settings: Settings) -> bytes | None:
    from syllabus_export.publish import read_previous

    return read_previous(settings.previous, output_folder(schedule, settings) / "calendar.ics")


def previous_feeds(schedule: Schedule, settings: Settings) -> dict[str, bytes]:
    """The published bytes of each feed beside ``calendar.ics`` (a section's, a kind's), by name: each
    file's own state. Looked for beside ``--previous`` when given (the same folder or URL), else in
    ``--out``; one that cannot be read counts as never published (its events start from calendar.ics's)."""
    from urllib.parse import urljoin

    from syllabus_export.feed import feed_files
    from syllabus_export.publish import read_previous

    found = {}
    for name in feed_files(schedule.course)[1:]:
        source = None
        if settings.previous:
            remote = settings.previous.startswith(("http://", "https://"))
            source = urljoin(settings.previous, name) if remote else str(Path(settings.previous).parent / name)
        try:
            data = read_previous(source, output_folder(schedule, settings) / name)
        except SyllabusError:
            data = None
        if data:
            found[name] = data
    return found


def render(schedule: Schedule, settings: Settings, previous: bytes | None, *, everything: bool = True,
           notes: list[Problem] | None = None, previous_files: dict[str, bytes] | None = None) -> dict[str, bytes]:
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
    records = changes.compare(previous, files["calendar.ics"]) if previous else []
    if records:
        files["changes.json"] = changes.to_json(records, course=schedule.course.id, term=schedule.term.id).encode()
    else:  # the page keeps showing the changes of the last build that changed anything
        records = changes.read_published(output_folder(schedule, settings) / "changes.json")
    files["index.html"] = render_page(schedule, build_time=when, feed_url=url, changes=records or None,
                                      files=sorted([*files, "index.html"]), templates=templates)
    return files


def diff_courses(schedules: list[Schedule], settings: Settings) -> list[tuple[Schedule, bytes | None, list[dict]]]:
    """For each course: the feed published now (None: nothing yet) and what a build would change in it.

    Asks git afresh, as ``build`` does: files may have been committed since the last build in this process.
    """
    from syllabus_export import changes
    from syllabus_export.publish import forget_git

    forget_git()
    results = []
    for schedule in schedules:
        previous = previous_feed(schedule, settings)
        current = render(schedule, settings, previous, everything=False)["calendar.ics"]
        results.append((schedule, previous, changes.compare(previous, current)))
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
        publish(out, {"index.html": data})
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


def _build(course_path: Path, settings: Settings) -> tuple[Outcome, dict | None]:
    """Load, expand, render and publish one course: its outcome (problems included), and the record a
    later build can skip the course by (None when it failed, or when a warning points elsewhere than
    the course file)."""
    from syllabus_export import changes
    from syllabus_export.messages import fallback_note
    from syllabus_export.publish import publish

    shown = str(course_path)
    notes: list[Problem] = []
    try:
        loader = Loader(settings)
        schedule = loader.schedule(course_path)
        notes += [*filter(None, [fallback_note(schedule.course)]), *schedule.notes]
        record = {"folder": [schedule.course.id, schedule.term.id], "term": schedule.course.term,
                  "notes": [[n.pos.line, n.pos.column, n.message] for n in notes]}
        if any(n.pos.path != shown for n in notes):
            record = None
        folder = output_folder(schedule, settings)
        stamp = inputs_hash(course_path, _term_path(course_path, schedule.course.term, settings), settings)
        if settings.previous is None and _made_from(folder, stamp):
            return Outcome(course=shown, folder=str(folder), summary="unchanged inputs, nothing rebuilt",
                           notes=tuple(notes)), record
        previous = previous_feed(schedule, settings)
        files = render(schedule, settings, previous, notes=notes, previous_files=previous_feeds(schedule, settings))
        files[STAMP] = "\n".join([stamp, *sorted(files)]).encode()
        written = publish(folder, files, stale=("syllabus.pdf",))
    except SyllabusError as error:
        return Outcome(course=shown, problems=error.problems, notes=tuple(notes)), None
    if previous is None:
        what = "first publication"
    else:
        what = changes.summary(json.loads(files["changes.json"])["changes"] if "changes.json" in files else [])
    return Outcome(course=shown, folder=str(folder), summary=what, written=tuple(n for n in written if n[0] != "."),
                   notes=tuple(notes)), record


def _unchanged(course_path: Path, settings: Settings, record: dict | None) -> Outcome | None:
    """What ``_build`` says of a course whose inputs are those its outputs were made from, found
    by hashing the inputs only (no YAML is read, no renderer imported); None when it must be built."""
    if record is None or settings.previous is not None:
        return None
    try:
        folder = Path(settings.out).joinpath(*record["folder"])
        stamp = inputs_hash(course_path, _term_path(course_path, record["term"], settings), settings)
        if not _made_from(folder, stamp):
            return None
        notes = tuple(Problem(pos=Pos(path=str(course_path), line=line, column=column), message=message)
                      for line, column, message in record["notes"])
    except (OSError, UnicodeDecodeError, KeyError, TypeError, ValueError):
        return None  # no stamp, an input gone, a record from another version: build it
    return Outcome(course=str(course_path), folder=str(folder), summary="unchanged inputs, nothing rebuilt",
                   notes=notes)


def _record_key(course_path: Path) -> str:
    import hashlib

    return hashlib.sha256(str(course_path.resolve()).encode("utf-8", "surrogateescape")).hexdigest()


def _read_records(settings: Settings) -> dict:
    try:
        records = json.loads((Path(settings.out) / RECORDS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return records if isinstance(records, dict) and records.get("version") == __version__ else {}


def _write_records(settings: Settings, records: dict) -> None:
    from syllabus_export.publish import publish

    out = Path(settings.out)
    if out.is_dir():
        data = json.dumps({**records, "version": __version__}, ensure_ascii=False, sort_keys=True, indent=1)
        publish(out, {RECORDS: data.encode() + b"\n"})


def build_courses(paths: list[Path], settings: Settings, jobs: int | None = None,
                  progress: Callable[[int, int], None] | None = None) -> list[Outcome]:
    """Build every course, in a process pool when there are several; results in input order.

    A course whose inputs are those its published outputs were made from is not built again: that
    is found by hashing its inputs, here, before any worker starts.
    """
    from syllabus_export.publish import forget_git

    forget_git()  # files may have been committed since the last build in this process
    state = _read_records(settings)
    records = state.setdefault("courses", {})
    keys = [_record_key(path) for path in paths]
    outcomes: list[Outcome | None] = [_unchanged(path, settings, records.get(key)) for path, key in zip(paths, keys)]
    todo = [i for i, outcome in enumerate(outcomes) if outcome is None]
    done = len(paths) - len(todo)
    if progress and done:
        progress(done, len(paths))
    jobs = jobs or os.cpu_count() or 1
    if len(todo) < 4 or jobs == 1:
        results = []
        for i in todo:
            results.append(_build(paths[i], settings))
            if progress:
                progress(done + len(results), len(paths))
    else:
        from concurrent.futures import ProcessPoolExecutor

        workers = min(jobs, len(todo))
        chunk = max(1, min(8, len(todo) // (workers * 8)))  # small chunks near the end keep every core busy
        results = []
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for result in pool.map(_build, [paths[i] for i in todo], [settings] * len(todo), chunksize=chunk):
                results.append(result)
                if progress:
                    progress(done + len(results), len(paths))
    changed = False
    for i, (outcome, record) in zip(todo, results):
        outcomes[i] = outcome
        if record is not None and records.get(keys[i]) != record:  # a failed course leaves out/ as it was
            records[keys[i]] = record
            changed = True
    if changed:
        _write_records(settings, state)
    return outcomes  # type: ignore[return-value]
