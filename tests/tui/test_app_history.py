"""The Textual-free helpers of the suite list: relative ages, the last run per suite, loading sources."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from keploy_tui.model import Report, Suite, SuiteStatus, SuiteSummary
from keploy_tui.tui.history import RunHistory, parse_time, relative_time
from keploy_tui.tui.suite_sources import load_sources
from tests.tui.conftest import write_suite

NOW = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("age", "expected"), [
    (timedelta(seconds=0), "just now"),
    (timedelta(seconds=59), "just now"),
    (timedelta(seconds=-30), "just now"),
    (timedelta(minutes=1), "1 min ago"),
    (timedelta(minutes=59, seconds=59), "59 min ago"),
    (timedelta(hours=2), "2 h ago"),
    (timedelta(days=3), "3 d ago"),
])
def test_relative_time(age, expected):
    assert relative_time(NOW - age, NOW) == expected


def test_relative_time_old_is_date():
    then = NOW - timedelta(days=400)
    assert relative_time(then, NOW) == then.astimezone().strftime("%Y-%m-%d")


def test_parse_time_without_offset_is_utc():
    assert parse_time("2025-01-01T12:00:00") == NOW
    assert parse_time("not a time") is None


def report(report_id: str, age: timedelta, *summaries: SuiteSummary) -> Report:
    return Report(id=report_id, created_at=(NOW - age).isoformat(), creator="x", suites=list(summaries))


def test_history_keeps_newest_per_suite():
    older = report("a", timedelta(hours=2), SuiteSummary(name="S", source="/s.yaml", passed=1, failed=1))
    newer = report("b", timedelta(hours=1), SuiteSummary(name="S", source="/s.yaml", passed=2))
    history = RunHistory.from_reports([newer, older])
    last = history.get(Suite(name="S", source="/s.yaml"))
    assert last.report_id == "b"
    assert (last.passed, last.failed) == (2, 0)


def test_history_takes_rerun_counts():
    first = report("a", timedelta(hours=1), SuiteSummary(name="S", source="/s.yaml", passed=1, failed=1))
    history = RunHistory.from_reports([first])
    rerun = report("a", timedelta(hours=1), SuiteSummary(name="S", source="/s.yaml", passed=2))
    history.add(rerun)
    last = history.get(Suite(name="S", source="/s.yaml"))
    assert (last.passed, last.failed) == (2, 0)


def test_history_rerun_of_older_report_ignored():
    older = report("a", timedelta(hours=2), SuiteSummary(name="S", source="/s.yaml", passed=1, failed=1))
    newer = report("b", timedelta(hours=1), SuiteSummary(name="S", source="/s.yaml", failed=2))
    history = RunHistory.from_reports([older, newer])
    history.add(report("a", timedelta(hours=2), SuiteSummary(name="S", source="/s.yaml", passed=2)))
    assert history.get(Suite(name="S", source="/s.yaml")).report_id == "b"


def test_history_matches_by_key_before_name():
    relative = report("cli", timedelta(minutes=1), SuiteSummary(name="S", source="s.yaml", passed=5))
    exact = report("app", timedelta(hours=1), SuiteSummary(name="S", source="/abs/s.yaml", passed=3))
    history = RunHistory.from_reports([relative, exact])
    assert history.get(Suite(name="S", source="/abs/s.yaml")).report_id == "app"
    assert history.get(Suite(name="S", source="/elsewhere/s.yaml")).report_id == "cli"
    assert history.get(Suite(name="Other", source="/abs/s.yaml")) is None


def test_history_ignores_invalid_time():
    broken = Report(id="x", created_at="yesterday", creator="x", suites=[SuiteSummary(name="S")])
    assert RunHistory.from_reports([broken]).get(Suite(name="S")) is None


def test_history_status_kept():
    cancelled = report("c", timedelta(0), SuiteSummary(name="S", status=SuiteStatus.CANCELLED))
    assert RunHistory.from_reports([cancelled]).get(Suite(name="S")).status is SuiteStatus.CANCELLED


def test_load_sources_skips_broken_source(tmp_path):
    good = write_suite(tmp_path / "good.yaml", "Good", [("Root", "/")])
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: [\n")
    missing = tmp_path / "missing.yaml"
    result = load_sources([str(broken), str(missing), str(good)])
    assert [suite.name for suite in result.suites] == ["Good"]
    assert result.loaded == [str(good)]
    assert len(result.errors) == 2
    assert result.errors[0].startswith(f"{broken}:")
    assert result.errors[1].startswith(str(missing))


def test_load_sources_skips_known_names(tmp_path):
    write_suite(tmp_path / "a.yaml", "Shared", [("Root", "/")])
    write_suite(tmp_path / "b.yaml", "Other", [("Root", "/")])
    result = load_sources([str(tmp_path)], known_names=["Shared"])
    assert [suite.name for suite in result.suites] == ["Other"]
    assert "suite 'Shared' skipped" in result.errors[0]


def test_load_sources_nothing_new_is_not_loaded(tmp_path):
    write_suite(tmp_path / "a.yaml", "Shared", [("Root", "/")])
    result = load_sources([str(tmp_path / "a.yaml")], known_names=["Shared"])
    assert result.loaded == []
