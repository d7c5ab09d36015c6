"""The message catalogs (locale/): complete, compiled, loaded with gettext; English for a language
without one, said once; scripts the PDF cannot draw refused at the course's ``language:``; and the
Vietnamese, English and French words where a reader meets them (feed, PDF, page)."""

from __future__ import annotations

import gettext
import html
import io
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from pypdf import PdfReader

from syllabus_export import catalogs, cli
from syllabus_export.errors import Pos
from syllabus_export.expand import expand
from syllabus_export.load import load_course, load_term
from syllabus_export.messages import catalog_language, date_and_time, fallback_note, messages, zone_name

ROOT = Path(__file__).resolve().parents[1]
TERM = ROOT / "data" / "terms" / "nyu-2020-spring.yaml"
FRENCH = ROOT / "tests" / "fixtures" / "languages" / "dlsp20-fr.yaml"
NBSP = "\u00a0"


pytestmark = pytest.mark.usefixtures("in_repository")


def in_language(tmp_path: Path, language: str, course_id: str | None = None) -> Path:
    """The French fixture course as a course in ``language`` (its id ``t-<language>``)."""
    text = FRENCH.read_text(encoding="utf-8")
    course_id = course_id or f"t-{language.lower()}"
    text = text.replace("id: dlsp20-fr\n", f"id: {course_id}\n").replace("language: fr\n", f"language: {language}\n")
    path = tmp_path / f"{course_id}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def language_pos(path: Path) -> str:
    """Where the file's ``language:`` value starts, as ``path:line:column``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("language:"):
            return f"{path}:{number}:{len('language: ') + 1}"
    raise AssertionError("no language line")


# --- the catalogs --------------------------------------------------------------------------


def test_vietnamese_english_and_french_have_catalogs():
    assert {"vi", "en", "fr"} <= set(catalogs.languages())
    assert catalogs.languages()[0] == "en"


@pytest.mark.parametrize("language", catalogs.languages())
def test_every_catalog_has_every_message_of_the_english_one(language):
    english = {m.id for m in catalogs.read("en") if m.id}
    catalog = {m.id: m for m in catalogs.read(language) if m.id}
    assert set(catalog) == english
    untranslated = [key for key, m in catalog.items() if not m.string or m.fuzzy]
    assert untranslated == []


@pytest.mark.parametrize("language", catalogs.languages())
def test_every_mo_is_compiled_from_its_po(language):
    po = catalogs.po_path(language)
    with po.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    wanted = {m.id: m.string for m in catalogs.read(language) if m.id and m.string and not m.fuzzy}
    got = {k: v for k, v in compiled._catalog.items() if k}
    assert got == wanted, f"{po.name} changed: run python -m syllabus_export.catalogs compile"


def test_catalogs_check_finds_nothing():
    """Placeholders as in English, the English comments up to date, nothing stale (catalogs check)."""
    assert catalogs.problems() == []


def test_catalogs_check_finds_a_missing_key_and_a_stale_mo(tmp_path, monkeypatch):
    locale = tmp_path / "locale"
    for language in ("en", "vi"):
        folder = locale / language / "LC_MESSAGES"
        folder.mkdir(parents=True)
        for suffix in (".po", ".mo"):
            source = catalogs.po_path(language).with_suffix(suffix)
            (folder / source.name).write_bytes(source.read_bytes())
    po = locale / "vi" / "LC_MESSAGES" / "syllabus_export.po"
    text = po.read_text(encoding="utf-8")
    text = text.replace('msgstr "Tuần"', 'msgstr "Tuần lễ"')  # changed, not compiled
    text = re.sub(r'\n#\. Video\nmsgid "video"\nmsgstr "Video"\n', "\n", text)  # gone
    text = text.replace('msgstr "Trang {page}/{pages}"', 'msgstr "Trang {page}"')  # a placeholder lost
    po.write_text(text, encoding="utf-8")
    monkeypatch.setattr(catalogs, "LOCALE_DIR", locale)
    found = "\n".join(catalogs.problems())
    assert "'video' is not translated" in found
    assert "'page_x_of_y' must use the placeholders" in found
    assert "not compiled from it" in found
    assert catalogs.compile_all() == [po.with_suffix(".mo")]
    assert "not compiled" not in "\n".join(catalogs.problems())


def test_sync_marks_a_translation_fuzzy_when_english_changes(tmp_path, monkeypatch):
    locale = tmp_path / "locale"
    for language in ("en", "fr"):
        folder = locale / language / "LC_MESSAGES"
        folder.mkdir(parents=True)
        (folder / "syllabus_export.po").write_bytes(catalogs.po_path(language).read_bytes())
    english = locale / "en" / "LC_MESSAGES" / "syllabus_export.po"
    english.write_text(english.read_text(encoding="utf-8").replace('msgstr "Practicum"', 'msgstr "Lab"'), "utf-8")
    monkeypatch.setattr(catalogs, "LOCALE_DIR", locale)
    assert catalogs.sync() == [locale / "fr" / "LC_MESSAGES" / "syllabus_export.po"]
    practicum = catalogs.read("fr").get("practicum")
    assert (practicum.string, practicum.fuzzy, practicum.auto_comments) == ("Travaux pratiques", True, ["Lab"])
    assert not catalogs.read("fr").get("lecture").fuzzy
    assert catalogs.sync() == []  # nothing more to do


def test_catalogs_load_with_gettext_and_fall_back_to_english():
    assert messages("vi")["week"] == "Tuần" and messages("fr")["week"] == "Semaine" and messages("en")["week"] == "Week"
    assert catalog_language("fr-CA") == "fr" and catalog_language("vi-VN") == "vi"
    assert catalog_language("de") is None and messages("de") == messages("en")
    assert messages("fr")["label_value"].format(label="Lieu", value="Zoom") == f"Lieu{NBSP}: Zoom"
    words = messages("vi")
    words["week"] = "changed"  # a copy: the next caller gets the catalog's words
    assert messages("vi")["week"] == "Tuần"


def test_catalog_words_are_the_ones_the_translated_pages_use():
    """The importer recognises a translated page's labels by these words."""
    vi = messages("vi")
    assert (vi["lecture"], vi["practicum"], vi["week"], vi["format"], vi["title"], vi["resources"]) == (
        "Bài giảng", "Thực hành", "Tuần", "Định dạng", "Tiêu đề", "Tài liệu tham khảo")


