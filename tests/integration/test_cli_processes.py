"""Process-level behaviour: SIGKILL leaves an INTERRUPTED report, SIGINT a CANCELLED one, parallel runs."""

from __future__ import annotations

import signal
import time

import pytest

from cli_helpers import run_cli, start_cli
from keploy_tui.model import RunStatus
from keploy_tui.store.reports import ReportStore

pytestmark = pytest.mark.integration


def slow_suite(tmp_path, steps=20, delay=0.2):
    path = tmp_path / "slow.yaml"
    lines = ["name: Slow", "steps:"]
    for index in range(steps):
        lines += [f"  - name: wait {index}", "    method: GET", f"    url: /slow?delay={delay}",
                  "    assert:", "      - {type: status_code, expected_string: '200'}"]
    path.write_text("\n".join(lines) + "\n")
    return path


def wait_for_steps(data_dir, minimum, timeout=20.0):
    store = ReportStore(data_dir)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        reports = store.list()
        if reports and reports[0].status is RunStatus.RUNNING and len(store.get(reports[0].id).steps) >= minimum:
            return reports[0].id
        time.sleep(0.1)
    raise AssertionError(f"no RUNNING report with {minimum} saved steps within {timeout} s")


def test_sigkill_leaves_interrupted_report(tmp_path, fresh_demo_server):
    data = tmp_path / "data"
    process = start_cli(data, "run", str(slow_suite(tmp_path)), "--base-url", fresh_demo_server.url)
    try:
        report_id = wait_for_steps(data, 2)
        process.kill()
        process.wait(timeout=10)
    finally:
        process.kill()
    listing = run_cli(data, "reports")
    assert "INTERRUPTED" in listing.stdout
    report = ReportStore(data).get(report_id)
    assert report.status is RunStatus.INTERRUPTED
    assert len(report.steps) >= 2


def test_sigint_saves_cancelled_report(tmp_path, fresh_demo_server):
    data = tmp_path / "data"
    process = start_cli(data, "run", str(slow_suite(tmp_path)), "--base-url", fresh_demo_server.url)
    try:
        report_id = wait_for_steps(data, 1)
        process.send_signal(signal.SIGINT)
        stdout, _ = process.communicate(timeout=20)
    finally:
        process.kill()
    assert process.returncode == 130
    report = ReportStore(data).get(report_id)
    assert report.status is RunStatus.CANCELLED
    assert 0 < len(report.steps) < 20
    assert "not run" in stdout


def test_two_concurrent_runs_store_both(tmp_path, fresh_demo_server, samples_dir):
    data = tmp_path / "data"
    processes = [start_cli(data, "run", str(samples_dir / "auth.yaml"), "--base-url", fresh_demo_server.url)
                 for _ in range(2)]
    codes = [process.wait(timeout=60) for process in processes]
    assert codes == [0, 0]
    reports = ReportStore(data).list()
    assert len(reports) == 2
    assert all(report.status is RunStatus.COMPLETED for report in reports)


def test_closed_stdout_keeps_failing_exit_code(tmp_path, demo_url, samples_dir):
    # As `keploy-tui run ... | head -1` does once head has read its line.
    process = start_cli(tmp_path, "run", str(samples_dir / "failing.yaml"), "--base-url", demo_url)
    process.stdout.close()
    _, stderr = process.communicate(timeout=60)

    assert process.returncode == 1, stderr
    assert "Traceback" not in stderr
    assert "BrokenPipeError" not in (tmp_path / "keploy-tui.log").read_text(encoding="utf-8")
