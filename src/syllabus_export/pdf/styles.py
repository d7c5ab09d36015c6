"""How a syllabus looks, made from its theme: paragraph styles, table styles, colours in markup."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from syllabus_export.pdf.caches import CACHES
from syllabus_export.pdf.scripts import NO_SPACE_SCRIPTS
from syllabus_export.pdf.theme import Theme

# Between the parts of a line (institution · code, the footer's parts, a row's resources).
SEP = " · "


def markup_color(hex_color: str) -> str:
    """A theme colour ("#1b4f8f") as Paragraph markup's ``color`` attribute: "rgb(27,79,143)", the same
    Color as reportlab reads "#1b4f8f" (same floats), which it parses four times faster."""
    return "rgb({},{},{})".format(*(int(hex_color[i : i + 2], 16) for i in (1, 3, 5)))


def paragraph_styles(theme: Theme, script: str | None, shaped: str | None = None) -> dict[str, ParagraphStyle]:
    """The paragraph styles of ``theme`` for a language written in ``script``.

    ``shaped``: "rtl" or "ltr" for a script drawn shaped and in visual order (``shaping``): its
    paragraphs say so (``shaped_direction``), and right to left they are aligned to the right.

    Made once per theme and line-breaking rule in a process (``CACHES.styles``): the parsed
    paragraphs kept in ``CACHES.parsed`` belong to a style object, so a catalogue's courses share them.
    """
    no_spaces = script in NO_SPACE_SCRIPTS
    key = (id(theme), no_spaces) if shaped is None else (id(theme), no_spaces, shaped)
    cached = CACHES.styles.get(key)
    if cached is not None and cached[0] is theme:
        return cached[1]
    styles = _make_styles(theme, no_spaces)
    if shaped is not None:
        for name, style in styles.items():
            style.shaped_direction = shaped
            if shaped == "rtl" and name != "caption":
                style.alignment = TA_RIGHT
    if len(CACHES.styles) >= 16:
        CACHES.styles.clear()
    CACHES.styles[key] = (theme, styles)
    return styles


def _make_styles(theme: Theme, no_spaces: bool) -> dict[str, ParagraphStyle]:
    f, s, c = theme.fonts, theme.sizes, theme.colors
    body = ParagraphStyle(
        "body",
        wordWrap="CJK" if no_spaces else None,
        fontName=f["regular"],
        bulletFontName=f["regular"],
        fontSize=s["body"],
        leading=s["body"] * 1.32,
        textColor=colors.HexColor(c["text"]),
    )
    cell = ParagraphStyle("cell", parent=body, fontSize=s["table"], leading=s["table"] * 1.28)
    small = ParagraphStyle(
        "small", parent=body, fontSize=s["small"], leading=s["small"] * 1.3, textColor=colors.HexColor(c["muted"])
    )
    return {
        "body": body,
        "title": ParagraphStyle(
            "title",
            parent=body,
            fontName=f["bold"],
            fontSize=s["title"],
            leading=s["title"] * 1.18,
            textColor=colors.HexColor(c["accent"]),
            spaceBefore=s["subtitle"] * 0.3,
            spaceAfter=s["subtitle"] * 0.35,
        ),
        "subtitle": ParagraphStyle(
            "subtitle",
            parent=body,
            fontSize=s["subtitle"],
            leading=s["subtitle"] * 1.3,
            textColor=colors.HexColor(c["muted"]),
        ),
        "heading": ParagraphStyle(
            "heading",
            parent=body,
            fontName=f["bold"],
            fontSize=s["heading"],
            leading=s["heading"] * 1.25,
            textColor=colors.HexColor(c["accent"]),
            spaceBefore=s["heading"] * 1.05,
            spaceAfter=s["heading"] * 0.4,
        ),
        "cell": cell,
        "cell_head": ParagraphStyle("cell_head", parent=cell, fontName=f["bold"]),
        "cell_small": ParagraphStyle(
            "cell_small",
            parent=cell,
            fontSize=s["small"],
            leading=s["small"] * 1.3,
            textColor=colors.HexColor(c["muted"]),
        ),
        "small": small,
        "caption": ParagraphStyle("caption", parent=small, alignment=TA_CENTER),
    }


def plain_table_style(theme: Theme) -> list[tuple]:
    """A table without lines (times and places, links, the title block)."""
    return [
        ("FONTNAME", (0, 0), (-1, -1), theme.fonts["regular"]),
        ("FONTSIZE", (0, 0), (-1, -1), theme.sizes["body"]),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]


def grid_style(theme: Theme) -> list[tuple]:
    """A table with a header row and lines between its rows (the schedule, the staff)."""
    c = theme.colors
    rule = colors.HexColor(c["rule"])
    return [
        # Table sets the font of every cell, Paragraph or not: without this, reportlab puts an
        # unembedded Helvetica into the page resources.
        ("FONTNAME", (0, 0), (-1, -1), theme.fonts["regular"]),
        ("FONTSIZE", (0, 0), (-1, -1), theme.sizes["table"]),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(c["header_background"])),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, rule),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, rule),
        ("BOX", (0, 0), (-1, -1), 0.6, rule),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
