"""Inline links ``[label](url)`` are parsed once, at load, into runs every renderer draws."""

from __future__ import annotations

from syllabus_export import model as m
from syllabus_export.load.rules import markdown_link_problems, rich_text

MERCURY = "https://en.wikipedia.org/wiki/Mercury_(planet)"


def test_issue_a_url_with_parentheses_stays_a_link():
    text = rich_text(f"See [Mercury]({MERCURY}) and [x](https://a.example/b).")
    assert text.runs == (
        m.Run(text="See "), m.Run(text="Mercury", url=MERCURY), m.Run(text=" and "),
        m.Run(text="x", url="https://a.example/b"), m.Run(text="."),
    )
    assert text.markdown == f"See [Mercury]({MERCURY}) and [x](https://a.example/b)."
    assert markdown_link_problems(text.markdown) == []


def test_issue_a_javascript_link_with_parentheses_is_refused():
    problems = markdown_link_problems("[x](javascript:alert(1))")
    assert len(problems) == 1 and "scheme 'javascript:' is not allowed" in problems[0]


def test_unbalanced_or_spaced_parentheses_are_not_links():
    assert rich_text("[a](https://x.example/(b) c").runs == (m.Run(text="[a](https://x.example/(b) c"),)
    assert rich_text("[a](https://x.example/ b)").runs == (m.Run(text="[a](https://x.example/ b)"),)


def test_paragraphs_and_lines_keep_their_links():
    text = rich_text("One [a](https://a.example).\n\n  Two\nthree [b](https://b.example)  ")
    assert [p.markdown for p in text.paragraphs()] == ["One [a](https://a.example).",
                                                       "Two\nthree [b](https://b.example)"]
    assert [line.markdown for line in text.lines()] == ["One [a](https://a.example).", "Two",
                                                        "three [b](https://b.example)"]
    assert text.with_urls == "One a (https://a.example).\n\n  Two\nthree b (https://b.example)  "
