"""Benchmark keploy-tui's runner and report store against a bare httpx loop and Newman.

Usage: .venv/bin/python bench/run.py [--steps N] [--repeat R] [--suites S --suite-steps K
--concurrency C] [--store-sizes 100,1000,5000] [--skip-store] [--skip-newman] [--body-bytes N]

Everything runs on this machine. A minimal HTTP server on 127.0.0.1 runs in its own
process, and every measured client (the `keploy-tui run` CLI, the Runner in-process,
the bare httpx loop, Newman) runs in a fresh subprocess, so no two of them share a GIL.
Newman runs the sequential workload only, from a Postman collection with the same
requests and checks, where node and npm are installed (see bench/newman.py).
Each number is the median of --repeat runs. See docs/benchmarks.md for results.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

import newman

if TYPE_CHECKING:
    from keploy_tui.model import Report

PYTHON = sys.executable
CLI = str(Path(PYTHON).with_name("keploy-tui"))
SCRIPT = str(Path(__file__).resolve())

CHECKED_FIELD = "name"
CHECKED_VALUE = "bench"


def make_body(size: int) -> bytes:
    """Return the JSON body every request gets: 33 bytes, or a list of items up to about `size` bytes."""
    data: dict = {"id": 1, CHECKED_FIELD: CHECKED_VALUE, "ok": True}
    body = json.dumps(data, separators=(",", ":")).encode()
    if size <= len(body):
        return body
    # Items with a quoted word, so that storing the body has JSON escapes to write, as real bodies do.
    item = {"n": 0, "title": 'item 0 "quoted"', "tags": ["a", "b"]}
    count = max(1, (size - len(body)) // (len(json.dumps(item, separators=(",", ":"))) + 1))
    data["items"] = [{**item, "n": n, "title": f'item {n} "quoted"'} for n in range(count)]
    return json.dumps(data, separators=(",", ":")).encode()


def make_response(body: bytes) -> bytes:
    return (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)


# --- server process ---------------------------------------------------------------

class _FixedResponse(asyncio.Protocol):
    """A protocol that sends `response` once for each request on a keep-alive connection.

    Only bodiless requests are sent to it, so the end of the headers ends a request.
    """

    response = make_response(make_body(0))

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport
        self.buffer = b""

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        count = self.buffer.count(b"\r\n\r\n")
        if count:
            self.buffer = self.buffer[self.buffer.rindex(b"\r\n\r\n") + 4:]
            self.transport.write(self.response * count)


async def _serve(body_bytes: int) -> None:
    _FixedResponse.response = make_response(make_body(body_bytes))
    loop = asyncio.get_running_loop()
    server = await loop.create_server(_FixedResponse, "127.0.0.1", 0, backlog=1024)
    print(server.sockets[0].getsockname()[1], flush=True)
    # The parent ends the server by closing its stdin.
    await loop.run_in_executor(None, sys.stdin.read)
    server.close()


def start_server(body_bytes: int = 0) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([PYTHON, SCRIPT, "--serve", str(body_bytes)], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True)
    port = int(process.stdout.readline())
    return process, f"http://127.0.0.1:{port}"


def stop_server(process: subprocess.Popen) -> None:
    process.stdin.close()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# --- client modes, each run in its own subprocess ----------------------------------

async def _raw_client(port: int, requests: int, workers: int, response_bytes: int) -> float:
    """Time keep-alive GETs over plain asyncio streams: the server's rate with no HTTP library."""
    request = b"GET /items/0 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"

    async def worker(count: int) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        for _ in range(count):
            writer.write(request)
            await reader.readexactly(response_bytes)
        writer.close()

    start = time.perf_counter()
    await asyncio.gather(*(worker(requests // workers) for _ in range(workers)))
    return time.perf_counter() - start


async def _bare_loop(base_url: str, requests: int, workers: int) -> tuple[float, int]:
    """Issue the benchmark's GETs with httpx and make the same two checks as the suites."""
    import httpx

    passed = 0

    async def worker(client: httpx.AsyncClient, first: int, count: int) -> None:
        nonlocal passed
        for i in range(first, first + count):
            response = await client.get(f"{base_url}/items/{i}")
            ok_status = response.status_code == 200
            ok_field = json.loads(response.content).get(CHECKED_FIELD) == CHECKED_VALUE
            passed += ok_status and ok_field

    # The first `requests % workers` workers take one request more, so every request is sent.
    shares = [requests // workers + (w < requests % workers) for w in range(workers)]
    firsts = [sum(shares[:w]) for w in range(workers)]
    async with httpx.AsyncClient() as client:
        start = time.perf_counter()
        await asyncio.gather(*(worker(client, firsts[w], shares[w]) for w in range(workers)))
        return time.perf_counter() - start, passed


def _in_process(base_url: str, suite_file: str, concurrency: int, record: bool) -> dict:
    """Time Runner.run() on an already-loaded suite file, with or without a ReportRecorder."""
    from keploy_tui.engine.runner import Runner
    from keploy_tui.formats.importers import load_any_paths
    from keploy_tui.model import RunConfig
    from keploy_tui.store.recorder import ReportRecorder
    from keploy_tui.store.reports import ReportStore

    suites = load_any_paths([suite_file]).suites
    # As `keploy-tui run` does: a body is dropped once its step is recorded. Kept, 2,000
    # bodies of 9 KB grew the heap by 54 MiB and took 0.1-0.2 s more in page faults.
    config = RunConfig(base_url=base_url, concurrency=concurrency, creator="bench", keep_bodies=False)
    with tempfile.TemporaryDirectory() as data_dir:
        handler = ReportRecorder(ReportStore(Path(data_dir))) if record else None
        runner = Runner(suites, config, on_event=handler)
        start = time.perf_counter()
        report = asyncio.run(runner.run())
        elapsed = time.perf_counter() - start
    return {"elapsed": elapsed, "passed": report.passed, "total": report.total}


def client_main(args: list[str]) -> None:
    mode = args[0]
    if mode == "raw":
        elapsed = asyncio.run(_raw_client(*map(int, args[1:5])))
        result = {"elapsed": elapsed}
    elif mode == "bare":
        elapsed, passed = asyncio.run(_bare_loop(args[1], int(args[2]), int(args[3])))
        result = {"elapsed": elapsed, "passed": passed}
    elif mode in ("engine", "recorded"):
        result = _in_process(args[1], args[2], int(args[3]), record=mode == "recorded")
    else:
        raise SystemExit(f"unknown client mode {mode!r}")
    print(json.dumps(result))


def run_client(*args: object) -> tuple[float, dict]:
    """Run a client mode in a fresh interpreter and return its wall time and its own measurement."""
    start = time.perf_counter()
    output = subprocess.run([PYTHON, SCRIPT, "--client", *map(str, args)], check=True,
                            capture_output=True, text=True).stdout
    return time.perf_counter() - start, json.loads(output.splitlines()[-1])


def run_cli(base_url: str, suite_file: Path, concurrency: int, total: int) -> float:
    """Time `keploy-tui run` end to end, start-up included, with a fresh data directory."""
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "KEPLOY_TUI_DATA_DIR": data_dir, "KEPLOY_TUI_CREATOR": "bench"}
        start = time.perf_counter()
        completed = subprocess.run(
            [CLI, "run", str(suite_file), "--base-url", base_url, "--concurrency", str(concurrency)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        elapsed = time.perf_counter() - start
    if completed.returncode != 0:
        raise SystemExit(f"keploy-tui run exited with {completed.returncode} on {total} steps: {completed.stderr}")
    return elapsed


# --- suites --------------------------------------------------------------------------

def write_suites(path: Path, suites: int, steps: int, name: str = "bench suite") -> Path:
    """Write `suites` suites of `steps` GETs, each with a status_code and a json_equal check.

    The suites are named "<name> 0", "<name> 1" and so on.
    """
    documents = []
    for suite_index in range(suites):
        lines = [f"name: {name} {suite_index}", "steps:"]
        for i in range(steps):
            lines += [
                f"  - name: step {i}",
                "    method: GET",
                f"    url: /items/{suite_index * steps + i}",
                "    assert:",
                '      - {type: status_code, expected_string: "200"}',
                f"      - {{type: json_equal, key: $.{CHECKED_FIELD}, expected_string: '\"{CHECKED_VALUE}\"'}}",
            ]
        documents.append("\n".join(lines))
    path.write_text("\n---\n".join(documents) + "\n", encoding="utf-8")
    return path


# --- measurements ---------------------------------------------------------------------

def median_of(repeat: int, measure) -> float:
    return statistics.median(measure() for _ in range(repeat))


def check_passed(result: dict, expected: int, label: str) -> None:
    if result.get("passed") != expected:
        raise SystemExit(f"{label}: {result.get('passed')} of {expected} requests passed their checks")


def bench_http(base_url: str, work: Path, suites: int, steps: int, concurrency: int, repeat: int,
               newman_command: list[str] | None = None) -> dict:
    """Measure one workload: CLI, Runner with recorder, Runner alone, bare httpx loop, and Newman if given."""
    total = suites * steps
    suite_file = write_suites(work / f"bench-{suites}x{steps}.yaml", suites, steps)
    rows: dict[str, float] = {}
    notes: list[str] = []

    # Both bare-loop rows come from the same runs, so their difference is start-up alone.
    bare_runs = [run_client("bare", base_url, total, concurrency) for _ in range(repeat)]
    for _, result in bare_runs:
        check_passed(result, total, "bare loop")

    def in_process(mode: str):
        def measure() -> float:
            _, result = run_client(mode, base_url, suite_file, concurrency)
            check_passed(result, total, f"Runner ({mode})")
            return result["elapsed"]
        return measure

    rows["bare httpx loop, in-process"] = statistics.median(result["elapsed"] for _, result in bare_runs)
    rows["Runner only, in-process"] = median_of(repeat, in_process("engine"))
    rows["Runner + ReportRecorder, in-process"] = median_of(repeat, in_process("recorded"))
    rows["bare httpx loop, whole subprocess"] = statistics.median(wall for wall, _ in bare_runs)
    rows["keploy-tui run CLI, whole subprocess"] = median_of(
        repeat, lambda: run_cli(base_url, suite_file, concurrency, total))
    if newman_command is not None:
        newman_rows, note = bench_newman(newman_command, base_url, work, suite_file, total, repeat)
        rows.update(newman_rows)
        notes.append(note)
    return {"total": total, "rows": rows, "notes": notes}


def bench_newman(command: list[str], base_url: str, work: Path, suite_file: Path, total: int,
                 repeat: int) -> tuple[dict[str, float], str]:
    """Time Newman on the Postman collection equivalent to `suite_file`, which must be one sequential suite."""
    collection = newman.write_collection(work / f"bench-{total}.postman_collection.json", base_url, total,
                                         CHECKED_FIELD, CHECKED_VALUE)
    newman.check_loopback_only(collection)
    newman.check_equivalent(collection, suite_file)
    runs = []
    for _ in range(repeat):
        try:
            result = newman.run_newman(command, collection, work)
        except newman.NewmanFailed as error:
            return {}, f"Newman skipped: {error}"
        if result["failed_requests"] or result["assertions"] != 2 * total or result["failed_assertions"]:
            raise SystemExit(f"Newman: {result['failed_requests']} of {result['requests']} requests failed and "
                             f"{result['failed_assertions']} of {result['assertions']} assertions failed, "
                             f"expected {total} requests with {2 * total} passing assertions")
        runs.append(result)
    rows = {
        "Newman, its own run timings": statistics.median(run["elapsed"] for run in runs),
        "Newman CLI, whole subprocess": statistics.median(run["wall"] for run in runs),
    }
    response_ms = statistics.median(run["response_ms"] for run in runs)
    note = (f"Newman {newman.newman_version(command)}: mean response time {response_ms:.1f} ms of "
            f"{rows['Newman, its own run timings'] / total * 1000:.1f} ms a request")
    return rows, note


def print_http(title: str, result: dict) -> None:
    total, rows = result["total"], result["rows"]
    bare_inner = rows["bare httpx loop, in-process"]
    bare_wall = rows["bare httpx loop, whole subprocess"]
    print(f"\n{title}: {total} requests")
    print(f"  {'measurement':<40} {'median s':>9} {'us/request':>11} {'x bare':>7}")
    for name, seconds in rows.items():
        baseline = bare_wall if "whole subprocess" in name else bare_inner
        print(f"  {name:<40} {seconds:>9.3f} {seconds / total * 1e6:>11.0f} {seconds / baseline:>7.2f}")
    for note in result.get("notes", []):
        print(f"  {note}")


def bench_raw(base_url: str, repeat: int, body_bytes: int) -> None:
    port = base_url.rsplit(":", 1)[1]
    response_bytes = len(make_response(make_body(body_bytes)))
    print("\nserver raw rate (asyncio streams client, no HTTP library)")
    for workers in (1, 10):
        requests = 20000
        elapsed = median_of(repeat, lambda: run_client("raw", port, requests, workers, response_bytes)[1]["elapsed"])
        print(f"  {workers:>2} connections: {requests / elapsed:>9.0f} requests/s")


def make_template_report(base_url: str, work: Path, steps: int) -> Report:
    """Run one suite of `steps` GETs through the Runner and return its finished report."""
    from keploy_tui.engine.runner import Runner
    from keploy_tui.formats.importers import load_any_paths
    from keploy_tui.model import RunConfig

    suite_file = write_suites(work / f"template-1x{steps}.yaml", 1, steps, name="template suite")
    suites = load_any_paths([suite_file]).suites
    return asyncio.run(Runner(suites, RunConfig(base_url=base_url, creator="bench")).run())


def bench_store(base_url: str, work: Path, sizes: list[int], repeat: int) -> None:
    """Time ReportStore list(), get() and saving one more report at growing store sizes."""
    import copy
    import uuid

    from store_seed import seed_reports

    template = make_template_report(base_url, work, 50)

    def timed(action) -> float:
        start = time.perf_counter()
        action()
        return time.perf_counter() - start

    entry_bytes = len(json.dumps(template.summary_dict(), separators=(",", ":")))
    print(f"\nstore: reports of {len(template.steps)} steps, index entry {entry_bytes} bytes")
    print(f"  {'reports':>8} {'list() s':>9} {'get() s':>9} {'save s':>9}")
    for size in sizes:
        # Each size gets a data directory of its own, seeded from empty.
        store = seed_reports(work / f"store-{size}", template, size)
        some_id = store.list()[size // 2].id

        def save_new() -> float:
            report = copy.copy(template)
            report.id = str(uuid.uuid4())
            return timed(lambda: (store.create(report), store.save_steps(report)))

        list_s = median_of(repeat, lambda: timed(store.list))
        get_s = median_of(repeat, lambda: timed(lambda: store.get(some_id)))
        save_s = median_of(repeat, save_new)
        print(f"  {size:>8} {list_s:>9.3f} {get_s:>9.4f} {save_s:>9.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=2000, help="steps of the sequential suite (default: 2000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the median is shown (default: 3)")
    parser.add_argument("--suites", type=int, default=20, help="suites in the concurrent workload (default: 20)")
    parser.add_argument("--suite-steps", type=int, default=100, help="steps per concurrent suite (default: 100)")
    parser.add_argument("--concurrency", type=int, default=10,
                        help="suites at once for the CLI and workers for the bare loop (default: 10)")
    parser.add_argument("--store-sizes", default="100,1000,5000",
                        help="comma-separated report counts for the store timings (default: 100,1000,5000)")
    parser.add_argument("--skip-store", action="store_true", help="skip the store timings")
    parser.add_argument("--skip-newman", action="store_true", help="skip Newman on the sequential suite")
    parser.add_argument("--body-bytes", type=int, default=0, metavar="N",
                        help="respond with a JSON body of about N bytes (default: 33 bytes)")
    args = parser.parse_args()

    runs = "1 run" if args.repeat == 1 else f"median of {args.repeat} runs"
    body = len(make_body(args.body_bytes))
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {runs}, response body {body} bytes")
    newman_command = None
    if not args.skip_newman:
        newman_command, reason = newman.newman_command()
        if newman_command is None:
            print(f"Newman skipped: {reason}")
    server, base_url = start_server(args.body_bytes)
    try:
        with tempfile.TemporaryDirectory(prefix="keploy-bench-") as temp:
            work = Path(temp)
            bench_raw(base_url, args.repeat, args.body_bytes)
            sequential = bench_http(base_url, work, 1, args.steps, 1, args.repeat, newman_command)
            print_http("sequential, 1 suite", sequential)
            concurrent = bench_http(base_url, work, args.suites, args.suite_steps, args.concurrency, args.repeat)
            print_http(f"concurrent, {args.suites} suites x {args.suite_steps} steps, "
                       f"concurrency {args.concurrency}", concurrent)
            if not args.skip_store:
                sizes = [int(size) for size in args.store_sizes.split(",")]
                bench_store(base_url, work, sizes, args.repeat)
    finally:
        stop_server(server)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:
        asyncio.run(_serve(int(sys.argv[2]) if len(sys.argv) > 2 else 0))
    elif sys.argv[1:2] == ["--client"]:
        client_main(sys.argv[2:])
    else:
        main()
