"""Bad input: one fixture file per mistake in ``tests/fixtures/bad/``, its exact message asserted.

Each fixture's first line is a comment saying what it tries. A course fixture is checked with
the good term (``tests/fixtures/good/term.yaml``), a ``term-*`` fixture with the good course,
through ``syllabus-export check`` run in-process: exit status 2, one ``path:line:column: message``
line per problem, all problems of a file together, and never a traceback.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from syllabus_export import cli
from syllabus_export.load import load_course

ROOT = Path(__file__).resolve().parent.parent
BAD = "tests/fixtures/bad"
GOOD_COURSE = "tests/fixtures/good/course.yaml"
GOOD_TERM = "tests/fixtures/good/term.yaml"
BOOLEAN = "is not true or false (write true or false; yes/no/on/off are ambiguous in YAML)"
NOT_IANA = (
    "is not an IANA Area/Location name; an abbreviation or a fixed offset puts meetings an hour off after a DST change"
)

EXPECTED = {
    "time-25.yaml": [
        "12:12: patterns.lecture.start '25:00' is not a time of day (expected HH:MM, e.g. 16:55)",
    ],
    "extra-no.yaml": [f"27:16: week 2, meeting 2: extra 'no' {BOOLEAN}"],
    "extra-yes.yaml": [f"27:16: week 2, meeting 2: extra 'yes' {BOOLEAN}"],
    "term-feb-30.yaml": ["8:11: no_class[1].date 2020-02-30 does not exist (day is out of range for month)"],
    "weekday-mun.yaml": ["11:14: unknown weekday 'Mun' (expected Mon–Sun)"],
    "end-before-start.yaml": ["13:10: patterns.lecture: end 15:00 is not after start 16:55"],
    "duplicate-session.yaml": ["21:18: duplicate session id '01-1' (first at line 20, column 18)"],
    "unknown-key.yaml": ["21:26: unknown key 'titel' in week 1, meeting 1: sessions[2] (did you mean 'title'?)"],
    "duplicate-key.yaml": ["13:5: duplicate key 'start' in patterns.lecture (first at line 12, column 5)"],
    "term-holiday-outside.yaml": ["8:5: no_class[1] (2020-02-17) is outside the term (2020-01-06 to 2020-01-31)"],
    "week-not-in-term.yaml": [
        "21:11: week 9 is not in term mini-term, which has 4 course weeks (2020-01-06 to 2020-01-31)",
    ],
    "tab.yaml": [
        (
            "11:1: YAML syntax: found character '\\t' that cannot start any token "
            "(indent with spaces: YAML does not allow tabs there)"
        ),
    ],
    "python-tag.yaml": ["6:8: YAML tag !!python/object/apply:os.system is not allowed (only plain values)"],
    "alias.yaml": [
        "14:15: anchors and aliases are not supported (write the value out)",
        "20:33: anchors and aliases are not supported (write the value out)",
    ],
    "term-zone-est.yaml": [f"4:11: time zone 'EST' {NOT_IANA} (e.g. America/New_York)"],
    "term-zone-utc7.yaml": [f"4:11: time zone 'UTC+7' {NOT_IANA} (e.g. America/New_York or Asia/Ho_Chi_Minh)"],
    "term-zone-typo.yaml": ["4:11: unknown time zone 'America/New_Yrok' (did you mean America/New_York?)"],
    "javascript-url.yaml": [
        "7:44: institution.url: URL scheme 'javascript:' is not allowed (expected http, https or mailto, lower case)",
    ],
    # issue 13: several slots a week, sections, placement
    "weekday-list.yaml": [
        "11:14: patterns.lecture.weekday must be a single value (found a list); for several days a week write a "
        "list of slots: patterns.lecture: [{weekday: Tue, start: …}, {weekday: Thu, start: …}]",
    ],
    "slots-overlap.yaml": [
        "12:7: patterns.lecture: Mon 18:00–19:00 overlaps the slot Mon 16:55–18:35 (at line 11, column 7)",
        "12:73: patterns.lecture[2].label: write the kind's label on its first slot",
    ],
    "sections-bad-keys.yaml": [
        "13:7: patterns.practicum.sections: section 'A+1' must be a short lower-case name of letters, digits and _ "
        "(e.g. a, b, mon1)",
        "15:7: duplicate section 'b' in patterns.practicum.sections (first at line 14, column 7)",
    ],
    "sections-too-many.yaml": [
        "16:3: 3 kinds with sections (practicum: 4, lab: 4, tutorial: 5) make 80 combinations of sections, each its "
        "own calendar feed (expected at most 64)",
    ],
    "section-id-taken.yaml": [
        "27:9: meeting id 'P01-a' is also the id of meeting P01 in section a (first at line 22, column 9); give this "
        "meeting another 'id'",
    ],
    "placement-mixed.yaml": [
        "14:3: with placement: in-order the meetings are listed under 'meetings:', without weeks (the term decides "
        "each one's week); found 'weeks'",
    ],
    "meetings-by-week.yaml": [
        "12:3: a flat 'meetings:' list needs placement: in-order (with placement by-week, the default, meetings are "
        "listed in 'weeks:')",
    ],
    "list-for-mapping.yaml": ["7:14: institution must be a mapping of keys (found a list)"],
    "empty.yaml": ["1:1: the file has no data, only comments (expected a mapping of keys)"],
    "not-utf8.yaml": ["6:11: byte 0xe9 is not UTF-8 (save the file as UTF-8)"],
    "several.yaml": [
        "3:1: unknown key 'langauge' in the course file (did you mean 'language'?)",
        "11:14: unknown weekday 'Mun' (expected Mon–Sun)",
        "13:10: patterns.lecture.end '24:10' is not a time of day (expected HH:MM, e.g. 16:55)",
        "21:18: duplicate session id '01-1' (first at line 20, column 18)",
    ],
}


pytestmark = pytest.mark.usefixtures("in_repository")


def check(capsys: pytest.CaptureFixture[str], course: str, term: str) -> tuple[int, str, str]:
    status = cli.main(["check", "--course", course, "--term", term])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_mistake_is_reported_exactly(name, capsys):
    path = f"{BAD}/{name}"
    course, term = (GOOD_COURSE, path) if name.startswith("term-") else (path, GOOD_TERM)
    status, out, err = check(capsys, course, term)
    lines = [f"{path}:{line}" for line in EXPECTED[name]]
    count = len(lines)
    assert err == "\n".join(lines) + f"\n{count} problem{'s' if count != 1 else ''} found\n"
    assert status == 2
    assert out == ""
    assert "Traceback" not in err


def test_every_fixture_is_tested_and_says_what_it_tries():
    files = sorted(p.name for p in (ROOT / BAD).glob("*.yaml"))
    assert files == sorted(EXPECTED)
    for name in files:
        first = (ROOT / BAD / name).read_bytes().split(b"\n", 1)[0]
        assert first.startswith(b"# ") and len(first) > 10, name


def test_an_unquoted_time_is_read_as_the_time(capsys):
    # YAML 1.1 reads an unquoted 16:55 as the sexagesimal number 1015, 09:05 as 545.
    course = load_course(GOOD_COURSE)
    assert (course.pattern("lecture").start, course.pattern("lecture").end) == (dt.time(16, 55), dt.time(18, 35))
    assert course.pattern("practicum").start == dt.time(9, 5)
    status, out, err = check(capsys, GOOD_COURSE, GOOD_TERM)
    assert (status, err) == (0, "")
    assert out == f"{GOOD_COURSE}: mini in mini-term: 3 meetings, 0 cancelled, 0 without a meeting: OK\n"


def test_yes_and_no_are_plain_words_where_text_is_expected(tmp_path):
    text = (ROOT / GOOD_COURSE).read_text(encoding="utf-8")
    path = tmp_path / "course.yaml"
    path.write_text(text.replace("title: Tensors", "title: no").replace("title: History", "title: yes"), "utf-8")
    titles = [s.title for e in load_course(path).entries for s in e.sessions]
    assert titles == ["Introduction", "yes", "no", "Gradients"]


def test_a_file_of_zero_bytes(tmp_path, capsys):
    path = tmp_path / "empty.yaml"
    path.write_bytes(b"")
    status, _, err = check(capsys, str(path), GOOD_TERM)
    assert status == 2
    assert err == f"{path}:1:1: the file is empty (expected a mapping of keys)\n1 problem found\n"


def test_a_missing_file(capsys):
    status, _, err = check(capsys, f"{BAD}/no-such-file.yaml", GOOD_TERM)
    assert status == 2
    assert err == f"{BAD}/no-such-file.yaml:1:1: cannot read the file (No such file or directory)\n1 problem found\n"


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("mailto:ada@example.edu", "expected an http:// or https:// URL"),
        ("ftp://example.edu/c/", "expected an http:// or https:// URL"),
        ("https://", "URL 'https://' has no host"),
        ("https://example.edu/a b/", "URL contains whitespace or control characters"),
    ],
)
def test_one_base_url_rule_for_the_option_and_the_flag(value, problem, tmp_path, capsys):
    course = tmp_path / "course.yaml"
    course.write_text((ROOT / GOOD_COURSE).read_text(encoding="utf-8") + f'options: {{base_url: "{value}"}}\n', "utf-8")
    lines = (ROOT / GOOD_COURSE).read_text(encoding="utf-8").count("\n") + 1
    status, _, err = check(capsys, str(course), GOOD_TERM)
    assert (status, err) == (2, f"{course}:{lines}:21: options.base_url: {problem}\n1 problem found\n")
    out = tmp_path / "out"
    status = cli.main(["build", "--course", GOOD_COURSE, "--term", GOOD_TERM, "--out", str(out), "--base-url", value])
    assert (status, capsys.readouterr().err) == (2, f"--base-url:1:1: {problem}\n1 problem found\n")
    assert not out.exists()


def test_a_link_spelled_otherwise_in_the_source_is_reported_at_its_text(tmp_path, capsys):
    # An escape in the URL: the file does not spell that link as the text reads, so it is placed at
    # the text's start; the next link, spelled as it reads, at its own "[".
    text = (ROOT / GOOD_COURSE).read_text(encoding="utf-8")
    course = tmp_path / "course.yaml"
    course.write_text(text + 'description: "See [x](java\\u0073cript:x) and [y](javascript:y)."\n', "utf-8")
    line = text.count("\n") + 1
    status, _, err = check(capsys, str(course), GOOD_TERM)
    scheme = "URL scheme 'javascript:' is not allowed (expected http, https or mailto, lower case)"
    assert (status, err) == (2, (
        f"{course}:{line}:14: description: link 'javascript:x': {scheme}\n"
        f"{course}:{line}:46: description: link 'javascript:y': {scheme}\n"
        "2 problems found\n"
    ))


def test_a_duplicate_in_another_file_is_named_by_its_whole_place():
    from syllabus_export.errors import Pos, first_at

    assert first_at(Pos(path="a.yaml", line=9, column=3), Pos(path="a.yaml", line=14, column=3)) == (
        "first at line 9, column 3"
    )
    assert first_at(Pos(path="a.yaml", line=9, column=3), Pos(path="b.yaml", line=2, column=1)) == (
        "first at a.yaml:9:3"
    )
