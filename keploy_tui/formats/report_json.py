"""JSON export of a report, the same shape the store keeps."""

from __future__ import annotations

import json

from keploy_tui.model import Report


def to_json(report: Report) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"
