"""`sis-pipeline --help` and every sub-command's `--help` describe every option in a line."""

from __future__ import annotations

import argparse

import pytest

from sis_pipeline.cli.main import main, parser


def all_parsers(top: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The top parser and every sub-command's parser, walked from the parser itself."""
    found = {"sis-pipeline": top}
    for action in top._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found |= {f"sis-pipeline {name}": sub}
    return found


def undescribed(top: argparse.ArgumentParser) -> list[str]:
    """Options, positionals and sub-commands that --help would list without a line."""
    missing = []
    for name, sub in all_parsers(top).items():
        for action in sub._actions:
            label = "/".join(action.option_strings) or action.dest
            if isinstance(action, argparse._SubParsersAction):
                described = {choice.dest for choice in action._choices_actions if choice.help}
                missing += [f"{name} {c}" for c in action.choices if c not in described]
            elif not action.help or action.help == argparse.SUPPRESS:
                missing.append(f"{name} {label}")
    return missing


def test_every_option_and_command_has_a_help_line():
    assert undescribed(parser()) == []


def test_the_walk_finds_an_option_without_help():
    top = parser()
    sync = all_parsers(top)["sis-pipeline sync"]
    sync.add_argument("--undocumented", action="store_true")
    assert undescribed(top) == ["sis-pipeline sync --undocumented"]


@pytest.mark.parametrize("command", ["sync", "reconcile", "check", "plugin", "sandbox", "demo"])
def test_each_command_help_prints_and_exits_0(command, capsys):
    assert main([command, "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: sis-pipeline {command}")
    for action in all_parsers(parser())[f"sis-pipeline {command}"]._actions:
        assert action.help.split()[0] in out
