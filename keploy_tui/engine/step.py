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


@dataclass
class Exchange:
    """A step that was sent: its request and response, or the attempt it already failed with.

    Checking and recording it is left to finish_step, so a runner can do that for
    several steps at once. Only the extraction, which the next step needs, is done.
    """

    step: Step
    started_at: str
    scope: dict[str, Any]
    """Variables in scope when the step started, unredacted."""
    secrets: list[str]
    """Secret values known when the step started, without the request's own."""
    duration_ms: float = 0.0
    request: PreparedRequest | None = None
    response: httpx.Response | None = None
    view: ResponseView | None = None
    extracted: dict[str, Any] = field(default_factory=dict)
    """Values the step extracted, unredacted, for the variables of the steps after it."""
    extract_results: list[AssertionResult] = field(default_factory=list)
    failed: Attempt | None = None


async def run_step(context: StepContext, suite: Suite, index: int, variables: dict[str, Any], *,
                   secret_names: set[str] | frozenset[str] = frozenset(),
                   extra_secrets: list[str] | tuple[str, ...] = ()) -> StepOutcome:
    """Run step `index` of `suite` with `variables` in scope: send_step, then finish_step."""
    exchange = await send_step(context, suite, index, variables, extra_secrets)
    return StepOutcome(finish_step(context, exchange, secret_names), exchange.extracted)


async def send_step(context: StepContext, suite: Suite, index: int, variables: dict[str, Any],
                    extra_secrets: list[str] | tuple[str, ...] = ()) -> Exchange:
    """Send step `index` of `suite` with `variables` in scope, and extract what the step names.

    `extra_secrets` are the credential values extracted by earlier steps. A failed
    exchange, an unset variable or unusable auth becomes a failed attempt, so this
    raises only CancelledError.
    """
    step = suite.steps[index]
    started_at = datetime.now(UTC).isoformat()
    start = time.perf_counter()
    scope = dict(variables)
    exchange = Exchange(step, started_at, scope, [*context.secrets, *extra_secrets])
    try:
        request = prepare(step, context.base_url, scope, context.auth)
    except MissingVariable as missing:
        message = missing_variable_message(suite, index, missing.name)
        exchange.failed = _failed(started_at, start, "variable", message, scope, exchange.secrets)
        return exchange
    except AuthError as error:
        message = f"auth of step '{step.name}': {error}"
        exchange.failed = _failed(started_at, start, "auth", message, scope, exchange.secrets)
        return exchange

    exchange.request = request
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
        redactor = Redactor([*exchange.secrets, *request.secrets], request.secret_headers)
        kind, message = _transport_failure(error, timeout, redactor)
        exchange.failed = _failed(started_at, start, kind, message, scope, [*exchange.secrets, *request.secrets])
        sent = transport.failed_request(error)
        cookie = sent.headers.get("cookie") if sent is not None else None
        exchange.failed.request = _request_record(request, redactor, cookie)
        return exchange

    exchange.duration_ms = (time.perf_counter() - start) * 1000
    exchange.response = response
    if step.extract:
        exchange.view = response_view(response)
        exchange.extracted, exchange.extract_results = extract_values(step, exchange.view)
    return exchange


def finish_step(context: StepContext, exchange: Exchange,
                secret_names: set[str] | frozenset[str] = frozenset()) -> Attempt:
    """Check a sent step's response and return the attempt as the report stores it, secrets redacted.

    `secret_names` are variables whose values are credentials (request.sensitive_variables).
    The values the step extracted for them are hidden too, in the whole attempt.
    """
    attempt = exchange.failed or _checked(context, exchange, secret_names)
    attempt.step_fingerprint = step_fingerprint(exchange.step)
    return attempt


def response_view(response: httpx.Response) -> ResponseView:
    return ResponseView(status=response.status_code, headers=header_list(response.headers), text=body_text(response))


def _checked(context: StepContext, exchange: Exchange, secret_names: set[str] | frozenset[str]) -> Attempt:
    request, response, extracted = exchange.request, exchange.response, exchange.extracted
    redactor = Redactor([*exchange.secrets, *request.secrets], request.secret_headers)
    record = _request_record(request, redactor, response.request.headers.get("cookie"))
    view = exchange.view or response_view(response)
    assertions, results = substitute_assertions(exchange.step.assertions, exchange.scope)
    results.extend(evaluate_all(assertions, view))
    results.extend(exchange.extract_results)
    for name in secret_names & extracted.keys():
        redactor.add(render_value(extracted[name]))
    return Attempt(
        started_at=exchange.started_at,
        duration_ms=round(exchange.duration_ms, 3),
        passed=all(result.passed for result in results),
        request=record,
        response=record_response(response, context.body_limit, redactor, view.text, view.headers),
        assertions=[redactor.assertion(result) for result in results],
        variables=redactor.variables(exchange.scope, secret_names),
        extracted=redactor.variables(extracted, secret_names),
    )


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
                f"add an extract for it, or give it a value when you run the suite "
                f"(--var {name}=VALUE, or Variables in the app's Run dialog)")
    setter = suite.steps[setters[0]]
    if setters[0] >= index:
        return (f"variable '{name}' is not set yet: step '{setter.name}' extracts it "
                f"but runs after this one; move that step earlier")
    return (f"variable '{name}' is not set: step '{setter.name}' should have extracted it "
            f"and did not; see that step's result")


def _request_record(request: PreparedRequest, redactor: Redactor, jar_cookie: str | None = None) -> RequestRecord:
    """Return the request as the report stores it. `jar_cookie` is the Cookie header the client added, if any."""
    url = request.full_url()
    headers = list(request.headers.items())
    if jar_cookie and not any(name.lower() == "cookie" for name, _ in headers):
        # The client adds the cookies of earlier responses. The dump shows that it did,
        # with the value redacted as in every Cookie header.
        headers.append(("Cookie", jar_cookie))
    return RequestRecord(
        method=request.method,
        url=redactor.text(url) or url,
        headers=redactor.headers(headers),
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
        variables=redactor.variables(scope),
    )
