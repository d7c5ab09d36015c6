"""The tagging layer on its own (``pdf.tagging``): tiny documents made with it, read back with pikepdf."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A6
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
from reportlab.platypus.flowables import HRFlowable

from syllabus_export.pdf.tagging import ARTIFACT, Tagged, TaggedTable, TaggingCanvas
from tagged_pdf import flat, parent_tree, read, ua_findings

STYLE = ParagraphStyle("body", fontName="Helvetica", fontSize=9, leading=11)


class Para(Tagged, Paragraph):
    """A Paragraph that is a structure element (P unless said). Its split parts are made as
    Paragraph makes them (``self.__class__(None, style, frags=…)``)."""

    def __init__(self, text: str | None, style: ParagraphStyle = STYLE, tag: str = "P", lang: str = "", **kw):
        super().__init__(text, style, **kw)
        self.tag = tag
        if lang:
            self.tag_attributes = {"Lang": lang}


class Rule(Tagged, HRFlowable):
    tag = ARTIFACT


def build(story: list, canvasmaker=TaggingCanvas) -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A6, title="A tiny document", lang="en", invariant=1)
    doc.build(story, canvasmaker=canvasmaker)
    return out.getvalue()


def uri(annotation) -> str:
    return str(annotation.A.URI)


def test_headings_paragraphs_and_links():
    long = "a link whose text is long enough to wrap onto a second line of this small page"
    data = build(
        [
            Para("A title", tag="H1"),
            Para('Before <a href="https://example.org/one">the first link</a> and after.'),
            Para(f'Some text, then <a href="https://example.org/two">{long}</a>, then more.'),
            Para('<a href="https://example.org/three">All of it one link</a>'),
            Rule(),
            Para("Ein Satz auf Deutsch.", lang="de"),
        ]
    )
    tagged = read(data)
    assert [n.role for n in tagged.root.kids] == ["H1", "P", "P", "P", "P"]
    assert flat(tagged.text(tagged.root.kids[0])) == "A title"
    assert flat(tagged.text(tagged.root.kids[1])) == "Before the first link and after."
    assert tagged.root.kids[-1].attributes["Lang"] == "de"
    links = tagged.root.find("Link")
    assert [flat(tagged.text(link)) for link in links] == ["the first link", long, "All of it one link"]
    # a link that wraps is one Link with an annotation per line; each annotation is described by its text
    assert [len(link.annotations) > 1 for link in links] == [False, True, False]
    assert all(str(a.Contents) == flat(tagged.text(link)) for link in links for a in link.annotations)
    # the link's text sits between the paragraph's own text, in reading order
    first = tagged.root.kids[1]
    assert [type(p).__name__ if not isinstance(p, tuple) else p[0] for p in first.pieces] == ["mcid", "Node", "mcid"]
    # every annotation on the page is in the tree, once, and /ParentTree leads back to its Link
    page = tagged.pdf.pages[0]
    annotations = list(page.Annots)
    assert sorted(a.objgen for link in links for a in link.annotations) == sorted(a.objgen for a in annotations)
    tree = parent_tree(tagged.pdf)
    for link in links:
        for annotation in link.annotations:
            assert tree[int(annotation.StructParent)].objgen == link.obj.objgen
    assert page.Tabs == "/S"
    assert not tagged.unmarked and not tagged.nested


def test_each_mcid_of_a_page_leads_to_its_element():
    data = build([Para("One"), Para('Two <a href="https://example.org/">links</a>'), Para("Three", tag="H2")])
    tagged = read(data)
    assert tagged.root.role == "Document"
    assert tagged.root.obj.P.objgen == tagged.pdf.Root.StructTreeRoot.objgen  # every element has its /P
    assert all(kid.obj.P.objgen == node.obj.objgen for node in tagged.root.walk() for kid in node.kids)
    tree = parent_tree(tagged.pdf)
    page = tagged.pdf.pages[0]
    owners = tree[int(page.StructParents)]
    seen = 0
    for node in tagged.root.walk():
        for piece in node.pieces:
            if isinstance(piece, tuple) and piece[0] == "mcid":
                assert owners[piece[2]].objgen == node.obj.objgen
                seen += 1
    assert seen == len(owners) == len(tagged.marks)


def test_a_table_split_across_pages():
    rows = [["Day", "Topic"]] + [[f"Day {i}", Paragraph(f"Topic <b>{i}</b>", STYLE)] for i in range(1, 41)]
    table = TaggedTable(
        rows,
        repeatRows=1,
        header_rows=1,
        style=[("GRID", (0, 0), (-1, -1), 0.5, "black"), ("BACKGROUND", (0, 0), (-1, 0), "#dddddd")],
    )
    data = build([Para("Schedule", tag="H2"), table])
    tagged = read(data)
    assert len(tagged.pdf.pages) >= 2
    (element,) = tagged.root.find("Table")
    assert [k.role for k in element.kids] == ["THead", "TBody"]
    head, body = element.kids
    assert len(head.kids) == 1 and len(body.kids) == 40
    assert [flat(tagged.text(c)) for c in head.kids[0].kids] == ["Day", "Topic"]
    assert all(c.role == "TH" and str(c.attributes["Scope"]) == "/Column" for c in head.kids[0].kids)
    assert [flat(tagged.text(row)) for row in body.kids] == [f"Day {i} Topic {i}" for i in range(1, 41)]
    # in the visual order: page by page, top to bottom
    places = [tagged.place(row) for row in body.kids]
    assert places == sorted(places) and places[0][0] == 0 and places[-1][0] == len(tagged.pdf.pages) - 1
    # the header drawn again on the next page, the grid and the background are artifacts
    assert "DayTopic" in tagged.artifact_text[1]
    assert not tagged.unmarked and not tagged.nested


def test_row_headers_and_spans():
    rows = [["Links", "Forum", "forum.example.org"], ["Materials", "Drive", "drive.example.org"], ["", "Code", "x"]]
    table = TaggedTable(rows, header_columns=2, style=[("SPAN", (0, 1), (0, 2))])
    tagged = read(build([table]))
    trs = tagged.root.find("TR")
    assert [[c.role for c in tr.kids] for tr in trs] == [["TH", "TH", "TD"], ["TH", "TH", "TD"], ["TH", "TD"]]
    assert int(trs[1].kids[0].attributes["RowSpan"]) == 2
    assert all(str(c.attributes["Scope"]) == "/Row" for tr in trs for c in tr.kids if c.role == "TH")


def test_a_paragraph_split_across_pages_is_one_element():
    words = " ".join(f"word{i}" for i in range(100))
    tagged = read(build([Spacer(1, 200), Para(words)]))
    (paragraph,) = tagged.root.find("P")
    pages = {piece[1] for piece in paragraph.pieces if isinstance(piece, tuple)}
    assert pages == {0, 1}  # its text on the second page is a marked-content reference (MCR)
    assert len(tagged.pdf.pages) == 2
    assert flat(tagged.text(paragraph)) == words


def test_the_document_claims_pdf_ua():
    data = build([Para("A title", tag="H1"), Para('See <a href="https://example.org/">the site</a>.'), Rule()])
    tagged = read(data)
    root = tagged.pdf.Root
    assert root.MarkInfo.Marked is True
    assert root.ViewerPreferences.DisplayDocTitle is True
    assert str(root.Lang) == "en"
    with tagged.pdf.open_metadata() as meta:
        assert meta["pdfuaid:part"] == "1"
        assert meta["dc:title"] == "A tiny document"
    assert not ua_findings(data)


def test_on_a_canvas_that_does_not_tag_nothing_changes():
    story = lambda cls: [cls('A <a href="https://example.org/">link</a> and text.', STYLE)]  # noqa: E731

    class Plain(Tagged, Paragraph):
        pass

    assert build(story(Plain), Canvas) == build(story(Paragraph), Canvas)
