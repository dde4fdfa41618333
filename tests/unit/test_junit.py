import xml.etree.ElementTree as ET

from keploy_tui.formats.junit import to_junit
from keploy_tui.model import (
    AssertionResult, Attempt, DiffEntry, Report, RunStatus, StepResult, SuiteSummary,
)


def attempt(passed, **kwargs):
    return Attempt(started_at="2026-01-01T00:00:00+00:00", duration_ms=12.5, passed=passed, **kwargs)


def sample_report():
    failing = attempt(False, assertions=[AssertionResult(
        type="json_equal", passed=False, key="$.id", message="type changed",
        diff=[DiffEntry(path="$.id", kind="type_changed", expected=42, actual="42",
                        expected_type="integer", actual_type="string")],
    )])
    steps = [
        StepResult(suite="Posts", suite_index=0, step="Create", index=0, attempts=[attempt(True)]),
        StepResult(suite="Posts", suite_index=0, step="Read", index=1, attempts=[failing]),
        StepResult(suite="Other", suite_index=1, step="Ping", index=0,
                   attempts=[attempt(False, error_kind="refused", error="refused: Connection refused \x00\x1b[31m")]),
    ]
    report = Report(id="r-1", created_at="2026-01-01T00:00:00+00:00", creator="me", status=RunStatus.CANCELLED,
                    suites=[SuiteSummary(name="Posts", total=2), SuiteSummary(name="Other", total=2)], steps=steps)
    report.recount()
    return report


def test_junit_counts_match_cases():
    root = ET.fromstring(to_junit(sample_report()))
    cases = root.findall(".//testcase")
    assert root.get("tests") == str(len(cases)) == "4"
    assert root.get("failures") == str(len(root.findall(".//failure"))) == "2"
    assert root.get("skipped") == "1"


def test_junit_case_names_are_suite_slash_step():
    root = ET.fromstring(to_junit(sample_report()))
    names = [case.get("name") for case in root.findall(".//testcase")]
    assert names[:3] == ["Posts / Create", "Posts / Read", "Other / Ping"]


def test_junit_failure_text_has_types():
    root = ET.fromstring(to_junit(sample_report()))
    failure = root.find(".//testcase[@name='Posts / Read']/failure")
    assert 'integer <42>' in failure.text
    assert 'string <"42">' in failure.text


def test_junit_control_characters_stay_valid_xml():
    text = to_junit(sample_report())
    root = ET.fromstring(text)
    failure = root.find(".//testcase[@name='Other / Ping']/failure")
    assert "\\x00" in failure.text
    assert "\x1b" not in text


def test_junit_repeated_names_made_unique():
    report = sample_report()
    report.steps[1].step = "Create"
    root = ET.fromstring(to_junit(report))
    names = [case.get("name") for case in root.findall(".//testcase")]
    assert len(names) == len(set(names))


def test_junit_per_step_time():
    root = ET.fromstring(to_junit(sample_report()))
    assert root.find(".//testcase").get("time") == "0.013"
