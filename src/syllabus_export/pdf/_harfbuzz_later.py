"""Imported first by ``syllabus_export.pdf``: reportlab without uharfbuzz at start-up.

reportlab imports uharfbuzz when it is installed, as it loads its TrueType support, for a shaping of its
own that this renderer does not use (``shaping`` shapes the text of the scripts that need it, with its own
calls). That import is a tenth of a second's start-up for every build, of Latin courses too; held off here
(reportlab then sets its own shaping aside), uharfbuzz is imported by ``shaping`` when a course needs it.
"""

import sys

if "reportlab.pdfbase.ttfonts" not in sys.modules and "uharfbuzz" not in sys.modules:
    sys.modules["uharfbuzz"] = None  # type: ignore[assignment]  # makes "import uharfbuzz" fail, once
    try:
        import reportlab.pdfbase.ttfonts  # noqa: F401
    finally:
        del sys.modules["uharfbuzz"]
