"""The command line: the only place that prints or exits. Heavy libraries load per command."""

from __future__ import annotations

import argparse
import glob
import sys
from collections.abc import Callable
from pathlib import Path

from syllabus_export import __version__
from syllabus_export.errors import Pos, Problem, SyllabusError

DEFAULT_COURSES = Path("data") / "courses"


def course_paths(specs: list[str] | None) -> list[Path]:
    """``--course`` values (files, folders, globs) → course files; none given: ``data/courses/``."""
    found: list[Path] = []
    for spec in specs or [str(DEFAULT_COURSES)]:
        path = Path(spec)
        if path.is_dir():
            matches = sorted(path.glob("*.yaml")) + sorted(path.glob("*.yml"))
        elif any(c in spec for c in "*?["):
            matches = [Path(p) for p in sorted(glob.glob(spec)) if Path(p).is_file()]
        else:
            matches = [path]
        if not matches:
            raise SyllabusError([Problem(pos=Pos(path=spec), message="no course files here (expected *.yaml)")])
        found.extend(p for p in matches if p not in found)
    return found


def load_schedules(args: argparse.Namespace) -> tuple[list, list[Problem]]:
    """Load and expand every course; problems of one course do not stop the others."""
    from syllabus_export.expand import expand
    from syllabus_export.load import load_course, load_term, term_path_for

    schedules, problems = [], []
    terms: dict[Path, object] = {}
    for path in course_paths(args.course):
        try:
            course = load_course(path)
            term_path = Path(args.term) if args.term else term_path_for(course)
            if not args.term and not term_path.exists():
                raise SyllabusError(
                    [
                        Problem(
                            pos=course.pos,
                            message=(f"the course's term '{course.term}' has no file {term_path} (give --term PATH)"),
                        )
                    ]
                )
            key = term_path.resolve()
            if key not in terms:
                terms[key] = load_term(term_path if args.term else _shown(term_path))
            schedules.append(expand(course, terms[key], args.on_conflict))  # type: ignore[arg-type]
        except SyllabusError as error:
            problems.extend(error.problems)
            if isinstance(terms.get(Path(args.term).resolve() if args.term else None), SyllabusError):
                break
    return schedules, problems


