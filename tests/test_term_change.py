"""A course re-dated for another term, and the current term fixed, end to end through ``cli.main``.

Issue 5 (a new term in one command: conflicts, ``diff``, what changes for subscribers) and the
SEQUENCE/LAST-MODIFIED part of issue 3, as DECISIONS.md settles them. Inputs are real files:
``data/`` and ``tests/fixtures/term_change/``. Every build writes into ``tmp_path/out`` with its
time from ``SOURCE_DATE_EPOCH``, a later epoch for each later build. Feeds are read back with
vobject (no code shared with icalendar, which writes them). The PDF is rendered only where a test
looks at it; elsewhere a stub stands in, so the module stays fast.

Expansion rules themselves are unit-tested in ``test_expand.py``; here they are seen from outside.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import vobject

from syllabus_export import cli
from syllabus_export.errors import Pos, Problem, SyllabusError
from syllabus_export.messages import messages

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_DIR = "tests/fixtures/term_change"
FIXTURES = ROOT / FIXTURE_DIR
COURSE = "data/courses/dlsp20.yaml"  # relative: the tests run in the repository, as a user would
TERM_2020 = "data/terms/nyu-2020-spring.yaml"
TERM_2021 = "data/terms/nyu-2021-spring.yaml"
SNOW = FIXTURES / "nyu-2020-spring-snow.yaml"
A_WEEK_LATER = FIXTURES / "nyu-2020-spring-a-week-later.yaml"

E1, E2, E3, E4 = 1_600_000_000, 1_600_100_000, 1_600_200_000, 1_600_300_000  # successive builds
CANCELLED = messages("vi")["cancelled"]  # the bundled course is Vietnamese


pytestmark = pytest.mark.usefixtures("in_repository")


@pytest.fixture
def no_pdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """A stand-in for the PDF renderer (the slowest stage) where no test looks at the PDF."""
    import syllabus_export.pdf

    def stub(schedule, **_: object) -> bytes:
        return repr([(mt.id, mt.start.isoformat(), mt.status) for mt in schedule.meetings]).encode()

    monkeypatch.setattr(syllabus_export.pdf, "render_pdf", stub)


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """``run(epoch, *argv)`` → (exit status, stdout, stderr), with the build time from ``epoch``."""

    def run(epoch: int, *argv: str | Path) -> tuple[int, str, str]:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
        status = cli.main([str(a) for a in argv])
        out, err = capsys.readouterr()
        return status, out, err

    return run


# The 2020 file in 2021: 2020's week 4 had no lecture (Presidents' Day); in 2021 its Monday slot is the
# Thursday that follows a Monday schedule, and the copied gap is said, not kept silently.
WEEK_4_GAP = ("warning: week 4 has no lecture on Thu 2021-02-18, which follows a Monday schedule "
              "(lectures meet in weeks 1–3 and 5–14)")


def ok(result: tuple[int, str, str]) -> str:
    """Standard output of a command that succeeded with no word on standard error but the week-4 gap."""
    status, out, err = result
    assert status == 0, err
    assert all(line.endswith(WEEK_4_GAP) for line in err.splitlines()), err
    return out


def at(epoch: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch, dt.UTC)


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``folder`` (hidden ones too): its bytes and modification time."""
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def events(feed: Path | bytes) -> dict[str, dict]:
    """UID → what a subscribed client reads, parsed by vobject."""
    data = feed.read_bytes() if isinstance(feed, Path) else feed
    calendar = vobject.readOne(data.decode("utf-8"))
    found = {}
    for ev in calendar.vevent_list:
        def value(name: str, ev=ev):
            return ev.contents[name][0].value if name in ev.contents else None

        found[value("uid")] = {
            "start": value("dtstart"),
            "end": value("dtend"),
            "summary": value("summary"),
            "location": value("location"),
            "status": value("status"),
            "sequence": int(value("sequence")),
            "last_modified": value("last-modified"),
            "dtstamp": value("dtstamp"),
        }
    return found


