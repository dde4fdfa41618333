"""Re-running steps of a stored report in an App worker, and the message that reports the outcome.

The worker belongs to the App, so a re-run finishes and is saved even when the user
leaves the report screen before it ends.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from textual.message import Message
from textual.worker import Worker

from keploy_tui.engine.auth import AuthError
from keploy_tui.engine.rerun import LOST_COOKIES, lost_cookies, rerun_steps
from keploy_tui.model import Auth, Report, RunConfig, StepResult
from keploy_tui.tui.endpoints import stored_variables

if TYPE_CHECKING:
    from keploy_tui.tui.app import KeployApp

log = logging.getLogger(__name__)

RERUN_GROUP_PREFIX = "rerun "


class RerunFinished(Message):
    """A re-run of steps ended; `report` is the saved report with the new attempts, or None on error."""

    def __init__(self, report_id: str, report: Report | None, results: list[StepResult],
                 error: str | None = None) -> None:
        super().__init__()
        self.report_id = report_id
        self.report = report
        self.results = results
        self.error = error


def config_for(app: KeployApp, report: Report) -> RunConfig:
    """Return the run settings to re-run `report` with.

    In order: the RunConfig this app session ran the report with, then the endpoint, auth
    and variables remembered for the report's first loaded suite, then the report's own
    base URL without auth. Only the first keeps the run's timeout.
    """
    config = app.runs.configs.get(report.id)
    if config is not None:
        return config
    for summary in report.suites:
        suite = next((item for item in app.suites if item.name == summary.name), None)
        if suite is None:
            continue
        stored = app.settings.get_suite(suite.key)
        if stored and stored.get("base_url"):
            return RunConfig(base_url=app.live_url(str(stored["base_url"])), auth=Auth.from_dict(stored.get("auth")),
                             creator=report.creator, variables=stored_variables(stored))
    return RunConfig(base_url=app.live_url(report.base_url), creator=report.creator)


def missing_suite_error(app: KeployApp, report: Report, targets: list[tuple[int, int]], key: str) -> str | None:
    """Return why `targets` cannot be re-run because a suite of theirs is not loaded in the app, or None.

    A re-run takes each step's current definition from the loaded suites. `key` is the key
    that starts this re-run; the message names it as the key to press again after loading the suite.
    """
    loaded = {suite.name for suite in app.suites}
    for suite_index in sorted({suite_index for suite_index, _ in targets}):
        if not 0 <= suite_index < len(report.suites):
            continue
        summary = report.suites[suite_index]
        if summary.name in loaded:
            continue
        source = summary.source or "FILE"
        where = f"its file {summary.source}" if summary.source else "its suite file"
        return (f"Cannot re-run: suite '{summary.name}' is not loaded in the app. Load {where} "
                f"(i on the suite list, or keploy-tui open {source}), then press {key} again.")
    return None


def is_rerunning(app: KeployApp, report_id: str) -> bool:
    group = RERUN_GROUP_PREFIX + report_id
    return any(worker.group == group and worker.is_running for worker in app.workers)


def start_rerun(app: KeployApp, report_id: str, targets: list[tuple[int, int]]) -> Worker[None]:
    """Start re-running `targets` ((suite index, step index) pairs) of a stored report in an App worker."""
    return app.run_worker(_rerun(app, report_id, targets), name=f"re-run {len(targets)} steps of {report_id}",
                          group=RERUN_GROUP_PREFIX + report_id, exit_on_error=False)


async def _rerun(app: KeployApp, report_id: str, targets: list[tuple[int, int]]) -> None:
    results: list[StepResult] = []
    try:
        # A run that just ended may still have writes queued. The stored copy is read after
        # them, so it is complete and the re-run's save does not race the run's last one.
        await app.runs.drain()
        report = await asyncio.to_thread(app.reports.get, report_id, False)
        config = await asyncio.to_thread(config_for, app, report)
        results = await rerun_steps(report, app.suites, targets, config, cookies=app.runs.cookies.get(report_id))
        # Appending only the re-run steps keeps attempts another process saved meanwhile.
        await asyncio.to_thread(app.reports.append_steps, report, [app.reports.step_line(report.id, result) for result in results])
    except (LookupError, AuthError) as error:
        app.post_message(RerunFinished(report_id, None, results, str(error)))
        return
    except Exception as error:
        log.exception("Re-running %d steps of report %s failed", len(targets), report_id)
        app.post_message(RerunFinished(report_id, None, results, f"{type(error).__name__}: {error}"))
        return
    app.post_message(RerunFinished(report_id, report, results))


def outcome_sentence(message: RerunFinished) -> tuple[str, str]:
    """Return the toast text and severity for a finished re-run."""
    if message.error is not None:
        return f"Re-run failed: {message.error}", "error"
    passed = sum(1 for result in message.results if result.passed)
    if len(message.results) == 1:
        result = message.results[0]
        verdict = "passed" if result.passed else "failed"
        flaky = " The step is FLAKY: its attempts disagree." if result.flaky else ""
        cookies = f" {LOST_COOKIES}" if lost_cookies(result) else ""
        return f"Re-ran '{result.step}': {verdict} (attempt {len(result.attempts)}).{flaky}{cookies}", \
            "information" if result.passed else "warning"
    failed = len(message.results) - passed
    return f"Re-ran {len(message.results)} steps: {passed} passed, {failed} failed.", \
        "information" if not failed else "warning"
