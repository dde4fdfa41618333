"""Re-running steps of a stored report: one flaky step, or every failed one."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import httpx

from keploy_tui.engine import auth as auth_rules
from keploy_tui.engine.http_client import run_client, suite_cookies
from keploy_tui.engine.request import sensitive_variables
from keploy_tui.engine.variables import render_value
from keploy_tui.engine.redact import secret_variable_values, url_password
from keploy_tui.engine.step import StepContext, run_step
from keploy_tui.model import REDACTED, Report, RunConfig, StepResult, Suite, SuiteStatus

log = logging.getLogger(__name__)


LOST_COOKIES = ("Its run sent cookies, which reports do not keep, so this re-run sent none. "
                "Run the suite again to check the step.")
"""Said of a re-run step for which lost_cookies is true."""


def lost_cookies(result: StepResult) -> bool:
    """Tell whether an earlier attempt of the step sent cookies and its latest, a re-run, sent none."""
    return any(attempt.sent_cookie for attempt in result.attempts[:-1]) and not result.attempts[-1].sent_cookie


def failed_targets(report: Report) -> list[tuple[int, int]]:
    """Return `(suite_index, step_index)` of every step whose latest attempt failed, in suite then step order.

    A step that never ran (the run was cancelled first) has no verdict and is not listed.
    """
    failed = [step for step in report.steps if step.attempts and not step.passed]
    return sorted((step.suite_index, step.index) for step in failed)


async def rerun_steps(report: Report, suites: list[Suite], targets: list[tuple[int, int]], config: RunConfig,
                      transport: httpx.AsyncBaseTransport | None = None,
                      on_result: Callable[[StepResult], None] | None = None,
                      cookies: dict[int, httpx.Cookies] | None = None) -> list[StepResult]:
    """Run each `(suite_index, step_index)` of `report` again, in the order given, and return their results.

    `suites` are the current definitions. Each report suite is matched by name and each
    step by its name, so a suite edited since the run still re-runs the right step.
    Every re-run appends an Attempt, keeping the earlier ones, and `report` is recounted
    after each one. `on_result` is called after each re-run, for live progress. Nothing is
    saved: the caller saves with ReportStore.save_steps.

    `cookies` are the run's cookie jars by suite index (Runner.cookies), when this process
    ran the report. Reports do not store cookies, so otherwise each suite starts with an
    empty jar, which the re-run steps of that suite share.

    Raises LookupError, before sending anything, when a target's suite or step no longer
    exists, and AuthError when `config.auth` cannot be resolved.
    """
    resolved = [_resolve_target(report, suites, target) for target in targets]
    run_auth = auth_rules.resolve(config.auth)
    secrets = [*auth_rules.secret_values(run_auth), *secret_variable_values(config.variables)]
    password = url_password(config.base_url)
    if password:
        secrets.append(password)

    results: list[StepResult] = []
    # Values extracted by steps re-run in this call, per suite index, unredacted, so that
    # re-running a step that sets a variable feeds the real value to later targets.
    fresh: dict[int, dict[int, dict[str, Any]]] = {}
    jars = dict(cookies or {})
    async with run_client(config, transport) as client:
        context = StepContext(client=client, base_url=config.base_url, auth=run_auth, timeout=config.timeout,
                              body_limit=config.body_limit, secrets=secrets)
        # Once per suite: re-running every failed step of a long suite would scan it once per step.
        secret_names_of = {suite_index: sensitive_variables(suite.steps) for (suite_index, _), suite, _ in resolved}
        for (suite_index, step_index), suite, definition_index in resolved:
            jars[suite_index] = suite_cookies(jars.get(suite_index))
            variables = _scope(report, config, suite_index, step_index, fresh.get(suite_index, {}))
            secret_names = secret_names_of[suite_index]
            # Credentials that earlier re-run steps extracted, so this step's attempt hides them too.
            extracted_secrets = [render_value(values[name]) for values in fresh.get(suite_index, {}).values()
                                 for name in secret_names & values.keys()]
            outcome = await run_step(context, suite, definition_index, variables,
                                     secret_names=secret_names, extra_secrets=extracted_secrets)
            fresh.setdefault(suite_index, {})[step_index] = outcome.extracted
            result = _result_for(report, suite, suite_index, step_index, definition_index)
            result.attempts.append(outcome.attempt)
            _recount(report, suite_index)
            log.info("report %s: re-ran %r / %r, attempt %d %s", report.id, result.suite, result.step,
                     len(result.attempts), "passed" if result.passed else "failed")
            results.append(result)
            if on_result is not None:
                on_result(result)
    return results


def _resolve_target(report: Report, suites: list[Suite], target: tuple[int, int]) -> tuple[tuple[int, int], Suite, int]:
    """Return the target with its current suite definition and the step's index in it."""
    suite_index, step_index = target
    if not 0 <= suite_index < len(report.suites):
        raise LookupError(f"report {report.id} has no suite number {suite_index + 1}")
    name = report.suites[suite_index].name
    suite = next((candidate for candidate in suites if candidate.name == name), None)
    if suite is None:
        raise LookupError(f"suite '{name}' is no longer defined; re-run the whole run instead")

    existing = _find_result(report, suite_index, step_index)
    if existing is None:
        # A step that never ran has no stored name, so its position in the current suite decides.
        if not 0 <= step_index < len(suite.steps):
            raise LookupError(f"suite '{name}' has no step number {step_index + 1} any more")
        return target, suite, step_index
    positions = [position for position, step in enumerate(suite.steps) if step.name == existing.step]
    if not positions:
        raise LookupError(f"step '{existing.step}' is no longer in suite '{name}'")
    # Two steps may share a name, so the one at the stored position wins when it matches.
    position = step_index if step_index in positions else positions[0]
    return target, suite, position


