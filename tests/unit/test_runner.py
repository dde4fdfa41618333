"""The runner against httpx.MockTransport: ordering, chaining, auth, failures, cancellation."""

import asyncio
import json

import httpx
import pytest

from keploy_tui.engine.events import RunFinished, StepFinished, SuiteStarted
from keploy_tui.engine.runner import Runner
from keploy_tui.model import Assertion, Auth, RunConfig, RunStatus, Step, Suite, SuiteStatus


def json_response(status, data, **kwargs):
    return httpx.Response(status, json=data, **kwargs)


def posts_app(request: httpx.Request) -> httpx.Response:
    if request.method == "POST" and request.url.path == "/api/posts":
        body = json.loads(request.content)
        return json_response(201, {"id": 101, **body})
    if request.url.path == "/api/posts/101":
        return json_response(200, {"id": 101, "title": "hello"})
    if request.url.path == "/api/whoami":
        return json_response(200, {"auth": request.headers.get("authorization"), "query": str(request.url.query)})
    return json_response(404, {"error": "not found"})


def crud_suite():
    return Suite(name="Posts", steps=[
        Step(name="Create", method="POST", url="/posts", headers={"Content-Type": "application/json"},
             body='{"title": "hello", "userId": {{user}}}', extract={"post_id": "$.id"},
             assertions=[Assertion("status_code", expected="201"), Assertion("json_equal", key="$.userId", expected="1")]),
        Step(name="Read", method="GET", url="/posts/{{post_id}}",
             assertions=[Assertion("json_equal", key="$.title", expected='"hello"')]),
    ])


def run(suites, transport=posts_app, **config):
    config.setdefault("base_url", "http://api.test/api")
    events = []
    runner = Runner(suites, RunConfig(**config), events.append, transport=httpx.MockTransport(transport))
    report = asyncio.run(runner.run())
    return report, events


def test_chaining_passes_extracted_value():
    report, _ = run([crud_suite()], variables={"user": 1})
    assert [step.passed for step in report.steps] == [True, True]
    assert report.steps[1].latest.request.url == "http://api.test/api/posts/101"


def test_number_variable_stays_number_in_body():
    report, _ = run([crud_suite()], variables={"user": 1})
    assert json.loads(report.steps[0].latest.request.body)["userId"] == 1


def test_report_completed_with_totals():
    report, _ = run([crud_suite()], variables={"user": 1})
    assert report.status is RunStatus.COMPLETED
    assert (report.total, report.passed, report.failed) == (2, 2, 0)
    assert report.suites[0].status is SuiteStatus.PASSED


def test_missing_variable_names_setter_step():
    suite = crud_suite()
    suite.steps[0].extract = {}
    report, _ = run([suite], variables={"user": 1})
    read = report.steps[1].latest
    assert read.error_kind == "variable"
    assert "post_id" in read.error
    assert "no step in suite 'Posts' extracts it" in read.error


def test_missing_variable_after_failed_extract_names_step():
    suite = crud_suite()
    suite.steps[0].extract = {"post_id": "$.nope"}
    report, _ = run([suite], variables={"user": 1})
    assert "step 'Create' should have extracted it" in report.steps[1].latest.error
    assert report.steps[0].latest.passed is False


def test_failed_step_does_not_stop_suite():
    suite = crud_suite()
    suite.steps[0].assertions.append(Assertion("status_code", expected="200"))
    report, _ = run([suite], variables={"user": 1})
    assert [step.passed for step in report.steps] == [False, True]
    assert report.suites[0].status is SuiteStatus.FAILED


def test_events_in_order():
    _, events = run([crud_suite()], variables={"user": 1})
    kinds = [type(event).__name__ for event in events]
    assert kinds[:3] == ["RunQueued", "RunStarted", "SuiteStarted"]
    assert kinds.count("StepFinished") == 2
    assert kinds[-1] == "RunFinished"


def test_bearer_secret_redacted_in_report():
    suite = Suite(name="Who", steps=[Step(name="whoami", method="GET", url="/whoami")])
    report, _ = run([suite], auth=Auth(kind="bearer", token="sup3r-secret"))
    dumped = json.dumps(report.to_dict())
    assert "sup3r-secret" not in dumped
    assert ["Authorization", "<redacted>"] in report.steps[0].latest.request.headers


