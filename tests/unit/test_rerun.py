"""Re-running steps of a report against httpx.MockTransport: attempts, totals, scope, lookups, exports."""

import asyncio
import json
import xml.etree.ElementTree as ET

import httpx
import pytest

from keploy_tui.engine.rerun import failed_targets, lost_cookies, rerun_steps
from keploy_tui.engine.runner import Runner
from keploy_tui.formats.junit import to_junit
from keploy_tui.formats.report_json import to_json
from keploy_tui.model import Assertion, Auth, Report, RunConfig, Step, Suite, SuiteStatus, SuiteSummary

BASE_URL = "http://api.test"


class AlternatingApp:
    """Responds to /flaky with 500 on odd-numbered calls and 200 on even ones, /broken with 500, others with 200."""

    def __init__(self) -> None:
        self.calls = 0
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path == "/flaky":
            self.calls += 1
            return httpx.Response(500 if self.calls % 2 else 200, json={"call": self.calls})
        if request.url.path == "/broken":
            return httpx.Response(500, json={"ok": False})
        if request.url.path == "/login":
            return httpx.Response(200, json={"token": "fresh"})
        return httpx.Response(200, json={"ok": True})


def status_200(name, url, **kwargs):
    return Step(name=name, method="GET", url=url, assertions=[Assertion("status_code", expected="200")], **kwargs)


def flaky_suite():
    return Suite(name="Flaky", steps=[status_200("Stable", "/ok"), status_200("Wobbly", "/flaky")])


def run_report(suites, app, **config):
    config.setdefault("base_url", BASE_URL)
    runner = Runner(suites, RunConfig(**config), transport=httpx.MockTransport(app))
    return asyncio.run(runner.run())


def rerun(report, suites, targets, app, **config):
    config.setdefault("base_url", BASE_URL)
    return asyncio.run(rerun_steps(report, suites, targets, RunConfig(**config), transport=httpx.MockTransport(app)))


def test_rerun_pass_makes_step_flaky():
    app = AlternatingApp()
    report = run_report([flaky_suite()], app)
    assert report.failed == 1
    assert failed_targets(report) == [(0, 1)]

    results = rerun(report, [flaky_suite()], failed_targets(report), app)

    wobbly = report.steps[1]
    assert results == [wobbly]
    assert [attempt.passed for attempt in wobbly.attempts] == [False, True]
    assert wobbly.attempts[0].response.status == 500
    assert wobbly.passed
    assert wobbly.flaky


def test_rerun_recounts_report_totals():
    app = AlternatingApp()
    report = run_report([flaky_suite()], app)
    assert report.suites[0].status is SuiteStatus.FAILED

    rerun(report, [flaky_suite()], [(0, 1)], app)

    assert (report.passed, report.failed) == (2, 0)
    assert report.suites[0].status is SuiteStatus.PASSED
    assert failed_targets(report) == []


def test_rerun_of_passing_step_can_fail():
    app = AlternatingApp()
    app.calls = 1  # the run's call is the second one, which passes
    report = run_report([flaky_suite()], app)
    assert report.passed == 2

    rerun(report, [flaky_suite()], [(0, 1)], app)

    assert report.failed == 1
    assert report.steps[1].flaky
    assert report.suites[0].status is SuiteStatus.FAILED


def test_rerun_keeps_attempts_across_calls():
    app = AlternatingApp()
    report = run_report([flaky_suite()], app)
    for _ in range(3):
        rerun(report, [flaky_suite()], [(0, 1)], app)
    assert len(report.steps[1].attempts) == 4
    assert report.steps[1].to_dict()["attempt_count"] == 4


def test_never_run_step_gets_a_result():
    suite = flaky_suite()
    report = Report(id="r-1", created_at="2026-01-01T00:00:00+00:00", creator="me",
                    suites=[SuiteSummary(name="Flaky", total=2, status=SuiteStatus.CANCELLED)])

    results = rerun(report, [suite], [(0, 1), (0, 0)], AlternatingApp())

    assert [(step.index, step.step) for step in report.steps] == [(0, "Stable"), (1, "Wobbly")]
    assert [step.step for step in results] == ["Wobbly", "Stable"]
    assert len(report.steps[1].attempts) == 1
    assert report.suites[0].done == 2
    assert (report.passed, report.failed) == (1, 1)
    assert report.suites[0].status is SuiteStatus.CANCELLED


