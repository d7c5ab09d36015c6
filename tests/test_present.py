"""The presentation layer decides once what every output shows; these are the rules whose copies
used to disagree (the fr-CA clock, the build date's zone) and the rows every layout is given."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from syllabus_export import present
from syllabus_export.caches import CACHES
from syllabus_export.expand import expand
from syllabus_export.load import load_course, load_term
from syllabus_export.page import render_page
from syllabus_export.pdf import render_pdf

ROOT = Path(__file__).resolve().parents[1]
TERM = ROOT / "data" / "terms" / "nyu-2020-spring.yaml"
FRENCH = ROOT / "tests" / "fixtures" / "languages" / "dlsp20-fr.yaml"
VIETNAMESE = ROOT / "data" / "courses" / "dlsp20.yaml"
# 2020-09-13 01:00 UTC: still September 12 in New York, the term's zone.
LATE_EVENING = dt.datetime.fromtimestamp(1599958800, dt.UTC)


def course_in(tmp_path: Path, language: str) -> Path:
    text = FRENCH.read_text(encoding="utf-8")
    text = text.replace("id: dlsp20-fr\n", "id: t-clock\n").replace("language: fr\n", f"language: {language}\n")
    path = tmp_path / "t-clock.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def page_text(schedule) -> str:
    raw = render_page(schedule, build_time=LATE_EVENING, feed_url=None, changes=None,
                      files=["calendar.ics", "index.html"]).decode()
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", raw)).split())


def pdf_text(schedule) -> str:
    import io

    raw = render_pdf(schedule, build_time=LATE_EVENING, paper="a4", subscribe_url=None)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(raw)).pages)
    return " ".join(text.split())


@pytest.mark.parametrize(("language", "twelve"), [("en", True), ("en-GB", False), ("fr", False), ("fr-CA", False),
                                                  ("vi", False), ("ko", True), ("de", False)])
def test_the_clock_is_the_locales_own(language, twelve):
    # fr-CA writes "HH 'h' mm": the quoted h is a literal, not a 12-hour clock
    assert present.formats(language).twelve_hour is twelve


def test_page_and_pdf_write_a_fr_ca_course_on_the_same_24_hour_clock(tmp_path):
    schedule = expand(load_course(course_in(tmp_path, "fr-CA")), load_term(TERM))
    times = " ".join(present.formats("fr-CA").times(dt.time(16, 55), dt.time(18, 35)).split())
    assert "p.m." not in times and "16" in times and "18" in times
    page, pdf = page_text(schedule), pdf_text(schedule)
    assert times in page
    assert times in pdf
    assert "p.m." not in page and "p.m." not in pdf


def test_page_and_pdf_date_the_build_in_the_terms_zone():
    schedule = expand(load_course(VIETNAMESE), load_term(TERM))
    built = present.formats("vi").long(dt.date(2020, 9, 12))
    assert present.build_day(LATE_EVENING, schedule.term) == dt.date(2020, 9, 12)
    assert built in page_text(schedule)
    assert built in pdf_text(schedule)
    assert present.formats("vi").long(dt.date(2020, 9, 13)) not in pdf_text(schedule)


def test_rows_are_in_date_order_with_no_class_days_in_their_week():
    schedule = expand(load_course(VIETNAMESE), load_term(TERM))
    rows = present.rows(schedule)
    meetings = [r for r in rows if isinstance(r, present.MeetingRow)]
    assert [r.meeting for r in meetings] == list(schedule.meetings)
    presidents_day = next(r for r in rows if isinstance(r, present.NoClassRow) and r.period.start.day == 17)
    assert presidents_day.week == 4
    extras = [r for r in rows if isinstance(r, present.ExtraRow)]
    assert [r.id for r in extras] == [e.id for e in schedule.course.extras]
    assert rows[-len(extras):] == tuple(extras)  # week 15 is after the term: at the end
    days = [r.day if isinstance(r, present.MeetingRow) else r.period.start for r in rows
            if not isinstance(r, present.ExtraRow)]
    assert days == sorted(days)


def test_a_moved_meeting_counts_as_moved_only_while_it_takes_place():
    schedule = expand(load_course(VIETNAMESE), load_term(TERM))
    first = schedule.meetings[0]
    earlier = first.start - dt.timedelta(days=1)
    moved = schedule.__class__(course=schedule.course, term=schedule.term, week_starts=schedule.week_starts,
                               meetings=(first.__class__(**{**vars(first), "moved_from": earlier}),))
    cancelled = schedule.__class__(course=schedule.course, term=schedule.term, week_starts=schedule.week_starts,
                                   meetings=(first.__class__(**{**vars(first), "moved_from": earlier,
                                                                "status": "cancelled"}),))
    row = next(r for r in present.rows(moved) if isinstance(r, present.MeetingRow))
    assert row.moved_from == earlier
    row = next(r for r in present.rows(cancelled) if isinstance(r, present.MeetingRow))
    assert row.moved_from is None


def test_one_wording_of_a_change_for_the_page_and_the_cli():
    record = {"id": "L01", "changes": ["moved", "relocated"],
              "before": {"start": "2020-01-27T16:55:00-05:00", "end": "2020-01-27T18:35:00-05:00",
                         "location": "A", "summary": "x", "status": "confirmed"},
              "after": {"start": "2020-01-28T16:55:00-05:00", "end": "2020-01-28T18:35:00-05:00",
                        "location": "B", "summary": "x", "status": "confirmed"}}
    details = present.change_details(record, lambda event: event["start"][:10])
    assert details == [("moved", "2020-01-27 → 2020-01-28"), ("relocated", "A → B")]
    from syllabus_export import changes

    table = changes.to_table([{**record, "uid": "L01@x"}])
    assert "moved" in table and "A → B" in table


def test_caches_forget_everything_at_once():
    present.formats("vi").full(dt.date(2020, 1, 27))
    assert len(CACHES) > 0
    CACHES.reset()
    assert len(CACHES) == 0
