"""The structure tree of a tagged PDF: its elements in reading order, each page's marked-content
identifiers, the link annotations and their Link elements, written at save time as the
/StructTreeRoot, its /ParentTree and the pages' /StructParents (PDF 1.7 §14.7). ``tagging`` builds it
while the pages are drawn."""

from __future__ import annotations

import collections
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFObject, PDFString

if TYPE_CHECKING:
    from syllabus_export.pdf.tagging import MarkedText

ARTIFACT = "Artifact"
# The running footer and header (PDF 1.7 §14.8.2.2, Table 330).
FOOTER = "<</Type /Pagination /Subtype /Footer>>"
# A paragraph drawn in one of these is that element's content, not an element of its own.
CELL_ROLES = frozenset({"TD", "TH", "Lbl", "LBody"})
# Kept even when they mark nothing: a table's shape is its rows and cells, empty or not.
TABLE_ROLES = frozenset({"Table", "THead", "TBody", "TFoot", "TR", "TD", "TH"})


class Element:
    """A structure element: its role (``P``, ``H1``, ``TD``…), parent, kids in reading order (elements,
    marked-content sequences, annotations) and attributes (``Lang``, ``Alt``, ``ActualText``, and
    ``A``: the attribute dictionary, e.g. ``{"O": "Table", "Scope": "Column"}``)."""

    __slots__ = ("role", "parent", "kids", "attributes", "attached", "words", "ref")

    def __init__(self, role: str, parent: Element | None, attributes: dict[str, Any]):
        self.role = role
        self.parent = parent
        self.kids: list[Element | _Content | _Annotation] = []
        self.attributes = attributes
        self.attached = False  # in its parent's kids (a Link is, once it marks something)
        self.words: list[str] | None = [] if role == "Link" else None  # a link's text: its annotation's /Contents
        self.ref: Any = None  # its object reference, once written

    def __repr__(self) -> str:
        return f"<Element {self.role}>"


class _Content:
    """A marked-content sequence of an element: the page (index) it is on and its MCID there."""

    __slots__ = ("page", "mcid")

    def __init__(self, page: int, mcid: int):
        self.page, self.mcid = page, mcid


class _Annotation:
    """An annotation that is content of an element (an object reference, OBJR), and what describes
    it when its element has no text (``annotations_to``)."""

    __slots__ = ("annotation", "page", "description")

    def __init__(self, annotation: PDFObject, page: int, description: str | None):
        self.annotation, self.page, self.description = annotation, page, description


