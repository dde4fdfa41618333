"""`keploy-tui run` and `reports` end to end against the demo API and httpbin on 127.0.0.1."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from cli_helpers import SUITES, cli_env, run_cli
from keploy_tui.model import RunStatus
from keploy_tui.store.reports import ReportStore

pytestmark = pytest.mark.integration


def only_report(data_dir):
    reports = ReportStore(data_dir).list()
    assert len(reports) == 1
    return ReportStore(data_dir).get(reports[0].id)


def test_passing_samples_exit_zero(tmp_path, fresh_demo_server, samples_dir):
    result = run_cli(tmp_path, "run", str(samples_dir / "jsonplaceholder.yaml"), str(samples_dir / "auth.yaml"),
                     "--base-url", fresh_demo_server.url)
    assert result.returncode == 0, result.stdout + result.stderr
    report = only_report(tmp_path)
    step_lines = [line for line in result.stdout.splitlines() if line.startswith("✓ ")]
    assert len(step_lines) == report.total
    assert report.status is RunStatus.COMPLETED
    assert report.id in result.stdout


def test_failing_sample_exits_one_with_diff(tmp_path, fresh_demo_server, samples_dir):
    result = run_cli(tmp_path, "run", str(samples_dir / "failing.yaml"), "--base-url", fresh_demo_server.url)
    assert result.returncode == 1
    assert "Path:     $.userId" in result.stdout
    assert "Expected: string <\"1\">" in result.stdout
    assert "Actual:   integer <1>" in result.stdout


def test_httpbin_every_type_passes(tmp_path, httpbin_url):
    result = run_cli(tmp_path, "run", str(SUITES / "httpbin_all_types.yaml"), "--base-url", httpbin_url,
                     "--var", f"BASE={httpbin_url}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert only_report(tmp_path).passed == 8


def test_httpbin_failures_give_verdicts(tmp_path, httpbin_url):
    result = run_cli(tmp_path, "run", str(SUITES / "httpbin_failures.yaml"), "--base-url", httpbin_url)
    assert result.returncode == 1
    report = only_report(tmp_path)
    assert [step.passed for step in report.steps] == [False, False, False, False]
    assert "expected status 200, got 418" in result.stdout
    assert "integer <42>" in result.stdout
    assert "not supported" in result.stdout


def test_junit_counts_match(tmp_path, fresh_demo_server, samples_dir):
    junit = tmp_path / "out" / "junit.xml"
    run_cli(tmp_path, "run", str(samples_dir), "--base-url", fresh_demo_server.url, "--junit", str(junit))
    root = ET.parse(junit).getroot()
    cases = root.findall(".//testcase")
    report = only_report(tmp_path)
    assert int(root.get("tests")) == len(cases) == report.total
    assert int(root.get("failures")) == len(root.findall(".//failure")) == report.failed


def test_json_export_matches_store(tmp_path, fresh_demo_server, samples_dir):
    out = tmp_path / "report.json"
    run_cli(tmp_path, "run", str(samples_dir / "auth.yaml"), "--base-url", fresh_demo_server.url, "--json", str(out))
    exported = json.loads(out.read_text())
    assert exported["id"] == only_report(tmp_path).id
    assert exported["total"] == len(exported["steps"])


def test_secrets_never_stored_or_printed(tmp_path, httpbin_url):
    token = "cli-secret-token-123"
    junit = tmp_path / "junit.xml"
    result = run_cli(tmp_path / "data", "run", str(SUITES / "httpbin_failures.yaml"), "--base-url", httpbin_url,
                     "--junit", str(junit), KEPLOY_TUI_BEARER=token)
    assert result.returncode == 1
    assert token not in result.stdout + result.stderr
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert token not in path.read_text(errors="replace"), path


def test_cookie_from_one_step_reaches_the_next(tmp_path, httpbin_url):
    suite = tmp_path / "cookies.yaml"
    suite.write_text(
        "name: Cookies\nsteps:\n"
        "  - {name: Set, method: GET, url: /cookies/set?flavour=oat}\n"
        "  - name: Read\n    method: GET\n    url: /cookies\n"
        "    assert: [{type: json_equal, key: $.cookies.flavour, expected_string: '\"oat\"'}]\n")
    result = run_cli(tmp_path / "data", "run", str(suite), "--base-url", httpbin_url)
    assert result.returncode == 0, result.stdout + result.stderr


def test_refused_connection_is_step_failure(tmp_path, samples_dir):
    result = run_cli(tmp_path, "run", str(samples_dir / "auth.yaml"), "--base-url", "http://127.0.0.1:9")
    assert result.returncode == 1
    assert "refused" in result.stdout


def test_reports_list_and_show(tmp_path, fresh_demo_server, samples_dir):
    run_cli(tmp_path, "run", str(samples_dir / "auth.yaml"), "--base-url", fresh_demo_server.url)
    listing = run_cli(tmp_path, "reports")
    report = only_report(tmp_path)
    assert "Report ID" in listing.stdout
    assert report.id in listing.stdout
    shown = run_cli(tmp_path, "reports", "show", report.id[:8])
    assert shown.returncode == 0
    assert "Bearer token accepted" in shown.stdout


def test_reports_show_unknown_id(tmp_path):
    result = run_cli(tmp_path, "reports", "show", "ffffffff")
    assert result.returncode == 2
    assert "ffffffff" in result.stderr


def test_server_text_cannot_steer_terminal(tmp_path, httpbin_url):
    suite = tmp_path / "escape.yaml"
    suite.write_text(
        'name: "Escapes \\e[31m"\nsteps:\n  - name: Echo\n    method: GET\n'
        "    url: /response-headers?X-Evil=%1B%5B2J\n"
        "    assert:\n      - {type: header_equal, key: X-Evil, expected_string: 'x'}\n"
    )
    result = run_cli(tmp_path / "data", "run", str(suite), "--base-url", httpbin_url)
    assert result.returncode == 1
    assert "\x1b" not in result.stdout
    assert "\\x1b[2J" in result.stdout
    assert "Escapes \\x1b[31m" in result.stdout


def test_step_without_checks_is_marked(tmp_path, demo_url):
    suite = tmp_path / "unchecked.yaml"
    suite.write_text("name: Unchecked\nsteps:\n  - name: Missing page\n    method: GET\n    url: /no-such-page\n"
                     "  - name: Checked\n    method: GET\n    url: /posts/1\n"
                     "    assert:\n      - {type: status_code, expected_string: '200'}\n")

    result = run_cli(tmp_path, "run", str(suite), "--base-url", demo_url)

    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert any(line.startswith("✓ Unchecked / Missing page  404") and line.endswith("(no checks)") for line in lines)
    assert not any("Checked  200" in line and "(no checks)" in line for line in lines)


def test_fast_exit_keeps_output_and_log(tmp_path, fresh_demo_server, samples_dir):
    # stdout to a file is block-buffered, and the command ends the process without the
    # interpreter's shutdown, so everything must be flushed before it goes.
    output = tmp_path / "out.txt"
    with output.open("w", encoding="utf-8") as handle:
        code = subprocess.run(
            [sys.executable, "-m", "keploy_tui", "run", str(samples_dir / "failing.yaml"),
             "--base-url", fresh_demo_server.url, "--junit", str(tmp_path / "junit.xml")],
            stdout=handle, stderr=subprocess.PIPE, env=cli_env(tmp_path), timeout=60, check=False,
        ).returncode
    report = only_report(tmp_path)
    assert code == 1
    assert output.read_text(encoding="utf-8").rstrip().endswith(f"(keploy-tui reports show {report.id[:8]})")
    assert f"run {report.id} finished" in (tmp_path / "keploy-tui.log").read_text(encoding="utf-8")
    assert ET.parse(tmp_path / "junit.xml").getroot().get("failures") != "0"


def test_summary_repeats_the_data_dir_option(tmp_path, fresh_demo_server, samples_dir):
    data_dir = tmp_path / "my data"
    result = run_cli(tmp_path, "run", str(samples_dir / "auth.yaml"), "--base-url", fresh_demo_server.url,
                     "--data-dir", str(data_dir))
    report = only_report(data_dir)
    assert f"(keploy-tui reports show {report.id[:8]} --data-dir '{data_dir}')" in result.stdout
    show = run_cli(tmp_path, "reports", "show", report.id[:8], "--data-dir", str(data_dir))
    assert show.returncode == 0, show.stderr
