"""Peak memory of `keploy-tui run` on a long run with large responses.

Usage: .venv/bin/python bench/memory.py [--steps 10000] [--body-kib 100]

A server in its own process on 127.0.0.1 returns the same JSON body of
--body-kib KiB for every GET. The real CLI runs a generated suite of --steps steps against it with an
empty temporary data directory, and its peak resident set size is read from
getrusage(RUSAGE_CHILDREN) once it has exited (Linux reports it in KiB).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PYTHON = sys.executable
CLI = str(Path(PYTHON).with_name("keploy-tui"))


def response_bytes(body_kib: int) -> bytes:
    body = json.dumps({"name": "bench", "padding": "x" * (body_kib * 1024 - 40)}).encode()
    head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    return head.encode() + body


async def serve(body_kib: int) -> None:
    response = response_bytes(body_kib)

    class FixedResponse(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            self.transport, self.buffer = transport, b""

        def data_received(self, data: bytes) -> None:
            self.buffer += data
            count = self.buffer.count(b"\r\n\r\n")
            if count:
                self.buffer = self.buffer[self.buffer.rindex(b"\r\n\r\n") + 4:]
                self.transport.write(response * count)

    loop = asyncio.get_running_loop()
    server = await loop.create_server(FixedResponse, "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    # The parent stops the server by closing its stdin.
    await loop.run_in_executor(None, sys.stdin.read)
    server.close()


def write_suite(path: Path, steps: int) -> None:
    lines = ["name: Memory", "steps:"]
    for index in range(steps):
        lines += [f"  - name: step {index}", "    method: GET", "    url: /item",
                  "    assert:", "      - {type: status_code, expected_string: '200'}",
                  "      - {type: json_equal, key: $.name, expected_string: '\"bench\"'}"]
    path.write_text("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=10_000, help="steps in the suite (default: 10000)")
    parser.add_argument("--body-kib", type=int, default=100, help="response body size in KiB (default: 100)")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(serve(args.serve))
        return

    server = subprocess.Popen([PYTHON, __file__, "--serve", str(args.body_kib)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        port = int(server.stdout.readline())
        with tempfile.TemporaryDirectory() as work:
            suite = Path(work) / "memory.yaml"
            write_suite(suite, args.steps)
            start = time.perf_counter()
            completed = subprocess.run(
                [CLI, "--data-dir", str(Path(work) / "data"), "run", str(suite), "--quiet",
                 "--base-url", f"http://127.0.0.1:{port}"],
                capture_output=True, text=True, check=False,
            )
            seconds = time.perf_counter() - start
            stored = sum(path.stat().st_size for path in (Path(work) / "data").rglob("*") if path.is_file())
    finally:
        server.stdin.close()
        server.wait(timeout=10)
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"steps {args.steps}, body {args.body_kib} KiB: exit {completed.returncode}, "
          f"{seconds:.1f} s, peak RSS {peak_mib:.0f} MiB, data dir {stored / 2**20:.0f} MiB")
    if completed.returncode != 0:
        print(completed.stdout[-2000:], completed.stderr[-2000:])


if __name__ == "__main__":
    main()