def facts(event: dict) -> dict:
    """What the event says, without when it was stamped."""
    return {k: v for k, v in event.items() if k not in ("sequence", "last_modified", "dtstamp")}


def position(path: str | Path, line_has: str, at: str, *, after: str | None = None) -> str:
    """``path:line:column`` of ``at`` on the first line holding ``line_has`` (below the line holding ``after``)."""
    lines = Path(ROOT, path).read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if after in line) if after else 0
    number = next(i for i in range(start, len(lines)) if line_has in lines[i])
    return f"{path}:{number + 1}:{lines[number].index(at) + 1}"


def folder(out: Path, term: str = "nyu-2020-spring", course: str = "dlsp20") -> Path:
    return out / course / term


def by_id(records: list[dict]) -> dict[str, dict]:
    return {r["id"]: r for r in records}


# --- 1. the bundled course in both NYU terms ------------------------------------------------


def test_the_bundled_course_builds_for_both_terms_side_by_side(run, tmp_path):
    out = tmp_path / "out"
    assert "first publication" in ok(run(E1, "build", "--out", out, "--course", COURSE))
    before = snapshot(folder(out))
    assert set(before) == {".inputs.sha256", "calendar.ics", "syllabus.pdf", "index.html"}  # no changes.json yet

    status, said, warned = run(E2, "build", "--out", out, "--course", COURSE, "--term", TERM_2021,
                               "--on-conflict", "shift")
    assert (status, warned) == (0, f"{position(COURSE, '- week: 4', '4')}: {WEEK_4_GAP}\n")
    assert "dlsp20/nyu-2021-spring: first publication" in said
    assert snapshot(folder(out)) == before  # bytes and modification times: the 2020 outputs were left alone
    new = folder(out, "nyu-2021-spring")
    assert sorted(p.name for p in new.iterdir()) == [".inputs.sha256", "calendar.ics", "index.html", "syllabus.pdf"]

    # The 2021 outputs are 2021's: its meetings, its name, never the old term's.
    listed = json.loads(ok(run(E2, "list", "--json", "--course", COURSE, "--term", TERM_2021,
                               "--on-conflict", "shift")))
    feed = events(new / "calendar.ics")
    assert {uid: (e["start"], e["end"]) for uid, e in feed.items()} == {
        r["uid"]: (dt.datetime.fromisoformat(r["start"]), dt.datetime.fromisoformat(r["end"])) for r in listed
    }
    assert all(uid.endswith("@dlsp20.nyu-2021-spring.syllabus-export") for uid in feed)
    calendar = (new / "calendar.ics").read_text(encoding="utf-8")
    assert "X-WR-CALNAME:DS-GA 1008 · HỌC SÂU · Học kỳ mùa xuân 2021" in calendar.replace("\r\n ", "")
    assert "2020" not in re.search(r"<title>(.*?)</title>", (new / "index.html").read_text(encoding="utf-8"))[1]


# --- 2. Spring 2021: the conflict on 2021-04-19 under each policy ------------------------------


def test_spring_2021_by_default_reports_the_conflict_and_writes_nothing(run, tmp_path):
    course_at = position(COURSE, "- kind: lecture", "kind", after="- week: 13")
    term_at = position(TERM_2021, "date: 2021-04-19", "date")
    for command in ("build", "list", "check"):
        extra = ("--out", tmp_path / "out") if command == "build" else ()
        status, out, err = run(E1, command, "--course", COURSE, "--term", TERM_2021, *extra)
        assert (status, out) == (2, "")
        problem, count = err.splitlines()
        assert count == "1 problem found"
        assert problem.startswith(f"{course_at}: meeting L13 (sessions 13-1, 13-2) falls on Mon 2021-04-19, ")
        assert "a no-class day (No classes (instead of spring break))" in problem
        assert f"[{term_at}]" in problem
    assert not (tmp_path / "out").exists()