def test_dates_times_and_zones_as_cldr_joins_and_names_them():
    assert date_and_time("lundi 10 février 2020", "16:55", "fr") == "lundi 10 février 2020, 16:55"
    assert date_and_time("Thứ Hai, 10 tháng 2, 2020", "16:55", "vi") == "16:55 Thứ Hai, 10 tháng 2, 2020"
    assert zone_name("America/New_York", "en") == "Eastern Time (New York)"
    assert zone_name("America/New_York", "vi") == "Giờ miền Đông (New York)"
    assert zone_name("America/New_York", "fr") == "heure de l’Est nord-américain (New York)"
    assert zone_name("UTC", "fr") == "UTC"


# --- a language without a catalog ----------------------------------------------------------


def test_fallback_note_names_the_language_at_its_place(tmp_path):
    german = in_language(tmp_path, "de")
    note = fallback_note(load_course(german))
    assert str(note) == f"{language_pos(german)}: no messages for language 'de'; labels fall back to English"
    assert fallback_note(load_course(in_language(tmp_path, "fr-CA"))) is None
    unknown = fallback_note(load_course(in_language(tmp_path, "xx")))
    assert unknown.message.endswith("labels, dates and times fall back to English")


def test_the_fallback_is_said_once_per_language_per_run(tmp_path, capsys):
    first, second = in_language(tmp_path, "de", "de-one"), in_language(tmp_path, "de", "de-two")
    russian = in_language(tmp_path, "ru")
    out = tmp_path / "out"
    argv = ["--course", str(first), "--course", str(second), "--course", str(russian), "--term", str(TERM)]
    assert cli.main(["build", *argv, "--out", str(out)]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"{language_pos(first)}: warning: no messages for language 'de'; labels fall back to English",
        f"{language_pos(russian)}: warning: no messages for language 'ru'; labels fall back to English",
    ]
    for course in ("de-one", "de-two", "t-ru"):  # a warning, not an error: everything is built
        assert sorted(p.name for p in (out / course / "nyu-2020-spring").iterdir() if p.name[0] != ".") == [
            "calendar.ics", "index.html", "syllabus.pdf"]
    assert "· Lecture · DS-GA 1008" in (out / "de-one" / "nyu-2020-spring" / "calendar.ics").read_text("utf-8")
    assert cli.main(["build", *argv, "--out", str(out)]) == 0  # unchanged: still said, still once
    assert len(capsys.readouterr().err.splitlines()) == 2
    for command in (["list"], ["check"], ["diff", "--out", str(out)]):
        assert cli.main([*command, *argv]) == 0
        assert capsys.readouterr().err.count("warning: no messages for language 'de'") == 1


