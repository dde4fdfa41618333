"""Progress events a run emits; the TUI turns them into messages, the CLI into printed lines."""

from __future__ import annotations

from dataclasses import dataclass

from keploy_tui.model import Report, StepResult


@dataclass
class RunEvent:
    report: Report
    """The live report, mutated as the run goes; copy what must outlive the event."""


@dataclass
class RunQueued(RunEvent):
    pass


@dataclass
class RunStarted(RunEvent):
    pass


@dataclass
class SuiteStarted(RunEvent):
    suite_index: int


@dataclass
class StepFinished(RunEvent):
    suite_index: int
    result: StepResult


@dataclass
class SuiteFinished(RunEvent):
    suite_index: int


@dataclass
class RunFinished(RunEvent):
    pass
