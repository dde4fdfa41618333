"""JUnit XML export: one test case per step, named `suite / step`."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from keploy_tui.formats.failure_text import failure_lines, flaky_text
from keploy_tui.model import Report, StepResult

# Characters XML 1.0 cannot carry even escaped; a response body may contain them.
INVALID_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    return INVALID_XML_CHARS.sub(lambda match: f"\\u{ord(match.group()):04x}" if ord(match.group()) > 0xFF
                                 else f"\\x{ord(match.group()):02x}", text)


def to_junit(report: Report) -> str:
    """Return the report as JUnit XML; counts are computed from the emitted test cases."""
    root = ET.Element("testsuites", name="keploy-tui")
    seen_names: set[str] = set()
    totals = {"tests": 0, "failures": 0, "skipped": 0, "time": 0.0}
    for index, summary in enumerate(report.suites):
        element = ET.SubElement(root, "testsuite", name=clean(summary.name))
        properties = ET.SubElement(element, "properties")
        ET.SubElement(properties, "property", name="report_id", value=report.id)
        ET.SubElement(properties, "property", name="base_url", value=clean(report.base_url))
        results = {step.index: step for step in report.steps if step.suite_index == index}
        counts = _add_cases(element, summary.name, results, summary.total, seen_names)
        for key, value in counts.items():
            element.set(key, f"{value:.3f}" if key == "time" else str(value))
            totals[key] += value
        element.set("errors", "0")
        element.set("timestamp", report.created_at)
    for key, value in totals.items():
        root.set(key, f"{value:.3f}" if key == "time" else str(value))
    root.set("errors", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _add_cases(element: ET.Element, suite_name: str, results: dict[int, StepResult], total: int,
               seen_names: set[str]) -> dict[str, float]:
    counts = {"tests": 0, "failures": 0, "skipped": 0, "time": 0.0}
    for position in range(max(total, max(results, default=-1) + 1)):
        result = results.get(position)
        step_name = result.step if result else f"step {position + 1}"
        name = _unique(f"{suite_name} / {step_name}", seen_names)
        case = ET.SubElement(element, "testcase", name=clean(name), classname=clean(suite_name))
        counts["tests"] += 1
        attempt = result.latest if result else None
        if attempt is None:
            ET.SubElement(case, "skipped", message="not run: the run was cancelled before this step")
            counts["skipped"] += 1
            case.set("time", "0.000")
            continue
        seconds = attempt.duration_ms / 1000
        case.set("time", f"{seconds:.3f}")
        counts["time"] += seconds
        if result.flaky:
            _add_flaky(case, result)
        if not attempt.passed:
            lines = failure_lines(attempt)
            failure = ET.SubElement(case, "failure", message=clean(lines[0] if lines else "failed"),
                                    type=attempt.error_kind or "assertion")
            failure.text = clean("\n".join(lines))
            counts["failures"] += 1
        if result.flaky:
            out = ET.SubElement(case, "system-out")
            out.text = clean(flaky_text(result))
    return counts


def _add_flaky(case: ET.Element, result: StepResult) -> None:
    # The verdict stays the latest attempt's, so a step that passed on a re-run does not
    # fail the build. The properties let a tool that reads them list the step as flaky.
    properties = ET.SubElement(case, "properties")
    ET.SubElement(properties, "property", name="flaky", value="true")
    ET.SubElement(properties, "property", name="attempts", value=str(len(result.attempts)))


def _unique(name: str, seen: set[str]) -> str:
    candidate, number = name, 2
    while candidate in seen:
        candidate = f"{name} ({number})"
        number += 1
    seen.add(candidate)
    return candidate