# --- scripts the PDF cannot draw -------------------------------------------------------------

REFUSED = {
    "he": "the PDF cannot draw Hebrew (he) text: the Hebrew script is written right to left, and the package has "
          "no font for it",
    "hi": "the PDF cannot draw Hindi (hi) text: the Devanagari script needs shaping",
    "zh-Hant": "the PDF cannot draw Chinese (zh-Hant) text: the theme's regular font 'DejaVuSans.ttf' (the bundled "
               "DejaVu Sans subset: Latin, Vietnamese, Greek, Cyrillic) has no CJK glyphs",
}


@pytest.mark.parametrize("language", sorted(REFUSED))
def test_the_pdf_refuses_scripts_it_cannot_draw_at_the_language(tmp_path, language):
    import datetime as dt

    from syllabus_export.pdf import UnsupportedScript, render_pdf

    path = in_language(tmp_path, language)
    schedule = expand(load_course(path), load_term(TERM))
    with pytest.raises(UnsupportedScript) as caught:
        render_pdf(schedule, build_time=dt.datetime(2020, 9, 16, tzinfo=dt.UTC))
    [problem] = caught.value.problems
    assert str(problem).startswith(f"{language_pos(path)}: {REFUSED[language]}")


def test_scripts_with_a_bundled_face_are_drawn_and_right_to_left_without_one_is_refused_whatever_the_font(tmp_path):
    from syllabus_export.pdf import script_problem

    every_glyph = SimpleNamespace(has=lambda face, char: True, font_labels={})
    for language in ("he", "hi", "th"):
        assert script_problem(load_course(in_language(tmp_path, language)), every_glyph) is not None
    for language in ("ar", "fa", "bn", "zh", "ja", "ko", "zh-Hant", "vi", "ru", "el", "fr"):
        assert script_problem(load_course(in_language(tmp_path, language)), every_glyph) is None, language


def test_a_build_in_hebrew_publishes_the_feed_and_a_right_to_left_page_without_the_pdf(tmp_path, capsys):
    path, out = in_language(tmp_path, "he"), tmp_path / "out"
    assert cli.main(["build", "--course", str(path), "--term", str(TERM), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert f"{language_pos(path)}: warning: {REFUSED['he']}" in err and "built without syllabus.pdf" in err
    folder = out / "t-he" / "nyu-2020-spring"
    assert sorted(p.name for p in folder.iterdir() if p.name[0] != ".") == ["calendar.ics", "index.html"]
    page = (folder / "index.html").read_text("utf-8")
    assert '<html lang="he" dir="rtl">' in page and "syllabus.pdf" not in page
    assert "יום שני" in page  # Monday, from CLDR


def test_left_to_right_pages_have_no_dir(tmp_path):
    import datetime as dt

    from syllabus_export.page import render_page

    schedule = expand(load_course(FRENCH), load_term(TERM))
    page = render_page(schedule, build_time=dt.datetime(2020, 9, 16, tzinfo=dt.UTC), feed_url=None, changes=None,
                       files=["calendar.ics"]).decode()
    assert '<html lang="fr">' in page


# --- the words where a reader meets them ------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """Vietnamese and English (the two hand-checked bundled courses) and the French fixture (whose id is
    also the imported French page's: so not with every course of data/courses, which would refuse one)."""
    out = tmp_path_factory.mktemp("out")
    bundled = [arg for name in ("dlsp20", "dlsp20-en") for arg in ("--course", f"data/courses/{name}.yaml")]
    assert cli.main(["build", *bundled, "--out", str(out)]) == 0
    assert cli.main(["build", "--course", str(FRENCH), "--term", str(TERM), "--out", str(out)]) == 0
    return out


def outputs(built: Path, course: str) -> SimpleNamespace:
    folder = built / course / "nyu-2020-spring"
    feed = re.sub(r"\r\n[ \t]", "", (folder / "calendar.ics").read_bytes().decode("utf-8")).replace("\r\n", "\n")
    pdf = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO((folder / "syllabus.pdf").read_bytes())).pages)
    page = html.unescape((folder / "index.html").read_text("utf-8"))
    return SimpleNamespace(feed=feed, pdf=re.sub(r"\s+", " ", pdf), page=page)


