"""Filling a data directory with thousands of stored reports, fast, for the store and TUI benchmarks.

Saving 5,000 reports one by one through ReportStore would time the store's writes
instead of preparing the benchmark, so copies of one real report are written
straight to the index snapshot and the step files. The template itself is saved
through ReportStore first, so each copy has the layout that ReportStore writes, and
seed_reports reads the result back through ReportStore to check it.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from keploy_tui.model import Report
from keploy_tui.store.reports import ReportStore

REPORTS_TABLE = "reports"
"""The TinyDB table of the index that ReportStore keeps its entries in."""
OLDEST_SEEDED = datetime(2020, 1, 1, tzinfo=UTC)
"""Seeded reports are created one second apart from here, so a report of a live run is always newest."""


def seed_reports(data_dir: Path, template: Report, count: int) -> ReportStore:
    """Store `count` reports in the empty `data_dir`: the finished `template` and copies under new ids.

    Raises SystemExit when ReportStore does not read the copies back, for example after
    a change to the store's file layout.
    """
    store = ReportStore(data_dir)
    store.create(template)
    store.save_steps(template)
    step_file = store.report_path(template.id).read_bytes()

    entries = {template.id: template.summary_dict()}
    for number in range(1, count):
        report_id = str(uuid.uuid4())
        created_at = (OLDEST_SEEDED + timedelta(seconds=number)).isoformat(timespec="milliseconds")
        entries[report_id] = dict(entries[template.id], id=report_id, created_at=created_at)
        store.report_path(report_id).write_bytes(step_file.replace(template.id.encode(), report_id.encode()))
    # NOTE: the entries go into the index's TinyDB JSON snapshot, which ReportStore reads
    # with its journal. A store that kept its index elsewhere fails the checks below.
    store.index_path.write_text(json.dumps({REPORTS_TABLE: entries}, separators=(",", ":")), encoding="utf-8")

    reader = ReportStore(data_dir)
    listed = reader.list()
    if len(listed) != count:
        raise SystemExit(f"seeded {count} reports into {data_dir}, but ReportStore lists {len(listed)}")
    copy_id = listed[-1].id
    steps = len(reader.get(copy_id).steps)
    if steps != len(template.steps):
        raise SystemExit(f"seeded report {copy_id} reads back with {steps} steps, not {len(template.steps)}")
    return reader
