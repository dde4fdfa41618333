"""Running suites: steps in order within a suite, suites concurrently up to a limit."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

import httpx

from keploy_tui.engine import auth as auth_rules
from keploy_tui.engine.events import (
    RunEvent, RunFinished, RunQueued, RunStarted, StepFinished, SuiteFinished, SuiteStarted,
)
from keploy_tui.engine.http_client import run_client, suite_cookies
from keploy_tui.engine.redact import secret_variable_values, strip_password, url_password
from keploy_tui.engine.request import sensitive_variables
from keploy_tui.engine.variables import render_value
from keploy_tui.engine.step import Exchange, StepContext, finish_step, send_step
from keploy_tui.engine.step_batch import StepBatch
from keploy_tui.model import Report, RunConfig, RunStatus, StepResult, Suite, SuiteStatus, SuiteSummary

log = logging.getLogger(__name__)

EventHandler = Callable[[RunEvent], None]


def new_report(suites: list[Suite], config: RunConfig) -> Report:
    """Return a QUEUED report for running `suites` with `config`."""
    return Report(
        id=str(uuid.uuid4()),
        created_at=datetime.now(UTC).isoformat(timespec="milliseconds"),
        creator=config.creator,
        base_url=strip_password(config.base_url),
        auth_kind=config.auth.kind,
        suites=[SuiteSummary(name=suite.name, source=suite.source, total=len(suite.steps)) for suite in suites],
        pid=os.getpid(),
        host=socket.gethostname(),
    )


class Runner:
    """Runs `suites` with one HTTP client; events go to `on_event`, in the event loop's thread.

    Raises AuthError from the constructor when the run-level auth cannot be resolved,
    so a front end can reject the run before anything is stored.
    """

    def __init__(self, suites: list[Suite], config: RunConfig, on_event: EventHandler | None = None,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.suites = suites
        self.config = config
        self.auth = auth_rules.resolve(config.auth)
        self.on_event = on_event or (lambda event: None)
        self.transport = transport
        self.report = new_report(suites, config)
        self.cookies: dict[int, httpx.Cookies] = {}
        """Each suite's cookie jar by suite index, so re-runs in the same process send the run's cookies."""
        self._tasks: dict[int, asyncio.Task[None]] = {}

    def emit(self, event: RunEvent) -> None:
        try:
            self.on_event(event)
        except Exception:
            # A broken display or store must not stop the run; the error is in the log.
            log.exception("event handler failed for %s of report %s", type(event).__name__, self.report.id)

    async def run(self) -> Report:
        """Run every suite and return the finished report; on cancellation, mark it CANCELLED and re-raise."""
        report = self.report
        self.emit(RunQueued(report))
        log.info("run %s started: %d suites against %s", report.id, len(self.suites), report.base_url)
        limit = asyncio.Semaphore(max(1, self.config.concurrency))
        async with run_client(self.config, self.transport) as client:
            context = StepContext(
                client=client, base_url=self.config.base_url, auth=self.auth, timeout=self.config.timeout,
                body_limit=self.config.body_limit, secrets=self._secrets(),
            )
            report.status = RunStatus.RUNNING
            self.emit(RunStarted(report))
            for index in range(len(self.suites)):
                self._tasks[index] = asyncio.create_task(self._run_suite(context, limit, index))
            try:
                await asyncio.gather(*self._tasks.values(), return_exceptions=True)
            except asyncio.CancelledError:
                for task in self._tasks.values():
                    task.cancel()
                await asyncio.gather(*self._tasks.values(), return_exceptions=True)
                self._finish(RunStatus.CANCELLED)
                raise
        cancelled = any(suite.status is SuiteStatus.CANCELLED for suite in report.suites)
        self._finish(RunStatus.CANCELLED if cancelled else RunStatus.COMPLETED)
        return report

    def _secrets(self) -> list[str]:
        secrets = [*auth_rules.secret_values(self.auth), *secret_variable_values(self.config.variables)]
        password = url_password(self.config.base_url)
        return [*secrets, password] if password else secrets

    def cancel_suite(self, index: int) -> bool:
        """Cancel one suite of a running run; returns False when it already finished."""
        task = self._tasks.get(index)
        if task is None or task.done():
            return False
        task.cancel()
        return True

    async def _run_suite(self, context: StepContext, limit: asyncio.Semaphore, index: int) -> None:
        suite, summary = self.suites[index], self.report.suites[index]
        secret_names = sensitive_variables(suite.steps)
        batch: StepBatch[tuple[int, Exchange]] = StepBatch(
            lambda sent: self._finish_steps(context, index, secret_names, sent))
        self.cookies[index] = suite_cookies()
        try:
            async with limit:
                summary.status = SuiteStatus.RUNNING
                self.emit(SuiteStarted(self.report, index))
                variables = dict(self.config.variables)
                extracted_secrets: list[str] = []
                try:
                    for step_index in range(len(suite.steps)):
                        exchange = await send_step(context, suite, step_index, variables, extracted_secrets)
                        if exchange.extracted:
                            variables.update(exchange.extracted)
                            extracted_secrets.extend(render_value(exchange.extracted[name])
                                                     for name in secret_names & exchange.extracted.keys())
                        batch.add((step_index, exchange), len(exchange.response.content) if exchange.response else 0)
                finally:
                    # Steps whose response arrived are checked and stored even when the suite is cancelled.
                    batch.flush()
                summary.status = SuiteStatus.PASSED if summary.failed == 0 else SuiteStatus.FAILED
        except asyncio.CancelledError:
            summary.status = SuiteStatus.CANCELLED
            log.info("run %s: suite %r cancelled after %d steps", self.report.id, suite.name, summary.done)
        except Exception:
            # An engine bug in one suite must not take down the others or the front end.
            summary.status = SuiteStatus.FAILED
            log.exception("run %s: suite %r failed with an internal error", self.report.id, suite.name)
        self.emit(SuiteFinished(self.report, index))

    def _finish_steps(self, context: StepContext, index: int, secret_names: set[str],
                      sent: list[tuple[int, Exchange]]) -> None:
        """Check and record sent steps of suite `index`, in order, emitting StepFinished for each."""
        suite, summary = self.suites[index], self.report.suites[index]
        for step_index, exchange in sent:
            attempt = finish_step(context, exchange, secret_names)
            step = suite.steps[step_index]
            result = StepResult(suite=suite.name, suite_index=index, step=step.name, index=step_index,
                                method=step.method, url=step.url, attempts=[attempt])
            self.report.steps.append(result)
            summary.done += 1
            summary.passed += attempt.passed
            summary.failed += not attempt.passed
            self.emit(StepFinished(self.report, index, result))
            if not self.config.keep_bodies and attempt.response is not None:
                # The handlers stored the step; a long run with large bodies
                # would otherwise hold every body in memory until it ends.
                attempt.response.body = ""
                attempt.response.released = True

    def _finish(self, status: RunStatus) -> None:
        report = self.report
        report.status = status
        report.finished_at = datetime.now(UTC).isoformat(timespec="milliseconds")
        log.info("run %s finished: %s, %d/%d passed", report.id, status.value, report.passed, report.total)
        self.emit(RunFinished(report))
