"""Running `keploy-tui` as a subprocess, the way a user or CI does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SUITES = Path(__file__).resolve().parent / "suites"


def cli_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("KEPLOY_TUI_")}
    env.update(KEPLOY_TUI_DATA_DIR=str(data_dir), KEPLOY_TUI_CREATOR="ci@example.test", NO_COLOR="1")
    env.update(extra)
    return env


def run_cli(data_dir: Path, *args: str, timeout: float = 60, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "keploy_tui", *args], capture_output=True, text=True,
        env=cli_env(data_dir, **env), timeout=timeout, check=False,
    )


def start_cli(data_dir: Path, *args: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "keploy_tui", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, env=cli_env(data_dir, **env),
    )
