"""The PDF file itself, written small: objects packed into compressed object streams (PDF 1.5).

reportlab writes every object as plain text ("12 0 obj << … >> endobj") and compresses only
streams (pages, fonts). A tagged syllabus has about 450 structure elements and 140 link annotations,
small dictionaries that repeat ("/S /TD /P 12 0 R /Pg 5 0 R /K 3"): written as reportlab writes
them they would double the file. ``CompactDocument`` writes the same objects, in the same order and
with the same numbers, but puts every one that is not a stream into one Flate-compressed object
stream, and the cross-reference table into a cross-reference stream (PDF 1.7 §7.5.7–7.5.8),
which is what PDF/UA's base, PDF 1.7, allows and every current reader reads. An encrypted
document is written as reportlab writes it.
"""

from __future__ import annotations

import re
import zlib

from reportlab.pdfbase.pdfdoc import NoEncryption, PDFDocument, PDFFile, format

# The first version that has object streams; PDF/UA-1 is built on PDF 1.7.
PDF_VERSION = (1, 7)


class CompactDocument(PDFDocument):
    """reportlab's PDFDocument, written with object streams and a cross-reference stream.

    A canvas's document becomes one by ``canvas._doc.__class__ = CompactDocument`` (the canvas makes
    its own); everything but the writing of the file is reportlab's.
    """

    def format(self) -> bytes:
        if not isinstance(self.encrypt, NoEncryption):
            return super().format()
        self._pdfVersion = max(self._pdfVersion, PDF_VERSION)
        self.encrypt.prepare(self)
        catalog, info = self.Reference(self.Catalog), self.Reference(self.info)
        out = PDFFile(self._pdfVersion)
        offsets: dict[int, int] = {}  # object number → where it is in the file
        packed: list[tuple[int, bytes]] = []  # the objects of the object stream
        number = 0
        while True:  # objects may be added while others are formatted (as in reportlab's own loop)
            number += 1
            if number not in self.numberToId:
                break
            body = format(self.idToObject[self.numberToId[number]], self, toplevel=1)
            if body.rstrip().endswith(b"endstream"):
                end = b"" if body.endswith(b"\n") else b"\n"
                offsets[number] = out.add(b"%d 0 obj\n%s%sendobj\n" % (number, body, end))
            else:
                packed.append((number, body))
        stream_number = number
        if packed:
            header, data, position = [], [], 0
            for n, body in packed:
                header.append(b"%d %d" % (n, position))
                data.append(body)
                position += len(body) + 1
            first = b" ".join(header) + b"\n"
            content = zlib.compress(first + b"\n".join(data))
            offsets[stream_number] = out.add(
                b"%d 0 obj\n<</Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d>>\n"
                b"stream\n%s\nendstream\nendobj\n" % (stream_number, len(packed), len(first), len(content), content)
            )
            number += 1
        xref_number, size = number, number + 1
        xref_offset = out.offset
        offsets[xref_number] = xref_offset
        width = max(3, (xref_offset.bit_length() + 7) // 8)
        rows = [bytes([0]) + (0).to_bytes(width, "big") + b"\xff\xff"]  # object 0: the head of the free list
        index_in_stream = {n: i for i, (n, _) in enumerate(packed)}
        for n in range(1, size):
            if n in offsets:
                rows.append(bytes([1]) + offsets[n].to_bytes(width, "big") + b"\0\0")
            else:
                rows.append(bytes([2]) + stream_number.to_bytes(width, "big") + index_in_stream[n].to_bytes(2, "big"))
        columns = 1 + width + 2
        table = zlib.compress(_png_up(rows, columns))
        ids = re.search(rb"\[[^]]*\]", self.ID()).group(0)
        out.add(
            b"%d 0 obj\n<</Type /XRef /Size %d /W [1 %d 2] /Root %s /Info %s /ID %s"
            b" /Filter /FlateDecode /DecodeParms <</Predictor 12 /Columns %d>> /Length %d>>\n"
            b"stream\n%s\nendstream\nendobj\n"
            % (xref_number, size, width, catalog.format(self), info.format(self), ids, columns, len(table), table)
        )
        out.add(b"startxref\n%d\n%%%%EOF\n" % xref_offset)
        return out.format(self)


def _png_up(rows: list[bytes], columns: int) -> bytes:
    """The rows of a cross-reference stream with the PNG "Up" predictor (each byte less the one
    above it): the offsets of neighbouring objects differ in their last bytes only, which compresses well."""
    previous = bytes(columns)
    out = bytearray()
    for row in rows:
        out.append(2)
        out += bytes((a - b) & 0xFF for a, b in zip(row, previous))
        previous = row
    return bytes(out)
