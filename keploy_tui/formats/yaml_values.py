"""Helpers for reading values that ruamel.yaml loaded: source lines, types and text.

The round-trip loader returns CommentedMap and CommentedSeq, whose `lc` attribute
contains 0-based positions. Every function here returns 1-based lines, or None when
the value carries no position, as plain scalars do not.
"""

from __future__ import annotations

import difflib

import datetime
import json
import logging
import math
from collections.abc import Collection, Mapping, Set as AbstractSet
from dataclasses import dataclass
from typing import Any

from ruamel.yaml.comments import TaggedScalar
from ruamel.yaml.scalarbool import ScalarBoolean

from keploy_tui.formats.errors import SuiteLoadError, format_location

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Where:
    """The file, suite and step being read, so that errors can name them."""

    file: str
    suite: str | None = None
    step: str | None = None

    # Built directly rather than with dataclasses.replace, which took 2.5 us for each
    # step of a suite file.
    def in_suite(self, name: str) -> Where:
        return Where(self.file, name)

    def in_step(self, name: str) -> Where:
        return Where(self.file, self.suite, name)

    def error(self, message: str, line: int | None) -> SuiteLoadError:
        return SuiteLoadError(
            message, file=self.file, line=line, suite=self.suite, step=self.step
        )

    def warn_unknown_keys(
        self, data: Mapping[Any, Any], used: Collection[str], keploy_only: Collection[str]
    ) -> None:
        """Log the keys that are neither used here nor known to be written by Keploy.

        Unknown keys do not fail a load, so a file written by a newer Keploy still runs.
        A key that looks like a misspelling of a used one (`asserts:` for `assert:`) does
        fail it, because ignoring it would silently drop checks and let a step pass.
        """
        for key in data:
            if key in used or key in keploy_only:
                continue
            close = difflib.get_close_matches(str(key), list(used), n=1, cutoff=0.75)
            if close:
                raise self.error(f"unknown key '{key}'; did you mean '{close[0]}'?", key_line(data, key))
            location = format_location(self.file, key_line(data, key), self.suite, self.step)
            logger.warning("%s: ignoring unknown key %r", location, key)


def key_line(data: Any, key: Any) -> int | None:
    """Return the line of `key` in a loaded mapping, or of the mapping itself."""
    try:
        return data.lc.key(key)[0] + 1
    except (AttributeError, KeyError, TypeError):
        return start_line(data)


def item_line(data: Any, index: int) -> int | None:
    """Return the line of item `index` of a loaded sequence, or of the sequence itself."""
    try:
        return data.lc.item(index)[0] + 1
    except (AttributeError, KeyError, IndexError, TypeError):
        return start_line(data)


def start_line(data: Any) -> int | None:
    """Return the line where a loaded mapping or sequence starts."""
    line = getattr(getattr(data, "lc", None), "line", None)
    return line + 1 if isinstance(line, int) else None


def is_bool(value: Any) -> bool:
    # ruamel loads an anchored `true` as ScalarBoolean, a subclass of int, not bool.
    return isinstance(value, (bool, ScalarBoolean))


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not is_bool(value)


def describe(value: Any) -> str:
    """Return the YAML kind of a value for messages: "a string", "a list", ..."""
    if value is None:
        return "null"
    if is_bool(value):
        return "a boolean"
    if is_number(value):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, Mapping):
        return "a mapping"
    # A sequence used as a mapping key loads as a tuple.
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return "a date"
    if isinstance(value, AbstractSet):
        return "a set"
    if isinstance(value, bytes):
        return "binary data"
    if isinstance(value, TaggedScalar):
        return f"a value tagged {value.tag}"
    return f"a value of type {type(value).__name__}"


def is_scalar(value: Any) -> bool:
    return value is None or isinstance(
        value, (str, int, float, bool, datetime.date, datetime.datetime)
    )


def scalar_text(value: Any) -> str | None:
    """Return the text of a YAML scalar as a string field stores it, or None for null.

    Booleans become "true"/"false" and numbers their decimal form, so that
    `expected_string: 201` reads as "201". Raise TypeError for anything else.
    """
    if value is None:
        return None
    if is_bool(value):
        return "true" if value else "false"
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        return repr(float(value))
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    raise TypeError(f"{describe(value)} has no text form")


def json_text(value: Any) -> str:
    """Return compact JSON text for a loaded YAML value, as Keploy writes bodies.

    Raise ValueError for values JSON cannot hold (NaN, infinity, binary data, sets,
    tagged values) and for nesting deeper than the recursion limit.
    """
    try:
        plain = _plain_json(value)
    except RecursionError:
        raise ValueError("it is nested too deeply") from None
    return json.dumps(plain, ensure_ascii=False, separators=(",", ":"))


def _plain_json(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {_json_key(key): _plain_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain_json(item) for item in value]
    if value is None or isinstance(value, str):
        return None if value is None else str(value)
    if is_bool(value):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"JSON cannot hold the number {value}")
        return float(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    raise ValueError(f"JSON cannot hold {describe(value)}")


def _json_key(key: Any) -> str:
    try:
        text = scalar_text(key)
    except TypeError:
        raise ValueError(f"JSON keys must be strings, not {describe(key)}") from None
    return "null" if text is None else text
