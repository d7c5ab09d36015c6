"""Which writing systems the PDF can draw: :mod:`syllabus_export.scripts`, the refusal's one home
(without reportlab, so ``check`` asks it too), named here for the PDF's modules."""

from syllabus_export.scripts import (
    CJK_SCRIPTS,
    JOINING_SCRIPTS,
    NO_SPACE_SCRIPTS,
    PLAIN_SCRIPTS,
    UnsupportedScript,
    language_script,
    script_problem,
)

__all__ = [
    "CJK_SCRIPTS",
    "JOINING_SCRIPTS",
    "NO_SPACE_SCRIPTS",
    "PLAIN_SCRIPTS",
    "UnsupportedScript",
    "language_script",
    "script_problem",
]
