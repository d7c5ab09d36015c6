"""Upkeep of the message catalogs in ``locale/``: check them, compile ``.po`` to ``.mo``, follow English.

A maintainer's tool, run from a checkout; the outputs never import it (``messages`` reads the
compiled ``.mo`` files with the standard library's ``gettext``)::

    python -m syllabus_export.catalogs check     # exit 1 with every problem
    python -m syllabus_export.catalogs compile   # write each .mo from its .po
    python -m syllabus_export.catalogs sync      # after an English change: see sync()

The layout and the conventions are in ``locale/README.md``.
"""

from __future__ import annotations

import gettext
import io
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from syllabus_export.messages import DOMAIN, REFERENCE

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
PLACEHOLDER = re.compile(r"\{(\w*)\}")
PO_WIDTH = 100


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def languages() -> list[str]:
    """Every language that has a catalog, English first."""
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return sorted(found, key=lambda lang: lang != REFERENCE)


def read(language: str) -> Catalog:
    with po_path(language).open("rb") as handle:
        return read_po(handle, locale=language.replace("-", "_"))


def mo_bytes(catalog: Catalog) -> bytes:
    """The compiled catalog, as ``pybabel compile`` writes it (fuzzy and empty entries left out)."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def compile_all() -> list[Path]:
    """Write every ``.mo`` whose content differs from its ``.po``; return the files written."""
    written = []
    for language in languages():
        target = po_path(language).with_suffix(".mo")
        data = mo_bytes(read(language))
        if not target.is_file() or _entries(target.read_bytes()) != _entries(data):
            target.write_bytes(data)
            written.append(target)
    return written


def _entries(mo: bytes) -> dict[str, str]:
    """What a ``.mo`` file says, without its header (whose bytes differ between compilers)."""
    translations = gettext.GNUTranslations(io.BytesIO(mo))
    return {k: v for k, v in translations._catalog.items() if k}  # noqa: SLF001 - no public way to list them


def problems() -> list[str]:
    """Every way the catalogs fall short: a key missing, untranslated, fuzzy or unknown, a
    placeholder that differs from English, an English comment out of date, a stale ``.mo``."""
    found = []
    english = {m.id: m.string for m in read(REFERENCE) if m.id}
    for language in languages():
        catalog = read(language)
        shown = po_path(language).relative_to(LOCALE_DIR.parent)
        entries = {m.id: m for m in catalog if m.id}
        for key, text in english.items():
            message = entries.get(key)
            if message is None or not message.string:
                found.append(f"{shown}: '{key}' is not translated (English: {text!r})")
                continue
            if message.fuzzy:
                found.append(f"{shown}: '{key}' is marked fuzzy (review it, then remove the flag)")
            if sorted(PLACEHOLDER.findall(message.string)) != sorted(PLACEHOLDER.findall(text)):
                found.append(f"{shown}: '{key}' must use the placeholders of English {text!r}")
            if language != REFERENCE and message.auto_comments != _comment(text):
                found.append(f"{shown}: '{key}': its comment is not the English text (run sync)")
        found += [f"{shown}: '{key}' is not in the English catalog" for key in entries if key not in english]
        mo = po_path(language).with_suffix(".mo")
        if not mo.is_file() or _entries(mo.read_bytes()) != _entries(mo_bytes(catalog)):
            found.append(f"{shown}: {mo.name} is not compiled from it (run compile)")
    return found


def _comment(text: str) -> list[str]:
    """The English text as the ``#.`` comment lines write_po makes of it."""
    buffer = io.BytesIO()
    catalog = Catalog(locale=REFERENCE)
    catalog.add("x", "", auto_comments=[text])
    write_po(buffer, catalog, width=PO_WIDTH, omit_header=True)
    lines = buffer.getvalue().decode("utf-8").splitlines()
    return [line[3:] for line in lines if line.startswith("#. ")]


def sync() -> list[Path]:
    """Bring every translation in line with the English catalog.

    A key English has gained is added untranslated; one it has lost is removed; where the English
    text changed, the comment takes the new text and the translation is marked fuzzy, so it is
    shown in English until someone reviews it. Returns the ``.po`` files rewritten.
    """
    english = {m.id: m.string for m in read(REFERENCE) if m.id}
    written = []
    for language in languages():
        if language == REFERENCE:
            continue
        catalog = read(language)
        result = Catalog(locale=catalog.locale, domain=DOMAIN, header_comment=catalog.header_comment,
                         project=catalog.project, version=catalog.version,
                         msgid_bugs_address=catalog.msgid_bugs_address, creation_date=catalog.creation_date,
                         revision_date=catalog.revision_date, last_translator=catalog.last_translator,
                         language_team=catalog.language_team, fuzzy=False)
        for key, text in english.items():
            old = catalog.get(key)
            comment = _comment(text)
            fuzzy = old is not None and (old.fuzzy or (bool(old.string) and old.auto_comments != comment))
            result.add(key, old.string if old else "", auto_comments=[text], flags=("fuzzy",) if fuzzy else ())
        buffer = io.BytesIO()
        write_po(buffer, result, width=PO_WIDTH, include_lineno=False)
        if buffer.getvalue() != po_path(language).read_bytes():
            po_path(language).write_bytes(buffer.getvalue())
            written.append(po_path(language))
    return written


def main(argv: list[str] | None = None) -> int:
    command = (argv if argv is not None else sys.argv[1:]) or ["check"]
    if command[0] == "compile":
        for path in compile_all():
            print(f"wrote {path}")
        return 0
    if command[0] == "sync":
        for path in sync():
            print(f"updated {path}")
        return 0
    if command[0] == "check":
        found = problems()
        for line in found:
            print(line, file=sys.stderr)
        return 1 if found else 0
    print("usage: python -m syllabus_export.catalogs [check|compile|sync]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
