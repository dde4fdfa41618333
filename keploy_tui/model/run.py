"""Settings of one run: where to send requests and how."""

from __future__ import annotations

from dataclasses import dataclass, field

from keploy_tui.model.suite import Auth

DEFAULT_TIMEOUT = 30.0
DEFAULT_CONCURRENCY = 4
DEFAULT_BODY_LIMIT = 1024 * 1024
"""Bytes of a response body kept in a report; the rest is cut with a note."""


@dataclass
class RunConfig:
    base_url: str
    auth: Auth = field(default_factory=Auth)
    timeout: float = DEFAULT_TIMEOUT
    verify_tls: bool = True
    concurrency: int = DEFAULT_CONCURRENCY
    creator: str = ""
    variables: dict[str, object] = field(default_factory=dict)
    """Variables in scope before the first step of every suite."""
    body_limit: int = DEFAULT_BODY_LIMIT
    keep_bodies: bool = True
    """Whether response bodies stay in memory. False releases each body once the step's
    event handlers have run, so set it only when a handler stores the steps, as the CLI's recorder does."""
