"""The deepdiff-based part of json_compare: equality by position, and as multisets.

It is a module of its own so that deepdiff is imported only when a comparison fails.
"""

from __future__ import annotations

from typing import Any

from deepdiff import DeepDiff
from deepdiff.helper import NotPresent
from deepdiff.operator import BaseOperator

from keploy_tui.engine.json_compare import Difference
from keploy_tui.engine.jsonpath import PathPart

_NUMBER_TYPES = (int, float)

# deepdiff's own report names, mapped to DiffEntry kinds. deepdiff is called with the
# expected value as t1, so a removed item is one the response lacks.
_KINDS = {
    "values_changed": "changed",
    "type_changes": "type_changed",
    "dictionary_item_removed": "missing",
    "iterable_item_removed": "missing",
    "dictionary_item_added": "unexpected",
    "iterable_item_added": "unexpected",
}


class _BooleanNumberOperator(BaseOperator):
    """Report a boolean against a number as a type change.

    deepdiff groups bool with int, because bool subclasses int, and True == 1 in Python.
    """

    def match(self, level: Any) -> bool:
        return _is_boolean_and_number(level.t1, level.t2) or _is_boolean_and_number(level.t2, level.t1)

    def give_up_diffing(self, level: Any, diff_instance: Any) -> bool:
        diff_instance.custom_report_result("type_changes", level)
        return True

    def normalize_value_for_hashing(self, parent: Any, obj: Any) -> Any:
        # deepdiff hashes array elements to pair them when order is ignored, and it
        # refuses an operator without this method. Values stay as they are, because
        # deepdiff already hashes a boolean apart from a number.
        return obj


def _is_boolean_and_number(first: Any, second: Any) -> bool:
    return isinstance(first, bool) and isinstance(second, _NUMBER_TYPES) and not isinstance(second, bool)


def ordered_differences(expected: Any, actual: Any, base_parts: list[PathPart]) -> list[Difference]:
    tree = DeepDiff(
        expected,
        actual,
        view="tree",
        ignore_type_in_groups=[_NUMBER_TYPES],
        # With its default of 0.33, deepdiff reports an object that shares few keys with
        # the expected one as a single change. 0 keeps one entry per key.
        threshold_to_diff_deeper=0,
        # Pair array elements by position. deepdiff's default aligns lists with difflib,
        # which compares items with == and so would pair True with 1 before the
        # operator below sees them.
        zip_ordered_iterables=True,
        custom_operators=[_BooleanNumberOperator()],
    )
    differences: list[Difference] = []
    for report_type, nodes in tree.items():
        kind = _KINDS.get(report_type)
        if kind is None:
            raise ValueError(f"unexpected deepdiff report type {report_type!r}")
        for node in nodes:
            parts = base_parts + list(node.path(output_format="list"))
            differences.append((parts, kind, _present(node.t1), _present(node.t2)))
    return differences


def unordered_differences(expected: Any, actual: Any, base_parts: list[PathPart]) -> list[Difference]:
    tree = DeepDiff(
        expected,
        actual,
        view="tree",
        ignore_order=True,
        # Without it deepdiff compares arrays as sets, so [1, 1, 2] would equal [1, 2].
        report_repetition=True,
        ignore_type_in_groups=[_NUMBER_TYPES],
        threshold_to_diff_deeper=0,
        custom_operators=[_BooleanNumberOperator()],
    )
    differences: list[Difference] = []
    for report_type, nodes in tree.items():
        for node in nodes:
            parts = base_parts + list(node.path(output_format="list"))
            if report_type == "repetition_change":
                differences.append(_repetition_difference(parts, node))
                continue
            kind = _KINDS.get(report_type)
            if kind is None:
                raise ValueError(f"unexpected deepdiff report type {report_type!r}")
            differences.append((parts, kind, _present(node.t1), _present(node.t2)))
    return differences


def _repetition_difference(parts: list[PathPart], node: Any) -> Difference:
    """Report an element that the response contains fewer or more times than expected."""
    repetition = node.additional["repetition"]
    if repetition["new_repeat"] < repetition["old_repeat"]:
        return (parts, "missing", node.t1, None)
    return (parts, "unexpected", None, node.t2)


def _present(value: Any) -> Any:
    return None if isinstance(value, NotPresent) else value
