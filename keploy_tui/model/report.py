"""Results of a run: the report, its per-suite summaries and per-step attempts."""

from __future__ import annotations

import functools
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from enum import Enum
from typing import Any


REDACTED = "<redacted>"
"""The text that a report, export or copy contains in place of a secret."""


def known_fields(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    """Keep the keys `cls` declares, so a file written by a newer version still loads."""
    names = {item.name for item in fields(cls)}
    return {key: value for key, value in data.items() if key in names}


def _record(instance: Any) -> dict[str, Any]:
    """Return a dataclass instance's fields as a new dict, with nested records converted too.

    Other values are shared, not copied: dataclasses.asdict's deep copy was the costliest
    part of recording a run.
    """
    data = record_fields(instance)
    for key, value in data.items():
        if is_dataclass(value):
            data[key] = _record(value)
        elif isinstance(value, list) and value and is_dataclass(value[0]):
            data[key] = [_record(item) for item in value]
    return data


def record_fields(instance: Any) -> dict[str, Any]:
    """Return a record's fields as a dict whose nested records are left as they are.

    As the `default` of json.dumps it writes a whole step in one pass: the encoder
    handles strings, numbers, lists and dicts itself and calls this only for records.
    Fields are read by name because reading `__dict__` makes CPython give each
    instance a dict of its own for the rest of its life, about 400 bytes a step.
    """
    try:
        names = _field_names(type(instance))
    except TypeError:
        raise TypeError(f"{type(instance).__name__} is not a report record") from None
    data = {name: getattr(instance, name) for name in names}
    if type(instance) is StepResult:
        data.update(flaky=instance.flaky, attempt_count=len(instance.attempts))
    return data


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(item.name for item in fields(cls))


class RunStatus(str, Enum):
    QUEUED = "QUEUED"
    RUNNING = "RUNNING"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"
    INTERRUPTED = "INTERRUPTED"
    """Left QUEUED or RUNNING by a process that died."""

    @property
    def active(self) -> bool:
        return self in (RunStatus.QUEUED, RunStatus.RUNNING)


class SuiteStatus(str, Enum):
    """The run badge of one suite."""

    QUEUED = "queued"
    RUNNING = "running"
    PASSED = "passed"
    FAILED = "failed"
    CANCELLED = "cancelled"
    INTERRUPTED = "interrupted"


@dataclass
class DiffEntry:
    """One difference between an expected and an actual JSON value."""

    path: str
    kind: str
    """`changed`, `type_changed`, `missing` (expected, not in actual) or `unexpected`."""
    expected: Any = None
    actual: Any = None
    expected_type: str | None = None
    actual_type: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DiffEntry:
        return cls(**known_fields(cls, data))


@dataclass
class AssertionResult:
    type: str
    passed: bool
    key: str | None = None
    expected: str | None = None
    actual: str | None = None
    """The actual value as text, for display."""
    message: str = ""
    diff: list[DiffEntry] = field(default_factory=list)
    supported: bool = True
    diff_total: int | None = None
    """How many differences were found; `diff` lists at most the first 100. None in older reports."""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AssertionResult:
        data = dict(data)
        data["diff"] = [DiffEntry.from_dict(item) for item in data.get("diff") or []]
        return cls(**known_fields(cls, data))


@dataclass
class RequestRecord:
    """The request as sent, with secrets already redacted."""

    method: str
    url: str
    headers: list[list[str]] = field(default_factory=list)
    body: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RequestRecord:
        return cls(**known_fields(cls, data))


@dataclass
class ResponseRecord:
    status: int
    reason: str = ""
    http_version: str = "HTTP/1.1"
    headers: list[list[str]] = field(default_factory=list)
    """In received order; repeated names stay separate entries."""
    body: str = ""
    base64: bool = False
    """True when the body was not text and is stored base64-encoded."""
    truncated: bool = False
    size: int = 0
    """Length of the whole body in bytes, before any truncation."""
    released: bool = False
    """True when the body was dropped from memory after being stored; read the report from the store."""
    body_ref: list[int] | None = None
    """[offset, length] in bytes of a large body kept in the report's bodies file; `body` is
    empty until the store loads it."""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ResponseRecord:
        return cls(**known_fields(cls, data))


@dataclass
class Attempt:
    """One execution of a step; re-runs add attempts and never erase earlier ones."""

    started_at: str
    duration_ms: float
    passed: bool
    request: RequestRecord | None = None
    response: ResponseRecord | None = None
    error_kind: str | None = None
    """Set when no response arrived: refused, dns, tls, timeout, dropped, protocol, variable."""
    error: str | None = None
    assertions: list[AssertionResult] = field(default_factory=list)
    variables: dict[str, Any] = field(default_factory=dict)
    """Variables in scope when the step started."""
    extracted: dict[str, Any] = field(default_factory=dict)
    step_fingerprint: str | None = None
    """Fingerprint of the step's definition when it ran (engine.fingerprint); None in older reports."""

    @property
    def unchecked(self) -> bool:
        """True when a response came and the step has no assertions, so it passed on any status."""
        return self.response is not None and not self.assertions

    @property
    def sent_cookie(self) -> bool:
        """True when the request carried a Cookie header, whose value a report never keeps."""
        return self.request is not None and any(header[0].lower() == "cookie" for header in self.request.headers)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Attempt:
        data = dict(data)
        if data.get("request") is not None:
            data["request"] = RequestRecord.from_dict(data["request"])
        if data.get("response") is not None:
            data["response"] = ResponseRecord.from_dict(data["response"])
        data["assertions"] = [AssertionResult.from_dict(item) for item in data.get("assertions") or []]
        return cls(**known_fields(cls, data))


@dataclass
class StepResult:
    suite: str
    suite_index: int
    step: str
    index: int
    method: str = ""
    url: str = ""
    """The step's URL as written in the suite, before substitution."""
    attempts: list[Attempt] = field(default_factory=list)

    @property
    def latest(self) -> Attempt | None:
        return self.attempts[-1] if self.attempts else None

    @property
    def passed(self) -> bool:
        """A step's result is its latest attempt."""
        return bool(self.attempts) and self.attempts[-1].passed

    @property
    def flaky(self) -> bool:
        """True when attempts of one definition of the step, sent the same way, disagree.

        Attempts before and after an edit of the step (an accepted value, an ignored
        path) ran different definitions, so a fail then a pass across the edit is a fix.
        An attempt with cookies and one without sent different requests too: a re-run in
        another process has none of the run's cookies.
        """
        verdicts: dict[tuple[str | None, bool], set[bool]] = {}
        for attempt in self.attempts:
            verdicts.setdefault((attempt.step_fingerprint, attempt.sent_cookie), set()).add(attempt.passed)
        return any(len(seen) > 1 for seen in verdicts.values())

    def to_dict(self) -> dict[str, Any]:
        """Return the stored form plus `flaky` and `attempt_count`, which from_dict ignores."""
        return _record(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StepResult:
        data = dict(data)
        data["attempts"] = [Attempt.from_dict(item) for item in data.get("attempts") or []]
        return cls(**known_fields(cls, data))


@dataclass
class SuiteSummary:
    name: str
    source: str | None = None
    status: SuiteStatus = SuiteStatus.QUEUED
    total: int = 0
    passed: int = 0
    failed: int = 0
    done: int = 0
    """Steps finished so far, for the live `n/N` badge."""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SuiteSummary:
        data = dict(data)
        data["status"] = SuiteStatus(data.get("status", "queued"))
        return cls(**known_fields(cls, data))


@dataclass
class Report:
    """A stored run. The index keeps everything but `steps`, which live in the report file."""

    id: str
    created_at: str
    """UTC, ISO 8601."""
    creator: str
    status: RunStatus = RunStatus.QUEUED
    base_url: str = ""
    auth_kind: str = "none"
    suites: list[SuiteSummary] = field(default_factory=list)
    finished_at: str | None = None
    pid: int | None = None
    host: str | None = None
    """Process and host that ran it, to tell a live run from one whose process died."""
    steps: list[StepResult] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(suite.total for suite in self.suites)

    @property
    def passed(self) -> int:
        return sum(suite.passed for suite in self.suites)

    @property
    def failed(self) -> int:
        return sum(suite.failed for suite in self.suites)

    @property
    def all_passed(self) -> bool:
        return self.status is RunStatus.COMPLETED and self.total > 0 and self.passed == self.total

    def recount(self) -> None:
        """Recompute each suite's passed and failed counts from the step results."""
        for index, suite in enumerate(self.suites):
            results = [step for step in self.steps if step.suite_index == index and step.attempts]
            suite.done = len(results)
            suite.passed = sum(1 for step in results if step.passed)
            suite.failed = suite.done - suite.passed

    def summary_dict(self) -> dict[str, Any]:
        """Return the index entry: everything but the steps, plus the totals."""
        # asdict() on the whole report would deep-copy every step only to drop them.
        data = {item.name: getattr(self, item.name) for item in fields(self) if item.name not in ("steps", "suites")}
        data["status"] = self.status.value
        data["suites"] = [asdict(suite) | {"status": SuiteStatus(suite.status).value} for suite in self.suites]
        data.update(total=self.total, passed=self.passed, failed=self.failed)
        return data

    def to_dict(self) -> dict[str, Any]:
        data = self.summary_dict()
        data["steps"] = [step.to_dict() for step in self.steps]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        data = known_fields(cls, data)
        data["status"] = RunStatus(data.get("status", "QUEUED"))
        data["suites"] = [SuiteSummary.from_dict(item) for item in data.get("suites") or []]
        data["steps"] = [StepResult.from_dict(item) for item in data.get("steps") or []]
        return cls(**known_fields(cls, data))
