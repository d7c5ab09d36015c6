"""The corpus of broken and hostile inputs in ``tests/bad_inputs/`` (issue 7), one test per file.

Each case is a real course or term file (``term-*.yaml`` are term files; the others are course
files) copied from ``_base/`` with one thing changed. Its first lines say what it tries and how
it must end::

    # tries: what the file attempts
    # expect: error [LINE:COL] FRAGMENT   refused: exit 2, a ``path:LINE:COL: …FRAGMENT…`` line on stderr
    # expect: ok TEXT                     accepted: TEXT appears literally in every output
    # expect: ok-json "TEXT"              the same, TEXT written as a JSON string (for escapes)
    # expect: list FRAGMENT               accepted, and ``list --json`` prints FRAGMENT
    # in: pdf page                        where the ``ok`` texts must appear (default: feed pdf page)
    # within: 0.5s                        the whole command finishes within this time
    # stage: build                        the problem shows only when rendering (a glyph the PDF font lacks)
    # known-bug: WHY                      the case fails for a known reason (a strict xfail: remove when fixed)

A refused case leaves no traceback, prints nothing else and creates nothing in ``--out``. An
accepted case builds (``build --out``, once the feed and the PDF renderers exist; ``check``
until then), keeps every text as written in the model, and injects nothing: no extra event or
property in the feed, no tag or attribute in the page, no link other than http(s), mailto and
webcal anywhere, and ``/tmp/pwned`` (the CVE-2023-33733 payload's target) never appears.
"""

from __future__ import annotations

import dataclasses
import html.parser
import importlib.util
import io
import json
import re
import shutil
import time
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import fresh_vobject_zones
from conftest import run_cli as run
from syllabus_export.load import load_course, load_term

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "tests" / "bad_inputs"
BASE_COURSE = HERE / "_base" / "course.yaml"
BASE_TERM = HERE / "_base" / "term.yaml"
CASES = sorted(HERE.glob("*.yaml"))
PWNED = Path("/tmp/pwned")
EPOCH = "1600000000"  # SOURCE_DATE_EPOCH: builds read no git and no clock
LINK_SCHEMES = {"http", "https", "mailto", "webcal"}
HEADER = re.compile(r"#\s*(tries|expect|in|within|stage|known-bug):\s?(.*)")
ERROR = re.compile(r"(?:\[(\d+):(\d+)\]\s+)?(.+)")
PROBLEM = re.compile(r"(.+?):(\d+):(\d+): (.+)")


def _available(name: str) -> bool:
    return importlib.util.find_spec(f"syllabus_export.{name}") is not None


def _templates_from_source() -> None:
    """From a source tree (``PYTHONPATH=src``), find the top-level templates/ as the package data
    ``syllabus_export.templates`` that an install makes of it (pyproject's package-dir)."""
    if importlib.util.find_spec("syllabus_export.templates") is None:
        import syllabus_export

        syllabus_export.__path__.append(str(ROOT))


_templates_from_source()
# `build` works end to end once both renderers it calls exist; until then the cases run `check`.
BUILD = _available("feed") and _available("pdf")


@dataclasses.dataclass
class Case:
    path: Path
    tries: str = ""
    errors: list[tuple[tuple[int, int] | None, str]] = dataclasses.field(default_factory=list)
    texts: list[str] = dataclasses.field(default_factory=list)
    listed: list[str] = dataclasses.field(default_factory=list)
    where: set[str] = dataclasses.field(default_factory=lambda: {"feed", "pdf", "page"})
    within: float | None = None
    stage: str = "load"
    known_bug: str = ""

    @property
    def is_term(self) -> bool:
        return self.path.name.startswith("term-")

    def selection(self) -> list[str]:
        course, term = (BASE_COURSE, self.path) if self.is_term else (self.path, BASE_TERM)
        return ["--course", str(course), "--term", str(term)]


def read_case(path: Path) -> Case:
    """The header: the comment lines the file starts with (after a byte order mark, if any)."""
    case = Case(path)
    raw = path.read_bytes().removeprefix(b"\xef\xbb\xbf")
    for line in raw.decode("utf-8", "replace").splitlines():
        if not line.startswith("#"):
            break
        match = HEADER.fullmatch(line.rstrip("\n"))
        if not match:
            continue
        key, value = match[1], match[2]
        if key == "tries":
            case.tries = value
        elif key == "in":
            case.where = set(value.split())
        elif key == "known-bug":
            case.known_bug = value.strip()
        elif key == "stage":
            case.stage = value.strip()
        elif key == "within":
            case.within = float(value.removesuffix("s"))
        elif value.startswith("error "):
            found = ERROR.fullmatch(value.removeprefix("error "))
            assert found, line
            where = (int(found[1]), int(found[2])) if found[1] else None
            case.errors.append((where, found[3]))
        elif value.startswith("ok-json "):
            case.texts.append(json.loads(value.removeprefix("ok-json ")))
        elif value.startswith("ok "):
            case.texts.append(value.removeprefix("ok "))
        elif value.startswith("list "):
            case.listed.append(value.removeprefix("list "))
        else:
            raise AssertionError(f"{path.name}: unknown expectation {line!r}")
    assert case.tries, f"{path.name}: the header must say what the case tries (# tries: …)"
    assert case.errors or case.texts or case.listed, f"{path.name}: the header must say how it ends (# expect: …)"
    assert not (case.errors and (case.texts or case.listed)), f"{path.name}: a case ends in one way only"
    return case


