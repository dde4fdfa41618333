"""Comparing two reports: groups, duration deltas, the summary line and the previous report."""

from keploy_tui.engine.compare import GROUPS, compare_reports, previous_report
from keploy_tui.model import Attempt, Report, StepResult, SuiteSummary


def result(suite, index, step, *verdicts, ms=10.0, suite_index=0):
    attempts = [Attempt(started_at="2026-01-01T00:00:00+00:00", duration_ms=ms, passed=passed) for passed in verdicts]
    return StepResult(suite=suite, suite_index=suite_index, step=step, index=index, attempts=attempts)


def report(report_id, steps, created_at="2026-01-01T00:00:00.000+00:00", suites=("API",)):
    built = Report(id=report_id, created_at=created_at, creator="me",
                   suites=[SuiteSummary(name=name, total=len(steps)) for name in suites], steps=steps)
    built.recount()
    return built


def groups_of(comparison):
    return {name: [delta.step for delta in deltas] for name, deltas in comparison.by_group().items()}


def test_every_group_is_found():
    old = report("old", [
        result("API", 0, "regresses", True), result("API", 1, "fixed", False),
        result("API", 2, "still", False), result("API", 3, "same", True), result("API", 4, "gone", True),
    ])
    new = report("new", [
        result("API", 0, "regresses", False), result("API", 1, "fixed", True),
        result("API", 2, "still", False), result("API", 3, "same", True), result("API", 4, "added", False),
    ])

    groups = groups_of(compare_reports(old, new))

    assert list(groups) == list(GROUPS)
    assert groups == {"regressed": ["regresses"], "fixed": ["fixed"], "still_failing": ["still"],
                      "unchanged": ["same"], "new": ["added"], "removed": ["gone"]}


def test_verdict_pairs_recorded():
    comparison = compare_reports(report("old", [result("API", 0, "a", True)]),
                                 report("new", [result("API", 0, "a", True, False)]))
    delta = comparison.deltas[0]
    assert (delta.old_passed, delta.new_passed) == (True, False)
    assert comparison.regressed


def test_new_and_removed_have_none_verdicts():
    comparison = compare_reports(report("old", [result("API", 0, "gone", True)]),
                                 report("new", [result("API", 0, "added", True)]))
    added, gone = comparison.deltas
    assert (added.group, added.old_passed, added.old_ms, added.delta_ms) == ("new", None, None, None)
    assert (gone.group, gone.new_passed, gone.new_ms, gone.delta_ms) == ("removed", None, None, None)
    assert not comparison.regressed


def test_same_step_name_in_two_suites():
    old = report("old", [result("A", 0, "ping", True), result("B", 0, "ping", False, suite_index=1)],
                 suites=("A", "B"))
    new = report("new", [result("A", 0, "ping", False), result("B", 0, "ping", True, suite_index=1)],
                 suites=("A", "B"))
    groups = compare_reports(old, new).by_group()
    assert [delta.suite for delta in groups["regressed"]] == ["A"]
    assert [delta.suite for delta in groups["fixed"]] == ["B"]


def test_repeated_step_names_matched_in_order():
    old = report("old", [result("API", 0, "poll", True), result("API", 1, "poll", False)])
    new = report("new", [result("API", 0, "poll", True), result("API", 1, "poll", True)])
    assert [delta.group for delta in compare_reports(old, new).deltas] == ["unchanged", "fixed"]


def test_step_without_attempt_counts_as_not_run():
    old = report("old", [result("API", 0, "a", True)])
    new = report("new", [result("API", 0, "a")])
    assert [delta.group for delta in compare_reports(old, new).deltas] == ["removed"]


def test_duration_delta_per_step():
    comparison = compare_reports(report("old", [result("API", 0, "a", True, ms=40.0)]),
                                 report("new", [result("API", 0, "a", True, ms=25.5)]))
    assert comparison.deltas[0].delta_ms == -14.5


def test_duration_uses_latest_attempt():
    flaky = result("API", 0, "a", False, True)
    flaky.attempts[-1].duration_ms = 70.0
    comparison = compare_reports(report("old", [result("API", 0, "a", True, ms=20.0)]), report("new", [flaky]))
    assert comparison.deltas[0].delta_ms == 50.0


def test_summary_counts_and_total_time():
    old = report("old", [result("API", 0, "a", True, ms=100), result("API", 1, "b", False, ms=50)])
    new = report("new", [result("API", 0, "a", False, ms=200), result("API", 1, "b", True, ms=70),
                         result("API", 2, "c", True, ms=0.4)])
    assert compare_reports(old, new).summary() == (
        "1 regressed, 1 fixed, 0 still failing, 0 unchanged, 1 new, 0 removed; total time +120 ms"
    )


def test_summary_negative_total_time():
    comparison = compare_reports(report("old", [result("API", 0, "a", True, ms=30)]),
                                 report("new", [result("API", 0, "a", True, ms=10)]))
    assert comparison.summary().endswith("; total time -20 ms")


def test_previous_report_same_suites():
    current = report("current", [], created_at="2026-01-03T00:00:00.000+00:00", suites=("A", "B"))
    reports = [
        report("later", [], created_at="2026-01-04T00:00:00.000+00:00", suites=("A", "B")),
        current,
        report("other-suites", [], created_at="2026-01-02T12:00:00.000+00:00", suites=("A",)),
        report("older", [], created_at="2026-01-01T00:00:00.000+00:00", suites=("B", "A")),
        report("newest-match", [], created_at="2026-01-02T00:00:00.000+00:00", suites=("B", "A")),
    ]
    assert previous_report(reports, current).id == "newest-match"


def test_previous_report_none_when_first():
    current = report("current", [], created_at="2026-01-03T00:00:00.000+00:00")
    older_other = report("x", [], created_at="2026-01-01T00:00:00.000+00:00", suites=("Other",))
    assert previous_report([current, older_other], current) is None
