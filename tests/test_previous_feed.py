"""A previous feed that is damaged or hostile: a truncated upload, a ``--previous`` URL that answers
with something else, a feed edited by hand.

``build`` (and ``diff``) read it as far as it can be read: what cannot be (an event, a property,
the whole file) is a warning naming the feed and what was ignored, and the build goes on; never a
traceback, never a UID dropped that could have been kept, SEQUENCE within RFC 5545's 0..2147483647.

The property test takes the bundled course's real feed, damages it at random (truncation, byte
flips, bytes that are not UTF-8, huge and negative SEQUENCEs, missing UID/DTSTART/SEQUENCE lines,
garbage DTSTARTs, doubled properties) and builds the course without weeks 8–14 (so 14 of the
feed's meetings survive only as cancellations) with it as ``--previous``.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

import icalendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from syllabus_export import cli
from syllabus_export.published import SEQUENCE_MAX, read_feed

ROOT = Path(__file__).resolve().parents[1]
COURSE = ROOT / "data" / "courses" / "dlsp20.yaml"
TERM = ROOT / "data" / "terms" / "nyu-2020-spring.yaml"
FIRST, LATER = "1600000000", "1600100000"  # SOURCE_DATE_EPOCH of the published build and of the rebuild
SUFFIX = "@dlsp20.nyu-2020-spring.syllabus-export"
WARNING = re.compile(r"[^\s].*?:\d+:\d+: warning: .+")


# --- the published feed, and the course rebuilt with fewer meetings ---------------------------------


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    out = tmp_path_factory.mktemp("published")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", FIRST)
        assert cli.main(["build", "--course", str(COURSE), "--out", str(out)]) == 0
    return (out / "dlsp20" / "nyu-2020-spring" / "calendar.ics").read_bytes()


@pytest.fixture(scope="module")
def shorter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled course without weeks 8 to 14: their meetings are withdrawn."""
    text = COURSE.read_text(encoding="utf-8")
    start, end = text.index("  - week: 8\n"), text.index("  - week: 15\n")
    path = tmp_path_factory.mktemp("course") / "dlsp20.yaml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def no_pdf():
    """The PDF reads no feed: a stand-in keeps a hundred rebuilds fast."""
    import syllabus_export.pdf

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(syllabus_export.pdf, "render_pdf", lambda schedule, **_: b"%PDF stand-in")
        patch.setenv("SOURCE_DATE_EPOCH", LATER)
        yield


