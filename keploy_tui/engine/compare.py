"""Comparing two reports step by step: what regressed, what was fixed, what changed in time."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from keploy_tui.model import Report, StepResult

GROUPS = ("regressed", "fixed", "still_failing", "unchanged", "new", "removed")
"""Group names, in the order a comparison is shown."""

GROUP_TITLES = {
    "regressed": "Regressed", "fixed": "Fixed", "still_failing": "Still failing",
    "unchanged": "Unchanged", "new": "New", "removed": "Removed",
}


@dataclass
class StepDelta:
    """One step as it ran in the old and the new report; None where the step did not run."""

    suite: str
    step: str
    group: str
    """One of GROUPS."""
    old_passed: bool | None
    new_passed: bool | None
    old_ms: float | None
    new_ms: float | None

    @property
    def delta_ms(self) -> float | None:
        """New duration minus old, in milliseconds; None unless the step ran in both."""
        if self.old_ms is None or self.new_ms is None:
            return None
        return self.new_ms - self.old_ms


@dataclass
class Comparison:
    old: Report
    new: Report
    deltas: list[StepDelta]

    def by_group(self) -> dict[str, list[StepDelta]]:
        """Return the deltas of every group in GROUPS order, each in report order; empty groups included."""
        groups: dict[str, list[StepDelta]] = {name: [] for name in GROUPS}
        for delta in self.deltas:
            groups[delta.group].append(delta)
        return groups

    @property
    def regressed(self) -> bool:
        """True when a step that passed in the old report fails in the new one."""
        return any(delta.group == "regressed" for delta in self.deltas)

    @property
    def total_delta_ms(self) -> float:
        """Sum of the new report's step durations minus the old one's, every step that ran counted."""
        return _total_ms(self.new) - _total_ms(self.old)

    def summary(self) -> str:
        """Return one line such as `1 regressed, 2 fixed, 0 still failing, ...; total time +120 ms`."""
        counts = Counter(delta.group for delta in self.deltas)
        parts = [f"{counts[name]} {GROUP_TITLES[name].lower()}" for name in GROUPS]
        return f"{', '.join(parts)}; total time {format_ms(self.total_delta_ms)}"


def compare_reports(old: Report, new: Report) -> Comparison:
    """Match steps by suite name and step name and group each pair by its verdicts.

    A step only counts as run when it has an attempt, so a step that a cancelled run never
    reached is `removed` (or `new`) rather than failed. When names repeat, the n-th step of
    that name in one report is matched with the n-th in the other. Deltas follow the new
    report's order, then the removed steps in the old report's order.
    """
    old_steps = _keyed(old)
    new_steps = _keyed(new)
    deltas = []
    for key, result in new_steps.items():
        deltas.append(_delta(key, old_steps.get(key), result))
    for key, result in old_steps.items():
        if key not in new_steps:
            deltas.append(_delta(key, result, None))
    return Comparison(old=old, new=new, deltas=deltas)


def previous_report(reports: list[Report], report: Report) -> Report | None:
    """Return the newest of `reports` created before `report` that ran the same set of suite names.

    Summaries from ReportStore.list() are enough, because only the suite names are read.
    """
    names = {suite.name for suite in report.suites}
    candidates = [
        candidate for candidate in reports
        if candidate.id != report.id and candidate.created_at < report.created_at
        and {suite.name for suite in candidate.suites} == names
    ]
    return max(candidates, key=lambda candidate: (candidate.created_at, candidate.id), default=None)


def format_ms(value: float) -> str:
    """Return a signed duration such as `+120 ms` or `-3 ms`."""
    rounded = round(value)
    return f"{'+' if rounded >= 0 else '-'}{abs(rounded)} ms"


def _keyed(report: Report) -> dict[tuple[str, str, int], StepResult]:
    keyed: dict[tuple[str, str, int], StepResult] = {}
    seen: Counter[tuple[str, str]] = Counter()
    for result in sorted(report.steps, key=lambda step: (step.suite_index, step.index)):
        if not result.attempts:
            continue
        name = (result.suite, result.step)
        keyed[(*name, seen[name])] = result
        seen[name] += 1
    return keyed


def _delta(key: tuple[str, str, int], old: StepResult | None, new: StepResult | None) -> StepDelta:
    old_passed = old.passed if old else None
    new_passed = new.passed if new else None
    return StepDelta(
        suite=key[0], step=key[1], group=_group(old_passed, new_passed),
        old_passed=old_passed, new_passed=new_passed,
        old_ms=old.latest.duration_ms if old else None,
        new_ms=new.latest.duration_ms if new else None,
    )


def _group(old_passed: bool | None, new_passed: bool | None) -> str:
    if old_passed is None:
        return "new"
    if new_passed is None:
        return "removed"
    if old_passed and not new_passed:
        return "regressed"
    if new_passed and not old_passed:
        return "fixed"
    return "unchanged" if new_passed else "still_failing"


def _total_ms(report: Report) -> float:
    return sum(step.latest.duration_ms for step in report.steps if step.latest is not None)