def squeeze(text: str) -> str:
    """NFC, whitespace runs as one space: outputs may fold or wrap lines, never change a character."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


# --- the two ends -------------------------------------------------------------------------------


def assert_refused(case: Case, status: int, stdout: str, stderr: str, out: Path) -> None:
    assert status == 2, f"{case.path.name}: expected exit status 2, got {status}\n{stderr}"
    assert "Traceback" not in stderr
    assert not [c for c in stderr if unicodedata.category(c) == "Cc" and c != "\n"], "raw control characters on stderr"
    lines = stderr.splitlines()
    assert re.fullmatch(r"\d+ problems? found", lines[-1]), lines[-1]
    problems = []
    for line in lines[:-1]:
        match = PROBLEM.fullmatch(line)
        assert match, f"not a path:line:column: message line: {line!r}"
        assert match[1] == str(case.path), f"problem reported against another file: {line!r}"
        assert int(match[2]) >= 1 and int(match[3]) >= 1
        problems.append(((int(match[2]), int(match[3])), match[4]))
    for where, fragment in case.errors:
        at = f"at {where[0]}:{where[1]} " if where else ""
        assert any(fragment in message and where in (None, pos) for pos, message in problems), (
            f"{case.path.name}: no problem {at}containing {fragment!r}:\n{stderr}"
        )
    assert not stdout.strip(), f"a refused build printed {stdout!r}"
    assert files_under(out) == [], "a refused input left files in --out"


def model_strings(value: object) -> list[str]:
    """Every string in a loaded course or term, wherever it sits."""
    if isinstance(value, str):
        return [value]
    if dataclasses.is_dataclass(value):
        return [s for f in dataclasses.fields(value) for s in model_strings(getattr(value, f.name))]
    if isinstance(value, dict):
        return [s for item in value.items() for s in model_strings(item)]
    if isinstance(value, (list, tuple)):
        return [s for item in value for s in model_strings(item)]
    return []


def assert_accepted(case: Case, status: int, stderr: str) -> list[dict]:
    assert status == 0, f"{case.path.name}: expected success, got {status}\n{stderr}"
    assert not stderr.strip(), stderr
    loaded = load_term(case.path) if case.is_term else load_course(case.path)
    strings = model_strings(loaded)
    for text in case.texts:
        nfc = unicodedata.normalize("NFC", text)
        assert any(nfc in s for s in strings), f"{text!r} did not survive loading literally"
    status, listed, stderr = run(["list", "--json", *case.selection()])
    assert status == 0, stderr
    for fragment in case.listed:
        assert fragment in listed, f"list --json lacks {fragment!r}"
    meetings = json.loads(listed)
    uids = [mt["uid"] for mt in meetings]
    assert len(set(uids)) == len(uids)
    return meetings


# --- reading the outputs back -------------------------------------------------------------------


def feed_reading(data: bytes) -> dict:
    """The feed as two parsers that share no code with icalendar see it."""
    import ics
    import vobject
    from ical.calendar_stream import IcsCalendarStream

    text = data.decode("utf-8")
    # Lines end in CRLF and nothing else: a bare CR or LF is how a value would start a new line.
    assert not re.search(r"\r(?!\n)|(?<!\r)\n", text), "a bare CR or LF in the feed"
    with fresh_vobject_zones():
        calendar = vobject.readOne(text)
    events = list(getattr(calendar, "vevent_list", []))
    names = {line.name.upper() for event in events for line in event.getChildren()
             if isinstance(line, vobject.base.ContentLine)}
    values = [str(line.value) for line in _content_lines(calendar)]
    # ics (0.7) checks the structure only: it reads the escaped "\\n" as a line break (its bug).
    parsed = ics.Calendar(text)
    other = IcsCalendarStream.calendar_from_ics(text)
    other_values = [v for ev in other.events for v in (ev.summary, ev.location, ev.description) if isinstance(v, str)]
    other_values += [v for field in (other.name, other.description) for v in field or [] if isinstance(v, str)]
    return {
        "uids": sorted(str(ev.uid.value) for ev in events),
        "ics_uids": sorted(ev.uid for ev in parsed.events),
        "ical_uids": sorted(ev.uid for ev in other.events),
        "names": names,
        "values": [squeeze(v) for v in values],
        "ical_values": [squeeze(v) for v in other_values],
    }


def _content_lines(component):
    import vobject

    for child in component.getChildren():
        if isinstance(child, vobject.base.ContentLine):
            yield child
        else:
            yield from _content_lines(child)


def pdf_reading(data: bytes) -> dict:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    text = unicodedata.normalize("NFC", "\n".join(page.extract_text() or "" for page in reader.pages))
    uris = []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action is not None and "/URI" in action.get_object():
                uris.append(str(action.get_object()["/URI"]))
    return {"text": re.sub(r"\s+", "", text), "uris": uris, "raw": data}


class _PageParser(html.parser.HTMLParser):
    URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "cite", "data", "srcset", "xlink:href"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.markup: set[tuple[str, str]] = set()  # (tag, attribute or "")
        self.urls: list[str] = []
        self.text: list[str] = []
        self._raw = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.markup.add((tag, ""))
        if tag in ("script", "style"):
            self._raw += 1
        for name, value in attrs:
            self.markup.add((tag, name))
            if name in self.URL_ATTRIBUTES and value:
                self.urls.append(value)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in ("script", "style"):
            self._raw -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._raw -= 1

    def handle_data(self, data: str) -> None:
        if not self._raw:
            self.text.append(data)


def page_reading(data: bytes) -> dict:
    parser = _PageParser()
    parser.feed(data.decode("utf-8"))
    parser.close()
    return {"markup": parser.markup, "urls": parser.urls, "text": squeeze(" ".join(parser.text))}


def scheme_of(url: str) -> str:
    # Browsers drop ASCII whitespace and control characters anywhere in a scheme: do the same.
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", url)
    return urlsplit(cleaned).scheme.lower()


def read_outputs(folder: Path) -> dict:
    outputs = {"feed": feed_reading((folder / "calendar.ics").read_bytes()),
               "pdf": pdf_reading((folder / "syllabus.pdf").read_bytes())}
    if (folder / "index.html").is_file():
        outputs["page"] = page_reading((folder / "index.html").read_bytes())
    return outputs


@pytest.fixture(scope="module")
def base_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The base course's outputs: what a harmless build contains (properties, tags, attributes)."""
    out = tmp_path_factory.mktemp("base") / "out"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        status, _, stderr = run(["build", "--course", str(BASE_COURSE), "--term", str(BASE_TERM), "--out", str(out)])
    assert status == 0, stderr
    return {**read_outputs(out / "base" / "base-term"), "out": out}


