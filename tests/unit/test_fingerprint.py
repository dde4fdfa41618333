"""Step fingerprints: what counts as the same step when judging flakiness."""

from dataclasses import replace

from keploy_tui.engine.fingerprint import step_fingerprint
from keploy_tui.model import Assertion, Attempt, Auth, Step, StepResult

STEP = Step(
    name="Read post", method="GET", url="/posts/1", headers={"Authorization": "Bearer s3cr3t-token", "X-Trace": "1"},
    assertions=[Assertion(type="status_code", expected="200")],
    auth=Auth(kind="bearer", token="s3cr3t-token"),
)


def attempt(passed, fingerprint):
    return Attempt(started_at="2026-01-01T00:00:00+00:00", duration_ms=1.0, passed=passed,
                   step_fingerprint=fingerprint)


def test_fingerprint_ignores_name_and_credentials():
    renamed = replace(STEP, name="Renamed", description="why")
    new_token = replace(STEP, auth=Auth(kind="bearer", token="other"),
                        headers={"Authorization": "Bearer other", "X-Trace": "1"})

    assert step_fingerprint(renamed) == step_fingerprint(STEP)
    assert step_fingerprint(new_token) == step_fingerprint(STEP)


def test_fingerprint_changes_with_checks_and_request():
    accepted = replace(STEP, assertions=[Assertion(type="status_code", expected="404")])
    moved = replace(STEP, url="/posts/2")
    traced = replace(STEP, headers={"Authorization": "Bearer s3cr3t-token", "X-Trace": "2"})

    fingerprints = {step_fingerprint(step) for step in (STEP, accepted, moved, traced)}
    assert len(fingerprints) == 4


def test_disagreeing_attempts_of_one_definition_are_flaky():
    assert StepResult("s", 0, "a", 0, attempts=[attempt(False, "f1"), attempt(True, "f1")]).flaky
    # Reports written before fingerprints existed keep their old verdict.
    assert StepResult("s", 0, "a", 0, attempts=[attempt(False, None), attempt(True, None)]).flaky


def test_fix_across_an_edit_is_not_flaky():
    fixed = StepResult("s", 0, "a", 0, attempts=[attempt(False, "f1"), attempt(True, "f2")])
    relapsed = StepResult("s", 0, "a", 0, attempts=[attempt(False, "f1"), attempt(True, "f2"), attempt(False, "f2")])

    assert not fixed.flaky
    assert relapsed.flaky
