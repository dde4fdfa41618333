"""The `keploy-tui` command line; Textual is imported only by the commands that open the app."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from typing import NoReturn

from keploy_tui import __version__
from keploy_tui.cli.output import discard_stdout
from keploy_tui.store.storage import StoreError
from keploy_tui.cli import app_cmd, demo_cmd, import_cmd, reports_cmd, run_cmd

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
HEADLESS_COMMANDS = ("run", "import", "reports")
"""Commands that never open the app, so nothing of Textual's is left to shut down."""
DATA_DIR_HELP = ("where reports, settings and the log live "
                 "(default: $KEPLOY_TUI_DATA_DIR, else the platform's user data directory)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="keploy-tui",
        description="Run Keploy API test suites from a terminal. Without a command, open the app.",
    )
    parser.add_argument("--version", action="version", version=f"keploy-tui {__version__}")
    parser.add_argument("--data-dir", help=DATA_DIR_HELP)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    run_cmd.add_parser(commands)
    import_cmd.add_parser(commands)
    reports_cmd.add_parser(commands)
    app_cmd.add_parser(commands)
    demo_cmd.add_parsers(commands)
    # Every command and action also takes --data-dir after its name, as in `reports show
    # ID --data-dir DIR`. SUPPRESS keeps a value given earlier when it is not repeated.
    for command in _subcommands(parser):
        command.add_argument("--data-dir", default=argparse.SUPPRESS, help=DATA_DIR_HELP)
    return parser


def _subcommands(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    """Return the parsers of `parser`'s commands and of their actions, at every depth."""
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for command in action.choices.values():
                found += [command, *_subcommands(command)]
    return found


def main(argv: list[str] | None = None, *, exit_fast: bool = False) -> int:
    """Run the command in `argv`. With `exit_fast`, a headless command ends the process itself."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        return app_cmd.open_app(args)
    code = _dispatch(args)
    if exit_fast and args.command in HEADLESS_COMMANDS:
        _exit_now(code)
    return code


def _exit_now(code: int) -> NoReturn:
    """End the process without the interpreter freeing every object one by one.

    After a run of 2,000 steps the normal shutdown took 40 ms, most of it freeing the
    report and the suites. What the command wrote is already closed or fsynced, and
    the log and the standard streams are flushed here.
    """
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


def _dispatch(args: argparse.Namespace) -> int:
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # Output piped into `head` or similar was closed early, outside the Printer,
        # which keeps a run going to its real exit code. Only listings get here.
        discard_stdout()
        return EXIT_OK
    except (StoreError, OSError, OverflowError) as error:
        print(f"keploy-tui {args.command}: {error}", file=sys.stderr)
        return EXIT_USAGE
