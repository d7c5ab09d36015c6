"""How a page's links become the absolute links of a course file.

``{{site.baseurl}}`` is the site without its trailing slash (``{{site.url}}`` its scheme and
host); a relative link is resolved against the page's own address, which is the site's language
folder (``…/vi/``) for a page whose front matter has ``lang`` and the site root otherwise. Every
link then passes the loader's own URL rules (:func:`syllabus_export.load.url_problem`), so the
course file written is one the loader accepts.

The same links tell the language of a page that does not say it: the site folder the schedule
links point into (the English page links to ``en/week01/01``).
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urljoin, urlsplit

from syllabus_export.errors import quoted
from syllabus_export.importer.markdown import markdown_links
from syllabus_export.importer.source import PageSource
from syllabus_export.importer.tokens import locale
from syllabus_export.load import LANG_RE, url_problem

SITE = "https://atcold.github.io/NYU-DLSP20/"
_LIQUID = re.compile(r"\{\{\s*site\.(baseurl|url)\s*\}\}")


def site_root(site: str) -> str:
    """The site as links are resolved against it: with its trailing slash."""
    return site if site.endswith("/") else site + "/"


def page_address(site: str, page_lang: str | None) -> str:
    """The page's own address: the site's language folder for a page with ``lang``, else the root."""
    return urljoin(site, page_lang + "/") if page_lang is not None else site


class LinkResolver:
    """Makes the page's links absolute, reporting each link that cannot be at its place."""

    def __init__(self, source: PageSource, site: str, page_url: str):
        self.source = source
        self.site = site  # with its trailing slash (site_root)
        self.page_url = page_url

    def absolute(self, raw: str | None, line: int, column: int, what: str) -> str | None:
        """A link as the page has it, made absolute against the site and the page's address."""
        if raw is None or not raw.strip():
            self.source.fail(line, column, f"{what}: the link has no address")
            return None
        value = raw.strip()
        root = urlsplit(self.site)
        value = _LIQUID.sub(
            lambda found: self.site.rstrip("/") if found[1] == "baseurl" else f"{root.scheme}://{root.netloc}", value
        )
        if "{{" in value or "{%" in value:
            self.source.fail(
                line, column, f"{what}: cannot resolve '{quoted(value)}' (of Liquid, only {{{{site.baseurl}}}})"
            )
            return None
        url = urljoin(self.page_url, value)
        problem = url_problem(url)
        if problem:
            self.source.fail(line, column, f"{what}: {problem}")
            return None
        return url

    def text_links(self, text: str, line: int, column: int, what: str) -> str:
        """Markdown text with each link's address made absolute (a reference link written inline)."""
        out, last = [], 0
        for start, end, label, url, image in markdown_links(text, self.source.refs):
            absolute = self.absolute(url, line, column + start, what) or url
            out.append(text[last:start] + ("!" if image else "") + f"[{label}]({absolute})")
            last = end
        return "".join(out) + text[last:]


def language_from_links(source: PageSource, site: str, start: int, end: int) -> str:
    """The site folder the schedule's links (lines ``start``..``end``) point into (``en/week01/01`` → ``en``).

    Raises:
        SyllabusError: when the links point into no single folder that is a language.
    """
    folders: Counter[str] = Counter()
    for line in source.lines[start : end + 1]:
        for href in re.findall(r"<a\s[^>]*href=\"([^\"]*)\"", line):
            value = _LIQUID.sub(site.rstrip("/"), href)
            url = urljoin(site, value)
            if url.startswith(site):
                folder = url[len(site) :].split("/")[0]
                if folder and "/" in url[len(site) :]:
                    folders[folder] += 1
    if len(folders) == 1:
        folder = next(iter(folders))
        if LANG_RE.match(folder) and locale(folder) is not None:
            return folder
    raise source.stop(
        1, 1, "the page does not say its language (no 'lang' in the front matter): give the language (--lang)"
    )