def test_api_key_query_redacted_in_url():
    suite = Suite(name="Who", steps=[Step(name="whoami", method="GET", url="/whoami")])
    report, _ = run([suite], auth=Auth(kind="api_key", name="api_key", value="k3y-value", location="query"))
    assert "k3y-value" not in json.dumps(report.to_dict())
    assert "api_key=" in report.steps[0].latest.request.url


def test_refused_connection_is_failed_step():
    def refuse(request):
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

    suite = Suite(name="S", steps=[Step(name="a", method="GET", url="/x")])
    report, _ = run([suite], transport=refuse)
    attempt = report.steps[0].latest
    assert attempt.error_kind == "refused"
    assert attempt.duration_ms >= 0
    assert report.status is RunStatus.COMPLETED


def test_timeout_is_failed_step_with_kind():
    def slow(request):
        raise httpx.ReadTimeout("timed out", request=request)

    suite = Suite(name="S", steps=[Step(name="a", method="GET", url="/x", timeout=0.5)])
    report, _ = run([suite], transport=slow)
    assert report.steps[0].latest.error_kind == "timeout"
    assert "0.5 s" in report.steps[0].latest.error


def test_dropped_connection_is_failed_step():
    def drop(request):
        raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)

    suite = Suite(name="S", steps=[Step(name="a", method="GET", url="/x")])
    report, _ = run([suite], transport=drop)
    assert report.steps[0].latest.error_kind == "dropped"


def test_concurrency_limit_keeps_suites_queued():
    started, peak, active = [], [0], [0]

    async def handler(request):
        active[0] += 1
        peak[0] = max(peak[0], active[0])
        await asyncio.sleep(0.01)
        active[0] -= 1
        return httpx.Response(200)

    suites = [Suite(name=f"S{i}", steps=[Step(name="a", method="GET", url="/x")] * 3) for i in range(5)]
    events = []
    runner = Runner(suites, RunConfig(base_url="http://h", concurrency=2), events.append,
                    transport=httpx.MockTransport(handler))
    asyncio.run(runner.run())
    assert peak[0] == 2
    assert sum(isinstance(event, SuiteStarted) for event in events) == 5


async def run_then_cancel(runner, after):
    """Start the run, cancel it `after` seconds later, and check that it re-raised the cancellation."""
    task = asyncio.create_task(runner.run())
    await asyncio.sleep(after)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


def test_cancel_marks_report_cancelled_with_steps_run():
    async def handler(request):
        await asyncio.sleep(0.05)
        return httpx.Response(200)

    suite = Suite(name="S", steps=[Step(name=f"s{i}", method="GET", url="/x") for i in range(50)])
    events = []
    runner = Runner([suite], RunConfig(base_url="http://h"), events.append, transport=httpx.MockTransport(handler))

    asyncio.run(run_then_cancel(runner, after=0.2))
    report = runner.report
    assert report.status is RunStatus.CANCELLED
    assert 0 < len(report.steps) < 50
    assert isinstance(events[-1], RunFinished)


def test_cancel_records_every_answered_step():
    # Steps with a response wait in a batch to be checked, and cancelling must not drop them.
    never = asyncio.Event()

    async def handler(request):
        if request.url.path == "/hang":
            await never.wait()
        return httpx.Response(200)

    steps = [Step(name=f"s{i}", method="GET", url="/x", assertions=[Assertion(type="status_code", expected="200")])
             for i in range(10)]
    suite = Suite(name="S", steps=[*steps, Step(name="hang", method="GET", url="/hang")])
    runner = Runner([suite], RunConfig(base_url="http://h"), transport=httpx.MockTransport(handler))

    asyncio.run(run_then_cancel(runner, after=0.01))
    assert [step.step for step in runner.report.steps] == [f"s{i}" for i in range(10)]
    assert runner.report.suites[0].passed == 10
    assert runner.report.suites[0].status is SuiteStatus.CANCELLED


