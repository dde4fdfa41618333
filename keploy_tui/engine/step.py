"""Running one step: send the request, capture the response, evaluate and extract."""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

import httpx

from keploy_tui.engine import jsonpath, transport
from keploy_tui.engine.assertions import ResponseView, evaluate_all
from keploy_tui.engine.auth import AuthError
from keploy_tui.engine.capture import body_text, header_list, record_response
from keploy_tui.engine.fingerprint import step_fingerprint
from keploy_tui.engine.redact import Redactor
from keploy_tui.engine.request import PreparedRequest, prepare
from keploy_tui.engine.variables import MissingVariable, render_value, substitute
from keploy_tui.model import Assertion, AssertionResult, Attempt, Auth, RequestRecord, Step, Suite
from keploy_tui.model.run import DEFAULT_BODY_LIMIT, DEFAULT_TIMEOUT


@dataclass
class StepContext:
    """The settings every step of a run shares: endpoint, client, auth, timeout and secrets to hide."""

    client: httpx.AsyncClient
    base_url: str
    auth: Auth = field(default_factory=Auth)
    """Run-level auth, already resolved (secrets are literal values)."""
    timeout: float = DEFAULT_TIMEOUT
    body_limit: int = DEFAULT_BODY_LIMIT
    secrets: list[str] = field(default_factory=list)


@dataclass
class StepOutcome:
    attempt: Attempt
    """The attempt as the report stores it, secrets redacted."""
    extracted: dict[str, Any] = field(default_factory=dict)
    """Values the step extracted, unredacted, for the variables of the steps after it."""


async def run_step(context: StepContext, suite: Suite, index: int, variables: dict[str, Any], *,
                   secret_names: set[str] | frozenset[str] = frozenset(),
                   extra_secrets: list[str] | tuple[str, ...] = ()) -> StepOutcome:
    """Run step `index` of `suite` with `variables` in scope.

    `secret_names` are variables whose values are credentials, because a step puts them
    in an Authorization header. `extra_secrets` are the values of those extracted so far.
    The attempt stores neither. A failed exchange, an unset
    variable or unusable auth becomes a failed attempt, so this raises only CancelledError.
    """
    outcome = await _attempt(context, suite, index, variables, secret_names, extra_secrets)
    outcome.attempt.step_fingerprint = step_fingerprint(suite.steps[index])
    return outcome


async def _attempt(context: StepContext, suite: Suite, index: int, variables: dict[str, Any],
                   secret_names: set[str] | frozenset[str], extra_secrets: list[str] | tuple[str, ...]) -> StepOutcome:
    step = suite.steps[index]
    started_at = datetime.now(UTC).isoformat()
    start = time.perf_counter()
    scope = dict(variables)

    known_secrets = [*context.secrets, *extra_secrets]
    try:
        request = prepare(step, context.base_url, scope, context.auth)
    except MissingVariable as missing:
        message = missing_variable_message(suite, index, missing.name)
        return StepOutcome(_failed(started_at, start, "variable", message, scope, known_secrets))
    except AuthError as error:
        message = f"auth of step '{step.name}': {error}"
        return StepOutcome(_failed(started_at, start, "auth", message, scope, known_secrets))

    redactor = Redactor([*known_secrets, *request.secrets], request.secret_headers)
    record = _request_record(request, redactor)
    timeout = step.timeout if step.timeout is not None else context.timeout
    try:
        response = await context.client.request(
            request.method, request.full_url(), headers=request.headers,
            content=request.body.encode() if request.body is not None else None, timeout=timeout,
        )
    except Exception as error:  # noqa: BLE001
        # Besides httpx.HTTPError, a send can raise httpx.InvalidURL, a ValueError for an
        # illegal header value, or an OverflowError inside an ExceptionGroup for a port
        # above 65535. Each is this step's failure, not the run's.
        kind, message = _transport_failure(error, timeout, redactor)
        attempt = _failed(started_at, start, kind, message, scope, [*known_secrets, *request.secrets])
        attempt.request = record
        return StepOutcome(attempt)

    duration_ms = (time.perf_counter() - start) * 1000
    headers = header_list(response.headers)
    view = ResponseView(status=response.status_code, headers=headers, text=body_text(response))
    assertions, results = substitute_assertions(step.assertions, scope)
    results.extend(evaluate_all(assertions, view))
    extracted, extract_results = extract_values(step, view)
    results.extend(extract_results)
    for name in secret_names & extracted.keys():
        redactor.add(render_value(extracted[name]))
    attempt = Attempt(
        started_at=started_at,
        duration_ms=round(duration_ms, 3),
        passed=all(result.passed for result in results),
        request=record,
        response=record_response(response, context.body_limit, redactor, view.text, headers),
        assertions=[redactor.assertion(result) for result in results],
        variables=redactor.value(scope),
        extracted=redactor.value(extracted),
    )
    return StepOutcome(attempt, extracted)


