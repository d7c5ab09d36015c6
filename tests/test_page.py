"""The course page and the list of courses: content, links, escaping, no external requests, same bytes."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from babel.dates import format_date

from syllabus_export import model as m
from syllabus_export import present
from syllabus_export.expand import expand
from syllabus_export.feed import subscribe_links
from syllabus_export.load import load_course, load_term
from syllabus_export.page import qr_svg, render_index, render_page

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"
BUILD = dt.datetime(2020, 9, 16, 12, 0, tzinfo=dt.UTC)
FEED = "https://hocsau.example.edu/dlsp20/nyu-2020-spring/calendar.ics"
FILES = ["calendar.ics", "syllabus.pdf"]


@pytest.fixture(scope="module")
def schedule():
    course = load_course(ROOT / "data" / "courses" / "dlsp20.yaml")
    term = load_term(ROOT / "data" / "terms" / "nyu-2020-spring.yaml")
    return expand(course, term)


def render(schedule, **kwargs) -> bytes:
    options = {"build_time": BUILD, "feed_url": FEED, "changes": None, "files": FILES, "templates": TEMPLATES}
    return render_page(schedule, **{**options, **kwargs})


class Page(HTMLParser):
    """What a test needs of a page: tags with attributes, links with their text, the visible text."""

    def __init__(self, html: bytes):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.links: list[tuple[str, str]] = []
        self.text_parts: list[str] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self._in: list[str] = []
        self._link: list | None = None
        self.feed(html.decode("utf-8"))
        self.close()
        self.text = re.sub(r"\s+", " ", "".join(self.text_parts))

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._in.append(tag)
            (self.scripts if tag == "script" else self.styles).append("")
        if tag == "a":
            self._link = [dict(attrs).get("href") or "", ""]

    def handle_endtag(self, tag):
        if self._in and tag == self._in[-1]:
            self._in.pop()
        if tag == "a" and self._link is not None:
            self.links.append((self._link[0], re.sub(r"\s+", " ", self._link[1]).strip()))
            self._link = None

    def handle_data(self, data):
        if self._in:
            target = self.scripts if self._in[-1] == "script" else self.styles
            target[-1] += data
            return
        self.text_parts.append(data)
        if self._link is not None:
            self._link[1] += data

    def hrefs(self) -> set[str]:
        return {href for href, _ in self.links}

    def attr(self, tag: str, name: str) -> list[str]:
        return [a[name] or "" for t, a in self.tags if t == tag and name in a]


# --- content -------------------------------------------------------------------------------


def test_lang_title_and_one_h1(schedule):
    page = Page(render(schedule))
    assert page.attr("html", "lang") == ["vi"]
    assert [t for t, _ in page.tags].count("h1") == 1
    assert "HỌC SÂU" in page.text and "DS-GA 1008" in page.text and "Học kỳ mùa xuân 2020" in page.text
    assert any(t == "meta" and a.get("name") == "viewport" for t, a in page.tags)


def test_every_meeting_with_its_date_time_title_and_place(schedule):
    page = Page(render(schedule))
    for mt in schedule.meetings:
        assert format_date(mt.start.date(), "full", locale="vi") in page.text, mt.id
        assert f"{mt.start:%H:%M}–{mt.end:%H:%M}" in page.text, mt.id
        for session in mt.sessions:
            assert session.title.strip() in page.text
            assert (session.url, session.title.strip()) in page.links
        assert mt.location.name in page.text
    assert "Thứ Hai, 27 tháng 1, 2020" in page.text  # CLDR's own words, not hand-made
    assert "Zoom" in page.text and "GCASL C95" in page.text


def test_every_resource_link_labelled(schedule):
    page = Page(render(schedule))
    expected = [r.url for mt in schedule.meetings for r in mt.resources]
    expected += [r.url for e in schedule.extras for r in e.resources]
    assert expected
    hrefs = page.hrefs()
    assert not [url for url in expected if url not in hrefs]
    labels = {text for href, text in page.links if href in expected}
    assert {"Slides", "Video", "Notebook 1", "Notebook 2"} <= labels


def test_no_class_days_extras_staff_and_course_links(schedule):
    page = Page(render(schedule))
    assert "Không có lớp: Ngày Tổng thống" in page.text
    assert "Không có lớp: Nghỉ xuân" in page.text
    assert "Tài liệu bổ sung (không có buổi học)" in page.text
    for entry in schedule.extras:
        for session in entry.sessions:
            assert (session.url, session.title.strip()) in page.links
    for person in schedule.course.staff:
        assert person.name in page.text and person.role in page.text
        assert f"mailto:{person.email}" in page.hrefs()
    assert "https://piazza.com/nyu/spring2020/dsga1008/home" in page.hrefs() and "DLSP20" in page.text
    assert "https://cds.nyu.edu/academics/ms-curriculum/" in page.hrefs()  # from the description's [label](url)


def test_cancelled_and_moved_meetings_are_marked(schedule):
    first, second = schedule.meetings[0], schedule.meetings[1]
    moved_from = first.start
    changed = dataclasses.replace(
        schedule,
        meetings=(
            dataclasses.replace(first, status="cancelled"),
            dataclasses.replace(second, start=second.start + dt.timedelta(days=1),
                                end=second.end + dt.timedelta(days=1), moved_from=second.start),
            *schedule.meetings[2:],
        ),
    )
    page = Page(render(changed))
    assert "Đã hủy" in page.text
    # one short mark and the original day, the words for screen readers (and for a page read without CSS)
    assert f"↷ dời từ {present.formats('vi').short(second.start.date())}" in page.text
    assert page.text.count("↷") == 1
    assert moved_from  # the cancelled one keeps its date on the page
    assert format_date(first.start.date(), "full", locale="vi") in page.text


def test_latest_changes_when_present(schedule):
    mt = schedule.meetings[2]
    record = {
        "id": mt.id, "uid": mt.uid, "changes": ["moved", "relocated"],
        "before": {"start": "2020-02-03T16:55:00-05:00", "end": "2020-02-03T18:35:00-05:00", "summary": "x",
                   "location": "GCASL C95", "status": "confirmed"},
        "after": {"start": "2020-02-04T16:55:00-05:00", "end": "2020-02-04T18:35:00-05:00", "summary": "x",
                  "location": "Zoom", "status": "confirmed"},
    }
    page = Page(render(schedule, changes=[record]))
    assert "Thay đổi gần đây" in page.text
    assert "dời lịch 16:55–18:35 Thứ Hai, 3 tháng 2, 2020 → 16:55–18:35 Thứ Ba, 4 tháng 2, 2020" in page.text
    assert "đổi địa điểm GCASL C95 → Zoom" in page.text
    assert "Thay đổi gần đây" not in Page(render(schedule, changes=[])).text
    assert "Thay đổi gần đây" not in Page(render(schedule, changes=None)).text


# --- subscribe links -----------------------------------------------------------------------


def test_subscribe_links_with_a_base_url(schedule):
    page = Page(render(schedule))
    hrefs = page.hrefs()
    webcal = "webcal://hocsau.example.edu/dlsp20/nyu-2020-spring/calendar.ics"
    assert webcal in hrefs
    google = [h for h in hrefs if h.startswith("https://calendar.google.com/calendar/render?")]
    assert len(google) == 1
    raw = urlsplit(google[0]).query
    assert raw == "cid=webcal%3A%2F%2Fhocsau.example.edu%2Fdlsp20%2Fnyu-2020-spring%2Fcalendar.ics"
    assert parse_qs(raw)["cid"] == [webcal]  # encoded once, decodes to the webcal URL
    links = subscribe_links(FEED, "DS-GA 1008 · HỌC SÂU · Học kỳ mùa xuân 2020")
    for key in ("webcal", "google", "outlook_live", "office365", "https"):
        assert links[key] in hrefs, key
    assert parse_qs(urlsplit(links["outlook_live"]).query)["url"] == [FEED]
    assert FEED in page.text  # the address to copy is shown, not only linked
    assert "https://hocsau.example.edu/dlsp20/nyu-2020-spring/syllabus.pdf" in hrefs
    svg = [a for t, a in page.tags if t == "svg"]
    assert len(svg) == 1 and svg[0]["role"] == "img" and webcal in svg[0]["aria-label"]
    for lead in ("iPhone, iPad, Mac:", "Android, Google Calendar:", "Outlook:", "Thunderbird:"):
        assert lead in page.text


def test_relative_links_without_a_base_url(schedule):
    html = render(schedule, feed_url=None)
    page = Page(html)
    hrefs = page.hrefs()
    assert "webcal://" not in html.decode()
    assert "calendar.ics" in hrefs and "syllabus.pdf" in hrefs
    assert not any("hocsau" in h for h in hrefs)
    feeds = [a for t, a in page.tags if t == "a" and "data-feed" in a]
    assert {a["data-link"] for a in feeds} == {"webcal", "google", "outlook_live", "office365", "https"}
    # Without JavaScript each link still leads somewhere useful: the feed itself, or Google's "from URL" page.
    assert {a["href"] for a in feeds} <= {"calendar.ics", "https://calendar.google.com/calendar/u/0/r/settings/addbyurl"}
    assert not [t for t, _ in page.tags if t == "svg"]  # no QR code without an absolute address


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_script_derives_the_same_links_as_python(schedule):
    """The inline script, run on a stand-in DOM, must give exactly what feed.subscribe_links gives."""
    page = Page(render(schedule, feed_url=None))
    elements = [a for t, a in page.tags if "data-feed" in a]
    dom = json.dumps([{"tag": t.upper(), "attrs": a} for t, a in page.tags if "data-feed" in a])
    harness = """