class StructureTree:
    """The logical structure of a document, built while its pages are drawn on ``canvas``.

    Flowables open and close elements (``begin``/``end``, ``element``, ``resume``); text objects
    (``MarkedText``) mark their text as content of the element open while it was written; graphics
    are marked with ``marked`` (content) or ``artifact``. The canvas reports each new page
    (``new_page``) and each annotation (``annotation``), and calls ``write`` before the document is
    formatted.
    """

    def __init__(self, canvas: Any):
        self._canvas = canvas
        self.root = Element("Document", None, {})
        self.root.attached = True
        self._stack = [self.root]
        self._pages: list[list[Element]] = [[]]  # per page, the element each MCID belongs to
        self._annotations: list[tuple[Any, Element]] = []  # annotation, its Link element
        self._mark: Element | str | None = None  # what an open canvas-level sequence marks
        self._owner: tuple[Element, str | None] | None = None  # the element annotations made now belong to
        self._pending: collections.deque[Element] = collections.deque()  # Links of <a>s awaiting their annotation
        self.text: MarkedText | None = None  # the text object being written, if any

    # the elements

    @property
    def current(self) -> Element:
        """The innermost open element."""
        return self._stack[-1]

    @property
    def marking(self) -> bool:
        """Whether a canvas-level sequence is open (an artifact, a figure): what is drawn now belongs to it."""
        return self._mark is not None

    def begin(self, role: str, **attributes: Any) -> Element:
        """Open a new element of ``role`` as the last kid of the current one."""
        element = Element(role, self.current, attributes)
        self._attach(element)
        self._stack.append(element)
        return element

    def resume(self, element: Element) -> None:
        """Open ``element`` again (the part of a paragraph or table on the next page)."""
        self._stack.append(element)

    def end(self) -> None:
        """Close the current element."""
        self._stack.pop()

    @contextmanager
    def element(self, role: str, **attributes: Any) -> Iterator[Element]:
        """``begin`` … ``end``."""
        element = self.begin(role, **attributes)
        try:
            yield element
        finally:
            self.end()

    # marked content around graphics (text objects mark their own text)

    def begin_artifact(self, properties: str = "") -> bool:
        """Open an artifact on the page, unless something is open already (then what is drawn belongs
        to it). Returns whether it opened one (and ``end_artifact`` must close it)."""
        if self._mark is not None:
            return False
        self._mark = ARTIFACT
        self._canvas._code.append(f"/Artifact {properties} BDC" if properties else "/Artifact BMC")
        return True

    def end_artifact(self, opened: bool = True) -> None:
        if opened:
            self._canvas._code.append("EMC")
            self._mark = None

    @contextmanager
    def artifact(self, properties: str = "") -> Iterator[None]:
        """What is drawn inside is an artifact (decoration, a running footer: ``FOOTER``)."""
        opened = self.begin_artifact(properties)
        try:
            yield
        finally:
            self.end_artifact(opened)

    @contextmanager
    def marked(self, element: Element) -> Iterator[None]:
        """What is drawn inside (a drawing, no text object left open) is content of ``element``."""
        if self._mark is not None:
            yield
            return
        self._canvas._code.append(self._open(element))
        self._mark = element
        try:
            yield
        finally:
            self._canvas._code.append("EMC")
            self._mark = None

    def _open(self, element: Element) -> str:
        """The operator that opens a new marked-content sequence of ``element`` on the current page."""
        if not element.attached:
            self._attach(element)
        owners = self._pages[-1]
        owners.append(element)
        element.kids.append(_Content(len(self._pages) - 1, len(owners) - 1))
        return f"/{element.role} <</MCID {len(owners) - 1}>> BDC"

    @staticmethod
    def _attach(element: Element) -> None:
        if element.parent is not None:
            element.parent.kids.append(element)
        element.attached = True

    def marked_code(self, code: list[str], records: list[list[Any]]) -> list[str]:
        """The operators of a text object with its text marked: ``records`` are [index in ``code``,
        element, text, whether the line ends there] of each piece of text shown, in order."""
        out: list[str] = []
        start = 0
        owner = None
        for index, element, text, line_end in records:
            if element is not owner:
                out += code[start:index]
                start = index
                if owner is not None:
                    out.append("EMC")
                out.append(self._open(element))
                owner = element
            if element.words is not None:  # a link's text, for its annotation's /Contents
                element.words.append(text + " " if line_end else text)
        out += code[start:]
        out.append("EMC")
        return out

    def decorations(self, text: MarkedText) -> None:
        """Mark as an artifact what the canvas drew while ``text`` was being written (a paragraph's
        underline, strike-through or background: drawn outside its text object, before it)."""
        code = self._canvas._code
        start = text.start
        if self._mark is not None or len(code) <= start:
            return
        drawn = code[start:]
        if any("BDC" in c or "BMC" in c or c.startswith("BT") for c in drawn):
            return  # another text object, or marked content of its own: leave it as it is
        code.insert(start, "/Artifact BMC")
        code.append("EMC")

    # pages and annotations

    def new_page(self) -> None:
        """The canvas starts a new page: MCIDs count from 0 again."""
        self._pages.append([])

    @contextmanager
    def annotations_to(self, element: Element, description: str | None = None) -> Iterator[None]:
        """The annotations made inside are content of ``element`` (a Link), described by ``description``
        when the element has no text (a linked figure)."""
        self._owner = (element, description)
        try:
            yield
        finally:
            self._owner = None

    def annotation(self, annotation: PDFObject) -> Element | None:
        """Tie a link annotation just added to the current page to its Link element: the one given by
        ``annotations_to``, else the next ``<a>`` of the paragraph being written whose annotation is due,
        else the paragraph itself when all of it is one link, else a new Link in the current element.

        At ``write`` the annotation gets its /StructParent and, as /Contents, the link's text (else the
        description given to ``annotations_to``, else its URI). Annotations drawn in an artifact (a
        header row repeated) are left out of the tree.
        """
        if self._mark is ARTIFACT:
            return None
        owner, description = self._owner or (None, None)
        if owner is None and self._pending:
            owner = self._pending.popleft()
        if owner is None and self.text is not None:
            owner = self.text.whole_link()
        if owner is None:
            owner = Element("Link", self.current, {})
            self._attach(owner)
        owner.kids.append(_Annotation(annotation, len(self._pages) - 1, description))
        self._annotations.append((annotation, owner))
        return owner

    def expect_link(self, element: Element) -> None:
        """An ``<a>`` of a paragraph begins a line: its annotation comes after the line is written."""
        self._pending.append(element)

    def text_done(self, text: MarkedText) -> None:
        """``text`` is placed on the page: the annotations of its links are all made."""
        if self.text is text:
            self.text = None
        self._pending.clear()

    # the document

    def write(self, doc: Any, pages: list[Any]) -> None:
        """Add the structure tree to ``doc`` (reportlab's PDFDocument), whose ``pages`` (PDFPage, in
        order) are made: elements, /ParentTree, the pages' /StructParents and /Tabs, the annotations'
        /StructParent and /Contents, the catalog's /StructTreeRoot and /MarkInfo."""
        for annotation, owner in self._annotations:
            if not owner.attached:  # a link whose text was never drawn
                self._attach(owner)
        _prune(self.root)
        page_refs = [doc.Reference(page) for page in pages]
        tree_root = PDFDictionary({"Type": PDFName("StructTreeRoot")})
        self._register(doc, self.root, doc.Reference(tree_root), page_refs)  # the Document's parent is the root
        nums: list[Any] = []
        for index, page in enumerate(pages):
            owners = self._pages[index] if index < len(self._pages) else []
            if owners:
                page.StructParents = index
                nums += [index, PDFArray([owner.ref for owner in owners])]
            if page.Annots:
                page.Tabs = PDFName("S")  # the order of the structure tree
            page.__NoDefault__ = [*page.__NoDefault__, "StructParents", "Tabs"]
        key = len(pages)
        for annotation, owner in self._annotations:
            words = " ".join("".join(owner.words or ()).split())
            item = next(k for k in owner.kids if isinstance(k, _Annotation) and k.annotation is annotation)
            _describe(annotation, key, words or item.description or _uri(annotation) or owner.role)
            nums += [key, owner.ref]
            key += 1
        tree_root["K"] = self.root.ref
        tree_root["ParentTree"] = doc.Reference(PDFDictionary({"Nums": PDFArray(nums)}))
        tree_root["ParentTreeNextKey"] = key
        doc.Catalog.StructTreeRoot = tree_root
        doc.Catalog.MarkInfo = PDFDictionary({"Marked": "true"})

    def _register(self, doc: Any, element: Element, parent: Any, page_refs: list[Any]) -> None:
        element.ref = doc.Reference(_ElementObject(element, parent, page_refs))
        for kid in element.kids:
            if isinstance(kid, Element):
                self._register(doc, kid, element.ref, page_refs)


