"""The page's Jekyll front matter: the course's title, author, language and translation.

Read as plain YAML strings (``yaml.BaseLoader``: nothing is converted), each value with its line
and column on the page. The front matter of a translated page names its translator and the date
of the translation, in the page's language (``16 Sep 2020``, ``2020-09-16``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import yaml
from yaml.nodes import MappingNode, ScalarNode
from yaml.reader import ReaderError

from syllabus_export import model as m
from syllabus_export.errors import quoted
from syllabus_export.importer import tokens
from syllabus_export.importer.source import PageSource


class Scalar(NamedTuple):
    """A front matter value as written (stripped), and where: line and column on the page."""

    text: str
    line: int
    column: int


@dataclass(frozen=True, kw_only=True)
class FrontMatter:
    values: dict[str, Scalar]
    body: int  # index of the first line after the closing '---'

    def get(self, key: str) -> Scalar | None:
        return self.values.get(key)

    def title(self, source: PageSource) -> str | None:
        title = self.get("title")
        if title is None or not tokens.clean(title.text):
            source.fail(1, 1, "the front matter has no title")
            return None
        return tokens.clean(title.text)

    def author(self) -> str | None:
        author = self.get("author")
        return tokens.clean(author.text) if author and tokens.clean(author.text) else None

    def translation(self, source: PageSource, language: str) -> m.Translation | None:
        """Who translated the page and when: ``translator`` and ``translation-date``."""
        translator = self.get("translator")
        when = self.get("translation-date")
        if when is not None and translator is None:
            source.fail(when.line, when.column, "translation-date without a translator (add 'translator:')")
            return None
        if translator is None:
            return None
        date = None
        if when is not None and (date := tokens.date(when.text, language)) is None:
            source.fail(when.line, when.column,
                        f"cannot read the date '{quoted(when.text)}' (expected e.g. 16 Sep 2020 or 2020-09-16)")
        return m.Translation(translator=tokens.clean(translator.text), date=date)


def read_front_matter(source: PageSource) -> FrontMatter:
    """The front matter between the page's first line ``---`` and the next ``---`` (or ``...``).

    Raises:
        SyllabusError: no front matter, or front matter that is not YAML keys and values.
    """
    lines = source.lines
    if not lines or lines[0].strip() != "---":
        raise source.stop(1, 1, "expected Jekyll front matter (the page's first line '---')")
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        raise source.stop(1, 1, "the front matter has no closing '---'")
    text = "\n".join(lines[1:end])
    try:
        node = yaml.compose(text, Loader=yaml.BaseLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 2, mark.column + 1) if mark else (2, 1)
        raise source.stop(line, column, f"front matter: {exc.problem or exc.context or 'invalid YAML'}") from None
    except ReaderError as exc:  # a control character: YAML refuses it before any mark
        before = text[: exc.position]
        line, column = before.count("\n") + 2, len(before.rsplit("\n", 1)[-1]) + 1
        character = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)
        raise source.stop(line, column, f"front matter: the character '{quoted(character)}' is not allowed "
                          "(YAML refuses control characters)") from None
    values: dict[str, Scalar] = {}
    if node is not None and not isinstance(node, MappingNode):
        raise source.stop(2, 1, "the front matter must be keys and values")
    for key, value in node.value if node is not None else ():
        if isinstance(key, ScalarNode) and isinstance(value, ScalarNode):
            values[key.value] = Scalar(value.value.strip(), value.start_mark.line + 2, value.start_mark.column + 1)
    return FrontMatter(values=values, body=end + 1)
