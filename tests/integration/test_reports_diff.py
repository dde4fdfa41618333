"""`keploy-tui reports diff` and `rerun` end to end: runs against the demo API whose /flaky verdicts differ."""

from __future__ import annotations

import pytest

from cli_helpers import run_cli
from keploy_tui.cli.reports_diff import delta_line
from keploy_tui.engine.compare import StepDelta
from keploy_tui.store.reports import ReportStore

pytestmark = pytest.mark.integration

# The demo API responds to /flaky with 500 on odd-numbered calls, so on a fresh server the
# first run fails that step and the second passes it.
FLAKY_SUITE = """\
name: Flaky API
steps:
  - name: Index
    method: GET
    url: /
    assert:
      - {type: status_code, expected_string: "200"}
  - name: Flaky
    method: GET
    url: /flaky
    assert:
      - {type: status_code, expected_string: "200"}
"""


@pytest.fixture
def two_runs(tmp_path, fresh_demo_server):
    """Return the data directory and the ids of a failing run, then a passing run, of the same suite."""
    suite = tmp_path / "flaky.yaml"
    suite.write_text(FLAKY_SUITE)
    data_dir = tmp_path / "data"
    first = run_cli(data_dir, "run", str(suite), "--base-url", fresh_demo_server.url)
    second = run_cli(data_dir, "run", str(suite), "--base-url", fresh_demo_server.url)
    assert (first.returncode, second.returncode) == (1, 0), first.stdout + second.stdout
    newest, oldest = ReportStore(data_dir).list()
    return data_dir, oldest.id, newest.id


def section(output: str, title: str) -> list[str]:
    """Return the indented lines under a group title such as `Fixed (1):`."""
    lines = output.splitlines()
    start = next(number for number, line in enumerate(lines) if line.startswith(f"{title} ("))
    body = []
    for line in lines[start + 1:]:
        if not line.startswith("  "):
            break
        body.append(line.strip())
    return body


@pytest.mark.parametrize(
    ("old_ms", "new_ms", "expected"),
    [
        (2.4, 1.6, "2 ms -> 2 ms (+0 ms)"),
        (1.6, 2.4, "2 ms -> 2 ms (+0 ms)"),
        (10.4, 12.6, "10 ms -> 13 ms (+3 ms)"),
        (40.0, 25.5, "40 ms -> 26 ms (-14 ms)"),
    ],
)
def test_delta_line_times_add_up(old_ms, new_ms, expected):
    delta = StepDelta(suite="API", step="a", group="unchanged", old_passed=True, new_passed=True,
                      old_ms=old_ms, new_ms=new_ms)
    assert delta_line(delta) == f"API / a  PASS -> PASS  {expected}"


def test_fixed_step_exits_zero(two_runs):
    data_dir, failing, passing = two_runs

    result = run_cli(data_dir, "reports", "diff", failing[:8], passing[:8])

    assert result.returncode == 0, result.stdout + result.stderr
    fixed = section(result.stdout, "Fixed")
    assert len(fixed) == 1
    assert fixed[0].startswith("Flaky API / Flaky  FAIL -> PASS  ")
    assert fixed[0].endswith(" ms)")
    assert section(result.stdout, "Unchanged")[0].startswith("Flaky API / Index  PASS -> PASS  ")
    assert "Regressed" not in result.stdout
    assert result.stdout.rstrip().splitlines()[-1].startswith(
        "0 regressed, 1 fixed, 0 still failing, 1 unchanged, 0 new, 0 removed; total time ")


def test_regressed_step_exits_one(two_runs):
    data_dir, failing, passing = two_runs

    result = run_cli(data_dir, "reports", "diff", passing, failing)

    assert result.returncode == 1, result.stdout + result.stderr
    assert section(result.stdout, "Regressed")[0].startswith("Flaky API / Flaky  PASS -> FAIL  ")
    assert result.stdout.rstrip().splitlines()[-1].startswith("1 regressed, 0 fixed")


def test_one_id_compares_with_previous(two_runs):
    data_dir, failing, passing = two_runs

    result = run_cli(data_dir, "reports", "diff", passing)

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[0].startswith(f"Old {failing}")
    assert result.stdout.splitlines()[1].startswith(f"New {passing}")
    assert len(section(result.stdout, "Fixed")) == 1


def test_first_report_has_no_previous(two_runs):
    data_dir, failing, _ = two_runs

    result = run_cli(data_dir, "reports", "diff", failing)

    assert result.returncode == 2
    assert "no report before" in result.stderr


def test_unknown_id_exits_two(two_runs):
    data_dir, failing, _ = two_runs

    result = run_cli(data_dir, "reports", "diff", failing, "ffffffff-0000")

    assert result.returncode == 2
    assert "ffffffff-0000" in result.stderr
    assert result.stdout == ""


def test_rerun_failed_step_becomes_flaky(two_runs, tmp_path):
    data_dir, failing, _ = two_runs

    # The server's third /flaky call fails, the fourth passes.
    third = run_cli(data_dir, "reports", "rerun", failing[:8], str(tmp_path / "flaky.yaml"))
    fourth = run_cli(data_dir, "reports", "rerun", failing[:8], str(tmp_path / "flaky.yaml"), "--failed")

    assert third.returncode == 1, third.stdout + third.stderr
    # A failed re-run shows why, as `run` and `reports show` do.
    assert "expected status 200, got 500" in third.stdout
    assert fourth.returncode == 0, fourth.stdout + fourth.stderr
    assert "FLAKY (3 attempts) Flaky API / Flaky  200" in fourth.stdout
    report = ReportStore(data_dir).get(failing)
    assert [attempt.passed for attempt in report.steps[1].attempts] == [False, False, True]
    assert (report.passed, report.failed) == (2, 0)
    show_result = run_cli(data_dir, "reports", "show", failing)
    assert "FLAKY (3 attempts) Flaky API / Flaky" in show_result.stdout


def test_rerun_unknown_step_exits_two(two_runs, tmp_path):
    data_dir, failing, _ = two_runs

    result = run_cli(data_dir, "reports", "rerun", failing, str(tmp_path / "flaky.yaml"), "--step", "Flaky API / Gone")

    assert result.returncode == 2
    assert "no step 'Flaky API / Gone'" in result.stderr


WHOAMI_SUITE = """\
name: Whoami
steps:
  - name: Who am I
    method: GET
    url: /auth/whoami
    assert:
      - {type: status_code, expected_string: "200"}
"""


def test_rerun_needs_auth_again(tmp_path, demo_url):
    suite = tmp_path / "whoami.yaml"
    suite.write_text(WHOAMI_SUITE)
    data_dir = tmp_path / "data"
    run = run_cli(data_dir, "run", str(suite), "--base-url", demo_url, "--bearer", "wrong-token")
    assert run.returncode == 1, run.stdout + run.stderr
    report_id = ReportStore(data_dir).list()[0].id

    without_auth = run_cli(data_dir, "reports", "rerun", report_id, str(suite))
    with_auth = run_cli(data_dir, "reports", "rerun", report_id, str(suite), KEPLOY_TUI_BEARER="demo-token")

    assert without_auth.returncode == 2
    assert "give --bearer or set KEPLOY_TUI_BEARER" in without_auth.stderr
    assert with_auth.returncode == 0, with_auth.stdout + with_auth.stderr
    stored = (data_dir / "reports" / f"{report_id}.jsonl").read_text()
    assert "demo-token" not in stored
    assert ReportStore(data_dir).get(report_id).steps[0].flaky