def test_cancel_one_suite_leaves_others():
    async def handler(request):
        await asyncio.sleep(0.02)
        return httpx.Response(200)

    long = Suite(name="long", steps=[Step(name=f"s{i}", method="GET", url="/x") for i in range(100)])
    short = Suite(name="short", steps=[Step(name="s", method="GET", url="/x")])
    runner = Runner([long, short], RunConfig(base_url="http://h"), None, transport=httpx.MockTransport(handler))

    async def main():
        task = asyncio.create_task(runner.run())
        await asyncio.sleep(0.1)
        assert runner.cancel_suite(0)
        return await task

    report = asyncio.run(main())
    assert report.suites[0].status is SuiteStatus.CANCELLED
    assert report.suites[1].status is SuiteStatus.PASSED
    assert report.status is RunStatus.CANCELLED


def test_broken_event_handler_does_not_stop_run():
    def broken(event):
        if isinstance(event, StepFinished):
            raise RuntimeError("display broke")

    suite = Suite(name="S", steps=[Step(name="a", method="GET", url="/x")])
    runner = Runner([suite], RunConfig(base_url="http://h"), broken, transport=httpx.MockTransport(lambda r: httpx.Response(200)))
    report = asyncio.run(runner.run())
    assert report.status is RunStatus.COMPLETED


def test_binary_body_stored_base64():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00"
    suite = Suite(name="S", steps=[Step(name="a", method="GET", url="/x")])
    report, _ = run([suite], transport=lambda r: httpx.Response(200, content=png, headers={"Content-Type": "image/png"}))
    response = report.steps[0].latest.response
    assert response.base64 is True
    assert response.size == len(png)


def test_large_body_truncated_with_flag():
    suite = Suite(name="S", steps=[Step(name="a", method="GET", url="/x")])
    report, _ = run([suite], transport=lambda r: httpx.Response(200, text="x" * 5000), body_limit=1000)
    response = report.steps[0].latest.response
    assert response.truncated is True
    assert len(response.body) == 1000
    assert response.size == 5000


def test_repeated_response_headers_kept_in_order():
    headers = [("Set-Cookie", "a=1"), ("X-A", "1"), ("Set-Cookie", "b=2")]
    suite = Suite(name="S", steps=[Step(name="a", method="GET", url="/x")])
    report, _ = run([suite], transport=lambda r: httpx.Response(200, headers=headers))
    names = [name for name, _ in report.steps[0].latest.response.headers]
    assert names[:3] == ["Set-Cookie", "X-A", "Set-Cookie"]


def login_app(sent_cookies):
    """Return an app whose /login sets a session cookie. Each request's Cookie header goes to `sent_cookies`."""
    def app(request):
        sent_cookies.append(request.headers.get("cookie"))
        if request.url.path.endswith("/login"):
            return httpx.Response(200, headers={"Set-Cookie": "session=abc; Path=/"})
        return httpx.Response(200)
    return app


def get_steps(*names):
    return [Step(name=name, method="GET", url=f"/{name}") for name in names]


def test_cookie_reaches_later_steps():
    sent_cookies = []
    report, _ = run([Suite(name="S", steps=get_steps("before", "login", "a", "b"))], transport=login_app(sent_cookies))
    assert report.passed == 4
    assert sent_cookies == [None, None, "session=abc", "session=abc"]
    # The dump shows that the cookie was sent, never its value.
    assert ["Cookie", "<redacted>"] in report.steps[2].latest.request.headers
    assert not report.steps[1].latest.sent_cookie


def test_cookies_stay_within_their_suite():
    sent_cookies = []
    suites = [Suite(name="A", steps=get_steps("login", "a")), Suite(name="B", steps=get_steps("b"))]
    run(suites, transport=login_app(sent_cookies), concurrency=1)
    assert sent_cookies == [None, "session=abc", None]


def test_variables_substituted_in_assertions():
    suite = crud_suite()
    suite.steps[1].assertions = [Assertion("json_equal", key="$.id", expected="{{post_id}}")]
    report, _ = run([suite], variables={"user": 1})
    assert report.steps[1].passed


