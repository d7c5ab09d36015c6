"""An unchanged rebuild: a course whose inputs did not change is found by hashing them, nothing else.

No YAML is read, no renderer imported, nothing written; what the command says (summary lines,
warnings) is what a build that read everything would say. Any change of an input, a template or
an output file builds the course again.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from syllabus_export import cli, load, pipeline

ROOT = Path(__file__).resolve().parent.parent
GOOD = ROOT / "tests" / "fixtures" / "good"
EPOCH = "1600000000"


def catalogue(folder: Path, count: int = 5, language: str = "en") -> tuple[Path, Path]:
    """``count`` copies of the good course with their own ids, and the good term."""
    courses = folder / "courses"
    courses.mkdir(parents=True)
    text = (GOOD / "course.yaml").read_text(encoding="utf-8")
    for n in range(count):
        course = text.replace("id: mini\n", f"id: mini-{n}\n").replace("language: en\n", f"language: {language}\n")
        (courses / f"mini-{n}.yaml").write_text(course, encoding="utf-8")
    shutil.copy(GOOD / "term.yaml", folder / "term.yaml")
    return courses, folder / "term.yaml"


def build(capsys: pytest.CaptureFixture[str], courses: Path, term: Path, out: Path, *more: str) -> tuple[int, str, str]:
    status = cli.main(["build", "--course", str(courses), "--term", str(term), "--out", str(out), "--jobs", "1", *more])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def snapshot(out: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(out)): (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(out.rglob("*"))
            if p.is_file()}


@pytest.fixture(autouse=True)
def epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def test_an_unchanged_rebuild_reads_no_yaml_and_writes_nothing(tmp_path, capsys, monkeypatch) -> None:
    courses, term = catalogue(tmp_path)
    out = tmp_path / "out"
    assert build(capsys, courses, term, out)[0] == 0
    before = snapshot(out)

    def no_yaml(*args: object, **kwargs: object) -> None:
        raise AssertionError("an unchanged course was read as YAML")

    monkeypatch.setattr(load, "load_course", no_yaml)
    monkeypatch.setattr(load, "load_term", no_yaml)
    status, said, err = build(capsys, courses, term, out)
    assert (status, err) == (0, "")
    assert said.splitlines() == [f"{out}/mini-{n}/mini-term: unchanged inputs, nothing rebuilt; 0 files written"
                                 for n in range(5)]
    assert snapshot(out) == before


def test_an_unchanged_rebuild_imports_no_renderer(tmp_path: Path) -> None:
    courses, term = catalogue(tmp_path)
    out = tmp_path / "out"
    command = [sys.executable, "-c", "import sys; from syllabus_export import cli; status = cli.main(sys.argv[1:]); "
               "print(sorted(m for m in sys.modules if m.split('.')[0] in ('reportlab', 'jinja2', 'icalendar', "
               "'babel') or m in ('syllabus_export.feed', 'syllabus_export.pdf', 'syllabus_export.page', "
               "'syllabus_export.expand'))); sys.exit(status)",
               "build", "--course", str(courses), "--term", str(term), "--out", str(out), "--jobs", "1"]
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONPATH": str(ROOT / "src")}
    first = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    assert "syllabus_export.pdf" in first.stdout
    again = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    assert again.stdout.splitlines()[-1] == "[]"


def test_warnings_are_said_again_on_an_unchanged_rebuild(tmp_path, capsys) -> None:
    courses, term = catalogue(tmp_path, count=4, language="de")  # no catalog for German: labels in English
    out = tmp_path / "out"
    first = build(capsys, courses, term, out)
    assert "warning: no messages for language 'de'" in first[2]
    again = build(capsys, courses, term, out)
    assert again[2] == first[2]
    assert "nothing rebuilt" in again[1]


@pytest.mark.parametrize("change", ["course", "term", "template", "output deleted", "settings", "records garbled"])
def test_what_builds_a_course_again(tmp_path, capsys, change: str) -> None:
    courses, term = catalogue(tmp_path)
    out = tmp_path / "out"
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "summary.txt").write_text((ROOT / "templates" / "summary.txt").read_text(encoding="utf-8"))
    assert build(capsys, courses, term, out, "--templates", str(templates))[0] == 0
    more = ["--templates", str(templates)]
    rebuilt = {"mini-2"}
    if change == "course":
        path = courses / "mini-2.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("title: Introduction", "title: Intro"))
    elif change == "term":
        term.write_text(term.read_text(encoding="utf-8").replace("A Wednesday off", "A day off"))
        rebuilt = {f"mini-{n}" for n in range(5)}
    elif change == "template":
        summary = templates / "summary.txt"
        summary.write_text("* " + summary.read_text(encoding="utf-8"), encoding="utf-8")
        rebuilt = {f"mini-{n}" for n in range(5)}
    elif change == "output deleted":
        (out / "mini-2" / "mini-term" / "syllabus.pdf").unlink()
    elif change == "settings":
        more += ["--paper", "letter"]
        rebuilt = {f"mini-{n}" for n in range(5)}
    else:
        (out / pipeline.RECORDS).write_text("{not json", encoding="utf-8")
        rebuilt = set()  # every course is read again, and found unchanged by its stamp
    status, said, err = build(capsys, courses, term, out, *more)
    assert (status, err) == (0, "")
    again = {line.split("/")[-2] for line in said.splitlines() if "nothing rebuilt" not in line}
    assert again == rebuilt
    records = json.loads((out / pipeline.RECORDS).read_text(encoding="utf-8"))
    assert len(records["courses"]) == 5
    assert str(tmp_path) not in json.dumps(records)  # nothing of the machine is published


def test_a_failed_build_leaves_the_records_alone(tmp_path, capsys) -> None:
    courses, term = catalogue(tmp_path)
    out = tmp_path / "out"
    assert build(capsys, courses, term, out)[0] == 0
    before = snapshot(out)
    path = courses / "mini-1.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("weekday: Mon", "weekday: Mun"))
    status, said, err = build(capsys, courses, term, out)
    assert status == 2 and "unknown weekday 'Mun'" in err
    assert snapshot(out) == before
