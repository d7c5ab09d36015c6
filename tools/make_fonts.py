"""Make the bundled Noto faces of src/syllabus_export/fonts/ (a maintainer's tool; fontTools is not a
dependency of the package): ``pip install fonttools==4.68.0`` then, from the repository's root,

    python tools/make_fonts.py /usr/share/fonts /work/shared/seed/translations

The first argument is where Debian's ``fonts-noto-core`` and ``fonts-noto-cjk`` put their files; the
second a folder of the course site's translated pages (``zh.md``, ``ja.md``, ``ko.md``), whose
characters are kept in the CJK faces besides the common-use sets. src/syllabus_export/fonts/README.md
says what is kept and why.
"""

from __future__ import annotations

import pathlib
import sys

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

OUT = pathlib.Path(__file__).resolve().parent.parent / "src" / "syllabus_export" / "fonts"

# Around every script: spaces, the joiners and the bidi marks, the dotted circle HarfBuzz shows a
# lone mark on. Each face keeps only those it has.
COMMON = "U+0020-007E,U+00A0,U+200B-200F,U+2010-2011,U+202A-202E,U+2066-2069,U+25CC"
ARABIC = "U+0600-06FF,U+0750-077F,U+08A0-08FF,U+FB50-FDFF,U+FE70-FEFF"  # with the presentation forms
BENGALI = "U+0964-0965,U+0980-09FF"
CJK_COMMON = "U+3000-303F,U+3040-309F,U+30A0-30FF,U+31F0-31FF,U+3130-318F,U+FF00-FFEF"


def decoded(codec: str, first: tuple[int, int], last: tuple[int, int]) -> set[str]:
    """The characters a double-byte codec has from row ``first`` to row ``last`` (lead bytes), trail bytes
    0xA1 to 0xFE: GB2312 level 1, JIS X 0208 level 1, the KS X 1001 Hangul."""
    chars = set()
    for lead in range(first[0], last[0] + 1):
        for trail in range(0xA1, 0xFF):
            try:
                chars.add(bytes([lead, trail]).decode(codec))
            except UnicodeDecodeError:
                pass
    return chars


def page_chars(pages: pathlib.Path, name: str) -> set[str]:
    """Every character of a translated page beyond ASCII."""
    return {c for c in (pages / name).read_text(encoding="utf-8") if ord(c) > 0x7F}


def cut(source: pathlib.Path, output: str, unicodes: str, text: str = "", *, layout: bool, number: int = 0) -> None:
    args = [
        str(source),
        f"--font-number={number}",
        f"--unicodes={unicodes}",
        "--no-hinting",
        "--desubroutinize",
        "--name-IDs=0,1,2,3,4,5,6,8,11,13,14,16,17",
        "--name-languages=0x409",
        "--notdef-outline",
        f"--output-file={OUT / output}",
    ]
    if text:
        args.append(f"--text={text}")
    if layout:  # HarfBuzz joins, reorders and places with them
        args += ["--layout-features=*", "--drop-tables+=FFTM"]
    else:  # reportlab draws CJK one glyph per character: no layout, no vertical metrics
        args += ["--layout-features=", "--drop-tables+=GSUB,GPOS,GDEF,BASE,VORG,vhea,vmtx,FFTM"]
    subset.main(args)


def to_truetype(path: pathlib.Path) -> None:
    """CFF outlines (Noto Sans CJK) as TrueType quadratic ones: reportlab embeds TrueType only."""
    font = TTFont(path)
    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    quadratic = {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        quadratic[name] = pen.glyph()
    glyf = font["glyf"] = newTable("glyf")
    font["loca"] = newTable("loca")
    glyf.glyphOrder = order
    glyf.glyphs = quadratic
    del font["CFF "]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in quadratic.items():
        width, _ = hmtx.metrics[name]
        hmtx.metrics[name] = (width, getattr(glyph, "xMin", 0))
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for key in ("maxZones",):
        setattr(maxp, key, 1)
    for key in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, key, 0)
    post = font["post"]
    post.formatType = 3.0
    font.sfntVersion = "\x00\x01\x00\x00"
    font.save(path)


def main(system: pathlib.Path, pages: pathlib.Path) -> None:
    noto = system / "truetype" / "noto"
    for weight in ("Regular", "Bold"):
        cut(noto / f"NotoSansArabic-{weight}.ttf", f"NotoSansArabic-{weight}.ttf", f"{COMMON},{ARABIC}", layout=True)
        cut(noto / f"NotoSansBengali-{weight}.ttf", f"NotoSansBengali-{weight}.ttf", f"{COMMON},{BENGALI}", layout=True)
    cjk = system / "opentype" / "noto" / "NotoSansCJK-Regular.ttc"
    han_sc = decoded("gb2312", (0xB0, 0), (0xD7, 0))  # GB2312 level 1: 3,755 hanzi (and nothing else)
    han_jp = decoded("euc_jp", (0xB0, 0), (0xCF, 0))  # JIS X 0208 level 1: 2,965 kanji
    hangul = decoded("euc_kr", (0xB0, 0), (0xC8, 0))  # KS X 1001: 2,350 Hangul syllables
    # faces of the NotoSansCJK collection: 0 JP, 1 KR, 2 SC
    for number, output, chars in (
        (2, "NotoSansCJKsc-Regular.ttf", han_sc | page_chars(pages, "zh.md")),
        (0, "NotoSansCJKjp-Regular.ttf", han_jp | page_chars(pages, "ja.md")),
        (1, "NotoSansCJKkr-Regular.ttf", hangul | page_chars(pages, "ko.md")),
    ):
        text = "".join(sorted(c for c in chars if ord(c) > 0x2000))
        cut(cjk, output, CJK_COMMON, text, layout=False, number=number)
        to_truetype(OUT / output)


if __name__ == "__main__":
    main(pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]))
