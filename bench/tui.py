"""Time the TUI's first screen with a large report store, and its key latency while a run streams.

Usage: .venv/bin/python bench/tui.py [--reports 5000] [--report-steps 50] [--run-steps 2000]
[--suites 20] [--repeat 3] [--runs 3] [--skip-first-screen] [--skip-latency] [--profile DIR]

KeployApp is driven through Textual's pilot (App.run_test: headless, 80x24) on a data
directory that contains --reports stored reports of --report-steps steps and remembers two
suite files: --suites suites of 50 steps, and one suite of --run-steps steps. Every step
is a GET to the fixed-response server of bench/run.py on 127.0.0.1.

- First screen: --repeat fresh processes each start the way `keploy-tui` does (imports,
  mark dead runs INTERRUPTED, build the app) and time until the first frame that shows
  every suite. Then one `j` until a frame shows the moved cursor, and `p` until a frame
  shows the reports list with every report.
- Key latency: one app runs the big suite --runs times for each of three screens, each
  run started from the Run modal (r, then enter) as a user does. While a run streams,
  j and k are pressed at random intervals of 20-80 ms on one screen: the suite list,
  the reports list (p), or the live run's report detail (v). A press counts as handled
  at the first frame drawn after the cursor moved, and on the detail screen only once
  the Request pane also shows the newly highlighted step. The runs add reports to
  the store, so the store ends with --reports plus 9 reports by default.

With --profile DIR, pyinstrument (a dev tool, not a dependency: pip install pyinstrument)
samples each child's event-loop thread and the thread that loads the suites at start,
and writes one text profile per part to DIR. The profiler slows the app down, so the
times printed in that run are not comparable with the others.

Keys go in through the driver as a terminal's keys do. A frame is a call of App._display
after the screen's compositor rendered an update. The headless driver writes nothing
to a terminal, so the time to write a frame to a real terminal is not included.
"""

from __future__ import annotations

import time

PROCESS_START = time.perf_counter()
"""Taken before the imports below, so the first-screen time includes importing the app."""

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

SCRIPT = str(Path(__file__).resolve())
PYTHON = sys.executable
SIZE = (80, 24)
RUN_SUITE_NAME = "bench run"
SMALL_SUITE_STEPS = 50
KEY_INTERVAL = (0.020, 0.080)
"""Seconds between key presses, drawn uniformly, so presses land at every point of the
app's 0.1 s table refresh and 1 s report reload."""
KEY_TIMEOUT = 10.0
"""Seconds to wait for a frame showing a key's effect before counting the press as lost."""
SETUP_TIMEOUT = 120.0
RANDOM_SEED = 1


# --- seeding, in the parent process ----------------------------------------------------

def prepare(work: Path, base_url: str, reports: int, report_steps: int, suites: int, run_steps: int) -> dict:
    """Write the suite files and a data directory with `reports` stored reports; return what the children need."""
    from run import make_template_report, write_suites
    from store_seed import seed_reports

    from keploy_tui.store.settings import SettingsStore

    # The big suite comes first, so it is the top row, where the cursor starts.
    big = write_suites(work / "run.yaml", 1, run_steps, name=RUN_SUITE_NAME)
    small = write_suites(work / "suites.yaml", suites, SMALL_SUITE_STEPS)
    data_dir = work / "data"
    template = make_template_report(base_url, work, report_steps)
    seed_reports(data_dir, template, reports)
    SettingsStore(data_dir).add_suite_sources([str(big), str(small)])
    return {"data_dir": str(data_dir), "suites": suites + 1, "reports": reports, "run_steps": run_steps,
            "base_url": base_url}


# --- the measured app, in child processes ----------------------------------------------

