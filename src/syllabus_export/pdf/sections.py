"""The sections of a syllabus around its schedule: the title block, times and places, the
description, the links, the staff. Each is a function of the ``Document`` that returns its flowables."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table, TableStyle

from syllabus_export import model as m
from syllabus_export import present
from syllabus_export.messages import kind_label
from syllabus_export.pdf.dates import _spaces
from syllabus_export.pdf.flowables import _Bookmark, _Paragraph, _QrCode, _Rule
from syllabus_export.pdf.scripts import text_width
from syllabus_export.pdf.styles import SEP, grid_style, plain_table_style
from syllabus_export.pdf.tagging import TaggedTable
from syllabus_export.pdf.theme import Theme

if TYPE_CHECKING:
    from syllabus_export.pdf.document import Document


def title_block(doc: Document) -> list[Flowable]:
    """Institution and code, title (the document's H1), term, instructors, site and translator, and the
    address of the accessible web page; beside them the QR code of the subscription address when there
    is one; a rule under it all. A layout table: its paragraphs are elements of their own."""
    course, st = doc.course, doc.styles
    institution = course.institution
    line = doc.link(doc.text(institution.label, institution.pos, "institution"), institution.url)
    line += SEP + doc.text(course.code, doc.field(("code",)), "course code")
    term_name = m.localized(doc.term.name, course.language)
    left: list[Flowable] = [
        _Bookmark(line, st["subtitle"], key="top", title=f"{course.code} {course.title}", tag="P"),
        _Paragraph(doc.text(course.title, doc.field(("title",)), "course title", "bold"), st["title"], tag="H1"),
        _Paragraph(doc.text(term_name, doc.term_name_pos(), "term name"), st["subtitle"]),
        Spacer(1, 2 * mm),
    ]
    if course.instructors:
        names = ", ".join(
            doc.text(name, doc.field(("instructors", i)), "instructor") for i, name in enumerate(course.instructors)
        )
        left.append(
            _Paragraph(
                doc.word("label_value", "regular", label=f"<b>{doc.word('instructors', 'bold')}</b>", value=names),
                st["body"],
            )
        )
    extra = []
    if course.site:
        extra.append(
            doc.word("label_value", label=doc.word("pdf_site"), value=doc.url(course.site, doc.field(("site",))))
        )
    if course.translation is not None:
        extra.append(
            doc.word(
                "pdf_translated_by",
                translator=doc.text(course.translation.translator, doc.field(("translation",)), "translator"),
            )
            + (f" ({doc.babel(doc.dates.date(course.translation.date))})" if course.translation.date else "")
        )
    if extra:
        left.append(_Paragraph(SEP.join(extra), st["small"]))
    if not doc.subscribe_url:
        return [*left, _rule(doc.theme)]
    page = doc.url(doc.page_url(), doc.course.pos)
    left.append(_Paragraph(doc.word("label_value", label=doc.word("pdf_web_version"), value=page), st["small"]))
    size = doc.theme.sizes["qr"] * mm
    caption = _Paragraph(doc.word("scan_to_subscribe"), st["caption"], lang=doc.word_lang("scan_to_subscribe"))
    alt = doc.words["pdf_qr_alt"].format(url=doc.subscribe_url)
    qr_code = _QrCode(doc.subscribe_url, size, doc.theme.fonts["regular"], alt, doc.word_lang("pdf_qr_alt"))
    caption_width = pdfmetrics.stringWidth(
        doc.words["scan_to_subscribe"], doc.theme.fonts["regular"], doc.theme.sizes["small"]
    )
    right_width = max(size, min(70 * mm, caption_width + 2 * mm))
    block = Table(
        [[left, [qr_code, caption]]],
        colWidths=[doc.width - right_width, right_width],
        style=plain_table_style(doc.theme)
        + [
            ("ALIGN", (1, 0), (1, 0), "CENTER"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ],
    )
    return [block, _rule(doc.theme)]


def _rule(theme: Theme) -> Flowable:
    """The line under the title block."""
    return _Rule(
        width="100%",
        thickness=0.6,
        color=colors.HexColor(theme.colors["rule"]),
        spaceBefore=3 * mm,
        spaceAfter=1 * mm,
    )


def times_places(doc: Document) -> list[Flowable]:
    """A row per weekly meeting (kind, weekday, times, place), then the changes of place, the term's
    dates and its time zone."""
    st, course = doc.styles, doc.course
    rows = []
    shown: set[str] = set()
    for line in present.times_and_places(course):
        # the kind once, on its first slot; each section's name under it
        kind = "" if line.kind in shown else f"<b>{doc.text(line.kind, line.slot.pos, 'meeting kind', 'bold')}</b>"
        shown.add(line.kind)
        if line.section is not None:  # "Lab: Section A" on one line, then "Section B" under it
            section = doc.text(line.section, line.slot.pos, "section name")
            kind = doc.word("label_value", "bold", label=kind, value=section) if kind else section
        location = line.location
        rows.append(
            [
                _Paragraph(kind, st["body"]),
                _Paragraph(doc.babel(doc.dates.weekday(line.slot.weekday)), st["body"]),
                _Paragraph(doc.babel(doc.dates.times(line.slot.start, line.slot.end)), st["body"]),
                _Paragraph(doc.link(doc.text(location.name, location.pos, "location"), location.url), st["body"]),
            ]
        )
    times = [doc.dates.times(p.start, p.end) for p in course.patterns]  # 34 mm, unless a language writes them wider
    time_width = max([34 * mm, *(text_width(doc, t, "regular", doc.theme.sizes["body"]) + 8 for t in times)])
    # the kind of meeting is the heading of its row
    table = TaggedTable(
        rows,
        colWidths=[32 * mm, 28 * mm, time_width, None],
        hAlign="LEFT",
        style=plain_table_style(doc.theme),
        header_columns=1,
    )
    notes = []
    changes = sorted((*doc.term.location_changes, *course.location_changes), key=lambda c: (c.start, c.pos))
    for change in changes:
        kinds = ", ".join(doc.text(kind_label(course, k), change.pos, "meeting kind") for k in change.kinds)
        place = doc.link(doc.text(change.location.name, change.location.pos, "location"), change.location.url)
        label = doc.word("pdf_from", date=doc.babel(doc.dates.day(change.start)))
        notes.append(doc.word("label_value", label=label + (f" ({kinds})" if kinds else ""), value=place))
    first, last = doc.term.first_day, doc.term.last_day
    notes.append(doc.word("pdf_term_dates", first=doc.babel(doc.dates.day(first)), last=doc.babel(doc.dates.day(last))))
    notes.append(
        doc.word("label_value", label=doc.word("pdf_time_zone"), value=doc.babel(doc.dates.zone(doc.term.timezone)))
    )
    return [
        KeepTogether(
            [
                doc.heading("pdf_times_places", "times"),
                table,
                Spacer(1, 1.5 * mm),
                *(_Paragraph(note, st["body"]) for note in notes),
            ]
        )
    ]


def description(doc: Document) -> list[Flowable]:
    """The course description, paragraph by paragraph, with its inline links."""
    if not doc.course.description:
        return []
    paragraphs = doc.course.description.paragraphs()
    body = ParagraphStyle("description", parent=doc.styles["body"], spaceAfter=doc.theme.sizes["body"] * 0.5)
    return [
        CondPageBreak(30 * mm),
        doc.heading("description", "description"),
        *(_Paragraph(doc.rich(p, "description"), body) for p in paragraphs),
    ]


def links(doc: Document) -> list[Flowable]:
    """The links and the materials: a row each (label, address, access code); the group's name
    (links, materials) heads its rows, the label heads its row."""
    course, st = doc.course, doc.styles
    groups = [("links", course.links), ("materials", course.materials)]
    rows = []
    spans = []
    for key, links in groups:
        if len(links) > 1:
            spans.append(("SPAN", (0, len(rows)), (0, len(rows) + len(links) - 1)))
        for i, item in enumerate(links):
            label = f"<b>{doc.text(item.label, item.pos, 'link label', 'bold')}</b>"
            value = doc.url(item.url, item.pos) if item.url else ""
            if item.access_code:
                code = doc.text(item.access_code, item.pos, "access code", "bold")
                value += ("<br/>" if value else "") + doc.word(
                    "label_value", label=doc.word("access_code"), value=f"<b>{code}</b>"
                )
            rows.append(
                [
                    _Paragraph(doc.word(key) if i == 0 else "", st["body"], lang=doc.word_lang(key)),
                    _Paragraph(label, st["body"]),
                    _Paragraph(value, st["body"]),
                ]
            )
    if not rows:
        return []
    table = TaggedTable(rows, colWidths=[32 * mm, 34 * mm, doc.width - 66 * mm], hAlign="LEFT", header_columns=2)
    table.setStyle(TableStyle(plain_table_style(doc.theme) + spans))
    return [KeepTogether([doc.heading("links", "links"), table])]


def staff(doc: Document) -> list[Flowable]:
    """A row per person: role, name, email, about."""
    st, words = doc.styles, doc.words
    hours = office_hours_cells(doc)
    if not doc.course.staff and not hours:
        return []
    head = ["role", "pdf_name", "contact", "about"]
    rows: list[list[Any]] = [
        [
            _Paragraph(
                doc.text(words[h], doc.field(("language",)), "column heading", "bold"),
                st["cell_head"],
                lang=doc.word_lang(h),
            )
            for h in head
        ]
    ]
    for person in doc.course.staff:
        name = f"<b>{doc.text(person.name, person.pos, 'staff name', 'bold')}</b>"
        email = ""
        if person.email:
            email = doc.link(doc.text(person.email, person.pos, "staff email"), f"mailto:{person.email}")
        rows.append(
            [
                _Paragraph(doc.text(person.role, person.pos, "staff role"), st["cell"]),
                _Paragraph(doc.link(name, person.url), st["cell"]),
                [_Paragraph(email, st["cell"]), *hours.pop(person.name, [])],
                _Paragraph(doc.rich(person.description, "staff description"), st["cell"]),
            ]
        )
    for who, cells in hours.items():  # office hours of someone the staff list does not name
        rows.append([_Paragraph(doc.word("office_hours"), st["cell"]),
                     _Paragraph(f"<b>{doc.text(who, doc.course.office_hours[0].pos, 'office hours who', 'bold')}</b>",
                                st["cell"]), cells, ""])
    widths = [24 * mm, 34 * mm, 40 * mm]
    widths.append(doc.width - sum(widths))
    table = TaggedTable(rows, colWidths=widths, repeatRows=1, splitInRow=0, hAlign="LEFT", header_rows=1)
    table.setStyle(TableStyle(grid_style(doc.theme)))
    heading = doc.heading("staff", "staff")
    if len(rows) <= 12:  # a short table goes to the next page whole rather than leave its heading behind
        return [KeepTogether([heading, table])]
    return [CondPageBreak(40 * mm), heading, table]


def office_hours_cells(doc: Document) -> dict[str, list[Flowable]]:
    """Each person's office hours, a line per slot ("Office hours: Wednesday 3:00 – 4:00 PM, Hall 305")."""
    from syllabus_export import present

    found: dict[str, list[Flowable]] = {}
    for line in present.office_hours(doc.schedule):
        slot = line.slot
        when = doc.babel(_spaces(f"{line.day} {line.time}"))
        if line.location is not None:
            when += ", " + doc.link(doc.text(line.location.name, line.location.pos, "location"), line.location.url)
        text = doc.word("label_value", label=doc.word("office_hours"), value=when)
        found.setdefault(slot.who, []).append(_Paragraph(text, doc.styles["cell_small"]))
    return found
