"""A short fingerprint of a step's definition, recorded with each attempt.

A step that failed, was fixed in the editor (a new expected value, an ignored path)
and then passed was not flaky: its two attempts ran different definitions. Attempts
are compared for flakiness only when their fingerprints match.
"""

from __future__ import annotations

import hashlib
import json

from keploy_tui.engine.redact import SENSITIVE_HEADER
from keploy_tui.model import Step

_LITERAL_SECRETS = ("token", "password", "value")
_ENCODER = json.JSONEncoder(ensure_ascii=False, default=str)
"""Built once: json.dumps with options builds an encoder on every call."""
"""Auth fields that contain a credential itself; the names of environment variables stay."""


def step_fingerprint(step: Step) -> str:
    """Return 12 hex digits that change when what the step sends or checks changes.

    Its name and description are left out, so renaming a step keeps its history.
    Literal credentials are left out too, so the fingerprint, which reports store,
    reveals nothing about them: an edit of only a literal credential keeps the
    fingerprint.
    """
    data = step.to_dict()
    data.pop("name", None)
    data.pop("description", None)
    if isinstance(data.get("auth"), dict):
        data["auth"] = {key: value for key, value in data["auth"].items() if key not in _LITERAL_SECRETS}
    if data.get("headers"):
        data["headers"] = {name: "" if SENSITIVE_HEADER.match(name) else value
                           for name, value in data["headers"].items()}
    # to_dict writes its keys in a fixed order, so no sorting is needed.
    text = _ENCODER.encode(data)
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=6).hexdigest()
