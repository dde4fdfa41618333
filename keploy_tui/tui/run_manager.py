"""Runs started from the app: one Runner per run in an async worker, its events turned into messages.

The Runner calls `on_event` in the event loop's thread. The handler here posts a message
for each badge change and hands persistence to a single writer thread, because the
store rewrites and fsyncs whole files, which would stall the screen if done in the loop.
The writer gets a copy of the report taken in the loop thread, so it never reads the
live report while the Runner changes it.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.worker import Worker, WorkerCancelled, WorkerFailed

from keploy_tui.engine.events import (
    RunEvent, RunFinished, RunQueued, RunStarted, StepFinished, SuiteFinished, SuiteStarted,
)
from keploy_tui.engine.runner import Runner
from keploy_tui.model import Auth, Report, RunConfig, RunStatus, Suite, SuiteStatus
from keploy_tui.store.recorder import ReportRecorder
from keploy_tui.store.reports import ReportStore
from keploy_tui.store.settings import SettingsStore
from keploy_tui.tui.messages import RunAccepted, RunEnded, StoreWriteFailed, SuiteProgress
from keploy_tui.tui.validation import base_url_error

if TYPE_CHECKING:
    from textual.app import App

log = logging.getLogger(__name__)

STEP_SAVE_INTERVAL = 1.0
"""Minimum seconds between saves of a run's step results. A killed app loses about this long of results."""
RUN_GROUP = "runs"


def report_copy(report: Report, with_steps: bool = True) -> Report:
    """Return a copy that later changes to the live report do not reach.

    Step results are shared, because the Runner never changes one after appending it.
    """
    return replace(
        report,
        suites=[replace(summary) for summary in report.suites],
        steps=list(report.steps) if with_steps else [],
    )


@dataclass
class ActiveRun:
    runner: Runner
    suite_keys: list[str]
    """Suite.key of each suite, by the Runner's suite index."""
    recorder: ReportRecorder
    worker: Worker[None] | None = None
    created: bool = False
    """True once the report's create write was handed to the writer."""
    last_steps_save: float = 0.0
    save_failed: bool = False
    # The loop thread sets `pending` and the writer thread takes it, under `lock`.
    pending: RunEvent | None = None
    write_queued: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)
    changed_suites: set[int] = field(default_factory=set)
    """Suites whose progress changed since it was last posted; see RunManager._progress_soon."""

    @property
    def report(self) -> Report:
        return self.runner.report


