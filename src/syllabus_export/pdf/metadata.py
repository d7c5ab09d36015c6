"""What a reader of the PDF learns before its pages: the XMP metadata packet and the viewer's title.

PDF/UA-1 asks for an XMP packet (the catalog's /Metadata) that names the document's title
(``dc:title``) and declares the part of PDF/UA it follows (``pdfuaid:part`` 1), and for
``/ViewerPreferences << /DisplayDocTitle true >>`` so a viewer shows the title rather than the file
name. The packet repeats the document information reportlab writes (title, author, subject,
keywords, creator, producer, language) and its dates come from the build time, like the /Info
dates: the same inputs give the same bytes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from reportlab.pdfbase.pdfdoc import XMP


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def xmp_packet(info: Any, language: str | None, when: dt.datetime) -> str:
    """The XMP packet of a document whose /Info is ``info`` (reportlab's PDFInfo), written in
    ``language``, built at ``when``: the /Info entries and dates as XMP, and ``pdfuaid:part`` 1."""
    stamp = when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")

    def alt(text: str) -> str:
        return f'<rdf:Alt><rdf:li xml:lang="x-default">{_escape(text)}</rdf:li></rdf:Alt>'

    lines = [
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>',
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"'
        ' xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">',
        "<dc:format>application/pdf</dc:format>",
        f"<dc:title>{alt(info.title)}</dc:title>",
    ]
    if info.author:
        lines.append(f"<dc:creator><rdf:Seq><rdf:li>{_escape(info.author)}</rdf:li></rdf:Seq></dc:creator>")
    if info.subject:
        lines.append(f"<dc:description>{alt(info.subject)}</dc:description>")
    if language:
        lines.append(f"<dc:language><rdf:Bag><rdf:li>{_escape(language)}</rdf:li></rdf:Bag></dc:language>")
    if info.keywords:
        lines.append(f"<pdf:Keywords>{_escape(info.keywords)}</pdf:Keywords>")
    lines += [
        f"<pdf:Producer>{_escape(info.producer)}</pdf:Producer>",
        f"<xmp:CreatorTool>{_escape(info.creator)}</xmp:CreatorTool>",
        f"<xmp:CreateDate>{stamp}</xmp:CreateDate>",
        f"<xmp:ModifyDate>{stamp}</xmp:ModifyDate>",
        f"<xmp:MetadataDate>{stamp}</xmp:MetadataDate>",
        "<pdfuaid:part>1</pdfuaid:part>",
        "</rdf:Description>",
        "</rdf:RDF>",
        "</x:xmpmeta>",
        '<?xpacket end="r"?>',
    ]
    return "\n".join(lines)


def describe(canvas: Any) -> None:
    """Give the document of ``canvas`` (before it is saved) its XMP packet, dated as its /Info is (the
    canvas's document time stamp), and ask viewers to show its title."""
    doc = canvas._doc
    when = dt.datetime.fromtimestamp(doc._timeStamp.t, dt.UTC)
    lang = getattr(doc.Catalog, "Lang", None)
    language = getattr(lang, "s", lang)
    packet = xmp_packet(doc.info, language, when).encode("utf-8")
    # uncompressed, as is the custom: a tool that does not read PDF can still find the packet
    doc.Catalog.Metadata = XMP(creator=lambda _doc: packet)
    canvas.setViewerPreference("DisplayDocTitle", "true")