def assert_outputs(case: Case, meetings: list[dict], out: Path, base: dict) -> None:
    folders = [p.parent for p in files_under(out) if p.name == "calendar.ics"]
    assert len(folders) == 1, files_under(out)
    outputs = read_outputs(folders[0])

    feed = outputs["feed"]
    uids = sorted(mt["uid"] for mt in meetings)
    for parser in ("uids", "ics_uids", "ical_uids"):
        assert feed[parser] == uids, f"the feed's events are not the meetings of list --json ({parser})"
    assert feed["names"] <= base["feed"]["names"], f"properties injected: {feed['names'] - base['feed']['names']}"

    pdf = outputs["pdf"]
    assert all(scheme_of(uri) in LINK_SCHEMES for uri in pdf["uris"]), pdf["uris"]
    # In the objects' dictionaries, where an action would be: a compressed stream's bytes may spell
    # "/JS" by chance.
    dictionaries = re.sub(rb"stream\r?\n.*?endstream", b"", pdf["raw"], flags=re.S)
    for name in (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile", b"/SubmitForm"):
        assert name not in dictionaries, f"{name!r} in the PDF"
    if b"/Image" not in base["pdf"]["raw"]:
        assert b"/Image" not in pdf["raw"], "an image was drawn from the input"

    if "page" in outputs:
        page = outputs["page"]
        assert all(scheme_of(url) in LINK_SCHEMES | {""} for url in page["urls"]), page["urls"]
        extra = page["markup"] - base["page"]["markup"]
        assert not extra, f"markup injected into the page: {extra}"

    for text in case.texts:
        want = squeeze(text)
        if "feed" in case.where:
            assert any(want in v for v in feed["values"]), f"{text!r} is not in the feed (vobject)"
            assert any(want in v for v in feed["ical_values"]), f"{text!r} is not in the feed (ical)"
        if "pdf" in case.where:
            assert re.sub(r"\s+", "", want) in pdf["text"], f"{text!r} is not in the PDF's text"
        if "page" in case.where and "page" in outputs:
            assert want in outputs["page"]["text"], f"{text!r} is not in the page's text"


# --- the tests ----------------------------------------------------------------------------------


def test_corpus_is_large_and_headed() -> None:
    cases = [read_case(path) for path in CASES]
    assert len(cases) >= 40
    assert sum(1 for c in cases if c.errors) >= 20 and sum(1 for c in cases if not c.errors) >= 10


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_bad_input(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    case = read_case(path)
    if case.stage == "build" and not BUILD:
        pytest.skip("needs build (the feed and PDF renderers)")
    if case.known_bug and BUILD:
        request.applymarker(pytest.mark.xfail(reason=case.known_bug, strict=True))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    pwned = PWNED.stat().st_mtime_ns if PWNED.exists() else None
    out = tmp_path / "out"
    command = ["build", *case.selection(), "--out", str(out)] if BUILD else ["check", *case.selection()]
    started = time.perf_counter()
    status, stdout, stderr = run(command)
    elapsed = time.perf_counter() - started
    if case.within is not None:
        assert elapsed < case.within, f"{case.path.name} took {elapsed:.2f}s (expected under {case.within}s)"
    if case.errors:
        assert_refused(case, status, stdout, stderr, out)
    else:
        meetings = assert_accepted(case, status, stderr)
        if BUILD:
            assert_outputs(case, meetings, out, request.getfixturevalue("base_outputs"))
    assert (PWNED.stat().st_mtime_ns if PWNED.exists() else None) == pwned, "the payload ran: /tmp/pwned changed"


REFUSED = [path for path in CASES if read_case(path).errors]


@pytest.mark.skipif(not BUILD, reason="needs build (the feed and PDF renderers)")
@pytest.mark.parametrize("path", REFUSED, ids=lambda p: p.stem)
def test_refused_input_leaves_what_is_published(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                base_outputs: dict) -> None:
    """A broken edit of a published course: the build fails and the published files stay as they were."""
    case = read_case(path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    out = tmp_path / "out"
    shutil.copytree(base_outputs["out"], out)
    before = {p.relative_to(out): (p.read_bytes(), p.stat().st_mtime_ns) for p in files_under(out)}
    status, _, stderr = run(["build", *case.selection(), "--out", str(out)])
    assert status == 2, stderr
    assert {p.relative_to(out): (p.read_bytes(), p.stat().st_mtime_ns) for p in files_under(out)} == before


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("zero-bytes", b"", "the file is empty"),
        ("whitespace-only", b"  \n\n   \n", "the file is empty"),
        # Several megabytes: refused by size before any YAML is read, and fast.
        ("title-3mb", BASE_COURSE.read_bytes().replace(b"title: Introduction", b"title: " + b"x" * 3_000_000),
         "bytes (expected at most 1,000,000)"),
        # Just under the file limit: read, then refused by the text limit.
        ("title-900kb", BASE_COURSE.read_bytes().replace(b"title: Introduction", b"title: " + "ệ".encode() * 300_000),
         "is 300,000 characters long (expected at most 2,000)"),
    ],
)
def test_generated_bad_input(name: str, content: bytes, fragment: str, tmp_path: Path,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Cases too big (or too empty) to keep as files with a header: written here, then the same checks."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(content)
    case = Case(path, tries=name, errors=[(None, fragment)])
    out = tmp_path / "out"
    started = time.perf_counter()
    status, stdout, stderr = run(["build" if BUILD else "check", *case.selection(), *(["--out", str(out)] * BUILD)])
    assert time.perf_counter() - started < 1.0
    assert_refused(case, status, stdout, stderr, out)


COMMANDS = (["check"], ["list", "--json"], ["export-page"], ["diff"], ["import"])


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_no_command_prints_a_traceback(path: Path, tmp_path: Path) -> None:
    """Every command on every broken file: exit 0 or 2, never an exception out of ``main``
    (``import`` reads the file as a page: a YAML file is not one, which is a clean refusal too)."""
    case = read_case(path)
    for command in COMMANDS:
        if command == ["import"]:
            argv = ["import", str(path), "-o", str(tmp_path / "imported.yaml")]
        else:
            argv = [*command, *case.selection()]
            if command == ["diff"]:
                argv += ["--out", str(tmp_path / "out")]
            if command == ["export-page"]:  # a course alone: the site's table has no dates
                argv = ["export-page", *case.selection()[:2], "-o", str(tmp_path / "page.html")]
        status, _, stderr = run(argv)
        assert status in (0, 2), (argv, status, stderr)
        assert "Traceback" not in stderr
