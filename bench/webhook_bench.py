"""Webhook benchmark: instance-starting webhook requests against a real `flowwire serve`.

Run by hand (it is not a test)::

    .venv/bin/python bench/webhook_bench.py [--seconds 10] [--rate 300] [--connections 32]

It deploys a process whose webhook start event maps the body to a variable and goes straight
to the end event (start -> end, each instance committed to a SQLite file), starts
`flowwire serve` in its own process, then drives it from a separate load-generator process:

1. *throughput*: `wrk` (Debian package `wrk`) with `--connections` keep-alive connections for
   `--seconds`, POSTing a JSON body; the figure is 200-responses per second. Without `wrk` an
   asyncio client process (a minimal keep-alive HTTP/1.1 client, closed loop) does the same.
2. *latency at a fixed rate*: after an unmeasured warm-up burst of `--rate` requests, the
   asyncio client process sends `--rate` requests per second for `--seconds`, open-loop over
   `--connections` keep-alive connections (each request at its scheduled time, whether or not
   earlier ones have answered); latency counts from the scheduled time, so queueing shows.

Afterwards the store is opened and the completed instances counted, which must equal the
successful requests (every 200 is a durable instance).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

MODEL = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="bench" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="webhook-bench" isExecutable="true">
    <bpmn:startEvent id="hook">
      <bpmn:extensionElements><zeebe:properties>
        <zeebe:property name="inbound.type" value="io.camunda:webhook:1" />
        <zeebe:property name="inbound.context" value="bench" />
        <zeebe:property name="inbound.method" value="post" />
        <zeebe:property name="activationCondition" value="=request.body.status = &#34;OK&#34;" />
        <zeebe:property name="resultExpression" value="={orderId: request.body.id}" />
      </zeebe:properties></bpmn:extensionElements>
      <bpmn:outgoing>f1</bpmn:outgoing>
    </bpmn:startEvent>
    <bpmn:endEvent id="done"><bpmn:incoming>f1</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="hook" targetRef="done" />
  </bpmn:process>
</bpmn:definitions>
"""

BODY = json.dumps({"id": 12345, "status": "OK"})