def test_build_without_arguments_builds_both_bundled_courses(built):
    index = (built / "index.html").read_text("utf-8")
    assert 'href="dlsp20/nyu-2020-spring/"' in index and 'href="dlsp20-en/nyu-2020-spring/"' in index
    assert "HỌC SÂU" in index and "DEEP LEARNING" in index
    vi, en = outputs(built, "dlsp20"), outputs(built, "dlsp20-en")
    uids = {re.findall(r"^UID:(.*)$", o.feed, re.M).__iter__().__next__() for o in (vi, en)}
    assert uids == {"L01@dlsp20.nyu-2020-spring.syllabus-export", "L01@dlsp20-en.nyu-2020-spring.syllabus-export"}
    assert "X-WR-CALNAME:DS-GA 1008 · HỌC SÂU · Học kỳ mùa xuân 2020" in vi.feed
    assert "X-WR-CALNAME:DS-GA 1008 · DEEP LEARNING · Spring 2020" in en.feed


def test_vietnamese_words(built):
    vi = outputs(built, "dlsp20")
    assert "SUMMARY:Lịch sử và cảm hứng / Sự phát triển và học sâu · Bài giảng · DS-GA 1008" in vi.feed
    assert "LOCATION:GCASL C95" in vi.feed and "Địa điểm" not in vi.feed  # the place is not repeated
    for words in ("Thời gian và địa điểm", "Thứ Hai 27/01/2020", "Múi giờ: Giờ miền Đông (New York)", "Lịch học",
                  "Không có lớp: Ngày Tổng thống", "Trang 1/3", "Tài liệu bổ sung (không có buổi học)"):
        assert words in vi.pdf, words
    for words in ("Đăng ký lịch học", "Thứ Hai, 27 tháng 1, 2020", "Không có lớp: Ngày Tổng thống",
                  "Múi giờ của mọi buổi học: Giờ miền Đông (New York) · America/New_York."):
        assert words in vi.page, words


def test_english_words(built):
    en = outputs(built, "dlsp20-en")
    assert "SUMMARY:History and motivation / Evolution and DL · Lecture · DS-GA 1008" in en.feed
    assert "LOCATION:GCASL C95" in en.feed and "Location:" not in en.feed
    for words in ("Times and places", "Monday 01/27/2020", "Time zone: Eastern Time (New York)", "Schedule",
                  "No class: Presidents' Day", "Page 1 of 3", "Extra material (no class meeting)"):
        assert words in en.pdf, words
    for words in ("Subscribe to the course calendar", "Monday, January 27, 2020", "No class: Presidents' Day",
                  "All times: Eastern Time (New York) · America/New_York."):
        assert words in en.page, words


def test_french_words(built):
    fr = outputs(built, "dlsp20-fr")
    assert "SUMMARY:Histoire et motivation / Évolution et" in fr.feed
    assert "SUMMARY:[Annulé] CNN\\, autograd · Travaux pratiques · DS-GA 1008" in fr.feed
    # a move is said once, at the end of the description (the titles come first)
    assert re.search(r"\nDESCRIPTION:[^\n]*\\n\\nDéplacé du lundi 10 février 2020\\, 16:55\.\n", fr.feed)
    assert "DESCRIPTION:Déplacé" not in fr.feed
    assert "LOCATION:Salle 101" in fr.feed
    assert f"SUMMARY:DS-GA 1008 · Pas de cours{NBSP}: Presidents' Day" in fr.feed
    for words in ("Horaires et lieux", "lundi 27/01/2020", "Calendrier", "Pas de cours : Presidents' Day",
                  "Fuseau horaire : heure de l’Est nord-américain (New York)", "Page 1 sur 4", "Équipe pédagogique",
                  "Annulé", "Cours déplacé du lun. 10 févr."):
        assert words in fr.pdf, words
    for words in ("S'abonner au calendrier du cours", "lundi 27 janvier 2020", f"Pas de cours{NBSP}: Presidents' Day",
                  '<span class="vh"> déplacé du</span> lun. 10 févr.</span>',
                  f"touchez «{NBSP}S'abonner{NBSP}»", f"Ajouter à Google Agenda{NBSP}: sur un ordinateur"):
        assert words in fr.page, words


def test_catalog_tool_runs_from_the_command_line():
    done = subprocess.run([sys.executable, "-m", "syllabus_export.catalogs", "check"], cwd=ROOT, capture_output=True,
                          text=True, check=False, timeout=60,
                          env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})
    assert (done.returncode, done.stderr) == (0, "")


def test_the_language_position_is_kept_in_the_model():
    assert load_course(FRENCH).language_pos == Pos(path=str(FRENCH), line=7, column=11)
