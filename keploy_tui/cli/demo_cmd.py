"""`keploy-tui demo` and `keploy-tui demo-server`: the bundled demo API and sample suites."""

from __future__ import annotations

import argparse
from pathlib import Path

SAMPLES_DIR = Path(__file__).resolve().parent.parent / "data" / "suites"


def add_parsers(commands: argparse._SubParsersAction) -> None:
    server = commands.add_parser("demo-server", help="serve the demo API alone",
                                 description="Serve the bundled demo API until Ctrl-C.")
    server.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    server.add_argument("--port", type=int, default=0, help="port to listen on; 0 picks a free one (default: 0)")
    server.set_defaults(handler=demo_server)

    demo = commands.add_parser("demo", help="start the demo API and run the sample suites against it",
                               description="Start the demo API on a free 127.0.0.1 port and run the "
                                           "bundled sample suites against it.")
    demo.set_defaults(handler=demo_run)


def demo_server(args: argparse.Namespace) -> int:
    from keploy_tui.demo.server import serve_forever

    serve_forever(args.host, args.port)
    return 0


def demo_run(args: argparse.Namespace) -> int:
    """Run the sample suites headless against an in-process demo API."""
    from keploy_tui.cli import run_cmd
    from keploy_tui.demo.server import DemoServer

    with DemoServer() as server:
        argv = [str(SAMPLES_DIR), "--base-url", server.url]
        parser = argparse.ArgumentParser()
        commands = parser.add_subparsers()
        run_cmd.add_parser(commands)
        run_args = parser.parse_args(["run", *argv])
        run_args.data_dir = args.data_dir
        return run_args.handler(run_args)


def open_app(args: argparse.Namespace) -> int:
    # NOTE: the Textual app is not built yet; until it is, show the commands that exist.
    from keploy_tui.cli import build_parser

    build_parser().print_help()
    return 0
