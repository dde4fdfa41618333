"""The command line around the app: lazy Textual import, --data-dir after a command, demo --headless, open."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from keploy_tui.cli import app_cmd, build_parser, demo_cmd
from keploy_tui.model import RunStatus
from keploy_tui.store import ReportStore

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def run_python(code: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("KEPLOY_TUI_")}
    env.update(KEPLOY_TUI_DATA_DIR=str(data_dir), KEPLOY_TUI_CREATOR="ci@example.test", NO_COLOR="1",
               PYTHONPATH=str(PROJECT_ROOT))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          timeout=60, check=False)


@pytest.mark.parametrize("argv", [["reports"], ["run", "--help"]])
def test_headless_commands_skip_textual(argv, tmp_path):
    code = (
        "import sys\n"
        "from keploy_tui.cli import main\n"
        "try:\n"
        f"    main({argv!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "assert 'textual' not in sys.modules, 'textual was imported'\n"
    )
    result = run_python(code, tmp_path)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("argv", [
    ["--data-dir", "/tmp/before", "demo"],
    ["demo", "--data-dir", "/tmp/before"],
    ["reports", "--data-dir", "/tmp/before"],
    ["open", "a.yaml", "--data-dir", "/tmp/before"],
])
def test_data_dir_before_or_after_command(argv):
    assert build_parser().parse_args(argv).data_dir == "/tmp/before"


def test_data_dir_after_command_wins():
    args = build_parser().parse_args(["--data-dir", "/tmp/first", "demo", "--data-dir", "/tmp/second"])
    assert args.data_dir == "/tmp/second"


def test_demo_headless_runs_samples(tmp_path):
    result = run_python("import sys\nfrom keploy_tui.cli import main\nsys.exit(main(['demo', '--headless']))",
                        tmp_path)
    # The samples include a suite that fails on purpose.
    assert result.returncode == 1, result.stderr
    assert "29 steps: 22 passed, 7 failed" in result.stdout
    report = ReportStore(tmp_path).list()[0]
    assert report.status is RunStatus.COMPLETED


def test_demo_opens_app_with_demo_server(tmp_path, monkeypatch):
    opened = {}

    def fake_open_app(args, **kwargs):
        from urllib.request import urlopen

        # The demo API serves requests while the app would be open.
        with urlopen(f"{kwargs['demo_url']}/posts/1", timeout=5) as response:
            opened["status"] = response.status
        opened.update(kwargs)
        return 0

    monkeypatch.setattr(app_cmd, "open_app", fake_open_app)
    args = argparse.Namespace(data_dir=str(tmp_path), headless=False)
    assert demo_cmd.demo_command(args) == 0
    assert opened["status"] == 200
    copies = tmp_path / demo_cmd.DEMO_SUITES_DIR
    assert opened["extra_sources"] == [str(copies)]
    assert opened["data_dir"] == tmp_path
    samples = sorted(path.name for path in demo_cmd.SAMPLES_DIR.glob("*.yaml"))
    assert sorted(path.name for path in copies.glob("*.yaml")) == samples


def test_demo_keeps_edited_copies(tmp_path):
    copies = demo_cmd.copy_samples(tmp_path)
    edited = copies / "failing.yaml"
    edited.write_text(edited.read_text() + "# edited in a demo\n")

    demo_cmd.copy_samples(tmp_path)

    assert edited.read_text().endswith("# edited in a demo\n")
    assert not (demo_cmd.SAMPLES_DIR / "failing.yaml").read_text().endswith("# edited in a demo\n")


def test_open_passes_paths(tmp_path, monkeypatch, samples_dir):
    received = {}
    monkeypatch.setattr(app_cmd, "open_app", lambda args, **kwargs: received.update(kwargs) or 0)
    args = build_parser().parse_args(["open", str(samples_dir / "auth.yaml"), "--data-dir", str(tmp_path)])
    assert args.handler(args) == 0
    assert received["open_paths"] == [str(samples_dir / "auth.yaml")]


def test_bad_data_dir_is_usage_error(tmp_path, capsys):
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("")
    args = build_parser().parse_args(["--data-dir", str(not_a_dir)])
    assert app_cmd.open_app(args) == 2
    assert "is not a directory" in capsys.readouterr().err
