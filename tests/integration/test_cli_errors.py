"""Bad input to `keploy-tui run`: one clear line, exit code 2, nothing stored."""

from __future__ import annotations

import subprocess
import sys

import pytest

from cli_helpers import run_cli
from keploy_tui.model import Report, RunStatus, SuiteSummary
from keploy_tui.store.reports import ReportStore

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name: A\nsteps:\n  - name: s\n    method: GET\n    url: /x\n    assert:\n      - {type: json_eq}\n",
         "bad.yaml:7: suite 'A', step 's'"),
        ("name: A\nsteps: [\n", "bad.yaml:"),
        ("name: A\nsteps:\n  - name: s\n    url: /x\n", "missing required key 'method'"),
        ("", "bad.yaml"),
    ],
)
def test_malformed_suite_one_line(tmp_path, text, expected):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    result = run_cli(tmp_path / "data", "run", str(path), "--base-url", "http://127.0.0.1:9")
    assert result.returncode == 2
    assert expected in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert ReportStore(tmp_path / "data").list() == []


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--base-url", "ftp://x"], "invalid --base-url"),
        ([], "--base-url is required"),
        (["--base-url", "http://h", "--basic", "nocolon"], "USER:PASS"),
        (["--base-url", "http://h", "--api-key", "novalue"], "NAME=VALUE"),
        (["--base-url", "http://h", "--bearer", "a", "--basic", "u:p"], "one kind of authentication"),
        (["--base-url", "http://h", "--concurrency", "0"], "--concurrency"),
    ],
)
def test_bad_options_exit_two(tmp_path, samples_dir, args, expected):
    result = run_cli(tmp_path, "run", str(samples_dir / "auth.yaml"), *args)
    assert result.returncode == 2
    assert expected in result.stderr


def test_base_url_from_environment_named(tmp_path, samples_dir):
    result = run_cli(tmp_path, "run", str(samples_dir / "auth.yaml"), KEPLOY_TUI_BASE_URL="ftp://x")
    assert result.returncode == 2
    assert "invalid KEPLOY_TUI_BASE_URL 'ftp://x'" in result.stderr
    assert "--base-url" not in result.stderr


def test_base_url_option_named_over_environment(tmp_path, samples_dir):
    result = run_cli(tmp_path, "run", str(samples_dir / "auth.yaml"), "--base-url", "ftp://y",
                     KEPLOY_TUI_BASE_URL="http://127.0.0.1:9")
    assert result.returncode == 2
    assert "invalid --base-url 'ftp://y'" in result.stderr


def stored_auth_report(data_dir, suite):
    """Store a finished report of the auth sample and return its id."""
    report_id = "0b9d6a0c-0000-4000-8000-000000000001"
    ReportStore(data_dir).create(Report(
        id=report_id, created_at="2024-05-01T10:00:00+00:00", creator="ci@example.test",
        status=RunStatus.COMPLETED, base_url="http://127.0.0.1:9",
        suites=[SuiteSummary(name="Demo API authentication", source=str(suite))],
    ))
    return report_id


def test_rerun_base_url_from_environment_named(tmp_path, samples_dir):
    suite = samples_dir / "auth.yaml"
    report_id = stored_auth_report(tmp_path, suite)
    result = run_cli(tmp_path, "reports", "rerun", report_id, str(suite), KEPLOY_TUI_BASE_URL="ftp://x")
    assert result.returncode == 2
    assert "invalid KEPLOY_TUI_BASE_URL 'ftp://x'" in result.stderr


def test_timeout_not_a_number_exit_two(tmp_path, samples_dir):
    suite = samples_dir / "auth.yaml"
    report_id = stored_auth_report(tmp_path, suite)
    commands = {
        "run": ["run", str(suite), "--base-url", "http://127.0.0.1:9"],
        "reports rerun": ["reports", "rerun", report_id, str(suite)],
    }
    for name, command in commands.items():
        result = run_cli(tmp_path, *command, "--timeout", "abc")
        assert result.returncode == 2, name
        assert result.stderr == f"keploy-tui {name}: --timeout must be a positive number of seconds, not 'abc'\n"


def test_missing_path_exit_two(tmp_path):
    result = run_cli(tmp_path, "run", str(tmp_path / "nope.yaml"), "--base-url", "http://h")
    assert result.returncode == 2
    assert "nope.yaml" in result.stderr


def test_run_help_imports_no_textual():
    code = ("import sys\nfrom keploy_tui.cli import main\n"
            "try:\n    main(['run', '--help'])\nexcept SystemExit:\n    pass\n"
            "print('textual' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip().endswith("False")


def test_reports_imports_no_textual(tmp_path):
    code = ("import sys\nfrom keploy_tui.cli import main\n"
            f"main(['--data-dir', {str(tmp_path)!r}, 'reports'])\n"
            "print('textual' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip().endswith("False")
