"""REST connector benchmark: connector tasks per second end to end against direct httpx calls.

Run by hand (it is not a test)::

    .venv/bin/python bench/connector_bench.py [--instances 2000] [--concurrency 1 50]
        [--rounds 3] [--poll-interval 0.1] [--profile]

A small asyncio HTTP/1.1 keep-alive server answering a fixed JSON weather report runs in a
separate process (so it does not compete with the engine for this process's GIL).

* flowwire: a process start → REST task (`io.camunda:http-json:1`, GET to the server, a
  `resultExpression` mapping three values of the body) → end, on `flowwire.engine.Engine` with a
  durable SQLite store in a temporary folder. The real `ConnectorRuntime` (built-in connectors,
  `serve()`) activates the jobs, makes the call, evaluates the result expression and completes
  the job. `--concurrency` closed-loop drivers each start an instance (in a thread of their own,
  as an API call would) and wait for the runtime's report that its job was completed; latency
  is from the start command to that report.
* ceiling: the same GET requests made directly with one `httpx.AsyncClient` (JSON body parsed),
  one after another for concurrency 1, from that many asyncio tasks otherwise.

The sides take turns for `--rounds` rounds and each side's best round is reported.
`--profile` runs the flowwire side once at the highest concurrency under pyinstrument, one
profiler in each thread that does work (event loop, the runtime's engine thread, the starter).
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

WEATHER = (
    b'{"latitude":52.52,"longitude":13.4,"generationtime_ms":0.228,"utc_offset_seconds":0,'
    b'"timezone":"GMT","timezone_abbreviation":"GMT","elevation":45.0,'
    b'"current_weather":{"temperature":1.0,"windspeed":10.1,"winddirection":186.0,'
    b'"weathercode":2,"time":"2023-01-19T14:00"}}'
)
PATH = "/v1/forecast"

RESULT_EXPRESSION = (
    "= {berlinWeather: response.body.current_weather.temperature, "
    "berlinWindSpeed: response.body.current_weather.windspeed, "
    "berlinWeatherInFahrenheit: response.body.current_weather.temperature * 1.8 + 32}"
)

PROCESS = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="Definitions_connector_bench"
    targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="connector-bench" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="weather"/>
    <bpmn:serviceTask id="weather" name="Get weather"
        zeebe:modelerTemplate="io.camunda.connectors.HttpJson.v2"
        zeebe:modelerTemplateVersion="17">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="io.camunda:http-json:1" retries="3"/>
        <zeebe:ioMapping>
          <zeebe:input source="noAuth" target="authentication.type"/>
          <zeebe:input source="GET" target="method"/>
          <zeebe:input source="=baseUrl + &quot;{path}&quot;" target="url"/>
          <zeebe:input source="={{latitude: &quot;52.52&quot;, longitude: &quot;13.41&quot;}}"
              target="queryParameters"/>
          <zeebe:input source="20" target="connectionTimeoutInSeconds"/>
          <zeebe:input source="20" target="readTimeoutInSeconds"/>
        </zeebe:ioMapping>
        <zeebe:taskHeaders>
          <zeebe:header key="resultExpression" value="{result}"/>
          <zeebe:header key="retryBackoff" value="PT0S"/>
        </zeebe:taskHeaders>
      </bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="f2" sourceRef="weather" targetRef="end"/>
    <bpmn:endEvent id="end"/>
  </bpmn:process>
</bpmn:definitions>
""".format(path=PATH, result=RESULT_EXPRESSION.replace('"', "&quot;"))

QUERY = {"latitude": "52.52", "longitude": "13.41"}


# -- the HTTP server (runs in its own process) -----------------------------------------------
class _WeatherProtocol(asyncio.Protocol):
    """HTTP/1.1 with keep-alive and pipelining: every complete request gets the JSON report."""

    RESPONSE = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\n"
        b"Content-Length: " + str(len(WEATHER)).encode() + b"\r\n\r\n" + WEATHER
    )

    def __init__(self) -> None:
        self.buffer = b""
        self.transport: Any = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # uvloop's transports do not subclass asyncio.Transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        replies = []
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                break
            head = self.buffer[:end].lower()
            length = 0
            marker = head.find(b"content-length:")
            if marker >= 0:
                length = int(head[marker + 15 :].split(b"\r\n", 1)[0])
            if len(self.buffer) < end + 4 + length:
                break
            self.buffer = self.buffer[end + 4 + length :]
            replies.append(self.RESPONSE)
        if replies and self.transport is not None:
            self.transport.write(b"".join(replies))


def serve_forever() -> None:
    """Bind a free loopback port, print it, answer until stdin closes."""
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass

    async def main() -> None:
        loop = asyncio.get_running_loop()
        server = await loop.create_server(_WeatherProtocol, "127.0.0.1", 0, backlog=1024)
        port = server.sockets[0].getsockname()[1]
        print(port, flush=True)
        closed = asyncio.Event()
        threading.Thread(
            target=lambda: (sys.stdin.read(), loop.call_soon_threadsafe(closed.set)), daemon=True
        ).start()
        await closed.wait()
        server.close()

    asyncio.run(main())


