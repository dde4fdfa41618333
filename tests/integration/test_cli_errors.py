"""Bad input to `keploy-tui run`: one clear line, exit code 2, nothing stored."""

from __future__ import annotations

import subprocess
import sys

import pytest

from cli_helpers import run_cli
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
