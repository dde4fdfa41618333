"""Persisting a run as its events arrive, so a killed process leaves a truthful report."""

from __future__ import annotations

import logging
import time

from keploy_tui.engine.events import RunEvent, RunFinished, RunQueued, StepFinished
from keploy_tui.store.reports import ReportStore

log = logging.getLogger(__name__)


class ReportRecorder:
    """An event handler that writes status changes at once and step results at most every `interval` seconds.

    Step results are batched because the report file is rewritten whole on each save;
    a process killed between saves loses at most `interval` seconds of step results,
    and its report still shows the steps saved before.
    """

    def __init__(self, store: ReportStore, interval: float = 1.0) -> None:
        self.store = store
        self.interval = interval
        self._last_save = 0.0

    def __call__(self, event: RunEvent) -> None:
        report = event.report
        if isinstance(event, RunQueued):
            self.store.create(report)
        elif isinstance(event, StepFinished):
            now = time.monotonic()
            if now - self._last_save >= self.interval:
                self._last_save = now
                self.store.save_steps(report)
        elif isinstance(event, RunFinished):
            self.store.save_steps(report)
        else:
            self.store.update(report)
