"""Read a tagged PDF back with pikepdf: its structure tree with each element's text and place, and
what its pages' content streams say about marked content. A test helper (not a PDF library): it
understands what reportlab writes (simple TrueType fonts with a ToUnicode map, Tj/TJ, Tm/Td/T*).
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pikepdf

PAINTING = {"Tj", "TJ", "'", '"', "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "Do", "BI", "EI"}


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


@dataclass
class Node:
    """A structure element: role (without the slash), attributes, kids, and what it marks."""

    role: str
    obj: Any
    kids: list[Node] = field(default_factory=list)
    pieces: list[Any] = field(default_factory=list)  # in order: ("mcid", page, mcid), ("objr", annotation), Node
    attributes: dict[str, Any] = field(default_factory=dict)

    def walk(self):
        yield self
        for kid in self.kids:
            yield from kid.walk()

    def find(self, role: str) -> list[Node]:
        return [n for n in self.walk() if n.role == role]

    @property
    def annotations(self) -> list[Any]:
        return [p[1] for p in self.pieces if isinstance(p, tuple) and p[0] == "objr"]


@dataclass
class TaggedPdf:
    pdf: Any
    root: Node  # the StructTreeRoot's single kid (Document)
    marks: dict[tuple[int, int], tuple[str, float]]  # (page, mcid) → (text, top of its first line)
    unmarked: Counter  # painting operators outside any marked content, by page and operator
    nested: int  # marked-content sequences with an MCID inside another sequence (tagged or artifact)
    artifact_text: list[str]  # text marked as artifact, page by page

    def text(self, node: Node) -> str:
        """The text an element marks, its kids' included, in the order of the tree."""
        out = []
        for piece in node.pieces:
            if isinstance(piece, Node):
                out.append(self.text(piece))
            elif piece[0] == "mcid":
                out.append(self.marks.get((piece[1], piece[2]), ("", 0))[0])
        return "".join(out)

    def place(self, node: Node) -> tuple[int, float] | None:
        """(page, distance of its first line from the top) of an element's first content."""
        for piece in node.pieces:
            if isinstance(piece, Node):
                found = self.place(piece)
                if found:
                    return found
            elif piece[0] == "mcid" and (piece[1], piece[2]) in self.marks:
                return piece[1], self.marks[piece[1], piece[2]][1]
        return None


