"""libyaml (fast) and PyYAML's Python parser (the reference) must read every file the same way.

``yamlnodes`` composes nodes from libyaml's events when PyYAML was built with it, and reads a
file with the Python parser whenever libyaml finds something to report or the file has one of
the constructs where the two parsers differ. These tests hold that promise: for every YAML file in
the repository and for random edits of the valid ones, the fast path gives the Python parser's
nodes (tags, values, styles, start marks) or steps aside. Nothing here is timed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from syllabus_export import load, yamlnodes
from syllabus_export.errors import Problems, SyllabusError
from syllabus_export.load import rules

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(yamlnodes._CLoader is None, reason="PyYAML built without libyaml")


def tree(node: yaml.Node | None) -> object:
    """What the loader reads of a node: kind, tag, style, where it starts, its value."""
    if node is None:
        return None
    base = (type(node).__name__, node.tag, node.start_mark.line, node.start_mark.column,
            getattr(node, "style", None), bool(getattr(node, "flow_style", None)))
    if isinstance(node, yaml.ScalarNode):
        return (*base, node.value)
    if isinstance(node, yaml.SequenceNode):
        return (*base, tuple(tree(child) for child in node.value))
    return (*base, tuple((tree(k), tree(v)) for k, v in node.value))


def python_tree(text: str) -> tuple[object, bool]:
    """The Python parser's nodes, and whether it had anything to report."""
    problems = Problems()
    loader = yamlnodes._Loader(text, "x.yaml", problems)
    try:
        return tree(loader.get_single_node()), bool(problems)
    except (yaml.YAMLError, yamlnodes._TooDeep, RecursionError):
        return None, True
    finally:
        loader.dispose()


def assert_same(text: str) -> bool:
    """The fast path steps aside, or gives exactly the Python parser's clean result; True if it was used."""
    fast = yamlnodes.compose_fast(text, "x.yaml")
    if fast is None:
        return False
    expected, reported = python_tree(text)
    assert not reported, "libyaml read cleanly what the Python parser refuses"
    assert tree(fast) == expected
    return True


def test_the_fast_loader_is_pythons_composer_over_libyamls_events() -> None:
    mro = yamlnodes._CLoader.__mro__
    assert mro.index(yamlnodes._Composing) < mro.index(yaml.composer.Composer) < mro.index(yaml.cyaml.CParser)
    assert mro.index(yaml.composer.Composer) < mro.index(yaml.resolver.Resolver)


YAML_FILES = sorted(p for p in ROOT.glob("**/*.y*ml") if ".venv" not in p.parts and "out" not in p.parts)


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_yaml_file_in_the_repository_reads_the_same(path: Path) -> None:
    text = path.read_bytes().removeprefix(b"\xef\xbb\xbf").decode("utf-8", "replace")
    assert_same(text)


def test_the_bundled_files_take_the_fast_path() -> None:
    for name in ("data/courses/dlsp20.yaml", "data/terms/nyu-2020-spring.yaml"):
        assert assert_same((ROOT / name).read_text(encoding="utf-8")), name


# Where libyaml and PyYAML differ: libyaml reads each of these, PyYAML refuses it or reads it otherwise.
DIFFERENT = {
    "tab in a plain scalar": "title: a\tb\n",
    "tab after a colon": "title:\tx\n",
    "tab before a comment": "title: x\t# note\n",
    "tab in a flow scalar": "t: {a: 2020-09-\t16}\n",
    "question mark in a flow mapping": "t: {a: b?c}\n",
    "question mark in a flow sequence": "t: [a? b]\n",
    "byte order mark at a line start": "a: b\n\ufeffc: d\n",
    "empty value on the last line without a line break": "a: b\nc:",
}


@pytest.mark.parametrize("text", DIFFERENT.values(), ids=DIFFERENT.keys())
def test_where_the_parsers_differ_the_python_parser_reads(text: str) -> None:
    assert yamlnodes.compose_fast(text, "x.yaml") is None


def test_a_tab_is_still_refused_with_the_python_parsers_message(tmp_path: Path) -> None:
    path = tmp_path / "course.yaml"
    path.write_text("id: x\ntitle: a\tb\n", encoding="utf-8")
    with pytest.raises(SyllabusError) as error:
        load.load_course(path)
    assert [p.message for p in error.value.problems] == [
        "YAML syntax: found character '\\t' that cannot start any token "
        "(indent with spaces: YAML does not allow tabs there)"]


def test_a_question_mark_in_a_flow_mapping_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "course.yaml"
    path.write_text("id: x\ninstitution: {label: What?, url: 'https://a.example/'}\n", encoding="utf-8")
    with pytest.raises(SyllabusError) as error:
        load.load_course(path)
    assert [str(p) for p in error.value.problems] == [f"{path}:2:26: YAML syntax: expected ',' or '}}', but got '?'"]


TOKENS = ("\t", "?", "? ", ":", ": ", "-", "- ", "[", "]", "{", "}", ",", "#", "'", '"', "\\", "|", ">", "&a ", "*a",
          "!x ", "---\n", "...\n", "\n", "\r\n", "  ", "\ufeff", "\u2028", "é", "🎉", "~", "16:55", "%TAG ! x\n")
BASES = [(ROOT / name).read_text(encoding="utf-8") for name in (
    "tests/bad_inputs/_base/course.yaml", "tests/bad_inputs/_base/term.yaml", "data/terms/nyu-2020-spring.yaml")]


@st.composite
def edited(draw: st.DrawFn) -> str:
    """A valid file with a few random insertions, deletions, moved lines or a cut."""
    text = draw(st.sampled_from(BASES))
    for _ in range(draw(st.integers(1, 5))):
        at = draw(st.integers(0, len(text)))
        edit = draw(st.sampled_from(("insert", "insert", "delete", "swap", "cut")))
        if edit == "insert":
            text = text[:at] + draw(st.sampled_from(TOKENS) | st.text(max_size=4)) + text[at:]
        elif edit == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 20)):]
        elif edit == "swap":
            lines = text.split("\n")
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
        else:
            text = text[:at]
    return text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edited())
def test_random_edits_read_the_same_or_go_to_the_python_parser(text: str) -> None:
    if rules.CONTROL.search(text) or not text.strip():
        return  # the loader refuses these before any parser sees them
    assert_same(text)


@pytest.mark.parametrize("text", ["|# c\n", "a: |# c\n  x\n", "key: >-#x\n  y\n", "|2#\n"])
def test_issue_a_comment_right_after_a_block_indicator_goes_to_the_python_parser(text):
    """libyaml reads ``|#`` as an indicator and a comment; PyYAML refuses it (found by hypothesis)."""
    assert not assert_same(text)
