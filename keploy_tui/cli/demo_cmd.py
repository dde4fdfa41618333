"""`keploy-tui demo` and `keploy-tui demo-server`: the bundled demo API and sample suites."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

SAMPLES_DIR = Path(__file__).resolve().parent.parent / "data" / "suites"
DEMO_SUITES_DIR = "demo-suites"
"""Folder of the data directory with the demo's copies of the sample suites."""


def add_parsers(commands: argparse._SubParsersAction) -> None:
    server = commands.add_parser("demo-server", help="serve the demo API alone",
                                 description="Serve the bundled demo API until Ctrl-C.")
    server.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    server.add_argument("--port", type=int, default=0, help="port to listen on; 0 picks a free one (default: 0)")
    server.set_defaults(handler=demo_server)

    demo = commands.add_parser("demo", help="start the demo API and open the app on the sample suites",
                               description="Start the demo API on a free 127.0.0.1 port in this process, "
                                           "load the bundled sample suites and open the app with the "
                                           "endpoint set to the demo API. Quitting stops the demo API.")
    demo.add_argument("--headless", action="store_true",
                      help="run the sample suites as `keploy-tui run` does and exit with its code")
    demo.set_defaults(handler=demo_command)


def demo_command(args: argparse.Namespace) -> int:
    if args.headless:
        return demo_run(args)
    return demo_app(args)


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


def demo_app(args: argparse.Namespace) -> int:
    """Open the app on the sample suites, pointed at an in-process demo API."""
    from keploy_tui.cli import app_cmd
    from keploy_tui.demo.server import DemoServer

    # The data directory and the log come first, so the demo API's start is logged.
    data_dir = app_cmd.prepare_data_dir(args)
    if data_dir is None:
        return app_cmd.EXIT_USAGE
    samples = copy_samples(Path(data_dir))
    with DemoServer() as server:
        return app_cmd.open_app(args, extra_sources=[str(samples)], demo_url=server.url, data_dir=data_dir)


def copy_samples(data_dir: Path) -> Path:
    """Copy the sample suites missing from `<data-dir>/demo-suites/` there, and return that folder.

    The app edits suite files in place (accept, ignore, the step editor), so the demo
    works on copies: the bundled samples stay as shipped, and edits made in one demo
    are still there in the next.
    """
    target = data_dir / DEMO_SUITES_DIR
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    for sample in sorted(SAMPLES_DIR.glob("*.yaml")):
        copy = target / sample.name
        if not copy.exists():
            shutil.copyfile(sample, copy)
    return target
