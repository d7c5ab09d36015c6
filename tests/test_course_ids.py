"""Two course files with one id (a copied file whose id was left as it was).

They would publish into one folder under the same UIDs, the second silently replacing the first's
feed. In one build both are refused, naming each other at their ``id:`` lines, and the others are
built (exit 2). A file whose id ``out/`` already has from another file that still exists is refused
the same way, with how to confirm a rename; when that other file is gone, it was a rename and the
new file takes over the folder (and its feed's SEQUENCEs).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from syllabus_export import cli, pipeline

ROOT = Path(__file__).resolve().parent.parent
GOOD = ROOT / "tests" / "fixtures" / "good"
EPOCH = "1600000000"


@pytest.fixture(autouse=True)
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project of three courses in ``tmp_path`` (the working directory, so paths read as a user types them)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "courses").mkdir()
    text = (GOOD / "course.yaml").read_text(encoding="utf-8")
    for n in range(3):
        (tmp_path / "courses" / f"mini-{n}.yaml").write_text(text.replace("id: mini\n", f"id: mini-{n}\n"))
    shutil.copy(GOOD / "term.yaml", tmp_path / "term.yaml")
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], command: str, *courses: str) -> tuple[int, str, str]:
    argv = [command, *[a for c in courses for a in ("--course", c)], "--term", "term.yaml"]
    if command == "build":
        argv += ["--out", "out", "--jobs", "1"]
    status = cli.main(argv)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def snapshot(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_issue_two_files_with_one_id_in_one_build(here: Path, capsys) -> None:
    shutil.copy(here / "courses/mini-0.yaml", here / "courses/mini-0-copy.yaml")
    status, said, err = run(capsys, "build", "courses")
    assert status == 2
    assert err.splitlines() == [
        "courses/mini-0-copy.yaml:2:5: course id 'mini-0' is also the id of courses/mini-0.yaml:2:5: two course "
        "files with one id would publish into one folder under the same UIDs, so neither is built; give each course "
        "its own id",
        "courses/mini-0.yaml:2:5: course id 'mini-0' is also the id of courses/mini-0-copy.yaml:2:5: two course files "
        "with one id would publish into one folder under the same UIDs, so neither is built; give each course its "
        "own id",
        "2 problems found",
    ]
    assert not (here / "out/mini-0").exists()
    assert sorted(p.name for p in (here / "out").iterdir() if p.is_dir()) == ["mini-1", "mini-2"]
    assert "out/mini-1/mini-term: first publication" in said
    # check says so too, and list refuses to list two courses under one id
    assert run(capsys, "check", "courses")[0] == 2
    status, _, err = run(capsys, "list", "courses/mini-0.yaml", "courses/mini-0-copy.yaml")
    assert status == 2 and err.count("is also the id of") == 2


def test_issue_an_id_published_by_another_file_that_still_exists(here: Path, capsys) -> None:
    assert run(capsys, "build", "courses/mini-0.yaml")[0] == 0
    published = snapshot(here / "out")
    copy = here / "courses/copy.yaml"
    copy.write_text("# a copy, its id left as it was\n" + (here / "courses/mini-0.yaml").read_text())
    status, said, err = run(capsys, "build", "courses/copy.yaml")
    assert (status, said) == (2, "")
    assert err == (
        "courses/copy.yaml:3:5: course id 'mini-0' is already published in out/mini-0 by courses/mini-0.yaml:2:5: a "
        "second file with that id would replace its feed under the same UIDs, so this one is not built. Give this "
        "course its own id; or, if this file replaces that one (a rename), delete or move courses/mini-0.yaml and "
        "build again\n1 problem found\n")
    assert snapshot(here / "out") == published
    # Once the copy has an id of its own, it is a course of its own.
    copy.write_text(copy.read_text().replace("id: mini-0", "id: mini-copy"))
    assert run(capsys, "build", "courses/copy.yaml")[0] == 0


def test_issue_a_rename_takes_the_folder_over(here: Path, capsys) -> None:
    assert run(capsys, "build", "courses/mini-0.yaml")[0] == 0
    feed = here / "out/mini-0/mini-term/calendar.ics"
    (here / "courses/mini-0.yaml").rename(here / "courses/introduction.yaml")
    path = here / "courses/introduction.yaml"
    path.write_text(path.read_text().replace("title: Introduction", "title: Welcome"))
    status, said, err = run(capsys, "build", "courses/introduction.yaml")
    assert (status, err) == (0, "")
    assert "out/mini-0/mini-term: 1 retitled" in said
    assert b"SEQUENCE:1" in feed.read_bytes()  # the published state carried on
    records = json.loads((here / "out" / pipeline.RECORDS).read_text())["courses"]
    assert [r["path"] for r in records.values()] == ["courses/introduction.yaml"]  # the old file's record went


def test_a_copy_beside_the_original_is_found_outside_the_working_directory(here: Path, capsys, monkeypatch) -> None:
    elsewhere = here / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    out, term = str(here / "out"), str(here / "term.yaml")
    assert cli.main(["build", "--course", str(here / "courses/mini-0.yaml"), "--term", term, "--out", out]) == 0
    records = (here / "out" / pipeline.RECORDS).read_text()
    assert '"path": null' in records and str(here) not in records  # nothing of the machine is published
    shutil.copy(here / "courses/mini-0.yaml", here / "courses/copy.yaml")
    capsys.readouterr()
    assert cli.main(["build", "--course", str(here / "courses/copy.yaml"), "--term", term, "--out", out]) == 2
    assert f"already published in {out}/mini-0 by {here}/courses/mini-0.yaml:2:5" in capsys.readouterr().err


def test_an_unchanged_course_and_a_new_copy(here: Path, capsys) -> None:
    """The original's outputs are up to date (not rebuilt): the copy in the same build still finds it."""
    assert run(capsys, "build", "courses")[0] == 0
    shutil.copy(here / "courses/mini-2.yaml", here / "courses/mini-2-copy.yaml")
    published = snapshot(here / "out")
    status, said, err = run(capsys, "build", "courses")
    assert status == 2
    assert err.count("course id 'mini-2' is also the id of") == 2
    assert snapshot(here / "out") == published