def read(data: bytes) -> TaggedPdf:
    pdf = pikepdf.open(io.BytesIO(data))
    pages = {page.objgen: i for i, page in enumerate(pdf.pages)}
    marks: dict[tuple[int, int], tuple[str, float]] = {}
    unmarked: Counter = Counter()
    nested = 0
    artifact_text: list[str] = []
    for index, page in enumerate(pdf.pages):
        fonts = {str(k): _to_unicode(v) for k, v in page.Resources.Font.items()}
        height = float(page.MediaBox[3])
        stack: list[Any] = []  # per open sequence: its MCID, "artifact" or None
        texts: dict[int, list[str]] = {}
        tops: dict[int, float] = {}
        ctm = [1.0, 0, 0, 1, 0, 0]
        saved: list[list[float]] = []
        tm = line = [1.0, 0, 0, 1, 0, 0]
        leading, font = 0.0, None
        artifact: list[str] = []
        actual: list[int] = []  # depths of the open spans with an /ActualText
        for operands, op in pikepdf.parse_content_stream(page):
            op = str(op)
            if op == "q":
                saved.append(ctm)
            elif op == "Q":
                ctm = saved.pop()
            elif op == "cm":
                ctm = _mul([float(v) for v in operands], ctm)
            elif op in ("BDC", "BMC"):
                mcid = None
                properties = operands[1] if op == "BDC" and isinstance(operands[1], pikepdf.Dictionary) else {}
                if "/MCID" in properties:
                    mcid = int(properties.MCID)
                if mcid is not None and any(s is not None for s in stack):
                    nested += 1
                if "/ActualText" in properties:  # what the span reads, instead of its glyphs
                    current = next((s for s in reversed(stack) if s is not None), None)
                    if isinstance(current, int):
                        texts.setdefault(current, []).append(str(properties.ActualText))
                    actual.append(len(stack))
                stack.append(mcid if mcid is not None else ("artifact" if str(operands[0]) == "/Artifact" else None))
            elif op == "EMC":
                stack.pop()
                if actual and actual[-1] == len(stack):
                    actual.pop()
            elif op == "BT":
                tm = line = [1.0, 0, 0, 1, 0, 0]
            elif op == "Tm":
                tm = line = [float(v) for v in operands]
            elif op == "TL":
                leading = float(operands[0])
            elif op in ("Td", "TD"):
                tx, ty = float(operands[0]), float(operands[1])
                tm = line = _mul([1, 0, 0, 1, tx, ty], line)
                if op == "TD":
                    leading = -ty
            elif op == "T*":
                tm = line = _mul([1, 0, 0, 1, 0, -leading], line)
                if stack and isinstance(stack[-1], int):
                    texts.setdefault(stack[-1], []).append("\n")
            elif op == "Tf":
                font = str(operands[0])
            if op in PAINTING and not any(s is not None for s in stack):
                unmarked[index + 1, op] += 1
            if op in ("Tj", "TJ"):
                strings = operands[0] if op == "TJ" else [operands[0]]
                text = "".join(
                    "".join(fonts[font].get(b, "?") for b in bytes(s)) for s in strings if isinstance(s, pikepdf.String)
                )
                current = next((s for s in reversed(stack) if s is not None), None)
                if isinstance(current, int):
                    if not actual:
                        texts.setdefault(current, []).append(text)
                    y = _mul(tm, ctm)[5]
                    tops.setdefault(current, height - y)
                elif current == "artifact":
                    artifact.append(text)
        for mcid, parts in texts.items():
            marks[index, mcid] = ("".join(parts), tops.get(mcid, 0.0))
        artifact_text.append("".join(artifact))
    root = _node(pdf.Root.StructTreeRoot.K, pages, None)
    return TaggedPdf(pdf, root, marks, unmarked, nested, artifact_text)


def _node(obj: Any, pages: dict, page: int | None) -> Node:
    if "/Pg" in obj:
        page = pages[obj.Pg.objgen]
    node = Node(str(obj.S)[1:], obj)
    for key in ("/Lang", "/Alt", "/ActualText"):
        if key in obj:
            node.attributes[key[1:]] = str(obj[key])
    if "/A" in obj:
        node.attributes.update({str(k)[1:]: v for k, v in obj.A.items()})
    kids = obj.get("/K")
    for kid in (list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]):
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
            node.pieces.append(("objr", kid.Obj))
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
            node.pieces.append(("mcid", pages[kid.Pg.objgen], int(kid.MCID)))
        elif isinstance(kid, pikepdf.Dictionary):
            child = _node(kid, pages, page)
            node.kids.append(child)
            node.pieces.append(child)
        else:
            node.pieces.append(("mcid", page, int(kid)))
    return node


def _mul(a: list[float], b: list[float]) -> list[float]:
    """The product of two PDF matrices [a b c d e f] (``a`` then ``b``)."""
    return [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]


def _to_unicode(font: Any) -> dict[int, str]:
    """A simple font's codes → text, from its ToUnicode map (bfchar and bfrange); a standard font's
    from WinAnsiEncoding."""
    if "/ToUnicode" not in font:
        return {code: bytes([code]).decode("cp1252", "replace") for code in range(256)}
    cmap = font.ToUnicode.read_bytes().decode("latin-1")
    found: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, text in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            found[int(code, 16)] = bytes.fromhex(text).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for low, high, start in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            first = int(start, 16)
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                found[code] = chr(first + offset)
    return found


def parent_tree(pdf: Any) -> dict[int, Any]:
    """The /ParentTree's number tree as a dict (a flat /Nums, as the syllabus writes it)."""
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    return {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}


def ua_findings(data: bytes) -> list[str]:
    """pdfua's findings, and its rules that could not run (a rule that raises is skipped, not failed)."""
    import tempfile

    import pdfua

    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        report = pdfua.validate(handle.name)
    found = [f"{o.rule_id}: {f.message}" for o in report.outcomes for f in o.findings]
    return found + [f"{o.rule_id} skipped: {o.skipped_reason}" for o in report.outcomes if o.skipped_reason]
