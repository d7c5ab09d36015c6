"""The command line: the only place that prints or exits. Heavy libraries load per command."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from syllabus_export import __version__
from syllabus_export.errors import Pos, Problem, SyllabusError
from syllabus_export.model import CONFLICT_POLICIES, PAPER_SIZES
from syllabus_export.pipeline import Settings, course_paths, load_schedules

if TYPE_CHECKING:
    from syllabus_export.expand import Schedule


def report(problems: list[Problem] | tuple[Problem, ...]) -> int:
    """Print each problem once, as ``path:line:column: message``; exit status 2."""
    seen: list[Problem] = []
    for problem in problems:
        if problem not in seen:
            seen.append(problem)
            print(problem, file=sys.stderr)
    print(f"{len(seen)} problem{'s' if len(seen) != 1 else ''} found", file=sys.stderr)
    return 2


def warn(notes: Iterable[Problem], *, each_place: bool = False) -> None:
    """Print each warning once, as ``path:line:column: warning: message``; the same message for
    several courses (a language without a catalog) once, at the first of them — or, with
    ``each_place``, at each of its places (one page's warnings)."""
    seen: set[object] = set()
    for note in notes:
        key = note if each_place else note.message
        if key not in seen:
            seen.add(key)
            print(f"{note.pos}: warning: {note.message}", file=sys.stderr)


def _schedules(args: argparse.Namespace, settings: Settings) -> list[Schedule]:
    """The selected courses dated, with a warning for each language without messages; raises
    SyllabusError with every problem of every course."""
    from syllabus_export.messages import fallback_note

    schedules, problems = load_schedules(course_paths(args.course), settings)
    if problems:
        raise SyllabusError(problems)
    warn([*(note for s in schedules if (note := fallback_note(s.course)) is not None),
          *(note for s in schedules for note in s.notes)])
    return schedules


def settings_from(args: argparse.Namespace) -> Settings:
    base_url = getattr(args, "base_url", None)
    if base_url:
        from syllabus_export.load.rules import base_url_problem

        if problem := base_url_problem(base_url):
            raise SyllabusError([Problem(pos=Pos(path="--base-url"), message=problem)])
    return Settings(term=args.term, on_conflict=args.on_conflict, out=getattr(args, "out", "out"),
                    previous=getattr(args, "previous", None), base_url=base_url,
                    templates=getattr(args, "templates", None), paper=getattr(args, "paper", None))


def cmd_list(args: argparse.Namespace) -> int:
    from syllabus_export.listing import to_json, to_table

    schedules = _schedules(args, settings_from(args))
    sys.stdout.write(to_json(schedules) if args.json else to_table(schedules))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from syllabus_export.pipeline import glyph_check

    settings = settings_from(args)
    schedules = _schedules(args, settings)
    problems: list[Problem] = []
    for s in schedules:
        found, notes = glyph_check(s, settings)
        problems += found
        warn(notes)
    if problems:
        raise SyllabusError(problems)
    for s in schedules:
        live = sum(1 for mt in s.meetings if not mt.cancelled)
        print(f"{s.course.path}: {s.course.id} in {s.term.id}: {live} meetings, "
              f"{len(s.meetings) - live} cancelled, {len(s.extras)} without a meeting: OK")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from syllabus_export.pipeline import Outcome, build_courses, write_index

    paths = course_paths(args.course)
    progress = _progress_bar if sys.stderr.isatty() and len(paths) > 1 else None
    settings = settings_from(args)
    outcomes = build_courses(paths, settings, jobs=args.jobs, progress=progress)
    try:
        write_index(settings)
    except SyllabusError as error:  # the courses are published: say so, and what stopped the index
        outcomes.append(Outcome(course=str(settings.out), problems=error.problems))
    if progress:
        print(file=sys.stderr)
    warn(note for o in outcomes for note in o.notes)
    problems = [p for o in outcomes for p in o.problems]
    built = [o for o in outcomes if not o.problems]
    if len(paths) <= 10:
        for o in built:
            print(f"{o.folder}: {o.summary}; {len(o.written)} file{'s' if len(o.written) != 1 else ''} written")
    else:
        print(f"{len(built)} of {len(paths)} courses built into {args.out}/, "
              f"{sum(len(o.written) for o in built)} files written")
    return report(problems) if problems else 0


def _progress_bar(done: int, total: int) -> None:
    width = 30
    filled = width * done // total
    print(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", end="", file=sys.stderr, flush=True)


def cmd_diff(args: argparse.Namespace) -> int:
    from syllabus_export import changes
    from syllabus_export.pipeline import diff_courses

    settings = settings_from(args)
    results = diff_courses(_schedules(args, settings), settings)
    warn(warning for _, previous, _ in results if previous is not None for warning in previous.warnings)
    if args.json:
        print(json.dumps([{"course": s.course.id, "term": s.term.id, "published": previous is not None,
                           "changes": records} for s, previous, records in results], ensure_ascii=False, indent=2))
        return 0
    for schedule, previous, records in results:
        where = f"{schedule.course.id}/{schedule.term.id}"
        if previous is None:
            print(f"{where}: nothing published yet; a build publishes {len(schedule.meetings)} meetings")
        else:
            print(f"{where}: {changes.summary(records)}")
            sys.stdout.write(changes.to_table(records))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from pathlib import Path

    from syllabus_export.serve import banner, make_server

    try:
        server = make_server(Path(args.out), args.host, args.port, log=lambda line: print(line, file=sys.stderr))
    except OSError as exc:
        return report([Problem(pos=Pos(path=f"{args.host}:{args.port}"), message=f"cannot serve ({exc.strerror})")])
    print(banner(args.host, server.server_address[1], Path(args.out)), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def _write_text(text: str, output: str | None) -> None:
    """Standard output, or ``-o FILE`` written whole (never half a file)."""
    if output is None:
        sys.stdout.write(text)
        return
    from pathlib import Path

    from syllabus_export.publish import publish

    target = Path(output)
    publish(target.parent if str(target.parent) else Path("."), {target.name: text.encode("utf-8")})


def cmd_import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from syllabus_export.importer import SITE, import_file
    from syllabus_export.load import load_term

    course_id = args.id or (Path(args.output).stem if args.output else None)
    if not course_id:
        return report([Problem(pos=Pos(path="--id"), message="give the course id with --id ID (or -o FILE, "
                                                              "whose name becomes the id): it is part of every UID")])
    extra_weeks = None
    if args.extra_weeks is not None:
        try:
            extra_weeks = tuple(int(w) for w in args.extra_weeks.split(",") if w.strip())
        except ValueError:
            return report([Problem(pos=Pos(path="--extra-weeks"), message="expected week numbers, e.g. 15 or 14,15")])
    if args.term:
        term, known = load_term(args.term).id, ()
    else:
        term, known = None, [load_term(p) for p in sorted(Path("data", "terms").glob("*.yaml"))]
    notes: list[Problem] = []
    try:
        text = import_file(args.page, course_id=course_id, term=term, language=args.lang, site=args.site or SITE,
                           extra_weeks=extra_weeks, known_terms=known, notes=notes)
    finally:
        warn(notes, each_place=True)
    _write_text(text, args.output)
    if args.output:
        print(f"wrote {args.output}; check it with: syllabus-export check --course {args.output}", file=sys.stderr)
    return 0


def cmd_export_page(args: argparse.Namespace) -> int:
    from syllabus_export.export_page import export_table
    from syllabus_export.load import load_course

    paths = course_paths(args.course)
    if len(paths) != 1:
        return report([Problem(pos=Pos(path="--course"), message=f"export-page takes one course ({len(paths)} given)")])
    _write_text(export_table(load_course(paths[0])), args.output)
    return 0


def _selection(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--course", action="append", metavar="PATH",
                        help="course file, folder or glob (repeatable; default: every file in data/courses/)")
    parser.add_argument("--term", metavar="PATH",
                        help="term file (default: ../terms/<id>.yaml from the course file's folder, "
                             "for the term it names)")
    parser.add_argument("--on-conflict", choices=CONFLICT_POLICIES,
                        help="what to do with a meeting on a no-class day (default: the course's on_conflict)")


def _publishing(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", default="out", metavar="DIR", help="output folder (default: out/)")
    parser.add_argument("--previous", metavar="FILE_OR_URL",
                        help="the published feed to compare with (default: the one in --out)")
    parser.add_argument("--base-url", metavar="URL",
                        help="public URL where --out is served (default: the course's base_url)")
    parser.add_argument("--templates", metavar="DIR", help="your own templates folder (default: the bundled one)")


COMMANDS: dict[str, tuple[str, Callable[[argparse.Namespace], int]]] = {
    "build": ("write the feed, the PDF and the page of every course into --out", cmd_build),
    "list": ("print the dated meetings (a table, or --json)", cmd_list),
    "check": ("check the course and term files; exit 2 with every problem", cmd_check),
    "diff": ("show what subscribers would see change if you built now", cmd_diff),
    "serve": ("serve --out over HTTP for a local preview (not a production server)", cmd_serve),
    "import": ("read a course home page (Markdown + HTML table) and write a course file", cmd_import),
    "export-page": ("write the course's schedule table in the course site's own format", cmd_export_page),
}


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="syllabus-export",
        description="Turn a course file and a term file into a calendar feed, a PDF syllabus and a web page.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (summary, func) in COMMANDS.items():
        p = sub.add_parser(name, help=summary, description=summary)
        p.set_defaults(func=func)
        if name == "import":
            p.add_argument("page", metavar="PAGE.md", help="the course home page to read")
            p.add_argument("-o", dest="output", metavar="FILE", help="write the course file here (default: stdout)")
            p.add_argument("--id", help="course id (default: the name of the -o file)")
            p.add_argument("--term", metavar="PATH", help="the course's default term (default: the term in "
                                                          "data/terms/ whose name the page gives)")
            p.add_argument("--lang", help="the page's language when its front matter has no lang")
            p.add_argument("--extra-weeks", metavar="N[,N]",
                           help="weeks whose sessions had no class meeting (default: those after the last lecture)")
            p.add_argument("--site", metavar="URL", help="the course site {{site.baseurl}} stands for")
            continue
        if name == "export-page":
            p.add_argument("--course", action="append", metavar="PATH", help="the course file (one)")
            p.add_argument("-o", dest="output", metavar="FILE", help="write the table here (default: stdout)")
            continue
        if name == "serve":
            p.add_argument("--out", default="out", metavar="DIR", help="folder to serve (default: out/)")
            p.add_argument("--host", default="127.0.0.1",
                           help="address to listen on (default: 127.0.0.1; 0.0.0.0 lets a phone on your network in)")
            p.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
            continue
        _selection(p)
        if name in ("list", "diff"):
            p.add_argument("--json", action="store_true", help="print JSON instead of a table")
        if name in ("build", "diff"):
            _publishing(p)
        if name == "build":
            p.add_argument("--paper", choices=PAPER_SIZES, help="paper size (default: the course's paper)")
            p.add_argument("--jobs", type=int, metavar="N", help="courses built at once (default: all cores)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    try:
        return args.func(args)
    except SyllabusError as error:
        return report(error.problems)
    except BrokenPipeError:
        return 1
    except KeyboardInterrupt:
        return 130