def _uri(annotation: Any) -> str | None:
    """The address a link annotation goes to (ours, or reportlab's dictionary), if any."""
    if isinstance(annotation, PDFDictionary):
        action = annotation.dict.get("A")
        uri = action.dict.get("URI") if isinstance(action, PDFDictionary) else None
        return getattr(uri, "s", uri)
    return getattr(annotation, "uri", None)


def _describe(annotation: Any, key: int, contents: str) -> None:
    """Give an annotation its /StructParent and /Contents: our own annotations have attributes for
    them, reportlab's are dictionaries."""
    if isinstance(annotation, PDFDictionary):
        annotation["StructParent"] = key
        annotation["Contents"] = PDFString(contents)  # reportlab's own annotation, as reportlab writes a text
    else:
        annotation.struct_parent, annotation.contents = key, contents


def _prune(element: Element) -> bool:
    """Drop the elements that mark nothing (a paragraph without text), table parts excepted; whether
    ``element`` stays."""
    element.kids = [k for k in element.kids if not isinstance(k, Element) or _prune(k)]
    return bool(element.kids) or element.role in TABLE_ROLES or element.parent is None


class _ElementObject(PDFObject):
    """A structure element as written: ``<</S /TD /P 12 0 R /Pg 5 0 R /K [0 1]>>``.

    /Type /StructElem is left out (it is optional); /Pg is the page of the element's first marked
    content, and content on another page is a marked-content reference (MCR) naming its page. An
    element's annotations (OBJR) come after its text.
    """

    def __init__(self, element: Element, parent: Any, page_refs: list[Any]):
        self.element, self.parent, self.page_refs = element, parent, page_refs

    def format(self, document: Any) -> bytes:
        numbers = document.idToObjectNumberAndVersion  # name → (number, generation): "12 0 R"
        element, pages = self.element, [b"%d %d R" % numbers[ref.name] for ref in self.page_refs]
        kids = [k for k in element.kids if not isinstance(k, _Annotation)]
        kids += [k for k in element.kids if isinstance(k, _Annotation)]
        page = next((k.page for k in kids if not isinstance(k, Element)), None)
        parts = [b"/S /" + element.role.encode("ascii"), b"/P %d %d R" % numbers[self.parent.name]]
        if page is not None:
            parts.append(b"/Pg " + pages[page])
        items = []
        for kid in kids:
            if isinstance(kid, Element):
                items.append(b"%d %d R" % numbers[kid.ref.name])
            elif isinstance(kid, _Content):
                if kid.page == page:
                    items.append(b"%d" % kid.mcid)
                else:
                    items.append(b"<</Type /MCR /Pg %s /MCID %d>>" % (pages[kid.page], kid.mcid))
            else:
                where = b"" if kid.page == page else b" /Pg " + pages[kid.page]
                annotation = b"%d %d R" % numbers[document.Reference(kid.annotation).name]
                items.append(b"<</Type /OBJR /Obj %s%s>>" % (annotation, where))
        if len(items) == 1:
            parts.append(b"/K " + items[0])
        elif items:
            parts.append(b"/K [" + b" ".join(items) + b"]")
        for key, value in element.attributes.items():
            if key == "A":
                entries = b" ".join(b"/%s %s" % (k.encode("ascii"), _attribute(v)) for k, v in value.items())
                parts.append(b"/A <<" + entries + b">>")
            else:
                parts.append(b"/" + key.encode("ascii") + b" " + PDFString(value).format(document))
        return b"<<" + b" ".join(parts) + b">>"


def _attribute(value: Any) -> bytes:
    """A value of an attribute dictionary: a name ("Column"), a number, or a list of numbers (a BBox)."""
    if isinstance(value, str):
        return PDFName(value).encode("ascii")
    if isinstance(value, (list, tuple)):
        return b"[" + b" ".join(_attribute(v) for v in value) + b"]"
    return (b"%d" % value) if value == int(value) else (b"%.2f" % value).rstrip(b"0")
