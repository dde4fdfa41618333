"""Newman, Postman's command-line runner, on the collection equivalent to a benchmark suite.

bench/run.py imports this module. Newman is installed on first use with
`npm install newman@6` into bench/.newman (gitignored), and used from there afterwards.
Without node or npm, or when the install fails, the caller prints why and skips Newman.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

NEWMAN_SPEC = "newman@6"
"""The npm package installed on first use; 6.2.2 was the latest 6.x when the results were recorded."""
NEWMAN_DIR = Path(__file__).resolve().with_name(".newman")
NEWMAN_SCRIPT = NEWMAN_DIR / "node_modules" / "newman" / "bin" / "newman.js"
INSTALL_TIMEOUT = 600.0
COLLECTION_SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
"""The v2.1 format's identifier. Newman only compares it and never downloads it."""
LOOPBACK_HOSTS = ("127.0.0.1",)


class NewmanFailed(RuntimeError):
    """Newman ended without writing its report, so the run has no numbers."""


def newman_command() -> tuple[list[str] | None, str]:
    """Return the command that starts Newman, installing it first if needed, or None and why not."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        missing = " and ".join(name for name, path in (("node", node), ("npm", npm)) if path is None)
        return None, (f"{missing} not found on PATH; install Node.js 16 or later, which Newman 6 "
                      "requires, to compare with Newman")
    if not NEWMAN_SCRIPT.is_file():
        print(f"installing {NEWMAN_SPEC} into {NEWMAN_DIR} (first use only)", flush=True)
        NEWMAN_DIR.mkdir(exist_ok=True)
        # --ignore-scripts: Newman needs no install scripts, so none of its dependencies runs code here.
        install = [npm, "install", "--prefix", str(NEWMAN_DIR), "--no-audit", "--no-fund",
                   "--ignore-scripts", NEWMAN_SPEC]
        try:
            completed = subprocess.run(install, capture_output=True, text=True, timeout=INSTALL_TIMEOUT)
        except (OSError, subprocess.TimeoutExpired) as error:
            return None, f"`{' '.join(install)}` failed: {error}"
        if completed.returncode != 0 or not NEWMAN_SCRIPT.is_file():
            lines = (completed.stderr or completed.stdout).strip().splitlines()
            return None, f"`npm install {NEWMAN_SPEC}` failed with exit code {completed.returncode}: " \
                         f"{lines[-1] if lines else 'no output'}"
    return [node, str(NEWMAN_SCRIPT)], ""


def newman_version(command: list[str]) -> str:
    completed = subprocess.run([*command, "--version"], capture_output=True, text=True, check=False)
    return completed.stdout.strip() or "unknown"


def write_collection(path: Path, base_url: str, steps: int, field: str, value: str) -> Path:
    """Write a Postman v2.1 collection of `steps` GETs, each with a status 200 test and a JSON field test.

    The requests and checks are those of run.py's sequential suite: GET /items/<i>,
    status 200, and the parsed body's `field` equals `value`.
    """
    test_lines = [
        'pm.test("status is 200", function () { pm.response.to.have.status(200); });',
        f'pm.test("{field} is {value}", function () {{ '
        f'pm.expect(pm.response.json().{field}).to.eql({json.dumps(value)}); }});',
    ]
    items = [
        {
            "name": f"step {index}",
            "request": {"method": "GET", "url": f"{base_url}/items/{index}"},
            "event": [{"listen": "test", "script": {"type": "text/javascript", "exec": test_lines}}],
        }
        for index in range(steps)
    ]
    collection = {"info": {"name": "bench sequential", "schema": COLLECTION_SCHEMA}, "item": items}
    path.write_text(json.dumps(collection, indent=1), encoding="utf-8")
    return path


def check_loopback_only(collection: Path) -> None:
    """Raise SystemExit unless every request of the collection goes to 127.0.0.1."""
    items = json.loads(collection.read_text(encoding="utf-8"))["item"]
    for item in items:
        host = urlsplit(item["request"]["url"]).hostname
        if host not in LOOPBACK_HOSTS:
            raise SystemExit(f"{collection}: item {item['name']!r} requests host {host!r}, not 127.0.0.1")


def check_equivalent(collection: Path, suite_file: Path) -> None:
    """Raise SystemExit unless keploy-tui's Postman importer reads the collection as the YAML suite.

    Both files load into the same model, so equal steps mean the same requests and checks.
    """
    from keploy_tui.formats.importers import load_any_paths

    [imported] = load_any_paths([collection]).suites
    [native] = load_any_paths([suite_file]).suites
    if len(imported.steps) != len(native.steps):
        raise SystemExit(f"{collection} has {len(imported.steps)} requests, "
                         f"but {suite_file} has {len(native.steps)} steps")
    for postman_step, native_step in zip(imported.steps, native.steps):
        postman_request = (postman_step.method, urlsplit(postman_step.url).path)
        native_request = (native_step.method, native_step.url)
        postman_checks = sorted((item.type, item.key, item.expected) for item in postman_step.assertions)
        native_checks = sorted((item.type, item.key, item.expected) for item in native_step.assertions)
        if postman_request != native_request or postman_checks != native_checks:
            raise SystemExit(
                f"{collection} item {postman_step.name!r} imports as {postman_request} {postman_checks}, "
                f"but the suite's step {native_step.name!r} is {native_request} {native_checks}"
            )


def run_newman(command: list[str], collection: Path, work: Path) -> dict:
    """Run the collection once and return the wall time, Newman's own run time, its counts and mean response time.

    Output goes through Newman's JSON reporter only, so no console reporter slows it down,
    and the counts come from that report. Raises NewmanFailed when Newman writes no report.
    """
    report_file = work / "newman-report.json"
    report_file.unlink(missing_ok=True)
    # Proxy variables are dropped so that every request goes straight to 127.0.0.1.
    env = {name: value for name, value in os.environ.items() if "proxy" not in name.lower()}
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    arguments = [*command, "run", str(collection), "--reporters", "json", "--reporter-json-export",
                 str(report_file), "--ignore-redirects", "--disable-unicode"]
    start = time.perf_counter()
    completed = subprocess.run(arguments, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if not report_file.is_file():
        lines = (completed.stderr or completed.stdout).strip().splitlines()
        raise NewmanFailed(f"`newman run` exited with {completed.returncode} without a report: "
                           f"{lines[-1] if lines else 'no output'}")
    run = json.loads(report_file.read_text(encoding="utf-8"))["run"]
    stats, timings = run["stats"], run["timings"]
    return {
        "wall": wall,
        # Newman's timestamps are milliseconds since the epoch.
        "elapsed": (timings["completed"] - timings["started"]) / 1000,
        "requests": stats["requests"]["total"],
        "failed_requests": stats["requests"]["failed"],
        "assertions": stats["assertions"]["total"],
        "failed_assertions": stats["assertions"]["failed"],
        "response_ms": timings["responseAverage"],
    }