def _transport_failure(error: Exception, timeout: float, redactor: Redactor) -> tuple[str, str]:
    kind = transport.failure_kind(error)
    if kind == "timeout":
        return kind, f"timeout: no response within {timeout:g} s"
    return kind, f"{kind}: {redactor.text(transport.describe(error))}"


def extract_values(step: Step, response: ResponseView) -> tuple[dict[str, Any], list[AssertionResult]]:
    """Return the values `step.extract` names, and a failed result for each path that is missing."""
    values: dict[str, Any] = {}
    failures: list[AssertionResult] = []
    if not step.extract:
        return values, failures
    for name, path in step.extract.items():
        try:
            values[name] = jsonpath.resolve(response.json(), path)
        except (jsonpath.PathNotFound, ValueError) as error:
            failures.append(AssertionResult(
                type="extract", passed=False, key=name, expected=path,
                message=f"could not extract {name} from {path}: {error}",
            ))
    return values, failures


def substitute_assertions(assertions: list[Assertion], variables: dict[str, Any]
                          ) -> tuple[list[Assertion], list[AssertionResult]]:
    """Fill `{{var}}` in each assertion's key and expected value; an unset variable fails that one."""
    ready: list[Assertion] = []
    failures: list[AssertionResult] = []
    for assertion in assertions:
        try:
            key = substitute(assertion.key, variables) if assertion.key else assertion.key
            expected = substitute(assertion.expected, variables) if assertion.expected else assertion.expected
        except MissingVariable as missing:
            failures.append(AssertionResult(
                type=assertion.type, passed=False, key=assertion.key, expected=assertion.expected,
                message=f"variable '{missing.name}' in this assertion is not set",
            ))
            continue
        changed = key is not assertion.key or expected is not assertion.expected
        ready.append(replace(assertion, key=key, expected=expected) if changed else assertion)
    return ready, failures


def missing_variable_message(suite: Suite, index: int, name: str) -> str:
    """Explain an unset variable, naming the step that should have set it."""
    setters = [position for position, step in enumerate(suite.steps) if name in step.extract]
    if not setters:
        return (f"variable '{name}' is not set: no step in suite '{suite.name}' extracts it; "
                f"add an extract for it or pass --var {name}=VALUE")
    setter = suite.steps[setters[0]]
    if setters[0] >= index:
        return (f"variable '{name}' is not set yet: step '{setter.name}' extracts it "
                f"but runs after this one; move that step earlier")
    return (f"variable '{name}' is not set: step '{setter.name}' should have extracted it "
            f"and did not; see that step's result")


def _request_record(request: PreparedRequest, redactor: Redactor) -> RequestRecord:
    url = request.full_url()
    return RequestRecord(
        method=request.method,
        url=redactor.text(url) or url,
        headers=redactor.headers(request.headers.items()),
        body=redactor.text(request.body),
    )


def _failed(started_at: str, start: float, kind: str, message: str, scope: dict[str, Any],
            secrets: list[str]) -> Attempt:
    redactor = Redactor(secrets)
    return Attempt(
        started_at=started_at,
        duration_ms=round((time.perf_counter() - start) * 1000, 3),
        passed=False,
        error_kind=kind,
        error=redactor.text(message),
        variables=redactor.value(scope),
    )
