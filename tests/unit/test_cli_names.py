"""Every command names the same argument the same way (issue 28 item 7): the parameter file is
``--params PARAMS.yml``, a codebook ``--codebook``, two coders' files ``--a`` and ``--b``, the output
``-o/--output``. The positional spellings DESIGN.md and users' scripts rely on (``check PARAMS``,
``deps PARAMS``, ``agree A B``, ``qda export-codebook CODEBOOK`` ...) keep working: either form, not both.
"""

from __future__ import annotations

import argparse

import pytest

from revalign.cli import build_parser, resolve_either

# (the command's words, its value as a positional argument, the uniform option, other arguments it needs)
BOTH = [
    (["check"], "params", "--params", []),
    (["deps"], "params", "--params", []),
    (["bib", "keys"], "params", "--params", []),
    (["screen", "export"], "params", "--params", ["-o", "x.xlsx"]),
    (["screen", "conflicts"], "params", "--params", ["-o", "x.xlsx"]),
    (["qda", "export-codebook"], "codebook", "--codebook", ["-o", "x.qdc"]),
]


def _parse(argv: list[str]) -> argparse.Namespace:
    args = build_parser().parse_args(argv)
    resolve_either(args)
    return args


@pytest.mark.parametrize(("words", "dest", "option", "rest"), BOTH)
def test_the_positional_and_the_uniform_spelling_give_the_same_value(words, dest, option, rest):
    positional = _parse([*words, "some/file.yml", *rest])
    as_option = _parse([*words, option, "some/file.yml", *rest])
    assert getattr(positional, dest) == getattr(as_option, dest) == "some/file.yml"
    # and nothing else differs (the handler, the declared inputs and outputs, the other options)
    drop = {"func", "either_parser", f"{dest}_option"}
    assert {k: v for k, v in vars(positional).items() if k not in drop} == {
        k: v for k, v in vars(as_option).items() if k not in drop
    }


def test_agree_takes_the_two_files_as_reconcile_does():
    for argv in (["A.csv", "B.csv"], ["--a", "A.csv", "--b", "B.csv"], ["A.csv", "--b", "B.csv"]):
        args = _parse(["agree", *argv, "--codebook", "c.yml"])
        assert (args.a, args.b) == ("A.csv", "B.csv")


@pytest.mark.parametrize(("words", "dest", "option", "rest"), BOTH)
def test_neither_or_two_different_values_is_a_usage_error(cli, words, dest, option, rest):
    r = cli(*words, *rest)
    assert r.returncode == 2
    assert r.stderr.strip().splitlines()[-1] == (
        f"error: python -m revalign {' '.join(words)}: the following arguments are required: {option}"
    )
    r = cli(*words, "one.yml", option, "two.yml", *rest)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.strip().splitlines()[-1].endswith(f"{option} two.yml and one.yml name two values; give one")
    # the same value twice is one value
    assert getattr(_parse([*words, "one.yml", option, "one.yml", *rest]), dest) == "one.yml"


def test_a_command_run_both_ways_prints_the_same(cli):
    positional = cli("bib", "keys", "params/default.yml")
    as_option = cli("bib", "keys", "--params", "params/default.yml")
    assert positional.returncode == as_option.returncode == 0
    # references.bib: 42 entries, one line each (hand-counted in data/raw/bibliography/references.bib)
    assert as_option.stdout == positional.stdout and len(positional.stdout.splitlines()) >= 42


def _commands(parser: argparse.ArgumentParser, words: tuple[str, ...] = ()):
    """(words, parser) of every command of the tree."""
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield words, parser
    for sub in subs:
        for name, child in sub.choices.items():
            yield from _commands(child, (*words, name))


UNIFORM = {"params": "--params", "codebook": "--codebook", "a": "--a", "b": "--b", "output": "--output"}


def test_every_command_offers_the_uniform_option_for_what_it_takes():
    commands = dict(_commands(build_parser()))
    assert len(commands) >= 12
    lacking = []
    for words, parser in commands.items():
        for action in parser._actions:
            dest = action.dest.removesuffix("_option")
            if dest in UNIFORM and not any(
                UNIFORM[dest] in a.option_strings for a in parser._actions if a.dest in (dest, f"{dest}_option")
            ):
                lacking.append((" ".join(words), dest))
    assert lacking == []


def test_the_help_shows_the_uniform_spelling():
    commands = dict(_commands(build_parser()))
    for words, _dest, option, _rest in BOTH:
        assert f"[{option} " in commands[tuple(words)].format_usage()