class WeatherServer:
    """The server subprocess; closing it closes its stdin, which stops it."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line.strip():
            raise RuntimeError("the benchmark's HTTP server did not start")
        self.base = f"http://127.0.0.1:{int(line)}"

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# -- measurements ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Result:
    rate: float
    latencies: list[float]
    cpu_per_task: float
    """CPU seconds of this process (all its threads) per task: less sensitive to other load."""

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000


async def direct(base: str, instances: int, concurrency: int) -> Result:
    """The ceiling: the same GETs with httpx, `concurrency` at a time."""
    url = base + PATH
    latencies: list[float] = []
    remaining = instances
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=50)
    async with httpx.AsyncClient(trust_env=False, limits=limits) as client:
        for _ in range(20):  # open connections and warm up before timing
            (await client.get(url, params=QUERY)).json()

        async def caller() -> None:
            nonlocal remaining
            while remaining > 0:
                remaining -= 1
                started = time.perf_counter()
                response = await client.get(url, params=QUERY)
                response.raise_for_status()
                body = response.json()
                assert body["current_weather"]["temperature"] == 1.0
                latencies.append(time.perf_counter() - started)

        started, cpu = time.perf_counter(), time.process_time()
        await asyncio.gather(*(caller() for _ in range(concurrency)))
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    return Result(instances / elapsed, latencies, cpu / instances)


class ThreadProfilers:
    """One pyinstrument profiler per thread of interest (a profiler samples only its own)."""

    def __init__(self) -> None:
        self.profilers: dict[str, Any] = {}

    def start_here(self, name: str) -> None:
        from pyinstrument import Profiler

        profiler = Profiler(async_mode="disabled", interval=0.0005)
        profiler.start()
        self.profilers[name] = profiler

    def stop_here(self, name: str) -> None:
        self.profilers[name].stop()

    def print(self) -> None:
        for name, profiler in self.profilers.items():
            print(f"\n===== pyinstrument: {name} thread =====")
            print(profiler.output_text(unicode=True, color=False, show_all=False))


async def through_engine(
    base: str,
    folder: Path,
    instances: int,
    concurrency: int,
    poll_interval: float,
    profilers: ThreadProfilers | None = None,
    group_commit: bool = True,
) -> Result:
    """Instances through the engine and the connector runtime, `concurrency` in flight.

    With `group_commit` (as `flowwire serve` runs) the drivers create instances and the
    runtime reports job results through one `GroupCommitter` on the event loop; without it,
    instances are created from a thread and job results from the job client's own thread."""
    from flowwire.connectors import ConnectorRuntime, JobReport, discover
    from flowwire.connectors.jobs import EngineJobClient
    from flowwire.connectors.outcome import Complete
    from flowwire.engine import Engine
    from flowwire.engine.group_commit import GroupCommitter
    from flowwire.store import open_store

    engine = Engine(open_store(folder / f"connectors-{concurrency}.db"))
    committer = GroupCommitter(engine) if group_commit else None
    engine.deploy(PROCESS.encode(), resource_name="connector-bench.bpmn")
    loop = asyncio.get_running_loop()
    finished: dict[int, asyncio.Future[float]] = {}
    problems: list[str] = []

    def waiter(instance_key: int) -> asyncio.Future[float]:
        return finished.setdefault(instance_key, loop.create_future())

    def on_report(report: JobReport) -> None:
        if not isinstance(report.outcome, Complete) or report.command_error is not None:
            problems.append(report.describe())
        waiter(report.job.process_instance_key).set_result(time.perf_counter())

    starter = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="bench-starter")
    variables = {"baseUrl": base}

    def start() -> int:
        return engine.create_instance("connector-bench", variables).key

    async def run_one() -> float:
        started = time.perf_counter()
        if committer is not None:
            created = await committer.run(engine.create_instance, "connector-bench", variables)
            key = created.key
        else:
            key = await loop.run_in_executor(starter, start)
        done = await waiter(key)
        return done - started

    registry = discover(builtins=True, installed=False)
    stop = asyncio.Event()
    keys_started = 0
    try:
        async with ConnectorRuntime(
            engine, registry, poll_interval=poll_interval, on_report=on_report, commands=committer
        ) as runtime:
            serving = asyncio.create_task(runtime.serve(stop))
            for _ in range(20):  # warm-up: connections, FEEL caches, parsed model
                await run_one()
            keys_started = 20
            on_thread: list[tuple[concurrent.futures.Executor, str]] = [(starter, "starter")]
            if isinstance(runtime.client, EngineJobClient):
                on_thread.append((runtime.client._executor, "engine job client"))
            if profilers is not None:
                profilers.start_here("event loop")
                for executor, name in on_thread:
                    await loop.run_in_executor(executor, profilers.start_here, name)
            latencies: list[float] = []
            remaining = instances

            async def driver() -> None:
                nonlocal remaining
                while remaining > 0:
                    remaining -= 1
                    latencies.append(await run_one())

            started, cpu = time.perf_counter(), time.process_time()
            await asyncio.gather(*(driver() for _ in range(concurrency)))
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
            keys_started += instances
            if profilers is not None:
                profilers.stop_here("event loop")
                for executor, name in on_thread:
                    await loop.run_in_executor(executor, profilers.stop_here, name)
            stop.set()
            await serving
        _check(engine, list(finished), keys_started, problems)
    finally:
        starter.shutdown()
        engine.close()
    return Result(instances / elapsed, latencies, cpu / instances)