def test_never_run_step_sees_earlier_extracts():
    # A variable named like a credential (token) would be stored redacted, so this one is not.
    login = Step(name="Login", method="GET", url="/login", extract={"ref": "$.token"})
    use = Step(name="Use", method="GET", url="/items/{{ref}}")
    suite = Suite(name="Chain", steps=[login, use])
    app = AlternatingApp()
    report = run_report([Suite(name="Chain", steps=[login])], app)
    report.suites[0].total = 2

    rerun(report, [suite], [(0, 1)], app)

    assert app.requests[-1].url.path == "/items/fresh"


def test_rerun_uses_latest_variables():
    suite = Suite(name="Vars", steps=[status_200("Item", "/items/{{item}}")])
    app = AlternatingApp()
    report = run_report([suite], app, variables={"item": "seven"})

    rerun(report, [suite], [(0, 0)], app)

    assert [request.url.path for request in app.requests] == ["/items/seven", "/items/seven"]


def test_rerun_sends_run_auth_and_redacts_it():
    app = AlternatingApp()
    report = run_report([flaky_suite()], app)

    rerun(report, [flaky_suite()], [(0, 1)], app, auth=Auth(kind="bearer", token="s3cret-token"))

    assert app.requests[-1].headers["authorization"] == "Bearer s3cret-token"
    stored = str(report.steps[1].latest.request)
    assert "s3cret-token" not in stored


def test_step_matched_by_name_after_reorder():
    app = AlternatingApp()
    report = run_report([flaky_suite()], app)
    reordered = Suite(name="Flaky", steps=[status_200("Wobbly", "/flaky"), status_200("Stable", "/ok")])

    rerun(report, [reordered], [(0, 1)], app)

    assert app.requests[-1].url.path == "/flaky"
    assert len(report.steps[1].attempts) == 2


def test_removed_suite_raises_lookup_error():
    app = AlternatingApp()
    report = run_report([flaky_suite()], app)
    sent = len(app.requests)

    with pytest.raises(LookupError, match="suite 'Flaky'"):
        rerun(report, [Suite(name="Other", steps=[])], [(0, 1)], app)
    assert len(app.requests) == sent


def test_removed_step_raises_lookup_error():
    app = AlternatingApp()
    report = run_report([flaky_suite()], app)
    renamed = Suite(name="Flaky", steps=[status_200("Stable", "/ok")])

    with pytest.raises(LookupError, match="step 'Wobbly'"):
        rerun(report, [renamed], [(0, 1)], app)
    assert len(report.steps[1].attempts) == 1


def test_failed_targets_sorted():
    app = AlternatingApp()
    failing = Suite(name="Failing", steps=[status_200("A", "/flaky"), status_200("B", "/flaky"),
                                           status_200("C", "/flaky")])
    report = run_report([failing, Suite(name="Second", steps=[status_200("D", "/broken")])], app,
                        concurrency=1)
    report.steps.reverse()

    assert failed_targets(report) == [(0, 0), (0, 2), (1, 0)]


def test_junit_marks_rerun_step_flaky():
    app = AlternatingApp()
    report = run_report([flaky_suite()], app)
    rerun(report, [flaky_suite()], [(0, 1)], app)

    root = ET.fromstring(to_junit(report))
    stable, wobbly = root.findall(".//testcase")

    properties = {item.get("name"): item.get("value") for item in wobbly.findall("properties/property")}
    assert properties == {"flaky": "true", "attempts": "2"}
    assert wobbly.find("failure") is None
    assert "2 attempts (failed, passed)" in wobbly.find("system-out").text
    assert stable.find("properties") is None
    assert root.get("failures") == "0"


def test_junit_flaky_keeps_latest_failure():
    app = AlternatingApp()
    app.calls = 1
    report = run_report([flaky_suite()], app)
    rerun(report, [flaky_suite()], [(0, 1)], app)

    wobbly = ET.fromstring(to_junit(report)).findall(".//testcase")[1]

    assert wobbly.find("failure") is not None
    assert wobbly.find("properties/property[@name='flaky']").get("value") == "true"


def test_json_export_has_flaky_and_count():
    app = AlternatingApp()
    report = run_report([flaky_suite()], app)
    rerun(report, [flaky_suite()], [(0, 1)], app)

    steps = json.loads(to_json(report))["steps"]

    assert [(step["flaky"], step["attempt_count"]) for step in steps] == [(False, 1), (True, 2)]
    assert Report.from_dict(json.loads(to_json(report))).steps[1].flaky