def test_unset_variable_in_assertion_fails_only_that_one():
    suite = crud_suite()
    suite.steps[1].assertions = [Assertion("json_equal", key="$.id", expected="{{nope}}"),
                                 Assertion("status_code", expected="200")]
    report, _ = run([suite], variables={"user": 1})
    results = report.steps[1].latest.assertions
    assert [result.passed for result in results] == [False, True]
    assert "nope" in results[0].message


def echo_auth(request):
    return json_response(200, {"auth": request.headers.get("authorization"), "url": str(request.url)})


def test_secret_redacted_in_assertion_results():
    suite = Suite(name="S", steps=[Step(name="a", method="GET", url="/x", assertions=[
        Assertion("json_equal", key="$.auth", expected='"nope"'),
        Assertion("json_equal", key="$", expected='{"auth": "x"}'),
    ])])
    report, _ = run([suite], transport=echo_auth, auth=Auth(kind="bearer", token="tok-in-diff"))
    assert "tok-in-diff" not in json.dumps(report.to_dict())


def test_url_encoded_query_key_redacted():
    suite = Suite(name="S", steps=[Step(name="a", method="GET", url="/x")])
    report, _ = run([suite], transport=echo_auth,
                    auth=Auth(kind="api_key", name="key", value="Ab+c/d=e&f g", location="query"))
    assert "Ab%2Bc%2Fd%3De%26f+g" not in json.dumps(report.to_dict())


def test_chained_value_containing_secret_sent_whole():
    suite = Suite(name="S", steps=[
        Step(name="a", method="GET", url="/slug", extract={"slug": "$.slug"}),
        Step(name="b", method="GET", url="/anything/{{slug}}"),
    ])
    sent = []

    def app(request):
        sent.append(request.url.path)
        return json_response(200, {"slug": "alpha-beta"})

    run([suite], transport=app, auth=Auth(kind="basic", username="u", password="beta"))
    assert sent[1] == "/api/anything/alpha-beta"


def test_base_url_password_not_stored():
    suite = Suite(name="S", steps=[Step(name="a", method="GET", url="/x")])
    report, _ = run([suite], transport=echo_auth, base_url="http://alice:urlpass99@api.test")
    assert "urlpass99" not in json.dumps(report.to_dict())


def test_lone_surrogate_body_does_not_crash():
    suite = Suite(name="S", steps=[Step(name="a", method="GET", url="/x", extract={"s": "$.s"},
                                        assertions=[Assertion("json_equal", key="$.s", expected='"x"')])])
    report, _ = run([suite], transport=lambda r: httpx.Response(200, text='{"s": "\\ud800"}',
                                                                 headers={"Content-Type": "application/json"}))
    assert report.steps[0].latest.passed is False


def test_invalid_port_is_failed_step():
    suite = Suite(name="S", steps=[Step(name="a", method="GET", url="/x")])
    runner = Runner([suite], RunConfig(base_url="http://127.0.0.1:99999"))
    report = asyncio.run(runner.run())
    assert report.steps[0].latest.error_kind == "url"
    assert "port must be 0-65535" in report.steps[0].latest.error


def test_token_in_step_header_never_stored():
    def app(request):
        if request.url.path.endswith("/login"):
            return json_response(200, {"token": "s3cr3t-login-token"})
        return json_response(200, {"echo": request.headers.get("authorization")})

    suite = Suite(name="S", steps=[
        Step(name="login", method="POST", url="/login", extract={"token": "$.token"}),
        Step(name="me", method="GET", url="/me", headers={"Authorization": "Bearer {{token}}"}),
        Step(name="again", method="GET", url="/me", headers={"Authorization": "Bearer {{token}}"}),
    ])
    report, _ = run([suite], transport=app)
    assert [step.passed for step in report.steps] == [True, True, True]
    assert "s3cr3t-login-token" not in json.dumps(report.to_dict())


def test_short_password_does_not_garble_bodies():
    suite = Suite(name="S", steps=[Step(name="a", method="GET", url="/x")])
    report, _ = run([suite], transport=lambda r: json_response(200, {"name": "banana"}),
                    auth=Auth(kind="basic", username="u", password="a"))
    assert "banana" in report.steps[0].latest.response.body
    assert ["Authorization", "<redacted>"] in report.steps[0].latest.request.headers
