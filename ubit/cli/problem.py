"""``ubit problem``: check auto-marked problems, list the examples that come with ubit."""

from __future__ import annotations

import argparse
import sys

from ubit.cli.parser import add_command


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``ubit problem`` and its sub-commands."""
    parser = add_command(
        sub, "problem", "Auto-marked problems: check one, list the examples.",
        "  ubit problem list                       the example problems that come with ubit\n"
        "  ubit problem check heart-on-a           an example, by name\n"
        "  ubit problem check my-problems/*/       your own problem folders\n"
        "\n"
        "A problem is a folder: statement.md, starter.py, solution.py, tests.py (pytest\n"
        "functions taking a board) and problem.toml (board, time limit, marks and hints).\n"
        "See docs/problems.md. Mark a class's work with 'ubit mark PROBLEM SUBMISSION...'.\n",
    )
    problem_sub = parser.add_subparsers(dest="problem_command", metavar="SUBCOMMAND")
    parser.set_defaults(handler=lambda args: _no_subcommand(parser))

    check = add_command(
        problem_sub, "check", "Prove the reference passes every test and the starter doesn't.",
        "  ubit problem check heart-on-a\n"
        "  ubit problem check my-problem/ -v      with the failing tests' messages\n"
        "\n"
        "One line per problem: 'ok' or 'FAIL' and what is wrong. Exit code 1 if any fails.\n",
        label="problem check",
    )
    check.add_argument("problems", nargs="+", metavar="PROBLEM",
                       help="a problem folder, or the name of an example (ubit problem list)")
    check.add_argument("-v", "--verbose", action="store_true",
                       help="show why the reference failed, test by test")
    check.set_defaults(handler=run_check)

    listing = add_command(problem_sub, "list", "The example problems that come with ubit.",
                          "  ubit problem list\n", label="problem list")
    listing.set_defaults(handler=run_list)


def _no_subcommand(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def run_check(args: argparse.Namespace) -> int:
    """Check each problem; one line each; 1 if any is broken."""
    from ubit.testing.problemcheck import check_problem
    from ubit.testing.problems import load_problem

    problems = [load_problem(given) for given in args.problems]  # a bad folder: stop at once
    broken = 0
    for problem in problems:
        outcome = check_problem(problem)
        print(outcome.line(), flush=True)
        if not outcome.ok:
            broken += 1
            if args.verbose and outcome.details():
                print(outcome.details())
    if len(problems) > 1:
        print(f"{len(problems) - broken} of {len(problems)} problems ok", file=sys.stderr)
    return 1 if broken else 0


def run_list(args: argparse.Namespace) -> int:
    """Each shipped problem: its name, title and folder."""
    from ubit.testing.problems import load_problem, shipped_problems

    for folder in shipped_problems():
        problem = load_problem(folder)
        print(f"{problem.name:<16} {problem.title:<24} {len(problem.tests)} tests, "
              f"{problem.total:g} marks, {problem.board.upper()}  {folder}")
    return 0