def _shown(path: Path) -> Path:
    """A path as the user would type it: relative to the working directory when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path


def report(problems: list[Problem]) -> int:
    seen = []
    for problem in problems:
        if problem not in seen:
            seen.append(problem)
            print(problem, file=sys.stderr)
    print(f"{len(seen)} problem{'s' if len(seen) != 1 else ''} found", file=sys.stderr)
    return 2


def cmd_list(args: argparse.Namespace) -> int:
    from syllabus_export.listing import to_json, to_table

    schedules, problems = load_schedules(args)
    if problems:
        return report(problems)
    sys.stdout.write(to_json(schedules) if args.json else to_table(schedules))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    schedules, problems = load_schedules(args)
    if problems:
        return report(problems)
    for s in schedules:
        live = sum(1 for mt in s.meetings if not mt.cancelled)
        print(
            f"{s.course.path}: {s.course.id} in {s.term.id}: {live} meetings, "
            f"{len(s.meetings) - live} cancelled, {len(s.extras)} without a meeting: OK"
        )
    return 0


def _feed_url(base_url: str | None, schedule) -> str | None:
    if not base_url:
        return None
    return f"{base_url.rstrip('/')}/{schedule.course.id}/{schedule.term.id}/calendar.ics"


def _render(schedule, args: argparse.Namespace, previous: bytes | None, *, everything: bool) -> dict[str, bytes]:
    """Every output of one course in memory; nothing is written until all of them succeeded."""
    from syllabus_export.feed import render_feeds
    from syllabus_export.publish import build_time

    when = build_time([schedule.course.path, schedule.term.path])
    base_url = args.base_url or schedule.course.options.base_url
    templates = Path(args.templates) if getattr(args, "templates", None) else None
    files = render_feeds(schedule, build_time=when, previous=previous, feed_url=_feed_url(base_url, schedule),
                         templates=templates)
    if everything:
        from syllabus_export.pdf import render_pdf

        files["syllabus.pdf"] = render_pdf(schedule, build_time=when, paper=args.paper,
                                           subscribe_url=_feed_url(base_url, schedule), templates=templates)
    return files


def _previous(args: argparse.Namespace, schedule) -> bytes | None:
    from syllabus_export.publish import read_previous

    default = Path(args.out) / schedule.course.id / schedule.term.id / "calendar.ics"
    return read_previous(args.previous, default)


def cmd_build(args: argparse.Namespace) -> int:
    from syllabus_export import changes
    from syllabus_export.publish import publish

    schedules, problems = load_schedules(args)
    for schedule in schedules:
        try:
            previous = _previous(args, schedule)
            files = _render(schedule, args, previous, everything=True)
            records = changes.compare(previous, files["calendar.ics"]) if previous else []
            if records:
                files["changes.json"] = changes.to_json(
                    records, course=schedule.course.id, term=schedule.term.id).encode()
            folder = Path(args.out) / schedule.course.id / schedule.term.id
            written = publish(folder, files)
        except SyllabusError as error:
            problems.extend(error.problems)
            continue
        what = changes.summary(records) if previous else "first publication"
        print(f"{folder}: {what}; {len(written)} file{'s' if len(written) != 1 else ''} written")
    return report(problems) if problems else 0


def cmd_diff(args: argparse.Namespace) -> int:
    from syllabus_export import changes

    schedules, problems = load_schedules(args)
    if problems:
        return report(problems)
    records_all = []
    for schedule in schedules:
        previous = _previous(args, schedule)
        records = changes.compare(previous, _render(schedule, args, previous, everything=False)["calendar.ics"])
        records_all.append((schedule, previous, records))
    if args.json:
        import json

        print(json.dumps([{"course": s.course.id, "term": s.term.id, "published": prev is not None,
                           "changes": recs} for s, prev, recs in records_all], ensure_ascii=False, indent=2))
        return 0
    for schedule, previous, records in records_all:
        where = f"{schedule.course.id}/{schedule.term.id}"
        if previous is None:
            print(f"{where}: nothing published yet; a build publishes {len(schedule.meetings)} meetings")
            continue
        print(f"{where}: {changes.summary(records)}")
        sys.stdout.write(changes.to_table(records))
    return 0


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--course",
        action="append",
        metavar="PATH",
        help="course file, folder or glob (repeatable; default: every file in data/courses/)",
    )
    parser.add_argument(
        "--term", metavar="PATH", help="term file (default: data/terms/<id>.yaml for the term the course names)"
    )
    parser.add_argument(
        "--on-conflict",
        choices=("error", "shift", "drop"),
        help="what to do with a meeting on a no-class day (default: the course's on_conflict)",
    )


COMMANDS: dict[str, tuple[str, Callable[[argparse.Namespace], int]]] = {
    "build": ("write the feed, the PDF and the page of every course into --out", cmd_build),
    "list": ("print the dated meetings (a table, or --json)", cmd_list),
    "check": ("check the course and term files; exit 2 with every problem", cmd_check),
    "diff": ("show what subscribers would see change if you built now", cmd_diff),
}


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="syllabus-export",
        description="Turn a course file and a term file into a calendar feed, a PDF syllabus and a web page.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (summary, func) in COMMANDS.items():
        p = sub.add_parser(name, help=summary, description=summary)
        _common(p)
        p.set_defaults(func=func)
        if name in ("list", "diff"):
            p.add_argument("--json", action="store_true", help="print JSON instead of a table")
        if name in ("build", "diff"):
            p.add_argument("--out", default="out", metavar="DIR", help="output folder (default: out/)")
            p.add_argument("--previous", metavar="FILE_OR_URL",
                           help="the published feed to compare with (default: the one in --out)")
            p.add_argument("--base-url", metavar="URL",
                           help="public URL where --out is served (default: the course's base_url)")
            p.add_argument("--templates", metavar="DIR", help="your own templates (default: the bundled ones)")
        if name == "build":
            p.add_argument("--paper", choices=("a4", "letter"), help="paper size (default: the course's paper)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    try:
        return args.func(args)
    except SyllabusError as error:
        return report(list(error.problems))
    except BrokenPipeError:
        return 1
    except KeyboardInterrupt:
        return 130
