"""``syllabus-export list``: the whole DLSP20 schedule against a golden file a person has read.

``tests/golden/dlsp20-nyu-2020-spring.json`` is the output of
``syllabus-export list --json --course data/courses/dlsp20.yaml`` (default term: nyu-2020-spring).
After an intended change, regenerate it and read the diff against the course page
(``../shared/seed/dlsp20-index.vi.md``) before committing::

    UPDATE_GOLDEN=1 PYTHONPATH=src python -m pytest tests/test_list.py

The other tests here restate, independently of the golden file, the facts it was read for, so a
careless regeneration cannot make a wrong schedule pass.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from syllabus_export import cli

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests/golden/dlsp20-nyu-2020-spring.json"
COURSE = "data/courses/dlsp20.yaml"


pytestmark = pytest.mark.usefixtures("in_repository")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    assert (status, err) == (0, "")
    return out


@pytest.fixture
def records(capsys) -> list[dict]:
    return json.loads(run(capsys, "list", "--json", "--course", COURSE))


def test_golden_json(capsys):
    out = run(capsys, "list", "--json", "--course", COURSE)
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(out, encoding="utf-8")
    assert out == GOLDEN.read_text(encoding="utf-8")


# The lectures (Monday 16:55–18:35) and practica (Tuesday 19:10–20:00) of Spring 2020, as read
# from the course page and NYU's calendar: no lecture on Presidents' Day (week 4 has only its
# practicum), nothing in spring break, DST from 2020-03-08, nothing for week 15's extra material.
LECTURE_DAYS = "01-27 02-03 02-10 02-24 03-02 03-09 03-23 03-30 04-06 04-13 04-20 04-27 05-04"
PRACTICUM_DAYS = "01-28 02-04 02-11 02-18 02-25 03-03 03-10 03-24 03-31 04-07 04-14 04-21 04-28 05-05"


def test_every_meeting_on_its_real_date_and_time(records):
    def offset(day: str) -> str:
        return "-05:00" if day < "03-08" else "-04:00"

    expected = [
        ("lecture", f"2020-{d}T16:55:00{offset(d)}", f"2020-{d}T18:35:00{offset(d)}") for d in LECTURE_DAYS.split()
    ] + [
        ("practicum", f"2020-{d}T19:10:00{offset(d)}", f"2020-{d}T20:00:00{offset(d)}") for d in PRACTICUM_DAYS.split()
    ]
    assert [(r["kind"], r["start"], r["end"]) for r in records] == sorted(expected, key=lambda e: e[1])
    assert {r["tz"] for r in records} == {"America/New_York"}
    assert {r["status"] for r in records} == {"confirmed"}
    assert {r["moved_from"] for r in records} == {None}
    assert {r["section"] for r in records} == {None}  # no kind of this course meets in sections


def test_weeks_sessions_and_ids(records):
    by_week: dict[int, list[dict]] = {}
    for r in records:
        by_week.setdefault(r["week"], []).append(r)
    assert sorted(by_week) == list(range(1, 15))  # week 15 is extra material only
    assert [(r["id"], r["sessions"]) for r in by_week[4]] == [("P04", ["04-1"])]
    assert by_week[4][0]["start"].startswith("2020-02-18")
    for week, meetings in by_week.items():
        if week == 4:
            continue
        assert [(r["id"], r["sessions"]) for r in meetings] == [
            (f"L{week:02d}", [f"{week:02d}-1", f"{week:02d}-2"]),
            (f"P{week:02d}", [f"{week:02d}-3"]),
        ]
    assert not any(s.startswith("15-") for r in records for s in r["sessions"])
    days = {dt.date.fromisoformat(r["start"][:10]) for r in records}
    assert dt.date(2020, 2, 17) not in days
    assert not any(dt.date(2020, 3, 16) <= d <= dt.date(2020, 3, 22) for d in days)
    assert len({r["uid"] for r in records}) == len(records) == 27
    assert records[0]["uid"] == "L01@dlsp20.nyu-2020-spring.syllabus-export"


def test_zoom_from_2020_03_11(records):
    gcasl = "http://library.nyu.edu/services/campus-media/classrooms/gcasl-c95/"
    for r in records:
        if r["start"] < "2020-03-11":
            assert (r["location"], r["location_url"]) == ("GCASL C95", gcasl), r["id"]
        else:
            assert (r["location"], r["location_url"]) == ("Zoom", None), r["id"]
    assert [r["id"] for r in records if r["location"] == "GCASL C95"][-2:] == ["L07", "P07"]


def test_the_readable_table(capsys):
    table = run(capsys, "list", "--course", COURSE)
    lines = table.splitlines()
    assert lines[0].split() == ["date", "day", "time", "week", "kind", "titles", "@", "location"]
    assert len(lines) == 1 + 27
    assert lines[1].split("  @ ") == [
        "2020-01-27  Mon  16:55–18:35  1     lecture    01-1 Lịch sử và cảm hứng / 01-2 Sự phát triển và học sâu",
        "GCASL C95",
    ]
    assert "2020-02-18  Tue  19:10–20:00  4     practicum  04-1 Tích chập 1D  @ GCASL C95" in lines
    assert lines[-1] == (
        "2020-05-05  Tue  19:10–20:00  14    practicum  "
        "14-3 Quy định hóa và Baysian (Regularisation and Bayesian)  @ Zoom"
    )
    assert "2020-02-17" not in table and "2020-03-16" not in table
    assert "15-1" not in table


def test_list_and_check_do_not_load_reportlab():
    code = (
        "import sys\n"
        "from syllabus_export import cli\n"
        "assert cli.main(['list']) == 0\n"
        "assert cli.main(['list', '--json']) == 0\n"
        "assert cli.main(['check']) == 0\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] == 'reportlab')\n"
        "assert not heavy, heavy\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run(
        [sys.executable, "-c", code], check=False, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