WRK_SCRIPT = f"""
wrk.method = "POST"
wrk.body = '{BODY}'
wrk.headers["Content-Type"] = "application/json"
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(store: Path, model: Path, port: int) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "flowwire.cli.main", "serve", "--store", str(store),
        "--port", str(port), "--deploy", str(model), "--log-level", "warning",
    ]  # fmt: skip
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    import httpx

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("flowwire serve did not become ready")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=60)


# -- load generator processes --------------------------------------------------------------
class RawClient:
    """A minimal HTTP/1.1 keep-alive client on asyncio streams: one request per connection at a
    time, from a pool. Much lighter than a general client, so the generator is not what limits
    the figures (the server's responses always carry Content-Length)."""

    def __init__(self, url: str, connections: int) -> None:
        match = re.match(r"http://([^:/]+):(\d+)(/.*)", url)
        assert match is not None
        self.host, self.port, self.path = match.group(1), int(match.group(2)), match.group(3)
        self.size = connections
        self.pool: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = (
            asyncio.Queue()
        )
        body = BODY.encode()
        self.request = (
            f"POST {self.path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode() + body

    async def open(self) -> None:
        for _ in range(self.size):
            self.pool.put_nowait(await asyncio.open_connection(self.host, self.port))

    async def post(self) -> int:
        reader, writer = await self.pool.get()
        try:
            writer.write(self.request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = re.search(rb"(?i)content-length: *(\d+)", head)
            if length and int(length.group(1)):
                await reader.readexactly(int(length.group(1)))
            return status
        finally:
            self.pool.put_nowait((reader, writer))


async def _closed_loop(url: str, seconds: float, connections: int) -> dict[str, Any]:
    client = RawClient(url, connections)
    await client.open()
    ok = failed = 0
    stop = time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal ok, failed
        while time.perf_counter() < stop:
            if await client.post() == 200:
                ok += 1
            else:
                failed += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    return {"ok": ok, "failed": failed, "seconds": time.perf_counter() - started}


async def _open_loop(url: str, seconds: float, rate: float, connections: int) -> dict[str, Any]:
    client = RawClient(url, connections)
    await client.open()
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    # warm-up, not measured: a burst of `rate` requests (caches filled, first pages written)
    await asyncio.gather(*(client.post() for _ in range(int(rate))))

    async def one(scheduled: float) -> None:
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        status = await client.post()
        latencies.append(time.perf_counter() - scheduled)
        statuses[status] = statuses.get(status, 0) + 1

    start = time.perf_counter() + 0.2
    total = int(seconds * rate)
    await asyncio.gather(*(one(start + i / rate) for i in range(total)))
    latencies.sort()
    return {
        "requests": total,
        "statuses": statuses,
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "max_ms": 1000 * latencies[-1],
    }


def client_main(args: argparse.Namespace) -> None:
    if args.client == "closed":
        result = asyncio.run(_closed_loop(args.url, args.seconds, args.connections))
    else:
        result = asyncio.run(_open_loop(args.url, args.seconds, args.rate, args.connections))
    print(json.dumps(result))


def run_client(mode: str, url: str, args: argparse.Namespace) -> dict[str, Any]:
    command = [
        sys.executable, __file__, "--client", mode, "--url", url, "--seconds", str(args.seconds),
        "--rate", str(args.rate), "--connections", str(args.connections),
    ]  # fmt: skip
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def run_wrk(url: str, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    script = workdir / "post.lua"
    script.write_text(WRK_SCRIPT)
    command = [
        "wrk",
        "-t1",
        f"-c{args.connections}",
        f"-d{int(args.seconds)}s",
        "-s",
        str(script),
        url,
    ]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    total = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    seconds_match = re.search(r"requests in ([\d.]+)(m?s)", output)
    assert seconds_match is not None
    elapsed = float(seconds_match.group(1)) / (1000 if seconds_match.group(2) == "ms" else 1)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: (.*)", output)
    failed = int(non2xx.group(1)) if non2xx else 0
    return {
        "ok": total - failed,
        "failed": failed,
        "seconds": elapsed,
        "socket_errors": errors.group(1) if errors else "",
    }


def completed_instances(store: Path) -> int:
    from flowwire.engine import Engine
    from flowwire.store import open_store

    engine = Engine(open_store(str(store)))
    try:
        return len(engine.instances(state="COMPLETED", process_id="webhook-bench", limit=10**9))
    finally:
        engine.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=300.0)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--client", choices=["closed", "open"], help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument(
        "--no-wrk", action="store_true", help="use the Python client for throughput"
    )
    args = parser.parse_args()
    if args.client:
        client_main(args)
        return

    with tempfile.TemporaryDirectory(prefix="flowwire-webhook-bench-") as directory:
        workdir = Path(directory)
        model = workdir / "webhook-bench.bpmn"
        model.write_text(MODEL)
        results: dict[str, Any] = {}

        for phase in ("throughput", "latency"):
            store = workdir / f"{phase}.db"
            port = free_port()
            url = f"http://127.0.0.1:{port}/inbound/bench"
            server = start_server(store, model, port)
            try:
                if phase == "throughput":
                    use_wrk = shutil.which("wrk") is not None and not args.no_wrk
                    result = (
                        run_wrk(url, args, workdir) if use_wrk else run_client("closed", url, args)
                    )
                    result["generator"] = "wrk" if use_wrk else "asyncio raw HTTP/1.1 client"
                    result["rps"] = result["ok"] / result["seconds"]
                else:
                    result = run_client("open", url, args)
            finally:
                stop_server(server)
            result["durable_instances"] = completed_instances(store)
            results[phase] = result

    throughput, latency = results["throughput"], results["latency"]
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.2f}")  # fmt: skip
    print(
        f"throughput ({throughput['generator']}, {args.connections} connections, "
        f"{throughput['seconds']:.1f} s): {throughput['rps']:.0f} instance-starting requests/s, "
        f"{throughput['ok']} ok, {throughput['failed']} failed, "
        f"{throughput['durable_instances']} completed instances in the store"
    )
    print(
        f"latency at {args.rate:.0f} req/s open loop ({latency['requests']} requests): "
        f"p50 {latency['p50_ms']:.1f} ms, p99 {latency['p99_ms']:.1f} ms, "
        f"max {latency['max_ms']:.1f} ms, statuses {latency['statuses']}, "
        f"{latency['durable_instances']} completed instances in the store"
    )


if __name__ == "__main__":
    main()
