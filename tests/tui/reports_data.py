"""Hand-built reports for the report screens' tests: fixed ids, times and bodies, so snapshots stay stable."""

from __future__ import annotations

import json
from pathlib import Path

from keploy_tui.model import (
    AssertionResult, Attempt, DiffEntry, Report, RequestRecord, ResponseRecord, RunStatus, StepResult,
    SuiteStatus, SuiteSummary,
)
from keploy_tui.store import ReportStore

REPORT_ID = "5f0c1a2b-0000-4000-8000-00000000000a"
EARLIER_ID = "4e7b9d30-0000-4000-8000-000000000009"
BASE_URL = "http://127.0.0.1:8000"
SUITE = "Posts CRUD"
LITERAL_BODY = '{"title": "[bold]loud", "note": "esc \x1b[31mred"}'


def attempt(path: str, status: int, body: dict | str, passed: bool, assertions: list[AssertionResult],
            duration_ms: float = 12.0) -> Attempt:
    text = body if isinstance(body, str) else json.dumps(body)
    return Attempt(
        started_at="2025-01-01T11:59:00+00:00", duration_ms=duration_ms, passed=passed,
        request=RequestRecord(method="GET", url=f"{BASE_URL}{path}",
                              headers=[["Accept", "application/json"], ["Authorization", "<redacted>"]]),
        response=ResponseRecord(status=status, reason="OK" if status == 200 else "Not Found",
                                headers=[["Content-Type", "application/json"], ["Set-Cookie", "a=1"],
                                         ["Set-Cookie", "b=2"]],
                                body=text, size=len(text.encode())),
        assertions=assertions,
    )


def status_ok(status: int) -> AssertionResult:
    return AssertionResult(type="status_code", passed=status == 200, expected="200", actual=str(status),
                           message="status 200" if status == 200 else f"expected status 200, got {status}")


def title_mismatch() -> AssertionResult:
    expected = {"id": 1, "title": "hello", "userId": 1}
    actual = {"id": "1", "title": "sunt aut facere", "userId": 1}
    return AssertionResult(
        type="json_equal", passed=False, key=None, expected=json.dumps(expected), actual=json.dumps(actual),
        message="2 differences: $.id type changed, $.title changed",
        diff=[
            DiffEntry(path="$.id", kind="type_changed", expected=1, actual="1", expected_type="int",
                      actual_type="str"),
            DiffEntry(path="$.title", kind="changed", expected="hello", actual="sunt aut facere",
                      expected_type="str", actual_type="str"),
        ],
    )


def sample_report(report_id: str = REPORT_ID, created_at: str = "2025-01-01T11:59:00+00:00",
                  read_passes: bool = False) -> Report:
    """A finished run of one suite with four steps: a pass, a JSON mismatch, a 404 and a literal body."""
    post = {"id": "1", "title": "sunt aut facere", "userId": 1}
    steps = [
        StepResult(SUITE, 0, "List posts", 0, "GET", "/posts",
                   [attempt("/posts", 200, [{"id": 1}], True, [status_ok(200)], 8.0)]),
        StepResult(SUITE, 0, "Read post 1", 1, "GET", "/posts/1",
                   [attempt("/posts/1", 200, post, read_passes, [status_ok(200)] if read_passes
                            else [status_ok(200), title_mismatch()], 15.0)]),
        StepResult(SUITE, 0, "Missing post", 2, "GET", "/posts/999",
                   [attempt("/posts/999", 404, {}, False, [status_ok(404)], 5.0)]),
        StepResult(SUITE, 0, "Literal body", 3, "GET", "/echo",
                   [attempt("/echo", 200, LITERAL_BODY, True, [status_ok(200)], 4.0)]),
    ]
    report = Report(id=report_id, created_at=created_at, creator="[bold]dev@example.com",
                    status=RunStatus.COMPLETED, base_url=BASE_URL, auth_kind="bearer",
                    suites=[SuiteSummary(name=SUITE, source="suites/posts.yaml", status=SuiteStatus.FAILED,
                                         total=4)],
                    finished_at=created_at, steps=steps)
    report.recount()
    return report


def store_reports(data_dir: Path) -> ReportStore:
    """Store an earlier run where "Read post 1" passed and the sample report, and return the store."""
    store = ReportStore(data_dir)
    store.create(sample_report(EARLIER_ID, "2024-12-31T10:00:00+00:00", read_passes=True))
    store.create(sample_report())
    return store