class RunManager:
    """Starts, tracks and cancels the app's runs, and stores their reports and settings."""

    def __init__(self, app: App[Any], reports: ReportStore, settings: SettingsStore,
                 *, step_save_interval: float = STEP_SAVE_INTERVAL) -> None:
        self.app = app
        self.reports = reports
        self.settings = settings
        self.step_save_interval = step_save_interval
        self.last_report_id: str | None = None
        self.configs: dict[str, RunConfig] = {}
        """The RunConfig of each report this session ran, by report id, so re-runs reuse its auth and variables."""
        self.cookies: dict[str, dict[int, Any]] = {}
        """Runner.cookies of each report this session ran, by report id, so re-runs send the run's cookies."""
        self._runs: dict[str, ActiveRun] = {}
        self._saving: dict[str, ActiveRun] = {}
        """Ended runs whose last writes are still queued, by report id; see live_report."""
        self._suite_runs: dict[str, tuple[ActiveRun, int]] = {}
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="keploy-tui-store")
        self._closed = False

    @property
    def active(self) -> bool:
        return bool(self._runs)

    def is_running(self, suite_key: str) -> bool:
        return suite_key in self._suite_runs

    def live_report(self, report_id: str) -> Report | None:
        """Return a copy of a report that a run of this app is writing, or None for any other report.

        Showing it from memory spares the screen reading the whole report file from
        disk every second while the run adds to it. A run that ended is still served
        from memory until its last writes are done, because the file may lag behind.
        """
        run = self._runs.get(report_id) or self._saving.get(report_id)
        return None if run is None else report_copy(run.report)

    def start(self, suites: list[Suite], base_url: str, auth: Auth, creator: str,
              variables: dict[str, str] | None = None) -> ActiveRun:
        """Start one run of `suites` in an app worker and remember the endpoint, auth and variables for each suite.

        Raises ValueError for an invalid URL and AuthError (a ValueError) when the auth
        cannot be resolved, for example an unset environment variable. Nothing is
        stored or remembered then.
        """
        problem = base_url_error(base_url)
        if problem is not None:
            raise ValueError(problem)
        config = RunConfig(base_url=base_url, auth=auth, creator=creator, variables=dict(variables or {}))
        runner = Runner(suites, config)
        run = ActiveRun(runner, [suite.key for suite in suites], ReportRecorder(self.reports, interval=0.0))
        runner.on_event = partial(self._on_event, run)

        self._runs[run.report.id] = run
        for index, key in enumerate(run.suite_keys):
            self._suite_runs[key] = (run, index)
        self.last_report_id = run.report.id
        self.configs[run.report.id] = config
        self.cookies[run.report.id] = runner.cookies
        self._submit(self._remember_settings, suites, base_url, auth, variables)
        for key, summary in zip(run.suite_keys, run.report.suites):
            self.app.post_message(SuiteProgress(
                key, SuiteStatus.QUEUED, 0, summary.total,
                report_id=run.report.id, created_at=run.report.created_at,
            ))

        log.info("Starting run %s of %d suite(s) from the app", run.report.id, len(suites))
        run.worker = self.app.run_worker(
            self._execute(run), name=f"run {run.report.id}", group=RUN_GROUP,
            description=f"{len(suites)} suite{'' if len(suites) == 1 else 's'}", exit_on_error=False,
        )
        return run

    def cancel_suite(self, suite_key: str) -> bool:
        """Cancel one running or queued suite. Returns False when it is not in a run that has begun."""
        entry = self._suite_runs.get(suite_key)
        if entry is None:
            return False
        run, index = entry
        # NOTE: a run whose worker has not yet reached Runner.run has no suite tasks, so
        # a cancel pressed in that first instant is rejected and must be repeated.
        return run.runner.cancel_suite(index)

    async def cancel_all(self) -> None:
        """Cancel every run, wait until each stored its CANCELLED report, and flush the writer."""
        workers = [run.worker for run in self._runs.values() if run.worker is not None]
        for worker in workers:
            worker.cancel()
        for worker in workers:
            try:
                await worker.wait()
            except (WorkerCancelled, WorkerFailed):
                pass
        await self.drain()

    async def drain(self) -> None:
        """Wait until every write handed to the writer so far is done."""
        if not self._closed:
            await asyncio.wrap_future(self._writer.submit(lambda: None))

    def close(self) -> None:
        """Finish the queued writes and stop the writer thread. Writes handed over later are dropped and logged."""
        if not self._closed:
            self._closed = True
            self._writer.shutdown(wait=True)

    async def _execute(self, run: ActiveRun) -> None:
        error: str | None = None
        try:
            await run.runner.run()
        except asyncio.CancelledError:
            # The Runner stores CANCELLED itself, unless the cancel came before its suites began.
            if run.report.status.active:
                self._end_unfinished(run, RunStatus.CANCELLED, SuiteStatus.CANCELLED)
            self._forget(run)
            raise
        except Exception as exc:
            # A failure outside any suite, such as creating the HTTP client, ends the run but not the app.
            log.exception("Run %s failed with an internal error", run.report.id)
            error = f"{type(exc).__name__}: {exc}"
            # NOTE: RunStatus has no FAILED, so such a run is stored INTERRUPTED with
            # its unfinished suites FAILED.
            self._end_unfinished(run, RunStatus.INTERRUPTED, SuiteStatus.FAILED)
        self._forget(run)
        self._saving[run.report.id] = run
        try:
            await self.drain()
        finally:
            self._saving.pop(run.report.id, None)
        self.app.post_message(RunEnded(report_copy(run.report, with_steps=False), error))

    def _end_unfinished(self, run: ActiveRun, status: RunStatus, suite_status: SuiteStatus) -> None:
        report = run.report
        for index, summary in enumerate(report.suites):
            if summary.status in (SuiteStatus.QUEUED, SuiteStatus.RUNNING):
                summary.status = suite_status
                self._post_progress(run, index)
        report.status = status
        report.finished_at = datetime.now(UTC).isoformat(timespec="milliseconds")
        if run.created:
            self._submit(self._write, run, RunFinished(report_copy(report)))

    def _forget(self, run: ActiveRun) -> None:
        self._runs.pop(run.report.id, None)
        for key in run.suite_keys:
            entry = self._suite_runs.get(key)
            if entry is not None and entry[0] is run:
                del self._suite_runs[key]

    def _on_event(self, run: ActiveRun, event: RunEvent) -> None:
        self._record(run, event)
        if isinstance(event, RunStarted):
            self.app.post_message(RunAccepted(event.report.id, [suite.name for suite in event.report.suites]))
        elif isinstance(event, (SuiteStarted, StepFinished, SuiteFinished)):
            self._progress_soon(run, event.suite_index)

    def _progress_soon(self, run: ActiveRun, index: int) -> None:
        """Post a suite's progress once the events arriving together have all been handled.

        The runner finishes a suite's steps in batches of up to 64. A message for each
        step made a key press wait behind up to 64 badge updates; now it waits behind one.
        """
        if not run.changed_suites:
            asyncio.get_running_loop().call_soon(self._post_changed, run)
        run.changed_suites.add(index)

    def _post_changed(self, run: ActiveRun) -> None:
        changed, run.changed_suites = run.changed_suites, set()
        for index in sorted(changed):
            self._post_progress(run, index)

    def _post_progress(self, run: ActiveRun, index: int) -> None:
        summary = run.report.suites[index]
        self.app.post_message(SuiteProgress(
            run.suite_keys[index], summary.status, summary.done, summary.total, summary.passed, summary.failed,
            report_id=run.report.id, created_at=run.report.created_at,
        ))

    def _record(self, run: ActiveRun, event: RunEvent) -> None:
        """Hand `event` to the writer: create and finish always, the rest coalesced."""
        if isinstance(event, StepFinished):
            now = time.monotonic()
            if now - run.last_steps_save < self.step_save_interval:
                return
            run.last_steps_save = now
        snapshot = replace(event, report=report_copy(event.report))
        if isinstance(event, RunQueued):
            run.created = True
            self._submit(self._write, run, snapshot)
            return
        if isinstance(event, RunFinished):
            self._submit(self._write, run, snapshot)
            return
        with run.lock:
            # A pending step save stays a step save, now carrying the newer copy.
            if isinstance(run.pending, StepFinished) and not isinstance(snapshot, StepFinished):
                snapshot = replace(run.pending, report=snapshot.report)
            run.pending = snapshot
            if run.write_queued:
                return
            run.write_queued = True
        self._submit(self._write_pending, run)

    def _write_pending(self, run: ActiveRun) -> None:
        with run.lock:
            event, run.pending, run.write_queued = run.pending, None, False
        if event is not None:
            self._write(run, event)

    def _write(self, run: ActiveRun, event: RunEvent) -> None:
        try:
            run.recorder(event)
        except Exception as error:
            log.exception("Could not save report %s after %s", event.report.id, type(event).__name__)
            if not run.save_failed:
                run.save_failed = True
                self.app.post_message(StoreWriteFailed(f"Could not save report {event.report.id}: {error}"))

    def _remember_settings(self, suites: list[Suite], base_url: str, auth: Auth,
                           variables: dict[str, str] | None) -> None:
        try:
            for suite in suites:
                self.settings.set_suite(suite.key, base_url, auth, variables)
        except Exception as error:
            log.exception("Could not save the endpoint, auth and variables of %d suite(s)", len(suites))
            self.app.post_message(StoreWriteFailed(f"Could not remember the endpoint and auth: {error}"))

    def _submit(self, function: Any, *args: Any) -> Future[Any] | None:
        if self._closed:
            log.warning("Dropped a store write after the writer stopped: %s", getattr(function, "__name__", function))
            return None
        return self._writer.submit(function, *args)
