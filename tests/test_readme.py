"""The README keeps its promises: the two-line quick start, and every command and option documented."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from syllabus_export import cli

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = argparse.ArgumentParser()
    captured: dict[str, argparse.ArgumentParser] = {}
    original = argparse._SubParsersAction.add_parser

    def spy(self, name, **kwargs):
        captured[name] = original(self, name, **kwargs)
        return captured[name]

    argparse._SubParsersAction.add_parser = spy
    try:
        try:
            cli.parse_arguments(["--version"])
        except SystemExit:
            pass
    finally:
        argparse._SubParsersAction.add_parser = original
    del parser
    return captured


def test_quick_start_is_one_block_of_exactly_two_self_contained_lines():
    block = re.search(r"^## Quick start\n\n```\n(.*?)```", README, re.S | re.M)
    assert block, "a 'Quick start' heading followed by one fenced code block"
    lines = block[1].strip().splitlines()
    assert len(lines) == 2
    assert all(line.startswith("python3 -m venv .venv && ") for line in lines)
    assert lines[0].endswith("syllabus-export build")
    assert "pytest" in lines[1] and "'.[test]'" in lines[1]
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "sed -n 2p" in ci, ".ci/run runs the README's second line"


def test_every_command_and_option_has_help_and_is_in_the_readme():
    commands = _subcommands()
    assert set(commands) >= {"build", "list", "check", "diff", "serve", "import", "export-page"}
    for name, parser in commands.items():
        assert f"syllabus-export {name}" in README or f"`{name}`" in README, name
        for action in parser._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            assert action.help, f"{name} {action.option_strings or action.dest} has no help text"
            for option in action.option_strings:
                if option.startswith("--"):
                    assert option in README, f"{name} {option} is not in the README"
