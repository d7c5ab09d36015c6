"""Where ``build`` writes: under ``--out`` and nowhere else.

``out/`` itself may be a symbolic link (people link it into a web root), but a link inside it on the
way to a file the build writes (a course folder, a term folder, an output file, ``out/index.html``,
``out/.courses.json``) is refused with an error naming it, and nothing is written for that course;
the other courses are still built (exit 2). A path that cannot be written is an error, not a
traceback. ``serve`` shows and serves such an ``out/`` without a traceback either.
"""

from __future__ import annotations

import os
import shutil
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from syllabus_export import cli
from syllabus_export.serve import banner, make_server

ROOT = Path(__file__).resolve().parent.parent
GOOD = ROOT / "tests" / "fixtures" / "good"


@pytest.fixture(autouse=True)
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")
    monkeypatch.chdir(tmp_path)
    text = (GOOD / "course.yaml").read_text(encoding="utf-8")
    (tmp_path / "courses").mkdir()
    for name in ("one", "two"):
        (tmp_path / "courses" / f"{name}.yaml").write_text(text.replace("id: mini\n", f"id: {name}\n"))
    shutil.copy(GOOD / "term.yaml", tmp_path / "term.yaml")
    (tmp_path / "elsewhere").mkdir()
    return tmp_path


def build(capsys: pytest.CaptureFixture[str], out: str = "out") -> tuple[int, str, str]:
    status = cli.main(["build", "--course", "courses", "--term", "term.yaml", "--out", out, "--jobs", "1"])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_out_itself_may_be_a_link(here: Path, capsys) -> None:
    (here / "site").symlink_to(here / "elsewhere")
    status, said, err = build(capsys, "site")
    assert (status, err) == (0, "")
    assert "one/mini-term/calendar.ics" in files(here / "elsewhere")


@pytest.mark.parametrize("link", ["one", "one/mini-term", "one/mini-term/calendar.ics"])
def test_issue_a_link_inside_out_is_refused(here: Path, capsys, link: str) -> None:
    target = here / "elsewhere" / "target"
    if link.endswith(".ics"):
        (here / "out/one/mini-term").mkdir(parents=True)
        target.write_bytes(b"someone else's file")
    else:
        target.mkdir()
        (here / "out" / link).parent.mkdir(parents=True, exist_ok=True)
    (here / "out" / link).symlink_to(target)
    status, said, err = build(capsys)
    assert status == 2
    assert err == (f"out/{link}:1:1: is a symbolic link: a build writes only into real folders and files under out "
                   "(out itself may be a link), so nothing was written there; replace the link with a real folder "
                   "or file, or link out itself\n1 problem found\n")
    assert files(here / "elsewhere") == (["target"] if link.endswith(".ics") else [])
    if link.endswith(".ics"):
        assert target.read_bytes() == b"someone else's file"
    assert "out/two/mini-term: first publication" in said  # the other course is built
    assert not (here / "out/one/mini-term/syllabus.pdf").exists()


@pytest.mark.parametrize("name", ["index.html", ".courses.json"])
def test_a_link_for_a_file_of_out_itself(here: Path, capsys, name: str) -> None:
    (here / "out").mkdir()
    (here / "out" / name).symlink_to(here / "elsewhere" / "target")
    status, said, err = build(capsys)
    assert status == 2 and f"out/{name}:1:1: is a symbolic link" in err
    assert "out/one/mini-term: first publication" in said
    assert files(here / "elsewhere") == []


def test_a_folder_that_is_a_file(here: Path, capsys) -> None:
    (here / "out").mkdir()
    (here / "out/one").write_text("not a folder")
    status, said, err = build(capsys)
    assert status == 2 and err.startswith("out/one/mini-term/calendar.ics:1:1: cannot read (Not a directory)")
    assert "out/two/mini-term: first publication" in said


def test_serve_an_out_with_links_and_odd_names(here: Path, capsys) -> None:
    assert build(capsys)[0] == 0
    (here / "out/outside").symlink_to(here / "elsewhere")
    (here / "elsewhere/term").mkdir()
    (here / "elsewhere/term/index.html").write_text("outside")
    (here / "out/loop").symlink_to(here / "out/loop")
    odd = here / "out" / os.fsdecode(b"caf\xe9\x1b[2J")  # a name that is not UTF-8, with a terminal code
    (odd / "term").mkdir(parents=True)
    (odd / "term/index.html").write_text("odd")
    (here / "out/one/mini-term/calendar.ics").write_bytes(b"\x00\xff garbage")
    text = banner("127.0.0.1", 8000, here / "out")
    assert "outside" not in text and "\x1b" not in text and "caf\ufffd\\x1b[2J term" in text
    assert "http://127.0.0.1:8000/caf%E9%1B%5B2J/term/" in text
    server = make_server(here / "out", "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        for path, status in [("/outside/term/", 403), ("/loop/", 403), ("/caf%E9%1B%5B2J/term/", 400),
                             ("/one/mini-term/calendar.ics", 200)]:
            try:
                with urllib.request.urlopen(base + path, timeout=5) as response:
                    assert (path, response.status) == (path, status)
            except urllib.error.HTTPError as error:
                assert (path, error.code) == (path, status)
    finally:
        server.shutdown()
        server.server_close()
