"""`keploy-tui` without a command and `keploy-tui open`: the Textual app, imported only here."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path

from keploy_tui.cli.output import printable
from keploy_tui.store.logs import setup_logging
from keploy_tui.store.paths import resolve_data_dir
from keploy_tui.store.reports import ReportStore
from keploy_tui.store.storage import StoreError

EXIT_USAGE = 2


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "open", help="load suite files or folders, remember them and open the app",
        description="Load suites from files or folders, remember them for the next start, and open the app.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="suite YAML files or folders of them")
    parser.set_defaults(handler=open_paths)


def prepare_data_dir(args: argparse.Namespace) -> Path | None:
    """Resolve the data directory, start the log and mark dead runs INTERRUPTED. Returns None after an error."""
    try:
        data_dir = resolve_data_dir(args.data_dir)
        setup_logging(data_dir)
        ReportStore(data_dir).mark_interrupted()
    except (OSError, StoreError) as error:
        print(f"keploy-tui: {printable(error)}", file=sys.stderr)
        return None
    return data_dir


def open_paths(args: argparse.Namespace) -> int:
    return open_app(args, open_paths=args.paths)


def open_app(args: argparse.Namespace, *, open_paths: Iterable[str] = (), extra_sources: Iterable[str] = (),
             demo_url: str | None = None, data_dir: Path | None = None) -> int:
    """Run the app until the user quits; returns the exit code."""
    data_dir = data_dir or prepare_data_dir(args)
    if data_dir is None:
        return EXIT_USAGE
    from keploy_tui.tui.app import KeployApp

    app = KeployApp(data_dir, open_paths=open_paths, extra_sources=extra_sources, demo_url=demo_url)
    try:
        app.run()
    finally:
        # Writes queued by a run that ended with the app must reach the store.
        app.runs.close()
    return app.return_code or 0
