"""Save many reports and settings into one data directory, for the multi-process store test.

Usage: store_writer.py DATA_DIR WORKER_NAME REPORT_COUNT START_AT

Each process sleeps until the Unix time START_AT so that all writers start together,
then takes every report through create, update, save_steps and a final update,
as a run does.
"""

import os
import socket
import sys
import time
import uuid
from pathlib import Path

from keploy_tui.model import Attempt, Report, RunStatus, StepResult, SuiteStatus, SuiteSummary
from keploy_tui.store import ReportStore, SettingsStore


def make_step(worker: str, number: int, index: int) -> StepResult:
    attempt = Attempt(started_at="2024-05-01T10:00:00+00:00", duration_ms=1.0, passed=True)
    return StepResult(suite=worker, suite_index=0, step=f"{worker}-{number}-{index}", index=index, attempts=[attempt])


def run_report(store: ReportStore, worker: str, number: int) -> None:
    report = Report(
        id=str(uuid.uuid4()),
        created_at=f"2024-05-01T10:{number // 60:02d}:{number % 60:02d}+00:00",
        creator=f"{worker}-{number}",
        suites=[SuiteSummary(name=worker, total=2)],
        pid=os.getpid(),
        host=socket.gethostname(),
    )
    store.create(report)

    report.status = RunStatus.RUNNING
    report.suites[0].status = SuiteStatus.RUNNING
    store.update(report)

    for index in range(2):
        report.steps.append(make_step(worker, number, index))
        report.recount()
        store.save_steps(report)

    report.status = RunStatus.COMPLETED
    report.suites[0].status = SuiteStatus.PASSED
    store.update(report)


def main() -> None:
    data_dir, worker, count, start_at = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    reports = ReportStore(data_dir)
    settings = SettingsStore(data_dir)

    time.sleep(max(0.0, start_at - time.time()))
    for number in range(count):
        run_report(reports, worker, number)
        settings.set(f"{worker}-last", number)


if __name__ == "__main__":
    main()
