"""What a text, an id, a link, a language code or a time zone may be: the rules on strings alone.

Nothing here reads YAML; the reader (``load/reader.py``) applies these rules to values, and the
CLI and the importer apply the same ones to what they are given (``--base-url``, imported text).
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from syllabus_export import model as m
from syllabus_export.errors import Pos, quoted

MAX_TEXT = 2_000  # one-line texts: titles, names, labels
MAX_LONG_TEXT = 20_000  # description, staff descriptions
MAX_URL = 2_000
URL_SCHEMES = ("http", "https", "mailto")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
SESSION_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")
LANG_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
ZONE_HINTS = {
    "EST": "America/New_York",
    "EDT": "America/New_York",
    "EST5EDT": "America/New_York",
    "CST": "America/Chicago",
    "CDT": "America/Chicago",
    "CST6CDT": "America/Chicago",
    "MST": "America/Denver",
    "MDT": "America/Denver",
    "MST7MDT": "America/Denver",
    "PST": "America/Los_Angeles",
    "PDT": "America/Los_Angeles",
    "PST8PDT": "America/Los_Angeles",
    "CET": "Europe/Paris",
    "CEST": "Europe/Paris",
    "GMT": "Europe/London",
    "BST": "Europe/London",
    "ICT": "Asia/Ho_Chi_Minh",
    "JST": "Asia/Tokyo",
    "IST": "Asia/Kolkata",
}
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # category Cc but tab and line breaks
# Not characters at all: lone surrogates and the 66 noncharacters (U+FDD0–FDEF, U+xFFFE, U+xFFFF).
NOT_TEXT = re.compile(
    "[\ud800-\udfff\ufdd0-\ufdef" + "".join(chr(p << 16 | 0xFFFE) + chr(p << 16 | 0xFFFF) for p in range(17)) + "]"
)

short = quoted  # a value as a message quotes it


def is_forbidden_control(char: str) -> bool:
    """A control character no data file may hold: every one but tab and the line breaks."""
    return unicodedata.category(char) == "Cc" and char not in "\n\r\t"


def close_matches(word: str, possibilities: list[str] | tuple[str, ...], n: int) -> list[str]:
    import difflib  # only a problem needs a suggestion

    return difflib.get_close_matches(word, possibilities, n=n)


# --- links --------------------------------------------------------------------------------------


def url_problem(value: str) -> str | None:
    """Why ``value`` is not an acceptable link, or None. Only http, https and mailto links."""
    if len(value) > MAX_URL:
        return f"URL is {len(value):,} characters long (expected at most {MAX_URL:,})"
    # (every whitespace and control character but the space is unprintable: the quick test first)
    if value != value.strip() or (
        not (value.isprintable() and " " not in value)
        and any(c.isspace() or unicodedata.category(c) == "Cc" for c in value)
    ):
        return "URL contains whitespace or control characters"
    if any(c in value for c in "<>\"'`\\"):
        return "URL contains a character that must be percent-encoded (< > \" ' ` \\)"
    try:
        parts = urlsplit(value)
    except ValueError as exc:
        return f"URL cannot be read ({exc})"
    scheme = parts.scheme.lower()
    if not scheme:
        return f"'{short(value)}' is not an absolute URL (expected http://, https:// or mailto:)"
    if scheme not in URL_SCHEMES or parts.scheme != scheme:
        return f"URL scheme '{short(parts.scheme)}:' is not allowed (expected http, https or mailto, lower case)"
    if scheme in ("http", "https") and not parts.netloc:
        return f"URL '{short(value)}' has no host"
    if scheme == "mailto" and "@" not in parts.path:
        return f"'{short(value)}' is not an e-mail link"
    return None


def base_url_problem(value: str) -> str | None:
    """Why ``value`` cannot be the public URL the outputs are served from, or None.

    The course's ``options.base_url`` and ``--base-url`` obey this one rule: a link (``url_problem``)
    that is http or https, since a feed's address is made from it.
    """
    if not value.startswith(("http://", "https://")):
        return "expected an http:// or https:// URL"
    return url_problem(value)


_LINK_OPEN = re.compile(r"\[([^\[\]\n]+)\]\(")


def inline_links(text: str) -> list[tuple[int, int, str, str]]:
    """Every ``[label](url)`` in ``text`` as (start, end, label, url); a URL may hold balanced
    parentheses (``…/Mercury_(planet)``) and no whitespace."""
    found = []
    at = 0
    while (match := _LINK_OPEN.search(text, at)) is not None:
        depth, end = 0, match.end()
        while end < len(text) and not text[end].isspace():
            if text[end] == "(":
                depth += 1
            elif text[end] == ")":
                if depth == 0:
                    break
                depth -= 1
            end += 1
        if end < len(text) and text[end] == ")" and end > match.end():
            found.append((match.start(), end + 1, match[1], text[match.end() : end]))
            at = end + 1
        else:
            at = match.start() + 1
    return found


def bad_inline_links(text: str) -> list[tuple[int, str, str, str]]:
    """The inline links of ``text`` whose URL breaks the rules, as (start, label, url, problem)."""
    return [
        (start, label, url, problem)
        for start, _, label, url in inline_links(text)
        if (problem := url_problem(url))
    ]


def markdown_link_problems(text: str) -> list[str]:
    """Links in long texts are written ``[label](url)``; each URL obeys the same rules as any other."""
    return [f"link '{short(url)}': {problem}" for _, _, url, problem in bad_inline_links(text)]


def rich_text(text: str, pos: Pos = m.NOWHERE) -> m.RichText:
    """``"a [b](u) c"`` → runs ``a ``, ``b`` linked to ``u``, `` c``: what every renderer draws.

    The links' URLs are checked by the reader's ``text(long=True)`` (``bad_inline_links``) before this.
    """
    runs: list[m.Run] = []
    last = 0
    for start, end, label, url in inline_links(text):
        if start > last:
            runs.append(m.Run(text=text[last:start]))
        runs.append(m.Run(text=label, url=url))
        last = end
    if last < len(text):
        runs.append(m.Run(text=text[last:]))
    return m.RichText(runs=tuple(runs), pos=pos)


# --- time zones ---------------------------------------------------------------------------------


def zone_problem(name: str) -> str | None:
    """Why ``name`` is not an IANA ``Area/Location`` zone this machine knows, or None."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

    if name != "UTC" and not re.fullmatch(r"[A-Z][A-Za-z_-]+(/[A-Za-z0-9_+-]+)+", name):
        hint = ZONE_HINTS.get(name.upper())
        suggestion = f"e.g. {hint}" if hint else "e.g. America/New_York or Asia/Ho_Chi_Minh"
        return (
            f"time zone '{short(name)}' is not an IANA Area/Location name; an abbreviation or a "
            f"fixed offset puts meetings an hour off after a DST change ({suggestion})"
        )
    if re.fullmatch(r"Etc/GMT[+-][0-9]+", name):
        return (
            f"time zone '{name}' is a fixed offset (with its sign inverted: Etc/GMT+5 is UTC-5), which puts "
            "meetings an hour off after a DST change (name the place, e.g. America/New_York or Asia/Ho_Chi_Minh)"
        )
    try:
        ZoneInfo(name)
        return None
    except (ZoneInfoNotFoundError, ValueError, OSError):
        hint = close_matches(name, sorted(available_timezones()), n=1)
        return f"unknown time zone '{short(name)}'" + (f" (did you mean {hint[0]}?)" if hint else "")
