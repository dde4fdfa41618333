"""Persisting a run as its events arrive, so a killed process leaves a truthful report."""

from __future__ import annotations

import logging
import time

from keploy_tui.engine.events import RunEvent, RunFinished, RunQueued, StepFinished
from keploy_tui.store.reports import ReportStore

log = logging.getLogger(__name__)


class ReportRecorder:
    """An event handler that writes status changes at once and step results at most every `interval` seconds.

    Each finished step is serialized when its event arrives, so the runner may release
    its response body as soon as the event returns. The lines are appended to the
    report file in batches, so a save costs the new steps only. A process
    killed between saves loses at most `interval` seconds of step results.

    Steps are found by position: the runner only appends to `Report.steps` during a
    run, so the steps past the last one seen are the new ones. That also holds for
    events that a caller coalesced or copied.
    """

    def __init__(self, store: ReportStore, interval: float = 1.0) -> None:
        self.store = store
        self.interval = interval
        self._last_save = 0.0
        self._seen = 0
        self._pending: list[str] = []

    def __call__(self, event: RunEvent) -> None:
        report = event.report
        if isinstance(event, RunQueued):
            self.store.create(report)
            return
        new_steps = report.steps[self._seen:]
        self._pending.extend(self.store.step_line(report.id, step) for step in new_steps)
        self._seen += len(new_steps)
        if isinstance(event, StepFinished) and not isinstance(event, RunFinished):
            if time.monotonic() - self._last_save < self.interval:
                return
        self._last_save = time.monotonic()
        # Cleared only after the write, so a failed save is retried with the next one.
        self.store.append_steps(report, self._pending)
        self._pending = []
