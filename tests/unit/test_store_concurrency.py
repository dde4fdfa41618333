"""Several processes and threads writing one data directory at once lose nothing."""

import os
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

from keploy_tui.model import RunStatus
from keploy_tui.store import ReportStore, SettingsStore

REPO_ROOT = Path(__file__).resolve().parents[2]
WRITER = REPO_ROOT / "tests" / "store_writer.py"
WORKERS = 4
REPORTS_PER_WORKER = 30


def start_writers(data_dir, count, start_at):
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    return [
        subprocess.Popen(
            [sys.executable, str(WRITER), str(data_dir), f"worker{number}", str(count), str(start_at)],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for number in range(WORKERS)
    ]


def test_processes_lose_no_reports(tmp_path):
    # Start together after every interpreter has had time to import the package.
    writers = start_writers(tmp_path, REPORTS_PER_WORKER, time.time() + 2.0)
    for writer in writers:
        _, stderr = writer.communicate(timeout=110)
        assert writer.returncode == 0, stderr

    store = ReportStore(tmp_path)
    listed = store.list()
    assert len(listed) == WORKERS * REPORTS_PER_WORKER
    per_worker = Counter(report.creator.split("-")[0] for report in listed)
    assert per_worker == {f"worker{number}": REPORTS_PER_WORKER for number in range(WORKERS)}
    assert {report.status for report in listed} == {RunStatus.COMPLETED}
    assert all(report.passed == 2 for report in listed)

    for report in listed:
        steps = store.get(report.id).steps
        assert [step.step for step in steps] == [f"{report.creator}-0", f"{report.creator}-1"]

    settings = SettingsStore(tmp_path)
    for number in range(WORKERS):
        assert settings.get(f"worker{number}-last") == REPORTS_PER_WORKER - 1
    assert list(tmp_path.rglob("*.tmp")) == []


def test_threads_lose_no_reports(tmp_path):
    sys.path.insert(0, str(WRITER.parent))
    try:
        import store_writer
    finally:
        sys.path.remove(str(WRITER.parent))
    errors = []

    def work(worker):
        store = ReportStore(tmp_path)
        try:
            for number in range(15):
                store_writer.run_report(store, worker, number)
        except Exception as error:  # noqa: BLE001 - the assertion below reports it
            errors.append(error)

    threads = [threading.Thread(target=work, args=(f"thread{number}",)) for number in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    listed = ReportStore(tmp_path).list()
    assert len(listed) == WORKERS * 15
    assert {report.status for report in listed} == {RunStatus.COMPLETED}