def session_app(request):
    """Set a session cookie at /login. Any other path returns 200 with that cookie, else 401."""
    if request.url.path == "/login":
        return httpx.Response(200, headers={"Set-Cookie": "sid=abc; Path=/"})
    return httpx.Response(200 if "sid=abc" in request.headers.get("cookie", "") else 401)


def session_suite():
    return Suite(name="Session", steps=[status_200("Login", "/login"), status_200("Me", "/me")])


def test_rerun_sends_the_run_cookies():
    runner = Runner([session_suite()], RunConfig(base_url=BASE_URL), transport=httpx.MockTransport(session_app))
    report = asyncio.run(runner.run())
    me = report.steps[1]
    assert me.passed

    asyncio.run(rerun_steps(report, [session_suite()], [(0, 1)], RunConfig(base_url=BASE_URL),
                            transport=httpx.MockTransport(session_app), cookies=runner.cookies))
    assert [attempt.passed for attempt in me.attempts] == [True, True]
    assert not lost_cookies(me)


def test_rerun_without_cookies_is_not_flaky():
    report = run_report([session_suite()], session_app)
    me = report.steps[1]
    assert ["Cookie", "<redacted>"] in me.latest.request.headers

    rerun(report, [session_suite()], [(0, 1)], session_app)
    assert [attempt.passed for attempt in me.attempts] == [True, False]
    assert lost_cookies(me)
    assert not me.flaky


def test_secret_named_variables_never_stored():
    login = Step(name="Login", method="POST", url="/login", body='{"password": "{{PASSWORD}}"}',
                 extract={"accessToken": "$.token"})
    use = Step(name="Use", method="GET", url="/items/{{accessToken}}")
    report = run_report([Suite(name="Secrets", steps=[login, use])], AlternatingApp(),
                        variables={"PASSWORD": "hunter22"})
    stored = to_json(report)
    assert report.passed == 2
    assert "hunter22" not in stored
    assert "fresh" not in stored


def test_rerun_fills_redacted_variable_from_config():
    suite = Suite(name="Vars", steps=[status_200("Item", "/items/{{api_key}}")])
    app = AlternatingApp()
    report = run_report([suite], app, variables={"api_key": "k-12345"})
    assert report.steps[0].latest.variables == {"api_key": "<redacted>"}

    rerun(report, [suite], [(0, 0)], app, variables={"api_key": "k-12345"})

    assert [request.url.path for request in app.requests] == ["/items/k-12345", "/items/k-12345"]


def test_rerun_hides_extracted_secrets():
    login = Step(name="Login", method="GET", url="/login", extract={"accessToken": "$.token"})
    use = Step(name="Use", method="GET", url="/items/{{accessToken}}")
    suite = Suite(name="Secrets", steps=[login, use])
    report = run_report([suite], AlternatingApp())

    rerun(report, [suite], [(0, 0), (0, 1)], AlternatingApp())

    assert [attempt.request.url for attempt in report.steps[1].attempts] == [f"{BASE_URL}/items/<redacted>"] * 2
    assert "fresh" not in to_json(report)


def test_never_run_step_gets_config_secret():
    first = status_200("One", "/one/{{PASSWORD}}")
    second = status_200("Two", "/two/{{PASSWORD}}")
    app = AlternatingApp()
    report = run_report([Suite(name="S", steps=[first])], app, variables={"PASSWORD": "hunter22"})
    report.suites[0].total = 2

    rerun(report, [Suite(name="S", steps=[first, second])], [(0, 1)], app, variables={"PASSWORD": "hunter22"})

    assert app.requests[-1].url.path == "/two/hunter22"
    assert "hunter22" not in to_json(report)


def test_short_secret_variable_hidden_by_name():
    report = run_report([Suite(name="S", steps=[status_200("One", "/one")])], AlternatingApp(),
                        variables={"PASSWORD": "abc", "token_ttl": "3600"})
    assert report.steps[0].latest.variables == {"PASSWORD": "<redacted>", "token_ttl": "3600"}


def test_failed_send_records_cookie():
    def app(request):
        if request.url.path == "/login":
            return httpx.Response(200, headers={"Set-Cookie": "sid=abc; Path=/"})
        raise httpx.ConnectError("refused", request=request)

    report = run_report([session_suite()], app)
    me = report.steps[1].latest
    assert me.error_kind == "refused"
    assert ["Cookie", "<redacted>"] in me.request.headers