class Profiling:
    """Writer of pyinstrument profiles of one child's parts into a directory, or a no-op without one."""

    def __init__(self, directory: str | None) -> None:
        self.directory = Path(directory) if directory else None

    def start(self):
        if self.directory is None:
            return None
        from pyinstrument import Profiler

        # Sampling the thread's stack, not awaits: what runs on the event loop is what delays a key.
        profiler = Profiler(interval=0.001, async_mode="disabled")
        profiler.start()
        return profiler

    def stop(self, profiler, name: str) -> None:
        if profiler is None:
            return
        profiler.stop()
        path = self.directory / name.replace(" ", "-")
        # Frames of keploy_tui and Textual stay visible although both are installed libraries.
        options = {"show_regex": r".*[/\\](keploy_tui|textual)[/\\].*"}
        text = profiler.output_text(unicode=True, color=False, processor_options=options)
        path.with_suffix(".txt").write_text(text, encoding="utf-8")
        # The saved session renders differently later: pyinstrument --load=FILE -r html
        profiler.last_session.save(path.with_suffix(".pyisession"))


def timed_app_class(profiling: Profiling | None = None):
    """Return a KeployApp subclass that resolves waiters at the first frame for which their condition holds."""
    from keploy_tui.tui.app import KeployApp

    class TimedApp(KeployApp):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self.frame_waiters: list[tuple[Callable[[], bool], asyncio.Future[float]]] = []
            self.load_seconds: float | None = None
            """Duration of the start-up load in its thread worker: suite files, then the report index."""

        def _read_start_state(self):
            # The suites load in a thread worker, which a profile of the event loop does not see.
            profiler = profiling.start() if profiling else None
            started = time.perf_counter()
            try:
                return super()._read_start_state()
            finally:
                self.load_seconds = time.perf_counter() - started
                if profiling:
                    profiling.stop(profiler, "first-screen-load-thread")

        def _display(self, screen, renderable) -> None:
            super()._display(screen, renderable)
            # Textual 8.x skips the same two cases before writing a frame to the terminal.
            if renderable is None or self._batch_count:
                return
            now = time.perf_counter()
            for waiter in list(self.frame_waiters):
                condition, future = waiter
                if future.done():
                    self.frame_waiters.remove(waiter)
                elif holds(condition):
                    future.set_result(now)
                    self.frame_waiters.remove(waiter)

        def frame_where(self, condition: Callable[[], bool]) -> asyncio.Future[float]:
            """Return a future set to the perf_counter time of the first frame drawn with `condition()` true."""
            future = asyncio.get_running_loop().create_future()
            self.frame_waiters.append((condition, future))
            return future

    return TimedApp


def holds(condition: Callable[[], bool]) -> bool:
    # Conditions look up widgets that may not be mounted yet, or may be gone.
    try:
        return bool(condition())
    except Exception:
        return False


def send_key(app, key: str) -> None:
    """Send a key press through the driver, as Pilot.press does, without waiting for the app to handle it."""
    from textual import events

    event = events.Key(key, key if len(key) == 1 else None)
    event.set_sender(app)
    app._driver.send_message(event)