def _find_result(report: Report, suite_index: int, step_index: int) -> StepResult | None:
    return next((step for step in report.steps if step.suite_index == suite_index and step.index == step_index), None)


def _scope(report: Report, config: RunConfig, suite_index: int, step_index: int,
           fresh: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """Return the variables in scope at a step, with values re-extracted in this call on top.

    A step that ran gets the variables it last ran with. A step that never ran gets those of
    the earlier steps plus what they extracted.

    A value stored as "<redacted>", such as a password given with --var, comes from
    `config.variables` when it has that name.

    NOTE: an extracted secret has no such source, so a step that uses one is re-run with
    "<redacted>" in its place, unless the step that extracts it is re-run first.
    """
    existing = _find_result(report, suite_index, step_index)
    if existing is not None and existing.latest is not None:
        scope = dict(existing.latest.variables)
    else:
        scope = dict(config.variables)
        earlier = sorted((step for step in report.steps if step.suite_index == suite_index
                          and step.index < step_index and step.latest is not None), key=lambda step: step.index)
        # An earlier step's variables hold the run's own (from --var), which the report keeps nowhere else.
        for step in earlier:
            scope.update(step.latest.variables)
            scope.update(step.latest.extracted)
    _restore_redacted(scope, config.variables)
    for index in sorted(fresh):
        if index < step_index:
            scope.update(fresh[index])
    return scope


def _restore_redacted(scope: dict[str, Any], values: dict[str, Any]) -> None:
    """Put back each of `values` whose name is missing from the stored scope or stored redacted."""
    for name, value in values.items():
        if scope.get(name, REDACTED) == REDACTED:
            scope[name] = value


def _result_for(report: Report, suite: Suite, suite_index: int, step_index: int, definition_index: int) -> StepResult:
    existing = _find_result(report, suite_index, step_index)
    if existing is not None:
        return existing
    step = suite.steps[definition_index]
    result = StepResult(suite=report.suites[suite_index].name, suite_index=suite_index, step=step.name,
                        index=step_index, method=step.method, url=step.url)
    report.steps.append(result)
    report.steps.sort(key=lambda item: (item.suite_index, item.index))
    return result


def _recount(report: Report, suite_index: int) -> None:
    report.recount()
    summary = report.suites[suite_index]
    # A finished suite's badge follows its counts; a cancelled or interrupted one keeps its status,
    # because steps that never ran still have no verdict.
    if summary.status in (SuiteStatus.PASSED, SuiteStatus.FAILED):
        summary.status = SuiteStatus.PASSED if summary.failed == 0 else SuiteStatus.FAILED