@pytest.fixture
def spring_2021(run) -> dict[str, list[dict]]:
    """``list --json`` of the bundled course in Spring 2021 under ``shift`` and ``drop``."""
    return {
        policy: json.loads(ok(run(E1, "list", "--json", "--course", COURSE, "--term", TERM_2021,
                                  "--on-conflict", policy)))
        for policy in ("shift", "drop")
    }


def test_spring_2021_shift_pushes_the_last_two_lectures_back_a_week(spring_2021):
    shifted = by_id(spring_2021["shift"])
    assert {k: shifted["L13"][k] for k in ("week", "start", "end", "moved_from", "status")} == {
        "week": 13, "start": "2021-04-26T16:55:00-04:00", "end": "2021-04-26T18:35:00-04:00",
        "moved_from": "2021-04-19T16:55:00-04:00", "status": "confirmed"}
    assert {k: shifted["L14"][k] for k in ("week", "start", "moved_from", "status")} == {
        "week": 14, "start": "2021-05-03T16:55:00-04:00", "moved_from": "2021-04-26T16:55:00-04:00",
        "status": "confirmed"}
    lectures = [r["id"] for r in spring_2021["shift"] if r["kind"] == "lecture"]
    assert lectures == sorted(lectures)  # order kept
    # Nothing else moved: every other meeting is exactly as under `drop`, which moves nothing.
    others = [r for r in spring_2021["shift"] if r["id"] not in ("L13", "L14")]
    assert others == [r for r in spring_2021["drop"] if r["id"] not in ("L13", "L14")]
    assert [r["id"] for r in others if r["moved_from"]] == []
    assert not any(r["start"].startswith("2021-04-19") for r in spring_2021["shift"])


def test_spring_2021_week_4_and_the_other_days_off(spring_2021):
    # The course has no lecture in week 4 (in 2020 its Monday was Presidents' Day), so Monday-schedule
    # Thursday 2021-02-18 has nothing to take, and the week's Tuesday practicum stays where it is.
    week_4 = [r for r in spring_2021["shift"] if r["week"] == 4]
    assert [(r["id"], r["start"], r["moved_from"]) for r in week_4] == [("P04", "2021-02-16T19:10:00-05:00", None)]
    for day in ("2021-02-15", "2021-02-18", "2021-03-19", "2021-04-19"):
        assert not [r["id"] for r in spring_2021["shift"] if r["start"].startswith(day)]
    # The wall clock holds across the DST change of 2021-03-14.
    starts = by_id(spring_2021["shift"])
    assert starts["L07"]["start"] == "2021-03-08T16:55:00-05:00"
    assert starts["L08"]["start"] == "2021-03-15T16:55:00-04:00"
    assert spring_2021["shift"][0]["start"] == "2021-01-25T16:55:00-05:00"
    assert max(r["start"] for r in spring_2021["shift"]) <= "2021-05-10T23:59"


def test_a_monday_meeting_in_week_4_takes_the_thursday_that_follows_a_monday_schedule(run):
    listed = by_id(json.loads(ok(run(E1, "list", "--json", "--course", FIXTURES / "monday-in-week-4.yaml",
                                     "--term", TERM_2021))))
    assert {k: listed["L04"][k] for k in ("week", "start", "end", "moved_from", "status")} == {
        "week": 4, "start": "2021-02-18T16:55:00-05:00", "end": "2021-02-18T18:35:00-05:00",
        "moved_from": "2021-02-15T16:55:00-05:00", "status": "confirmed"}
    assert {i: (r["start"], r["moved_from"]) for i, r in listed.items() if i != "L04"} == {
        "L03": ("2021-02-08T16:55:00-05:00", None),
        "P03": ("2021-02-09T19:10:00-05:00", None),
        "P04": ("2021-02-16T19:10:00-05:00", None),
        "L05": ("2021-02-22T16:55:00-05:00", None),
    }