const elements = DOM.map(a => ({tagName: a.tag, attrs: a.attrs, textContent: "",
  getAttribute(n) { return n in this.attrs ? this.attrs[n] : null; },
  setAttribute(n, v) { this.attrs[n] = v; }}));
globalThis.window = {location: {protocol: "https:", href: "https://h.example:8443/dlsp20/nyu-2020-spring/"},
                     getSelection() { return null; }, isSecureContext: true};
globalThis.document = {querySelectorAll(s) { return s === "[data-feed]" ? elements : []; },
                       getElementById() { return null; }};
SCRIPT
const out = elements.map(e => [e.attrs["data-link"], e.tagName === "A" ? e.attrs.href : e.textContent]);
console.log(JSON.stringify(out));
""".replace("DOM", dom, 1).replace("SCRIPT", page.scripts[0], 1)
    result = subprocess.run(["node", "-e", harness], capture_output=True, text=True, timeout=30, check=True)
    links = subscribe_links("https://h.example:8443/dlsp20/nyu-2020-spring/calendar.ics",
                            elements[0]["data-name"])
    derived = json.loads(result.stdout)
    assert {kind for kind, _ in derived} == {"webcal", "google", "outlook_live", "office365", "https"}
    for kind, value in derived:
        assert value == links[kind], kind


# --- safety --------------------------------------------------------------------------------


def test_no_external_requests(schedule):
    for feed_url in (FEED, None):
        html = render(schedule, feed_url=feed_url)
        page = Page(html)
        assert not page.attr("script", "src")
        assert not [a for t, a in page.tags if t == "link"]  # no stylesheets, fonts, preconnects
        assert all(src.startswith("data:") for src in page.attr("img", "src"))
        assert not [t for t, _ in page.tags if t in ("iframe", "object", "embed", "video", "audio", "source")]
        for css in page.styles:
            assert "url(" not in css and "@import" not in css
        assert len(page.scripts) == 1
        csp = [a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
        digest = base64.b64encode(hashlib.sha256(page.scripts[0].encode()).digest()).decode()
        assert csp and "default-src 'none'" in csp[0] and f"'sha256-{digest}'" in csp[0]


def test_only_safe_schemes_in_links(schedule):
    page = Page(render(schedule))
    for href in {h for h in page.hrefs() if not h.startswith("#")}:  # in-page links aside
        assert urlsplit(href).scheme in ("http", "https", "mailto", "webcal"), href


HOSTILE = ('<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "{{ 7*7 }} & ' \u2028")


def test_hostile_text_appears_literally(schedule):
    first = schedule.meetings[0]
    sessions = tuple(dataclasses.replace(s, title=HOSTILE[i % 3]) for i, s in enumerate(first.sessions))
    course = dataclasses.replace(schedule.course, title=HOSTILE[1], code=HOSTILE[0],
                                 staff=(m.Person(role=HOSTILE[2], name=HOSTILE[0],
                                                 description=m.RichText(runs=(m.Run(text=HOSTILE[1]),))),))
    hostile = dataclasses.replace(schedule, course=course,
                                  meetings=(dataclasses.replace(first, sessions=sessions), *schedule.meetings[1:]))
    for feed_url in (FEED, None):
        html = render(hostile, feed_url=feed_url)
        page = Page(html)
        for text in HOSTILE[:2]:
            assert text in page.text
        assert "{{ 7*7 }} &" in page.text
        assert len(page.scripts) == 1 and not page.attr("img", "src")
        assert not [a for _, a in page.tags if any(k.startswith("on") for k in a)]
        assert b"<script>alert" not in html and b"<img src=x" not in html


def test_feed_url_must_be_absolute(schedule):
    with pytest.raises(ValueError):
        render(schedule, feed_url="calendar.ics")
    with pytest.raises(ValueError):
        render(schedule, feed_url="javascript:alert(1)//calendar.ics")


def test_same_inputs_same_bytes(schedule):
    assert render(schedule) == render(schedule)
    assert render(schedule, feed_url=None, files=list(reversed(FILES))) == render(schedule, feed_url=None)


def test_links_only_to_files_that_exist(schedule):
    page = Page(render(schedule, feed_url=None, files=["calendar.ics", "calendar-lecture.ics"]))
    assert "syllabus.pdf" not in page.hrefs()
    assert "calendar-lecture.ics" in page.hrefs()  # the per-kind feed, downloadable and subscribable
    assert "Bài giảng (lịch riêng)" in page.text
    assert not [h for h in Page(render(schedule, files=[])).hrefs() if "calendar" in h and "google" not in h]


def test_staff_photo_only_from_a_local_file(schedule, tmp_path):
    page = Page(render(schedule))
    assert not page.attr("img", "src")  # the data has remote photo URLs only: none is loaded
    (tmp_path / "courses").mkdir()
    (tmp_path / "photos").mkdir()
    png = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJ"
                           "RU5ErkJggg==")
    (tmp_path / "photos" / "ylc-thumb.jpeg").write_bytes(png)
    course = dataclasses.replace(schedule.course, path=str(tmp_path / "courses" / "dlsp20.yaml"))
    page = Page(render(dataclasses.replace(schedule, course=course)))
    srcs = page.attr("img", "src")
    assert len(srcs) == 1 and srcs[0].startswith("data:image/jpeg;base64,")
    assert page.attr("img", "alt") == ["Yann LeCun"]


def test_qr_svg_is_a_square_path():
    svg = str(qr_svg("webcal://example.edu/c/t/calendar.ics", title="QR <x>"))
    assert svg.startswith("<svg") and 'aria-label="QR &lt;x&gt;"' in svg
    assert re.search(r'viewBox="0 0 (\d+) \1"', svg)


# --- the list of courses -------------------------------------------------------------------


def test_index_lists_every_course_and_escapes():
    entries = [("dlsp20", "nyu-2021-spring", "Học sâu 2021", "dlsp20/nyu-2021-spring/"),
               ("dlsp20", "nyu-2020-spring", "<b>Học sâu</b> 2020", "dlsp20/nyu-2020-spring/")]
    html = render_index(entries, templates=TEMPLATES, language="vi")
    page = Page(html)
    assert page.attr("html", "lang") == ["vi"]
    assert page.links[:2] == [("dlsp20/nyu-2020-spring/", "<b>Học sâu</b> 2020"),
                              ("dlsp20/nyu-2021-spring/", "Học sâu 2021")]
    assert b"<b>" not in html
    assert render_index(entries, templates=TEMPLATES, language="vi") == html
    with pytest.raises(ValueError):
        render_index([("a", "b", "c", "../x/")], templates=TEMPLATES)
    with pytest.raises(ValueError):
        render_index([("a", "b", "c", "javascript:alert(1)")], templates=TEMPLATES)


def test_course_list_is_in_the_common_language_and_marks_each_other_title(tmp_path, monkeypatch):
    """out/index.html: English when the courses' languages differ, each title in its own ``lang``."""
    from syllabus_export import cli, pdf

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600214400")
    monkeypatch.setattr(pdf, "render_pdf", lambda *args, **kwargs: b"%PDF-1.4 stub")
    root = Path(__file__).resolve().parent.parent
    out = tmp_path / "out"
    courses = [str(root / "data" / "courses" / name) for name in ("dlsp20.yaml", "dlsp20-en.yaml")]
    assert cli.main(["build", "--out", str(out), "--course", courses[0], "--course", courses[1]]) == 0
    both = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in both
    assert '<a href="dlsp20/nyu-2020-spring/" lang="vi">' in both
    assert '<a href="dlsp20-en/nyu-2020-spring/">' in both
    alone = tmp_path / "alone"
    assert cli.main(["build", "--out", str(alone), "--course", courses[0]]) == 0
    assert '<html lang="vi">' in (alone / "index.html").read_text(encoding="utf-8")
