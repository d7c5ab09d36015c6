"""Text inputs read outside the YAML loader: a ``.txt`` catalogue, and what a build reads back from
``out/`` (``.courses.json``, the stamp ``.inputs.sha256``, ``changes.json``). Bytes that are not
UTF-8, and files edited by hand into shapes the tool never writes, give a positioned error (the
catalogue, an input) or are read as absent (``out/``'s own files: the course is built again), never
a traceback. (The previous feed: ``test_previous_feed.py``.)
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from syllabus_export import cli, pipeline

ROOT = Path(__file__).resolve().parent.parent
GOOD = ROOT / "tests" / "fixtures" / "good"


@pytest.fixture(autouse=True)
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")
    monkeypatch.chdir(tmp_path)
    shutil.copy(GOOD / "course.yaml", tmp_path / "mini.yaml")
    shutil.copy(GOOD / "term.yaml", tmp_path / "term.yaml")
    return tmp_path


def build(capsys: pytest.CaptureFixture[str], *courses: str) -> tuple[int, str, str]:
    argv = ["build", *[a for c in courses for a in ("--course", c)], "--term", "term.yaml", "--out", "out"]
    status = cli.main(argv)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_issue_a_catalogue_that_is_not_utf8(here: Path, capsys) -> None:
    (here / "list.txt").write_bytes(b"# the courses\nmini.yaml\ncours\xe9.yaml\n")
    assert build(capsys, "list.txt") == (2, "", "list.txt:3:6: byte 0xe9 is not UTF-8 (save the catalogue as UTF-8)"
                                                "\n1 problem found\n")
    assert not (here / "out").exists()
    assert cli.main(["check", "--course", "list.txt", "--term", "term.yaml"]) == 2


def test_a_catalogue_line_with_a_control_character(here: Path, capsys) -> None:
    (here / "list.txt").write_bytes(b"mini.yaml\nx\x1b[2J.yaml\n")
    status, said, err = build(capsys, "list.txt")
    assert (status, err) == (2, "list.txt:2:2: a file name with the control character \\x1b\n1 problem found\n")


@pytest.mark.parametrize("records", [
    b"\xff\xfe{",
    b'{"version": "0.1.0", "courses": []}',
    b'{"version": "0.1.0", "courses": {"x": {"folder": "abc", "term": 1, "notes": "n"}}}',
    b'{"version": "0.1.0", "courses": {"x": {"folder": ["mini", "mini-term"], "term": "mini-term", '
    b'"notes": [[1, 1, "\\u001b[2J"]]}}}',
])
def test_a_records_file_edited_by_hand(here: Path, capsys, records: bytes) -> None:
    assert build(capsys, "mini.yaml")[0] == 0
    (here / "out" / pipeline.RECORDS).write_bytes(records.replace(b"\"x\"", json.dumps(
        next(iter(json.loads((here / "out" / pipeline.RECORDS).read_text())["courses"]))).encode()))
    status, said, err = build(capsys, "mini.yaml")
    assert (status, err) == (0, "")
    assert "\x1b" not in said
    json.loads((here / "out" / pipeline.RECORDS).read_text())  # written again, whole


def test_a_stamp_that_is_not_utf8(here: Path, capsys) -> None:
    assert build(capsys, "mini.yaml")[0] == 0
    (here / "out/mini/mini-term" / pipeline.STAMP).write_bytes(b"\xff\xfe\x00")
    assert build(capsys, "mini.yaml")[:2] == (0, "out/mini/mini-term: no changes; 0 files written\n")


@pytest.mark.parametrize("changes", [
    b"\xff\xfe",
    b'{"changes": "moved"}',
    b'[1, 2]',
    b'{"changes": [{"id": "L01", "uid": "L01@x", "changes": ["moved"], "before": [1], "after": "x"}]}',
    b'{"changes": [{"id": "L01", "uid": "L01@x", "changes": ["moved"], "before": {"start": 5}, "after": null}]}',
    b'{"changes": [{"id": "L01", "uid": "L01@x", "changes": "moved", "before": null, "after": null}]}',
])
def test_a_changes_file_edited_by_hand(here: Path, capsys, changes: bytes) -> None:
    """The page shows the last changes when a build changes nothing: a record it cannot show is left out."""
    assert build(capsys, "mini.yaml")[0] == 0
    folder = here / "out/mini/mini-term"
    (folder / "changes.json").write_bytes(changes)
    (folder / pipeline.STAMP).unlink()  # rendered again, with nothing changed: the page reads changes.json
    status, said, err = build(capsys, "mini.yaml")
    assert (status, err) == (0, "")
    assert "no changes" in said


def test_a_template_that_is_not_utf8(here: Path, capsys) -> None:
    (here / "templates").mkdir()
    (here / "templates/summary.txt").write_bytes(b"{{ code }} \xb7 {{ titles | join(' / ') }}\n")
    status, _, err = cli.main(["build", "--course", "mini.yaml", "--term", "term.yaml", "--out", "out",
                                  "--templates", "templates"]), *capsys.readouterr()
    assert (status, err) == (2, "templates/summary.txt:1:12: byte 0xb7 is not UTF-8 (save the template as UTF-8)\n"
                                "1 problem found\n")