def test_spring_2021_drop_cancels_l13_in_the_list_the_feed_the_pdf_and_the_page(run, tmp_path, spring_2021):
    from pypdf import PdfReader

    dropped = by_id(spring_2021["drop"])
    assert {k: dropped["L13"][k] for k in ("status", "start", "moved_from", "week")} == {
        "status": "cancelled", "start": "2021-04-19T16:55:00-04:00", "moved_from": None, "week": 13}
    assert [r["id"] for r in spring_2021["drop"] if r["status"] != "confirmed"] == ["L13"]
    assert dropped["L14"]["start"] == "2021-04-26T16:55:00-04:00"

    out = tmp_path / "out"
    ok(run(E1, "build", "--out", out, "--course", COURSE, "--term", TERM_2021, "--on-conflict", "drop"))
    built = folder(out, "nyu-2021-spring")
    feed = events(built / "calendar.ics")
    assert set(feed) == {r["uid"] for r in spring_2021["drop"]}
    cancelled = feed[dropped["L13"]["uid"]]
    assert (cancelled["status"], cancelled["start"].isoformat()) == ("CANCELLED", "2021-04-19T16:55:00-04:00")
    assert [e for e in feed.values() if e["status"] != "CONFIRMED"] == [cancelled]
    live_days = {e["start"].date().isoformat() for e in feed.values() if e["status"] == "CONFIRMED"}
    assert "2021-04-19" not in live_days

    text = "\n".join(page.extract_text() for page in PdfReader(built / "syllabus.pdf").pages)
    assert text.count(CANCELLED) == 1
    assert "13-1 GCNs I" in text[text.index(CANCELLED):][:60]  # the mark is on L13's row

    page = (built / "index.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr class="([^"]*)" id="m-(\w+)">(.*?)</tr>', page, re.S)
    assert [(row_id, CANCELLED in body) for classes, row_id, body in rows if "cancelled" in classes] == [("L13", True)]


# --- 3. fixing the current term: snow day, override, new room ----------------------------------

# What subscribers see change, and nothing else (the table's text after each id).
FIXES = {
    "P05": "moved Tue 2020-02-25 19:10–20:00 → Thu 2020-02-27 19:10–20:00",
    "P10": "relocated Zoom → CIWW 109",
    "P12": "cancelled Tue 2020-04-21 19:10–20:00",
    "P13": "retitled 'GCNs III · Thực hành · DS-GA 1008' → 'GCNs III: đồ thị · Thực hành · DS-GA 1008'",
    "L13": "moved Mon 2020-04-27 16:55–18:35 → Mon 2020-05-04 16:55–18:35",
    "P15": "added Thu 2020-05-07 19:10–20:00",
    "L14": "moved Mon 2020-05-04 16:55–18:35 → Mon 2020-05-11 16:55–18:35",
}
FIX_KINDS = {"P05": ["moved"], "P10": ["relocated"], "P12": ["cancelled"], "P13": ["retitled"],
             "L13": ["moved"], "P15": ["added"], "L14": ["moved"]}
FIX_SUMMARY = "1 added, 1 cancelled, 3 moved, 1 retitled, 1 relocated"


def fixed_course(tmp_path: Path) -> Path:
    """The bundled course with the overrides of ``dlsp20-fixes.yaml``, 13-3 retitled and 15-1 made a meeting."""
    text = (ROOT / COURSE).read_text(encoding="utf-8")
    p15 = '        sessions:\n          - id: "15-1"'
    edits = [('title: "GCNs III"', 'title: "GCNs III: đồ thị"'), ("        extra: true\n" + p15, p15)]
    for old, new in edits:
        assert text.count(old) == 1
        text = text.replace(old, new)
    assert "\noverrides:" not in text
    path = tmp_path / "dlsp20.yaml"
    path.write_text(text + "\n" + (FIXTURES / "dlsp20-fixes.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    return path


def fixed(tmp_path: Path) -> tuple[str | Path, ...]:
    """The arguments that select the fixed course in the snowed term (shift resolves the snow day)."""
    return ("--course", fixed_course(tmp_path), "--term", SNOW, "--on-conflict", "shift")


def original(tmp_path: Path) -> tuple[str | Path, ...]:
    """The bundled course as it is, in the file ``fixed`` edits: one course file, as a user edits it
    (another file with the course's id would be refused, see test_course_ids.py)."""
    path = tmp_path / "dlsp20.yaml"
    path.write_text((ROOT / COURSE).read_text(encoding="utf-8"), encoding="utf-8")
    return ("--course", path, "--term", TERM_2020)


def test_diff_lists_exactly_the_changed_meetings(run, tmp_path, no_pdf):
    out = tmp_path / "out"
    ok(run(E1, "build", "--out", out, "--course", COURSE))
    published = snapshot(out)

    head, *rows = ok(run(E2, "diff", "--out", out, *fixed(tmp_path))).splitlines()
    assert head == f"dlsp20/nyu-2020-spring: {FIX_SUMMARY}"
    assert {row.split(maxsplit=1)[0]: row.split(maxsplit=1)[1] for row in rows} == FIXES
    assert len(rows) == len(FIXES)

    [result] = json.loads(ok(run(E2, "diff", "--json", "--out", out, *fixed(tmp_path))))
    assert (result["course"], result["term"], result["published"]) == ("dlsp20", "nyu-2020-spring", True)
    records = by_id(result["changes"])
    assert {i: r["changes"] for i, r in records.items()} == FIX_KINDS
    assert (records["L13"]["before"]["start"], records["L13"]["after"]["start"]) == (
        "2020-04-27T16:55:00-04:00", "2020-05-04T16:55:00-04:00")
    assert (records["P10"]["before"]["location"], records["P10"]["after"]["location"]) == ("Zoom", "CIWW 109")
    assert records["P15"]["before"] is None
    assert records["P12"]["after"]["status"] == "cancelled"
    assert snapshot(out) == published  # diff writes nothing


def test_build_raises_sequence_and_last_modified_of_exactly_the_changed_meetings(run, tmp_path, no_pdf):
    out = tmp_path / "out"
    ok(run(E1, "build", "--out", out, *original(tmp_path)))
    old = events(folder(out) / "calendar.ics")

    said = ok(run(E2, "build", "--out", out, *fixed(tmp_path)))
    assert said == f"{folder(out)}: {FIX_SUMMARY}; 4 files written\n"
    new = events(folder(out) / "calendar.ics")
    changed = {f"{i}@dlsp20.nyu-2020-spring.syllabus-export" for i in FIXES}
    assert set(new) == set(old) | changed  # every UID kept, P15's added
    for uid, event in new.items():
        if uid in changed:
            want = (old[uid]["sequence"] + 1 if uid in old else 0, at(E2))
        else:
            want = (old[uid]["sequence"], old[uid]["last_modified"])
        assert (event["sequence"], event["last_modified"]) == want, uid
        assert event["dtstamp"] == at(E2)
    cancelled = [uid.split("@")[0] for uid, event in new.items() if event["status"] != "CONFIRMED"]
    assert cancelled == ["P12"]  # cancelled by its override: still there, same UID, higher SEQUENCE

    changes = json.loads((folder(out) / "changes.json").read_text(encoding="utf-8"))
    assert (changes["course"], changes["term"]) == ("dlsp20", "nyu-2020-spring")
    assert {r["id"]: r["changes"] for r in changes["changes"]} == FIX_KINDS

    # The same build again changes nothing: skipped for its unchanged inputs, or rendered again.
    published = snapshot(out)
    assert "unchanged inputs" in ok(run(E2, "build", "--out", out, *fixed(tmp_path)))
    assert snapshot(out) == published
    (folder(out) / ".inputs.sha256").unlink()
    assert "no changes; 0 files written" in ok(run(E2, "build", "--out", out, *fixed(tmp_path)))
    again = snapshot(out)
    assert {k: v for k, v in again.items() if "inputs" not in k} == {
        k: v for k, v in published.items() if "inputs" not in k}  # changes.json too: kept, untouched


def test_sequence_never_goes_backwards_over_change_revert_change(run, tmp_path, no_pdf):
    out, feed = tmp_path / "out", folder(tmp_path / "out") / "calendar.ics"
    steps = [(E1, original), (E2, fixed), (E3, original), (E4, fixed)]
    history, written = [], []
    for epoch, selection in steps:
        ok(run(epoch, "build", "--out", out, *selection(tmp_path)))
        history.append(events(feed))
        written.append(json.loads((folder(out) / "changes.json").read_text("utf-8")) if epoch != E1 else None)
    for (epoch, _), before, after in zip(steps[1:], history, history[1:]):
        assert set(before) <= set(after)  # a withdrawn meeting stays, cancelled
        for uid in before:
            changed = facts(after[uid]) != facts(before[uid])
            assert after[uid]["sequence"] == before[uid]["sequence"] + changed, uid
            assert after[uid]["last_modified"] == (at(epoch) if changed else before[uid]["last_modified"]), uid
    p15 = "P15@dlsp20.nyu-2020-spring.syllabus-export"
    assert [h.get(p15, {}).get("sequence") for h in history] == [None, 0, 1, 2]
    assert [h.get(p15, {}).get("status") for h in history] == [None, "CONFIRMED", "CANCELLED", "CONFIRMED"]
    l13 = "L13@dlsp20.nyu-2020-spring.syllabus-export"
    assert [h[l13]["sequence"] for h in history] == [0, 1, 2, 3]
    # Reverting is told as such: P12 comes back (not "retitled" for losing its cancelled mark), P15 goes.
    revert = {r["id"]: r["changes"] for r in written[2]["changes"]}
    assert revert == {"P05": ["moved"], "P10": ["relocated"], "P12": ["reinstated"], "P13": ["retitled"],
                      "L13": ["moved"], "P15": ["cancelled"], "L14": ["moved"]}
    again = {r["id"]: r["changes"] for r in written[3]["changes"]}
    assert again == {**FIX_KINDS, "P15": ["reinstated"]}


# --- 4. the whole term a week later -----------------------------------------------------------


def test_moving_the_term_start_by_a_week_keeps_every_uid_and_raises_every_sequence(run, tmp_path, no_pdf):
    out = tmp_path / "out"
    ok(run(E1, "build", "--out", out, "--course", COURSE))
    old = events(folder(out) / "calendar.ics")
    later = ("--course", COURSE, "--term", A_WEEK_LATER)

    [result] = json.loads(ok(run(E2, "diff", "--json", "--out", out, *later)))
    assert {r["uid"] for r in result["changes"]} == set(old)
    for r in result["changes"]:
        assert r["changes"] == ["moved"], r["id"]
        before, after = (dt.datetime.fromisoformat(r[side]["start"]).replace(tzinfo=None)
                         for side in ("before", "after"))
        assert after - before == dt.timedelta(days=7)  # a week later on the wall clock, across DST too

    assert f"{len(old)} moved" in ok(run(E2, "build", "--out", out, *later))
    new = events(folder(out) / "calendar.ics")
    assert set(new) == set(old)
    assert {(e["sequence"], e["last_modified"]) for e in new.values()} == {(1, at(E2))}


# --- 5. a pipeline from a fresh clone: --previous ----------------------------------------------


def test_previous_feed_continues_sequence_in_an_empty_out(run, tmp_path, no_pdf):
    first = tmp_path / "published"
    ok(run(E1, "build", "--out", first, "--course", COURSE))
    ok(run(E2, "build", "--out", first, "--course", COURSE, "--term", A_WEEK_LATER))
    previous = tmp_path / "calendar.ics"  # what a CI job downloads from the live site
    previous.write_bytes((folder(first) / "calendar.ics").read_bytes())
    assert {e["sequence"] for e in events(previous).values()} == {1}

    fresh = tmp_path / "clone-out"
    head, *rows = ok(run(E3, "diff", "--out", fresh, "--course", COURSE, "--previous", previous)).splitlines()
    assert head == "dlsp20/nyu-2020-spring: 27 moved" and len(rows) == 27
    assert not fresh.exists()

    assert "27 moved" in ok(run(E3, "build", "--out", fresh, "--course", COURSE, "--previous", previous))
    feed = events(folder(fresh) / "calendar.ics")
    assert set(feed) == set(events(previous))
    assert {(e["sequence"], e["last_modified"]) for e in feed.values()} == {(2, at(E3))}
    assert (folder(fresh) / "changes.json").is_file()

    # Without it, the same fresh clone would start over at 0 (and call it a first publication).
    other = tmp_path / "no-previous"
    assert "first publication" in ok(run(E3, "build", "--out", other, "--course", COURSE))
    assert {e["sequence"] for e in events(folder(other) / "calendar.ics").values()} == {0}
    assert not (folder(other) / "changes.json").exists()


def test_a_previous_feed_of_another_term_neither_cancels_nor_counts(run, tmp_path, no_pdf):
    published = tmp_path / "published"
    ok(run(E1, "build", "--out", published, "--course", COURSE))
    out = tmp_path / "out"
    selection = ("--course", COURSE, "--term", TERM_2021, "--on-conflict", "shift",
                 "--previous", folder(published) / "calendar.ics")
    [result] = json.loads(ok(run(E2, "diff", "--json", "--out", out, *selection)))
    assert {kind for r in result["changes"] for kind in r["changes"]} == {"added"}
    ok(run(E2, "build", "--out", out, *selection))
    feed = events(folder(out, "nyu-2021-spring") / "calendar.ics")
    assert all(uid.endswith(".nyu-2021-spring.syllabus-export") for uid in feed)
    assert {e["status"] for e in feed.values()} == {"CONFIRMED"}


# --- 6. term and course that contradict each other ---------------------------------------------


def _term_problems(name: str) -> list[str]:
    term = f"{FIXTURE_DIR}/{name}"
    if name == "substitution-on-holiday.yaml":
        sub = position(term, "date: 2021-02-18", "date", after="substitutions:")
        holiday = position(term, "date: 2021-02-18", "date")
        return [f"{sub}: substitution day 2021-02-18 is itself a no-class day ({holiday})"]
    if name == "break-outside.yaml":
        where = position(term, "start: 2020-05-18", "start")
        return [f"{where}: no_class[1] (2020-05-18 to 2020-05-22) is outside the term (2020-01-27 to 2020-05-11)"]
    if name == "twelve-weeks.yaml":
        return [f"{position(COURSE, f'- week: {n}', str(n))}: week {n} is not in term nyu-2020-short, which has 12 "
                "course weeks (2020-01-27 to 2020-04-17)" for n in (13, 14, 15)]
    assert name == "ends-on-a-monday.yaml"
    p14 = position(COURSE, "- kind: practicum", "kind", after="- week: 14")
    return [f"{p14}: meeting P14 (session 14-3) falls on Tue 2020-05-05, after the last day of classes (2020-05-04) "
            f"[{term}:"]


@pytest.mark.parametrize("name", ["substitution-on-holiday.yaml", "break-outside.yaml", "twelve-weeks.yaml",
                                  "ends-on-a-monday.yaml"])
def test_a_term_that_contradicts_itself_or_the_course_is_refused_with_its_places(run, tmp_path, name):
    out = tmp_path / "out"
    status, said, err = run(E1, "build", "--out", out, "--course", COURSE, "--term", f"{FIXTURE_DIR}/{name}")
    assert (status, said) == (2, "")
    for expected in _term_problems(name):
        assert expected in err, err
    assert all(re.match(r"\S+\.yaml:\d+:\d+: ", line) for line in err.splitlines()[:-1]), err
    assert not out.exists() or not any(out.rglob("*.ics"))


def test_a_shift_past_the_last_day_is_an_error(run):
    status, _, err = run(E1, "check", "--course", COURSE, "--term", FIXTURES / "ends-on-a-monday.yaml",
                         "--on-conflict", "shift")
    assert status == 2
    p14 = position(COURSE, "- kind: practicum", "kind", after="- week: 14")
    assert f"{p14}: meeting P14 (session 14-3) cannot be shifted: no practicum slot is left" in err


# --- 7. a build that fails half-way publishes nothing of that course ---------------------------


def test_a_failure_after_the_feed_rendered_leaves_out_as_it_was(run, tmp_path, monkeypatch, no_pdf):
    import syllabus_export.feed
    import syllabus_export.pdf

    out = tmp_path / "out"
    ok(run(E1, "build", "--out", out, *original(tmp_path)))
    published = snapshot(out)

    rendered = []
    render_feeds = syllabus_export.feed.render_feeds
    monkeypatch.setattr(syllabus_export.feed, "render_feeds",
                        lambda *a, **k: rendered.append(1) or render_feeds(*a, **k))

    def broken(schedule, **_: object) -> bytes:
        assert rendered, "the feed renders first"
        raise SyllabusError([Problem(pos=Pos(path="templates/pdf-theme.yaml", line=3, column=5), message="boom")])

    monkeypatch.setattr(syllabus_export.pdf, "render_pdf", broken)
    status, said, err = run(E2, "build", "--out", out, *fixed(tmp_path))
    assert (status, said, err) == (2, "", "templates/pdf-theme.yaml:3:5: boom\n1 problem found\n")
    assert snapshot(out) == published  # no changes.json, no stamp, no stray temporary file

    def crash(schedule, **_: object) -> bytes:
        raise RuntimeError("renderer bug")

    monkeypatch.setattr(syllabus_export.pdf, "render_pdf", crash)
    with pytest.raises(RuntimeError):
        run(E3, "build", "--out", out, *fixed(tmp_path))
    assert snapshot(out) == published


def test_a_glyph_the_pdf_font_lacks_keeps_the_published_course(run, tmp_path):
    emoji = FIXTURES / "two-courses" / "emoji.yaml"
    course = tmp_path / "emoji.yaml"
    course.write_text(emoji.read_text(encoding="utf-8").replace(" 🎓", ""), encoding="utf-8")
    out = tmp_path / "out"
    ok(run(E1, "build", "--out", out, "--course", course, "--term", TERM_2021))
    published = snapshot(out)

    course.write_bytes(emoji.read_bytes())
    status, said, err = run(E2, "build", "--out", out, "--course", course, "--term", TERM_2021)
    assert (status, said) == (2, "")
    title = position(course, "title:", '"')
    assert f"{title}: course title: the PDF font has no glyph for U+1F393 GRADUATION CAP" in err
    assert snapshot(out) == published


def test_in_a_folder_of_two_courses_the_good_one_publishes_and_the_exit_is_2(run, tmp_path):
    out = tmp_path / "out"
    two = FIXTURES / "two-courses"
    status, said, err = run(E1, "build", "--out", out, "--course", two, "--term", TERM_2021)
    assert status == 2
    assert said == f"{out}/plain/nyu-2021-spring: first publication; 3 files written\n"
    assert position(two / "emoji.yaml", "title:", '"') in err
    assert sorted(p.name for p in (out / "plain" / "nyu-2021-spring").iterdir()) == [
        ".inputs.sha256", "calendar.ics", "index.html", "syllabus.pdf"]
    assert not (out / "emoji").exists()
    assert "plain/nyu-2021-spring/" in (out / "index.html").read_text(encoding="utf-8")
