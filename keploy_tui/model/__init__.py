"""Typed records shared by every layer; no I/O here."""

from keploy_tui.model.report import (
    REDACTED,
    AssertionResult,
    Attempt,
    DiffEntry,
    Report,
    RequestRecord,
    ResponseRecord,
    RunStatus,
    StepResult,
    SuiteStatus,
    SuiteSummary,
)
from keploy_tui.model.run import RunConfig
from keploy_tui.model.suite import Assertion, Auth, Step, Suite

__all__ = [
    "REDACTED", "Assertion", "AssertionResult", "Attempt", "Auth", "DiffEntry", "Report",
    "RequestRecord", "ResponseRecord", "RunConfig", "RunStatus", "Step", "StepResult",
    "Suite", "SuiteStatus", "SuiteSummary",
]