def _check(engine: Any, keys: list[int], expected: int, problems: list[str]) -> None:
    """Every instance completed with the mapped result, so the figures are of real work."""
    if problems:
        raise RuntimeError(f"{len(problems)} connector jobs did not complete: {problems[:3]}")
    if len(keys) != expected:
        raise RuntimeError(f"{len(keys)} reports for {expected} instances")
    for key in keys[:: max(1, len(keys) // 50)]:
        state = engine.get_instance(key).state
        variables = engine.variables(key)
        if state != "COMPLETED" or abs(variables["berlinWeatherInFahrenheit"] - 33.8) > 1e-9:
            raise RuntimeError(f"instance {key}: {state}, {variables}")


# -- the table ------------------------------------------------------------------------------
def best(results: list[Result]) -> Result:
    return max(results, key=lambda r: r.rate)


def table(rows: list[tuple[int, Result, Result]]) -> str:
    lines = [
        "| concurrency | side | tasks/s | p50 ms | p99 ms | CPU ms/task | ÷ ceiling |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for concurrency, ceiling, engine in rows:
        for side, result in (("direct httpx (ceiling)", ceiling), ("flowwire end to end", engine)):
            ratio = f"{result.rate / ceiling.rate:.0%}"
            lines.append(
                f"| {concurrency} | {side} | {result.rate:,.0f} | "
                f"{result.percentile(0.5):.2f} | {result.percentile(0.99):.2f} | "
                f"{result.cpu_per_task * 1000:.2f} | {ratio} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", type=int, default=2000, help="per case and round")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 50])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--poll-interval",
        type=float,
        default=0.1,
        help="the runtime's idle poll interval in seconds (its default: 0.1)",
    )
    parser.add_argument("--profile", action="store_true", help="pyinstrument the flowwire side")
    parser.add_argument(
        "--threads",
        action="store_true",
        help="create instances and report job results from threads, one transaction each, "
        "instead of through a group committer as flowwire serve does",
    )
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve_forever()
        return
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        os.environ.pop(name, None)
    os.environ["NO_PROXY"] = "127.0.0.1,localhost"
    import logging

    logging.disable(logging.INFO)

    server = WeatherServer()
    try:
        with tempfile.TemporaryDirectory(prefix="connector-bench-") as tmp:
            folder = Path(tmp)
            if args.profile:
                profilers = ThreadProfilers()
                concurrency = max(args.concurrency)
                result = asyncio.run(
                    through_engine(
                        server.base,
                        folder,
                        args.instances,
                        concurrency,
                        args.poll_interval,
                        profilers,
                        group_commit=not args.threads,
                    )
                )
                print(f"flowwire at concurrency {concurrency}: {result.rate:,.0f} tasks/s")
                profilers.print()
                return
            rows = []
            for concurrency in args.concurrency:
                ceilings: list[Result] = []
                engines: list[Result] = []
                for round_number in range(args.rounds):
                    ceilings.append(asyncio.run(direct(server.base, args.instances, concurrency)))
                    engines.append(
                        asyncio.run(
                            through_engine(
                                server.base,
                                folder,
                                args.instances,
                                concurrency,
                                args.poll_interval,
                                group_commit=not args.threads,
                            )
                        )
                    )
                    print(
                        f"concurrency {concurrency}, round {round_number + 1}: "
                        f"httpx {ceilings[-1].rate:,.0f}/s, flowwire {engines[-1].rate:,.0f}/s",
                        file=sys.stderr,
                    )
                    for db in folder.glob("*.db*"):
                        db.unlink()
                rows.append((concurrency, best(ceilings), best(engines)))
    finally:
        server.close()

    print(
        f"Python {platform.python_version()} ({platform.python_implementation()}), "
        f"{os.cpu_count()} CPUs, {args.instances} instances per case and round, "
        f"best of {args.rounds} rounds, runtime poll interval {args.poll_interval}s\n"
    )
    print(table(rows))
    for concurrency, ceiling, engine in rows:
        print(
            f"\nconcurrency {concurrency}: flowwire ÷ direct httpx = {engine.rate / ceiling.rate:.0%}"
        )
    top = max(rows, key=lambda row: row[0])
    verdict = "met" if top[2].rate >= 0.5 * top[1].rate else "NOT met"
    print(f"target (>= 50% of direct httpx at concurrency {top[0]}): {verdict}")


if __name__ == "__main__":
    main()
