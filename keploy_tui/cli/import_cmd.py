"""`keploy-tui import`: read Keploy test-sets, Postman collections or suite YAML and report on them.

With `--into FILE` the suites are written as Keploy suite YAML, so the import can be
reviewed and committed, and the file is loaded back to check that it gives the same
suites. Exit code: 0 imported (warnings included), 1 the written file does not load
back the same, 2 bad usage or an input that could not be loaded.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections import OrderedDict
from pathlib import Path
from typing import TextIO

from keploy_tui.cli.output import printable
from keploy_tui.formats.errors import SuiteLoadError
from keploy_tui.formats.importers import ImportResult, load_any_paths
from keploy_tui.formats.suite_yaml import dump_suites, load_path

STDOUT = "-"


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "import", help="import Keploy test-sets or Postman collections and list what changed",
        description="Import Keploy suite YAML, Keploy test-set folders (test-set-N/tests/test-N.yaml, "
                    "or a keploy/ folder of them) and Postman collections v2.0/v2.1. Prints the suites, "
                    "steps and assertions created and the warnings, grouped by file. Exit code: 0 imported, "
                    "1 the written file does not load back the same, 2 bad usage or input.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders to import")
    parser.add_argument("--into", metavar="FILE",
                        help="write the suites as Keploy suite YAML to FILE ('-' for standard output)")
    add_environment_option(parser)
    parser.add_argument("--all-warnings", action="store_true",
                        help=f"list every warning; by default each file lists its first {WARNINGS_PER_FILE}")
    parser.set_defaults(handler=run)


WARNINGS_PER_FILE = 10


def add_environment_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-e", "--environment", metavar="FILE",
                        help="a Postman environment export whose values fill {{variables}} in collections")


def run(args: argparse.Namespace) -> int:
    if args.into not in (None, STDOUT) and Path(args.into).is_dir():
        # Checked before importing, as `run` checks --junit before running, so the error is all that prints.
        print(f"keploy-tui import: --into {args.into} is a directory; give a file name, "
              f"e.g. {Path(args.into) / 'suites.yaml'}", file=sys.stderr)
        return 2
    try:
        result = load_any_paths(args.paths, args.environment)
    except SuiteLoadError as error:
        print(f"keploy-tui import: {printable(error)}", file=sys.stderr)
        return 2

    to_stdout = args.into == STDOUT
    report = sys.stderr if to_stdout else sys.stdout
    print_summary(result, report, warnings_per_file=None if args.all_warnings else WARNINGS_PER_FILE)
    if args.into is None:
        return 0
    text = dump_suites(result.suites) if result.suites else ""
    if to_stdout:
        sys.stdout.write(text)
        return 0
    return write_suites(Path(args.into), text, result, report)


def write_suites(path: Path, text: str, result: ImportResult, report: TextIO) -> int:
    """Write `text` to `path` atomically and check that it loads back as `result.suites`."""
    if not result.suites:
        print(f"keploy-tui import: nothing to write to {path}: no suites were imported", file=sys.stderr)
        return 2
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        # mkstemp creates the file readable by its owner only, which suits a file with
        # literal credentials. Any other suite file is made readable like a source file.
        if not _holds_credentials(result):
            os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except OSError as error:
        print(f"keploy-tui import: cannot write {path}: {error.strerror or error}", file=sys.stderr)
        return 2
    try:
        loaded = load_path(path)
    except SuiteLoadError as error:
        print(f"keploy-tui import: the written file does not load: {printable(error)}", file=sys.stderr)
        return 1
    if loaded != result.suites:
        print(f"keploy-tui import: {path} does not load back the same suites; please report this",
              file=sys.stderr)
        return 1
    count = len(result.suites)
    print(f"Wrote {count} suite{_plural(count)} to {path}", file=report)
    return 0


def _holds_credentials(result: ImportResult) -> bool:
    return any(step.auth is not None and step.auth.secrets() for suite in result.suites for step in suite.steps)


def print_summary(result: ImportResult, stream: TextIO, warnings_per_file: int | None = None) -> None:
    """Print the suites, steps and assertions per source, then the notes and the warnings by file.

    A collection full of scripts gives one warning per untranslated line (about 250 for
    a few real collections), so with `warnings_per_file` each file lists that many and
    prints how many more it has.
    """
    by_source: OrderedDict[str, list] = OrderedDict()
    for suite in result.suites:
        by_source.setdefault(suite.source or "<input>", []).append(suite)
    for source, suites in by_source.items():
        steps = sum(len(suite.steps) for suite in suites)
        assertions = sum(len(step.assertions) for suite in suites for step in suite.steps)
        print(printable(f"{source}: {_count(len(suites), 'suite')}, {_count(steps, 'step')}, "
                        f"{_count(assertions, 'assertion')}"), file=stream)
        for suite in suites:
            base = f", default base URL {suite.default_base_url}" if suite.default_base_url else ""
            print(printable(f"  {suite.name}: {_count(len(suite.steps), 'step')}{base}"), file=stream)
    if result.notes:
        print(f"Notes ({len(result.notes)}):", file=stream)
        for note in result.notes:
            print(printable(f"  {note}"), file=stream)
    print(f"Warnings ({len(result.warnings)}):" if result.warnings else "Warnings: none", file=stream)
    by_file: OrderedDict[str, list[str]] = OrderedDict()
    for warning in result.warnings:
        by_file.setdefault(warning.source, []).append(warning.message)
    for source, messages in by_file.items():
        print(printable(f"  {source} ({len(messages)}):"), file=stream)
        shown = messages if warnings_per_file is None else messages[:warnings_per_file]
        for message in shown:
            print(printable(f"    {message}"), file=stream)
        if len(shown) < len(messages):
            print(f"    ... and {len(messages) - len(shown)} more; --all-warnings lists them", file=stream)
    print(f"Total: {summary_counts(result)}", file=stream)


def summary_counts(result: ImportResult) -> str:
    return (f"{_count(len(result.suites), 'suite')}, {_count(result.step_count, 'step')}, "
            f"{_count(result.assertion_count, 'assertion')}, {_count(len(result.warnings), 'warning')}")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{_plural(number)}"


def _plural(number: int) -> str:
    return "" if number == 1 else "s"