async def wait_until(condition: Callable[[], bool], description: str, timeout: float = SETUP_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not holds(condition):
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out after {timeout:g} s waiting for {description}")
        await asyncio.sleep(0.01)


async def frame_time(future: asyncio.Future[float], description: str, timeout: float = SETUP_TIMEOUT) -> float:
    try:
        return await asyncio.wait_for(future, timeout)
    except TimeoutError:
        raise SystemExit(f"timed out after {timeout:g} s waiting for a frame that shows {description}") from None


def suite_table(app):
    from keploy_tui.tui.widgets.suite_table import SuiteTable

    return app.suites_screen.query_one(SuiteTable)


def reports_table(app):
    from textual.widgets import DataTable

    from keploy_tui.tui.screens.reports import ReportsScreen

    screen = app.screen
    if not isinstance(screen, ReportsScreen):
        raise LookupError("the reports list is not the current screen")
    return screen.query_one("#reports", DataTable)


def detail_screen(app):
    from keploy_tui.tui.screens.report_detail import ReportDetailScreen

    screen = app.screen
    if not isinstance(screen, ReportDetailScreen):
        raise LookupError("the report detail is not the current screen")
    return screen


# --- first screen ----------------------------------------------------------------------

def first_screen_main(setup: dict) -> None:
    """Start the app as `keploy-tui` does and print the times of its first frames as JSON."""
    import argparse as arguments

    from keploy_tui.cli.app_cmd import prepare_data_dir

    profiling = Profiling(setup.get("profile"))
    app_class = timed_app_class(profiling)
    imported = time.perf_counter()
    profiler = profiling.start()
    data_dir = prepare_data_dir(arguments.Namespace(data_dir=setup["data_dir"]))
    if data_dir is None:
        raise SystemExit(f"could not prepare the data directory {setup['data_dir']}")
    prepared = time.perf_counter()
    result = asyncio.run(first_screen(app_class(data_dir), setup))
    profiling.stop(profiler, "first-screen-event-loop")
    result.update(imports=imported - PROCESS_START, prepare=prepared - imported)
    print(json.dumps(result))


async def first_screen(app, setup: dict) -> dict:
    started = time.perf_counter()
    first_frame = app.frame_where(lambda: True)
    all_suites = app.frame_where(lambda: app.loaded and suite_table(app).row_count == setup["suites"])
    async with app.run_test(size=SIZE):
        frame = await frame_time(first_frame, "anything")
        suites_shown = await frame_time(all_suites, "every suite")
        wall_shown = time.time()

        table = suite_table(app)
        row = table.cursor_row
        moved = app.frame_where(lambda: table.cursor_row == row + 1)
        pressed = time.perf_counter()
        send_key(app, "j")
        key_handled = await frame_time(moved, "the cursor moved by j", KEY_TIMEOUT)

        listed = app.frame_where(lambda: reports_table(app).row_count == setup["reports"])
        pressed_p = time.perf_counter()
        send_key(app, "p")
        reports_shown = await frame_time(listed, "every report in the reports list")
    return {
        "start_to_first_frame": frame - started,
        "load_thread": app.load_seconds,
        "start_to_suites": suites_shown - started,
        "process_to_suites": suites_shown - PROCESS_START,
        "wall_suites": wall_shown,
        "first_key": key_handled - pressed,
        "reports_screen": reports_shown - pressed_p,
    }


def run_child(mode: str, setup: dict) -> dict:
    """Run one measurement in a fresh interpreter and return the JSON it prints last."""
    completed = subprocess.run([PYTHON, SCRIPT, mode, json.dumps(setup)], capture_output=True, text=True)
    if completed.returncode != 0:
        raise SystemExit(f"bench/tui.py {mode} exited with {completed.returncode}:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.splitlines()[-1])


def bench_first_screen(setup: dict, repeat: int) -> None:
    runs = []
    for _ in range(repeat):
        spawned = time.time()
        result = run_child("--first-screen", setup)
        result["exec_to_suites"] = result["wall_suites"] - spawned
        runs.append(result)

    def median(name: str) -> str:
        # load_thread stays None if KeployApp no longer loads through _read_start_state.
        values = [run[name] for run in runs if run[name] is not None]
        return f"{statistics.median(values):>7.3f} s" if values else "    n/a"

    print(f"\nfirst screen: {setup['reports']} stored reports, {setup['suites']} suites; "
          f"median of {repeat} fresh processes")
    rows = [
        ("imports (keploy_tui.tui.app, Textual)", "imports"),
        ("prepare the data directory (mark INTERRUPTED)", "prepare"),
        ("app start to first frame", "start_to_first_frame"),
        ("app start to suite list shown", "start_to_suites"),
        ("  of which the load thread (suite files, report index)", "load_thread"),
        ("process start to suite list shown", "process_to_suites"),
        ("exec to suite list shown (interpreter start too)", "exec_to_suites"),
        ("first key (j) to a frame with the moved cursor", "first_key"),
        ("p to a frame with every report listed", "reports_screen"),
    ]
    for label, name in rows:
        print(f"  {label:<55} {median(name)}")


# --- key latency while a run streams -------------------------------------------------

def latency_main(setup: dict) -> None:
    app = timed_app_class()(Path(setup["data_dir"]))
    print(json.dumps(asyncio.run(key_latency(app, setup, Profiling(setup.get("profile"))))))


async def key_latency(app, setup: dict, profiling: Profiling) -> dict:
    results = {}
    randomizer = random.Random(RANDOM_SEED)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(lambda: app.loaded and suite_table(app).row_count == setup["suites"], "the suites")
        for screen in ("suite list", "reports list", "report detail"):
            result = results[screen] = {"samples": [], "lost": 0, "run_seconds": []}
            profiler = profiling.start()
            for _ in range(setup["runs"]):
                await start_run(app, setup["base_url"])
                started = time.perf_counter()
                if screen == "reports list":
                    send_key(app, "p")
                    await wait_until(lambda: reports_table(app).row_count >= setup["reports"], "the reports list")
                elif screen == "report detail":
                    send_key(app, "v")
                    await wait_until(lambda: detail_screen(app).step_list.row_count > 3, "the live report's steps")
                samples, lost = await press_while_running(app, screen, randomizer)
                await wait_until(lambda: not app.runs.active, "the run to finish")
                result["run_seconds"].append(time.perf_counter() - started)
                result["samples"] += samples
                result["lost"] += lost
                await app.runs.drain()
                check_run(app, setup["run_steps"])
                while app.screen is not app.suites_screen:
                    await pilot.press("escape")
            profiling.stop(profiler, f"latency {screen}")
    return results


async def start_run(app, base_url: str) -> None:
    """Start a run of the highlighted big suite through the Run modal, typing the endpoint as a user does."""
    from textual.widgets import Input

    from keploy_tui.tui.screens.run_modal import RunTestsModal

    table = suite_table(app)
    table.move_cursor(row=0, animate=False)
    previous = app.runs.last_report_id
    send_key(app, "r")

    def endpoint_focused() -> bool:
        return isinstance(app.screen, RunTestsModal) and app.focused is app.screen.query_one("#base-url", Input)

    await wait_until(endpoint_focused, "the Run modal's endpoint field")
    app.screen.query_one("#base-url", Input).value = base_url
    send_key(app, "enter")
    # RunManager.start sets last_report_id before its worker begins, so a short run is not missed.
    await wait_until(lambda: app.runs.last_report_id != previous, "the run to start")


async def press_while_running(app, screen: str, randomizer: random.Random) -> tuple[list[float], int]:
    """Press j and k until the run ends; return each press's latency in seconds and the count of lost presses."""
    samples: list[float] = []
    lost = 0
    while app.runs.active:
        await asyncio.sleep(randomizer.uniform(*KEY_INTERVAL))
        if not app.runs.active:
            break
        if screen == "suite list":
            table = suite_table(app)
            extra = None
        elif screen == "reports list":
            table = reports_table(app)
            extra = None
        else:
            detail = detail_screen(app)
            table = detail.step_list
            extra = pane_shows_highlighted(detail)
        # Rows 1 and 2 are steps on the detail screen (row 0 is the suite heading), and
        # rows exist on either side of the cursor on the two lists.
        low = 1 if screen == "report detail" else 0
        key, target = ("j", low + 1) if table.cursor_row <= low else ("k", low)

        def reacted(table=table, target=target, extra=extra) -> bool:
            return table.cursor_row == target and (extra is None or extra())

        future = app.frame_where(reacted)
        pressed = time.perf_counter()
        send_key(app, key)
        try:
            samples.append(await asyncio.wait_for(future, KEY_TIMEOUT) - pressed)
        except TimeoutError:
            lost += 1
    return samples, lost


def pane_shows_highlighted(detail) -> Callable[[], bool]:
    def shows() -> bool:
        step = detail.step_list.highlighted_step()
        shown = detail.active_pane()._shown
        return step is not None and shown is not None and shown[:2] == (step.suite_index, step.index)
    return shows


def check_run(app, run_steps: int) -> None:
    """Raise SystemExit unless the last run stored every step of the big suite as passed."""
    report = app.reports.get(app.runs.last_report_id, bodies=False)
    if report.total != run_steps or report.passed != run_steps:
        raise SystemExit(f"the run's report {report.id} has {report.passed} of {report.total} steps passed, "
                         f"expected all {run_steps}")


def percentile(samples: list[float], fraction: float) -> float:
    """Return the sample at `fraction` of the sorted samples, nearest rank."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def bench_latency(setup: dict) -> None:
    results = run_child("--latency", setup)
    print(f"\nkey latency while a {setup['run_steps']}-step run streams, {setup['reports']} stored reports "
          f"(ms from the key press to the frame that shows its effect)")
    print(f"  {'screen':<16} {'presses':>7} {'median':>7} {'p95':>7} {'max':>7} {'lost':>5} {'run s':>7}  "
          f"(median of {setup['runs']} runs)")
    for screen, result in results.items():
        samples = [seconds * 1000 for seconds in result["samples"]]
        if not samples:
            print(f"  {screen:<16} no press landed before the run ended")
            continue
        print(f"  {screen:<16} {len(samples):>7} {statistics.median(samples):>7.1f} "
              f"{percentile(samples, 0.95):>7.1f} {max(samples):>7.1f} {result['lost']:>5} "
              f"{statistics.median(result['run_seconds']):>7.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=5000,
                        help="stored reports in the data directory (default: 5000)")
    parser.add_argument("--report-steps", type=int, default=50, help="steps of each stored report (default: 50)")
    parser.add_argument("--run-steps", type=int, default=2000,
                        help="steps of the suite run while keys are pressed (default: 2000)")
    parser.add_argument("--suites", type=int, default=20,
                        help="suites of 50 steps listed besides the one that runs (default: 20)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="fresh processes for the first-screen times (default: 3)")
    parser.add_argument("--runs", type=int, default=3,
                        help="runs of the big suite while keys are pressed on each screen (default: 3)")
    parser.add_argument("--skip-first-screen", action="store_true", help="skip the first-screen times")
    parser.add_argument("--skip-latency", action="store_true", help="skip the key latency during a run")
    parser.add_argument("--profile", metavar="DIR", help="write pyinstrument profiles of each part to DIR")
    args = parser.parse_args()
    if args.reports < 1:
        parser.error("--reports must be at least 1")

    from run import start_server, stop_server

    print(f"python {sys.version.split()[0]}, terminal {SIZE[0]}x{SIZE[1]} (headless)")
    server, base_url = start_server()
    try:
        with tempfile.TemporaryDirectory(prefix="keploy-bench-tui-") as temp:
            seeding = time.perf_counter()
            setup = prepare(Path(temp), base_url, args.reports, args.report_steps, args.suites, args.run_steps)
            setup["runs"] = args.runs
            if args.profile:
                Path(args.profile).mkdir(parents=True, exist_ok=True)
                setup["profile"] = str(Path(args.profile).resolve())
            seconds = time.perf_counter() - seeding
            print(f"seeded {args.reports} reports of {args.report_steps} steps in {seconds:.1f} s")
            if not args.skip_first_screen:
                bench_first_screen(setup, args.repeat)
            if not args.skip_latency:
                bench_latency(setup)
    finally:
        stop_server(server)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--first-screen"]:
        first_screen_main(json.loads(sys.argv[2]))
    elif sys.argv[1:2] == ["--latency"]:
        latency_main(json.loads(sys.argv[2]))
    else:
        main()