def rebuild(course: Path, previous: Path | str, out: Path, capsys: pytest.CaptureFixture[str],
            command: str = "build") -> tuple[int, str, str]:
    argv = [command, "--course", str(course), "--term", str(TERM), "--out", str(out), "--previous", str(previous)]
    status = cli.main(argv)  # anything but SyllabusError would come out of here as a traceback
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def feed_events(data: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(data)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def assert_clean(data: bytes) -> dict[str, icalendar.Event]:
    """A feed the tool wrote: every property readable, every event dated, SEQUENCE in range."""
    calendar = icalendar.Calendar.from_ical(data)
    events = {}
    for component in calendar.walk():
        assert not component.errors, (component.name, component.errors)
    for event in calendar.walk("VEVENT"):
        start = event.decoded("DTSTART")
        assert isinstance(start, dt.date) and (not isinstance(start, dt.datetime) or start.tzinfo is not None)
        assert 0 <= int(event["SEQUENCE"]) <= SEQUENCE_MAX
        assert str(event["UID"]) not in events
        events[str(event["UID"])] = event
    return events


def assert_only_warnings(err: str) -> None:
    for line in err.splitlines():
        assert WARNING.fullmatch(line), line
        assert line.isprintable(), repr(line)


# --- each failure the issue names ---------------------------------------------------------------------


def test_issue_a_huge_sequence_is_read_as_the_largest_and_stays_there(published, shorter, no_pdf, tmp_path,
                                                                      capsys) -> None:
    previous = tmp_path / "previous.ics"
    previous.write_bytes(published.replace(b"SEQUENCE:0", b"SEQUENCE:99999999999999999999", 1))
    line = published[:published.index(b"SEQUENCE:0")].count(b"\n") + 1
    status, said, err = rebuild(COURSE, previous, tmp_path / "out", capsys)
    assert status == 0, err
    assert f"{previous}:{line}:1: warning: SEQUENCE '99999999999999999999' is above 2147483647" in err
    assert_only_warnings(err)
    events = assert_clean((tmp_path / "out/dlsp20/nyu-2020-spring/calendar.ics").read_bytes())
    assert int(events[f"L01{SUFFIX}"]["SEQUENCE"]) == SEQUENCE_MAX


def test_issue_the_largest_sequence_is_not_raised_past_the_range(published, shorter, no_pdf, tmp_path,
                                                                 capsys) -> None:
    previous = tmp_path / "previous.ics"
    previous.write_bytes(published.replace(b"SEQUENCE:0", b"SEQUENCE:2147483647"))
    moved = tmp_path / "dlsp20.yaml"  # every lecture an hour later: 13 events change
    moved.write_text(COURSE.read_text(encoding="utf-8").replace("start: 16:55", "start: 15:55"), encoding="utf-8")
    status, said, err = rebuild(moved, previous, tmp_path / "out", capsys)
    assert (status, err) == (0, "")
    events = assert_clean((tmp_path / "out/dlsp20/nyu-2020-spring/calendar.ics").read_bytes())
    assert {int(e["SEQUENCE"]) for e in events.values()} == {SEQUENCE_MAX}
    assert "13 moved" in said


@pytest.mark.parametrize(("line", "what"), [
    (b"DTSTART;TZID=America/New_York:garbage", "DTSTART 'garbage' is not a date or a date-time"),
    (b"DTSTART:20200127T215500Z\r\nDTSTART:20200127T205500Z", "DTSTART given twice, with different values"),
    (b"DTSTART;TZID=America/Gotham:20200127T165500", "names an unknown time zone 'America/Gotham'"),
    (b"DTSTART:21200127T215500Z", "is more than a year away from the term"),
])
def test_issue_a_dtstart_that_is_no_date_time(published, shorter, no_pdf, tmp_path, capsys, line, what) -> None:
    """The event still counts for its UID's SEQUENCE; it cannot be kept as cancelled (no start to give)."""
    previous = tmp_path / "previous.ics"
    damaged = published.replace(b"SEQUENCE:0", b"SEQUENCE:4")
    for uid in (b"L01", b"L08"):  # one meeting that stays, one that is withdrawn
        block = damaged.index(b"UID:" + uid + b"@")
        begin = damaged.rindex(b"DTSTART;", 0, block)
        damaged = damaged[:begin] + line + damaged[damaged.index(b"\r\n", begin):]
    previous.write_bytes(damaged)
    status, said, err = rebuild(shorter, previous, tmp_path / "out", capsys)
    assert status == 0, err
    assert f"{what}: ignored; the event cannot be kept as cancelled (event L01{SUFFIX})" in err
    assert_only_warnings(err)
    events = assert_clean((tmp_path / "out/dlsp20/nyu-2020-spring/calendar.ics").read_bytes())
    assert int(events[f"L01{SUFFIX}"]["SEQUENCE"]) == 5  # it counted: changed, so one more than its 4
    assert f"L08{SUFFIX}" not in events
    assert {uid for uid, e in events.items() if e["STATUS"] == "CANCELLED"} == {
        f"{kind}{week:02d}{SUFFIX}" for kind in "LP" for week in range(8, 15)} - {f"L08{SUFFIX}"}


def test_issue_a_truncated_upload_keeps_what_it_has(published, shorter, no_pdf, tmp_path, capsys) -> None:
    previous = tmp_path / "previous.ics"
    cut = published.index(b"UID:L12@")  # inside the event of L12: every earlier event is whole
    previous.write_bytes(published[:cut + 10])
    status, said, err = rebuild(shorter, previous, tmp_path / "out", capsys)
    assert status == 0, err
    assert "warning: the previous feed ends without END:VCALENDAR (cut short?)" in err
    assert "warning: an event without END:VEVENT" in err
    assert_only_warnings(err)
    events = assert_clean((tmp_path / "out/dlsp20/nyu-2020-spring/calendar.ics").read_bytes())
    kept = {uid for uid, e in events.items() if e["STATUS"] == "CANCELLED"}
    assert kept == {f"{kind}{week:02d}{SUFFIX}" for kind in "LP" for week in range(8, 12)}


@pytest.mark.parametrize("answer", [
    b"<!doctype html><title>Sign in</title><p>Please sign in",
    b"",
    "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".encode("utf-16"),
    b"\x00\xff" * 1000,
])
def test_issue_a_previous_url_that_answers_with_something_else(published, shorter, no_pdf, tmp_path, capsys,
                                                                answer) -> None:
    from syllabus_export.serve import make_server

    site = tmp_path / "site"
    site.mkdir()
    (site / "calendar.ics").write_bytes(answer)
    server = make_server(site, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/calendar.ics"
    try:
        status, said, err = rebuild(shorter, url, tmp_path / "out", capsys)
        assert status == 0, err
        assert err.startswith(f"{url}:1:1: warning: the previous feed ") and "every meeting counts as new" in err
        assert_only_warnings(err)
        status, said, err = rebuild(shorter, url, tmp_path / "out", capsys, command="diff")
        assert status == 0 and "every meeting counts as new" in err
    finally:
        server.shutdown()
        server.server_close()


def test_a_previous_url_that_hangs_up_mid_answer_is_an_error(shorter, no_pdf, tmp_path, capsys) -> None:
    """Nothing to read at all (unlike a wrong answer): the build stops (exit 2), nothing is published."""
    import socket

    listener = socket.create_server(("127.0.0.1", 0))

    def answer() -> None:
        connection, _ = listener.accept()
        connection.recv(4096)
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\nBEGIN:VCALENDAR\r\n")
        connection.close()

    threading.Thread(target=answer, daemon=True).start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/calendar.ics"
    try:
        status, said, err = rebuild(shorter, url, tmp_path / "out", capsys)
    finally:
        listener.close()
    assert status == 2 and err.startswith(f"{url}:1:1: cannot fetch the previous feed (IncompleteRead(17 bytes "
                                          "read, 99983 more expected))")
    assert not (tmp_path / "out").exists()


def test_issue_non_utf8_bytes_cost_only_their_line(published, shorter, no_pdf, tmp_path, capsys) -> None:
    previous = tmp_path / "previous.ics"
    at = published.index(b"LOCATION:", published.index(b"UID:L09@"))
    previous.write_bytes(published[:at + 9] + b"\xff\xfe" + published[at + 9:])
    status, said, err = rebuild(shorter, previous, tmp_path / "out", capsys)
    assert status == 0, err
    assert "warning: byte 0xff is not UTF-8: the line (LOCATION) is ignored" in err
    events = assert_clean((tmp_path / "out/dlsp20/nyu-2020-spring/calendar.ics").read_bytes())
    assert events[f"L09{SUFFIX}"]["STATUS"] == "CANCELLED"


def test_a_dtend_that_does_not_end_the_event(published, shorter, no_pdf, tmp_path, capsys) -> None:
    previous = tmp_path / "previous.ics"
    at = published.index(b"DTEND;", published.rindex(b"BEGIN:VEVENT", 0, published.index(b"UID:L11@")))
    previous.write_bytes(published[:at] + b"DTEND;VALUE=DATE:20200101" + published[published.index(b"\r\n", at):])
    status, said, err = rebuild(shorter, previous, tmp_path / "out", capsys)
    assert status == 0 and "warning: DTEND '20200101' does not end DTSTART '20200413T165500'" in err
    event = assert_clean((tmp_path / "out/dlsp20/nyu-2020-spring/calendar.ics").read_bytes())[f"L11{SUFFIX}"]
    assert event["STATUS"] == "CANCELLED" and "DTEND" not in event


def test_a_hand_edited_event_cannot_carry_properties_into_later_feeds(published, shorter, no_pdf, tmp_path,
                                                                     capsys) -> None:
    previous = tmp_path / "previous.ics"
    at = published.index(b"URL:", published.index(b"UID:L10@"))
    extra = b"RRULE:FREQ=DAILY\r\nATTACH:https://evil.example/x\r\nURL:javascript:alert(1)\r\nX-EVIL:1\r\n"
    previous.write_bytes(published[:at] + extra + published[published.index(b"END:VEVENT", at):])
    status, said, err = rebuild(shorter, previous, tmp_path / "out", capsys)
    assert (status, err) == (0, "")
    data = (tmp_path / "out/dlsp20/nyu-2020-spring/calendar.ics").read_bytes()
    assert not re.search(rb"RRULE|ATTACH|javascript|X-EVIL", data)
    assert assert_clean(data)[f"L10{SUFFIX}"]["STATUS"] == "CANCELLED"


def test_many_problems_are_told_in_a_few_lines(published, shorter, no_pdf, tmp_path, capsys) -> None:
    previous = tmp_path / "previous.ics"
    previous.write_bytes(published.replace(b"SEQUENCE:0", b"SEQUENCE:x"))
    status, said, err = rebuild(shorter, previous, tmp_path / "out", capsys)
    assert status == 0
    assert len(err.splitlines()) == 10 and err.rstrip().endswith("could not be read were ignored")


# --- the property ----------------------------------------------------------------------------------


@dataclass
class Mutated:
    """The damaged feed, and what must still be read from it: UID → its SEQUENCE when known (None: not)."""

    data: bytes
    required: dict[str, int | None] = field(default_factory=dict)


def spans(data: bytes) -> list[tuple[int, int]]:
    """Each event: (offset of BEGIN:VEVENT, offset just past END:VEVENT's line break), in order."""
    return [m.span() for m in re.finditer(rb"BEGIN:VEVENT\r\n.*?END:VEVENT\r\n", data, re.S)]


SEQUENCES = st.one_of(
    st.integers(min_value=SEQUENCE_MAX - 2, max_value=10**40).map(str),
    st.integers(min_value=-10**20, max_value=-1).map(str),
    st.sampled_from(["", "x", "1.5", "0x10", "+3", "007", " 2", "1,2"]),
)
GARBAGE = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")), max_size=20),
    st.sampled_from(["20200230T100000", "20201301T000000Z", "99991231T235959Z", "00010101T000000Z", "20200127",
                     "2020-01-27T16:55:00", "21200127T165500Z", "18000101T000000Z"]),
)
PROPERTIES = ("UID", "DTSTART", "SEQUENCE", "DTEND", "SUMMARY", "LAST-MODIFIED", "LOCATION", "CATEGORIES")


def mutate(draw, original: bytes) -> Mutated:
    """``original`` damaged at random (``draw`` is ``st.data().draw``), with what must still be read of it."""
    uids = [re.search(rb"\r\nUID:([^\r]*)\r\n", original[a:b])[1].decode() for a, b in spans(original)]
    damaged: set[str] = set()
    known: dict[str, int | None] = {uid: 0 for uid in uids}  # the SEQUENCE each UID must not fall below
    data = original
    # 1. Lines of chosen events: changed, removed, doubled (BEGIN:VEVENT and END:VEVENT stay: spans hold).
    for _ in range(draw(st.integers(0, 4))):
        index = draw(st.integers(0, len(uids) - 1))
        uid = uids[index]
        begin, end = spans(data)[index]
        block = data[begin:end]
        kind = draw(st.sampled_from(["sequence", "drop", "dtstart", "text", "double"]))
        name = draw(st.sampled_from(PROPERTIES))
        line = re.search(rb"\r\n(" + name.encode() + rb"[;:][^\r]*\r\n(?: [^\r]*\r\n)*)", block)
        if kind == "sequence":
            value = draw(SEQUENCES)
            block = re.sub(rb"\r\nSEQUENCE:[^\r]*", lambda _: b"\r\nSEQUENCE:" + value.encode(), block)
            number = value.strip()
            if re.fullmatch(r"\+?\d+", number):
                known[uid] = min(int(number), SEQUENCE_MAX)
            elif re.fullmatch(r"-\d+", number):
                known[uid] = 0
            else:
                known[uid] = None
        elif kind == "drop" and line:
            block = block.replace(line[1], b"", 1)
            if name in ("UID", "DTSTART"):
                damaged.add(uid)
            if name == "SEQUENCE":
                known[uid] = None
        elif kind == "dtstart":
            value = draw(GARBAGE).encode()
            zone = draw(st.sampled_from([b"America/New_York", b"America/Gotham", b""]))
            prefix = b"DTSTART;TZID=" + zone + b":" if zone else b"DTSTART:"
            block = re.sub(rb"\r\nDTSTART[;:][^\r]*", lambda _: b"\r\n" + prefix + value, block)
            damaged.add(uid)  # it may still be read (as another date): not required
        elif kind == "text":
            value = draw(st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=30))
            target = draw(st.sampled_from([b"SUMMARY", b"LOCATION", b"DESCRIPTION"]))
            block = re.sub(rb"\r\n" + target + rb":[^\r]*", lambda _: b"\r\n" + target + b":" + value.encode(), block)
        elif kind == "double" and line:  # the same line twice is still one value
            block = block.replace(line[1], line[1] * 2, 1)
        data = data[:begin] + block + data[end:]
    # 2. Bytes: flipped, and where the feed is cut; then bytes that are not UTF-8 put in.
    events = [(begin, end, uid) for (begin, end), uid in zip(spans(data), uids)]

    def hit(offset: int) -> None:
        for begin, end, uid in events:
            if begin - 2 <= offset < end:  # the line break before BEGIN:VEVENT belongs to it too
                damaged.add(uid)

    for _ in range(draw(st.integers(0, 3))):
        offset = draw(st.integers(0, len(data) - 1))
        data = data[:offset] + bytes([data[offset] ^ draw(st.integers(1, 255))]) + data[offset + 1:]
        hit(offset)
    if draw(st.booleans()):  # a truncated upload: an event cut short counts if its UID and DTSTART lines are whole
        cut = draw(st.integers(0, len(data)))
        for begin, end, uid in events:
            head = data[begin:cut]
            if end > cut and not (re.search(rb"\r\nUID:[^\r\n]*\r\n", head)
                                  and re.search(rb"\r\nDTSTART[;:][^\r\n]*\r\n", head)):
                damaged.add(uid)
        data = data[:cut]
    for offset in sorted(draw(st.lists(st.integers(0, max(len(data) - 1, 0)), max_size=3)), reverse=True):
        data = data[:offset] + draw(st.sampled_from([b"\xff", b"\xc3", b"\x80\x80", b"\xed\xa0\x80"])) + data[offset:]
        hit(offset)
    return Mutated(data=data, required={uid: known[uid] for uid in uids if uid not in damaged})


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_any_damage_to_the_previous_feed(published, shorter, no_pdf, capsys, data) -> None:
    case = mutate(data.draw, published)
    with tempfile.TemporaryDirectory() as folder:
        previous = Path(folder) / "previous.ics"
        previous.write_bytes(case.data)
        out = Path(folder) / "out"
        status, said, err = rebuild(shorter, previous, out, capsys)
        assert status == 0, err
        assert_only_warnings(err)
        events = assert_clean((out / "dlsp20/nyu-2020-spring/calendar.ics").read_bytes())
    missing = set(case.required) - set(events)
    assert not missing, f"readable UIDs dropped: {sorted(missing)}"
    for uid, floor in case.required.items():
        if floor is not None:
            assert int(events[uid]["SEQUENCE"]) >= floor, uid  # never backwards


def test_the_reader_alone_never_raises_on_random_bytes() -> None:
    for data in (b"BEGIN:VEVENT\r\nUID:x\r\nBEGIN:VALARM\r\n", b"END:VEVENT\r\n" * 3, b"\r\n \r\n\t\r\n",
                 b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART:20200101T000000Z\nEND:VEVENT\nEND:VCALENDAR\n"):
        assert read_feed(data, "x").source == "x"
    assert set(read_feed(b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART:20200101T000000Z\nEND:VEVENT\n", "x")
               .events) == {"a"}  # LF-only lines are lines too
