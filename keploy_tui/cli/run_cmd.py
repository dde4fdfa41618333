"""`keploy-tui run`: run suites headless, print progress, store the report, write JUnit and JSON."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import math
import os
import signal
import sys
from pathlib import Path

from keploy_tui.cli.import_cmd import add_environment_option, summary_counts
from keploy_tui.cli.output import Printer, printable
from keploy_tui.cli.progress import ProgressPrinter
from keploy_tui.engine.auth import AuthError
from keploy_tui.engine.urls import base_url_error
from keploy_tui.engine.identity import resolve_creator
from keploy_tui.engine.runner import Runner
from keploy_tui.formats.errors import SuiteLoadError
from keploy_tui.formats.importers import load_any_paths
from keploy_tui.model import Auth, Report, RunConfig, RunStatus
from keploy_tui.model.run import DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT
from keploy_tui.store.paths import resolve_data_dir
from keploy_tui.store.logs import setup_logging
from keploy_tui.store.recorder import ReportRecorder
from keploy_tui.store.reports import ReportStore
from keploy_tui.store.storage import StoreError

log = logging.getLogger(__name__)

SECRET_ENV = {"bearer": "KEPLOY_TUI_BEARER", "basic": "KEPLOY_TUI_BASIC", "api_key": "KEPLOY_TUI_API_KEY"}
BASE_URL_ENV = "KEPLOY_TUI_BASE_URL"


class UsageError(ValueError):
    """Bad options or input: printed as one line, exit code 2."""


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "run", help="run suites against an API and store the report",
        description="Run suites against an API. Exit code: 0 all steps passed, 1 a step failed, "
                    "2 bad usage or input, 130 interrupted.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="suite YAML files or folders of them, Keploy test-set folders, Postman collections")
    add_environment_option(parser)
    parser.add_argument("--base-url", metavar="URL",
                        help=f"API endpoint URL prepended to every relative step URL (env {BASE_URL_ENV})")
    add_auth_options(parser)
    parser.add_argument("--var", action="append", default=[], metavar="NAME=VALUE",
                        help="a variable in scope from the first step; repeatable")
    add_connection_options(parser)
    parser.add_argument("--concurrency", type=int, default=DEFAULT_CONCURRENCY, metavar="N",
                        help=f"suites run at once; steps within a suite always run in order (default: {DEFAULT_CONCURRENCY})")
    parser.add_argument("--junit", type=Path, metavar="FILE", help="write a JUnit XML report to FILE")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the report as JSON to FILE")
    parser.add_argument("--creator", help="Creator shown in reports (default: $KEPLOY_TUI_CREATOR, "
                        "else git user.email, else user@host)")
    parser.add_argument("--quiet", action="store_true", help="print failures and the summary only")
    parser.set_defaults(handler=run)


def add_auth_options(parser: argparse.ArgumentParser) -> None:
    """Add the run-level auth options that auth_from_args reads."""
    auth = parser.add_argument_group("authentication", "each secret can come from its environment "
                                     "variable instead, to keep it out of shell history")
    auth.add_argument("--bearer", metavar="TOKEN", help=f"send a Bearer token (env {SECRET_ENV['bearer']})")
    auth.add_argument("--basic", metavar="USER:PASS", help=f"send Basic credentials (env {SECRET_ENV['basic']})")
    auth.add_argument("--api-key", metavar="NAME=VALUE", help=f"send an API key (env {SECRET_ENV['api_key']})")
    auth.add_argument("--api-key-in", choices=("header", "query"), default="header",
                      help="send the API key as a header or a query parameter (default: header)")


def add_connection_options(parser: argparse.ArgumentParser) -> None:
    """Add --timeout (checked by check_timeout) and --insecure."""
    parser.add_argument("--timeout", type=_number_or_text, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                        help=f"per-step timeout in seconds, unless a step sets its own (default: {DEFAULT_TIMEOUT:g})")
    parser.add_argument("--insecure", action="store_true", help="skip TLS certificate verification")


def _number_or_text(text: str) -> float | str:
    """Convert an option value to a float, or return text that is not a number unchanged.

    check_timeout then rejects that text with the same message as a negative number.
    A type error raised here would make argparse print the usage text and its own message.
    """
    try:
        return float(text)
    except ValueError:
        return text


def run(args: argparse.Namespace) -> int:
    printer = Printer()
    try:
        data_dir = resolve_data_dir(args.data_dir)
        setup_logging(data_dir)
        store = ReportStore(data_dir)
        store.mark_interrupted()
        imported = load_any_paths(args.paths, args.environment)
        suites = imported.suites
        if not suites:
            raise UsageError(f"no suites found in {', '.join(args.paths)}")
        config = build_config(args, suites)
        check_export_paths(args)
        runner = Runner(suites, config, on_event=None)
    except (SuiteLoadError, UsageError, AuthError, StoreError, OSError) as error:
        print(f"keploy-tui run: {printable(error)}", file=sys.stderr)
        return 2

    if imported.warnings:
        print(f"keploy-tui run: imported {summary_counts(imported)}; `keploy-tui import` with the same "
              "paths lists the warnings", file=sys.stderr)
    progress = ProgressPrinter(printer, quiet=args.quiet, data_dir=args.data_dir)
    recorder = ReportRecorder(store)

    def on_event(event) -> None:
        recorder(event)
        progress(event)

    runner.on_event = on_event
    terminated = []
    try:
        report = asyncio.run(run_until_signal(runner, terminated))
    except (KeyboardInterrupt, asyncio.CancelledError):
        report = runner.report
    exported = write_exports(args, stored_report(store, report) if args.json else report)
    progress.summary(report)
    if not exported:
        return 2
    if report.status is RunStatus.CANCELLED:
        return 143 if terminated else 130
    return 0 if report.failed == 0 and report.passed == report.total else 1


async def run_until_signal(runner: Runner, terminated: list[bool]) -> Report:
    """Run, treating SIGTERM like Ctrl-C so a CI timeout still leaves a CANCELLED report and exports."""
    task = asyncio.current_task()

    def on_terminate() -> None:
        terminated.append(True)
        task.cancel()

    with contextlib.suppress(NotImplementedError):
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, on_terminate)
    return await runner.run()


def given_base_url(args: argparse.Namespace) -> tuple[str | None, str]:
    """Return --base-url, else KEPLOY_TUI_BASE_URL, with the name to put in an error about it."""
    if args.base_url:
        return args.base_url, "--base-url"
    # Read here rather than as the option's default, so that an error names the variable.
    return os.environ.get(BASE_URL_ENV), BASE_URL_ENV


def build_config(args: argparse.Namespace, suites) -> RunConfig:
    base_url, source = given_base_url(args)
    if not base_url:
        base_url = next((suite.default_base_url for suite in suites if suite.default_base_url), None)
        source = "default_base_url"
    if not base_url:
        raise UsageError("--base-url is required: give the API endpoint URL, e.g. --base-url http://127.0.0.1:8000")
    check_base_url(base_url, source)
    if args.concurrency < 1:
        raise UsageError(f"--concurrency must be at least 1, not {args.concurrency}")
    check_timeout(args.timeout)
    return RunConfig(
        base_url=base_url, auth=auth_from_args(args), timeout=args.timeout, verify_tls=not args.insecure,
        concurrency=args.concurrency, creator=resolve_creator(args.creator), variables=parse_vars(args.var),
        keep_bodies=False,
    )


def check_timeout(seconds: float | str) -> None:
    if isinstance(seconds, str):
        raise UsageError(f"--timeout must be a positive number of seconds, not {seconds!r}")
    if not math.isfinite(seconds) or seconds <= 0:
        raise UsageError(f"--timeout must be a positive number of seconds, not {seconds:g}")


def check_base_url(url: str, source: str = "--base-url") -> None:
    """Raise UsageError when `url` cannot be a base URL, naming `source`, the option or variable that gave it."""
    problem = base_url_error(url)
    if problem:
        raise UsageError(f"invalid {source} {url!r}: {problem}")


def auth_from_args(args: argparse.Namespace) -> Auth:
    options = {"bearer": args.bearer, "basic": args.basic, "api_key": args.api_key}
    given = [f"--{kind.replace('_', '-')}" for kind, value in options.items() if value]
    if len(given) > 1:
        raise UsageError(f"give one kind of authentication, not {' and '.join(given)}")
    if not given:
        # The environment is read only when no option is typed, so an exported
        # variable never conflicts with an option given for this one run.
        from_env = {kind: os.environ.get(SECRET_ENV[kind]) for kind in options}
        named = [SECRET_ENV[kind] for kind, value in from_env.items() if value]
        if len(named) > 1:
            raise UsageError(f"give one kind of authentication: {' and '.join(named)} are both set")
        options = from_env
    bearer, basic, api_key = options["bearer"], options["basic"], options["api_key"]
    if bearer:
        return Auth(kind="bearer", token=bearer)
    if basic:
        username, colon, password = basic.partition(":")
        if not colon:
            raise UsageError("--basic must be USER:PASS (the colon is missing)")
        return Auth(kind="basic", username=username, password=password)
    if api_key:
        name, equals, value = api_key.partition("=")
        if not equals or not name:
            raise UsageError("--api-key must be NAME=VALUE, e.g. X-Api-Key=abc123")
        return Auth(kind="api_key", name=name, value=value, location=args.api_key_in)
    return Auth()


def parse_vars(items: list[str]) -> dict[str, object]:
    variables: dict[str, object] = {}
    for item in items:
        name, equals, value = item.partition("=")
        if not equals or not name:
            raise UsageError(f"--var must be NAME=VALUE, not {item!r}")
        variables[name] = value
    return variables


def check_export_paths(args: argparse.Namespace) -> None:
    """Reject an export path that cannot be written before the run starts, not after it."""
    for option, path in (("--junit", args.junit), ("--json", args.json)):
        if path is None:
            continue
        if path.is_dir():
            raise UsageError(f"{option} {path} is a directory; give a file name, e.g. {path / 'report.xml'}")
        parent = path.parent
        while not parent.exists() and parent != parent.parent:
            parent = parent.parent
        if not parent.is_dir() or not os.access(parent, os.W_OK):
            raise UsageError(f"{option} {path}: cannot create a file there; check the folder exists and is writable")


def stored_report(store: ReportStore, report: Report) -> Report:
    """Return the stored copy of `report`, which still has the response bodies the run released."""
    try:
        return store.get(report.id)
    except (LookupError, StoreError) as error:
        log.error("could not read report %s back for the JSON export: %s", report.id, error)
        return report


def write_exports(args: argparse.Namespace, report: Report) -> bool:
    """Write the JUnit and JSON files asked for; returns False when one could not be written."""
    # Imported here: most runs write no export, and the XML modules slow every start.
    from keploy_tui.formats.junit import to_junit
    from keploy_tui.formats.report_json import to_json

    written = True
    for path, render in ((args.junit, to_junit), (args.json, to_json)):
        if path is None:
            continue
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(render(report), encoding="utf-8", errors="backslashreplace")
        except OSError as error:
            log.error("could not write %s for report %s: %s", path, report.id, error)
            print(f"keploy-tui run: could not write {path}: {error.strerror or error}", file=sys.stderr)
            written = False
    return written
