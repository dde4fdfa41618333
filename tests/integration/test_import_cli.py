"""`keploy-tui import`: the summary, `--into` round trips and one-line errors, run as a user runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cli_helpers import cli_env, run_cli
from keploy_tui.formats.importers import load_any_paths
from keploy_tui.formats.suite_yaml import load_path

pytestmark = pytest.mark.integration

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CORPUS = PROJECT_ROOT.parent / "shared" / "corpus"
POSTMAN = CORPUS / "postman"
ENVIRONMENT = POSTMAN / "realworld-Conduit.postman_environment.json"
# Registers `import` when keploy_tui.cli.build_parser does not list it yet.
_MAIN = """\
import sys
from keploy_tui.cli import build_parser, import_cmd
parser = build_parser()
commands = next(action for action in parser._actions if isinstance(getattr(action, "choices", None), dict))
if "import" not in commands.choices:
    import_cmd.add_parser(commands)
args = parser.parse_args(sys.argv[1:])
sys.exit(args.handler(args))
"""


def import_cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _MAIN, "import", *args], capture_output=True, text=True,
        env=cli_env(data_dir), timeout=60, check=False, cwd=PROJECT_ROOT,
    )


@pytest.mark.corpus
def test_summary_lists_counts_and_warnings(tmp_path):
    paths = [str(CORPUS / "keploy-testsets"), str(POSTMAN / "schemas-httpbin.json")]
    result = import_cli(tmp_path, *paths)
    assert result.returncode == 0, result.stderr
    expected = load_any_paths(paths)
    lines = result.stdout.splitlines()
    assert f"{POSTMAN / 'schemas-httpbin.json'}: 1 suite, 4 steps, 0 assertions" in lines
    assert "  httpbin: 4 steps, default base URL http://httpbin.org" in lines
    assert f"Warnings ({len(expected.warnings)}):" in lines
    for warning in expected.warnings:
        assert f"    {warning.message}" in lines
    assert lines[-1] == (f"Total: 8 suites, {expected.step_count} steps, {expected.assertion_count} assertions, "
                         f"{len(expected.warnings)} warnings")


@pytest.mark.corpus
def test_warnings_grouped_and_capped_per_file(tmp_path):
    conduit = POSTMAN / "realworld-Conduit.postman_collection.json"
    expected = [warning.message for warning in load_any_paths([str(conduit)]).warnings]
    assert len(expected) > 10

    lines = import_cli(tmp_path, str(conduit)).stdout.splitlines()
    assert f"  {conduit} ({len(expected)}):" in lines
    assert [line for line in lines if line.startswith("    ") and not line.startswith("    ...")] == \
        [f"    {message}" for message in expected[:10]]
    assert f"    ... and {len(expected) - 10} more; --all-warnings lists them" in lines

    every = import_cli(tmp_path, str(conduit), "--all-warnings").stdout.splitlines()
    assert [line for line in every if line.startswith("    ")] == [f"    {message}" for message in expected]


@pytest.mark.corpus
def test_into_file_loads_back_same(tmp_path):
    target = tmp_path / "imported" / "suites.yaml"
    paths = [str(CORPUS / "keploy-testsets"), str(POSTMAN)]
    result = import_cli(tmp_path, *paths, "--into", str(target), "-e", str(ENVIRONMENT))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == f"Wrote 20 suites to {target}"
    assert load_path(target) == load_any_paths(paths, ENVIRONMENT).suites


@pytest.mark.corpus
def test_into_file_runs(tmp_path, httpbin_url):
    target = tmp_path / "httpbin.yaml"
    assert import_cli(tmp_path, str(POSTMAN / "schemas-httpbin.json"), "--into", str(target)).returncode == 0
    assert "default_base_url: http://httpbin.org" in target.read_text(encoding="utf-8")
    result = run_cli(tmp_path, "run", str(target), "--base-url", httpbin_url)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.corpus
def test_into_stdout_keeps_yaml_clean(tmp_path):
    result = import_cli(tmp_path, str(POSTMAN / "schemas-bearerAuthTest.json"), "--into", "-")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("name: bearerAuthTest\n")
    assert "Total: 1 suite, 1 step, 1 assertion, 0 warnings" in result.stderr


@pytest.mark.parametrize(
    ("make_path", "expected"),
    [
        (lambda folder: ENVIRONMENT, "this is a Postman environment, not a collection"),
        (lambda folder: folder / "missing.json", "file or folder not found"),
        (lambda folder: _write(folder / "broken.json", "{\"info\": "), "invalid JSON"),
        (lambda folder: _write(folder / "empty.yaml", ""), "the file is empty"),
    ],
)
@pytest.mark.corpus
def test_bad_input_one_line_exit_two(tmp_path, make_path, expected):
    path = make_path(tmp_path)
    for result in (import_cli(tmp_path, str(path)), run_cli(tmp_path, "run", str(path), "--base-url", "http://127.0.0.1:9")):
        assert result.returncode == 2
        assert len(result.stderr.strip().splitlines()) == 1
        assert str(path) in result.stderr
        assert expected in result.stderr


def test_into_folder_asks_for_file_name(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    suite = PROJECT_ROOT / "tests" / "integration" / "suites" / "httpbin_all_types.yaml"
    result = import_cli(tmp_path, str(suite), "--into", str(folder))
    assert result.returncode == 2
    assert result.stderr == (f"keploy-tui import: --into {folder} is a directory; give a file name, "
                             f"e.g. {folder / 'suites.yaml'}\n")
    assert result.stdout == ""
    assert list(folder.iterdir()) == []


def test_missing_environment_exit_two(tmp_path):
    result = import_cli(tmp_path, str(POSTMAN / "schemas-httpbin.json"), "-e", str(tmp_path / "nope.json"))
    assert result.returncode == 2
    assert "environment file not found" in result.stderr


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
