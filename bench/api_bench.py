"""REST API benchmark: the same process through `flowwire serve` and in process.

Run by hand (it is not a test)::

    .venv/bin/python bench/api_bench.py [--instances 2000] [--clients 8] [--rounds 2]

Process: start → service task (`bench-work`) → end, persisted to a SQLite file (WAL,
synchronous=NORMAL) in both setups.

* instances/s: `--clients` concurrent HTTP connections send `POST /v2/process-instances` to a
  `flowwire serve --no-connectors` subprocess for 2 s (with `wrk` when installed — a Python
  client would measure itself — else from threads with one keep-alive connection each), against
  `Engine.create_instance` called in a loop in this process;
* jobs/s: `--clients` job workers of the official SDK (`camunda-orchestration-sdk`,
  `CamundaAsyncClient.create_job_worker`) activate and complete the jobs of those instances
  (one completion request per job) for every instance the first part created, against
  `Engine.activate_jobs` in batches of 32 and `Engine.complete_job` per job in this process.

The setups take turns for `--rounds` rounds and each one's best round is reported.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path
from typing import Any

import httpx

from flowwire.engine import Engine
from flowwire.store import open_store

#: keep-alive connections of each SDK client (see `_work_with_sdk`)
SDK_CONNECTIONS = 8

PROCESS = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="Definitions_api_bench"
    targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="api-bench" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work"/>
    <bpmn:serviceTask id="work">
      <bpmn:extensionElements><zeebe:taskDefinition type="bench-work"/></bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="end"/>
    <bpmn:endEvent id="end"/>
  </bpmn:process>
</bpmn:definitions>
"""


def in_process(folder: Path, instances: int) -> tuple[float, float]:
    """(instances/s, jobs/s) with the engine in this process."""
    engine = Engine(open_store(str(folder / "in-process.db")))
    try:
        engine.deploy(PROCESS.encode(), resource_name="api-bench.bpmn")
        started = time.perf_counter()
        for n in range(instances):
            engine.create_instance("api-bench", {"n": n})
        created = time.perf_counter() - started
        started = time.perf_counter()
        done = 0
        while done < instances:
            batch = engine.activate_jobs("bench-work", "bench", max_jobs=32)
            for job in batch:
                engine.complete_job(job.key, {"done": True})
            done += len(batch)
        worked = time.perf_counter() - started
    finally:
        engine.close()
    return instances / created, instances / worked


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    command = [sys.executable, "-m", "flowwire.cli.main", "serve", "--no-connectors"]
    command += ["--store", str(folder / "served.db"), "--port", str(port)]
    command += ["--log-level", "warning"]
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return process, base
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    process.kill()
    raise SystemExit("flowwire serve did not start")


_WRK_SCRIPT = """wrk.method = "POST"
wrk.body = '{"processDefinitionId":"api-bench","variables":{"n":1}}'
wrk.headers["Content-Type"] = "application/json"
"""


def _deploy_over_http(base: str) -> None:
    with httpx.Client(base_url=f"{base}/v2", timeout=60) as http:
        deployed = http.post(
            "/deployments", files={"resources": ("api-bench.bpmn", PROCESS.encode())}
        )
        deployed.raise_for_status()


def _create_with_wrk(base: str, folder: Path, seconds: int, clients: int) -> float:
    """wrk with `clients` connections: the server's rate without a Python client's cost."""
    script = folder / "create.lua"
    script.write_text(_WRK_SCRIPT)
    command = ["wrk", "-t2", f"-c{clients}", f"-d{seconds}s", "-s", str(script)]
    output = subprocess.run(
        [*command, f"{base}/v2/process-instances"], capture_output=True, text=True, check=True
    ).stdout
    if "Non-2xx" in output:
        raise SystemExit(f"wrk saw failed requests:\n{output}")
    rate = [line for line in output.splitlines() if line.startswith("Requests/sec:")]
    return float(rate[0].split()[1])


def _create_over_http(base: str, instances: int, clients: int) -> float:
    """`clients` threads, each with its own keep-alive connection (httpx's async pool is
    several times slower than its sync client and would measure the client, not the API)."""
    counter = iter(range(instances))
    lock = threading.Lock()

    def client() -> None:
        with httpx.Client(base_url=f"{base}/v2", timeout=60) as http:
            while True:
                with lock:
                    n = next(counter, None)
                if n is None:
                    return
                response = http.post(
                    "/process-instances",
                    json={"processDefinitionId": "api-bench", "variables": {"n": n}},
                )
                response.raise_for_status()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return instances / (time.perf_counter() - started)


async def _work_with_sdk(base: str, instances: int, clients: int) -> float:
    os.environ["CAMUNDA_REST_ADDRESS"] = base
    os.environ["CAMUNDA_AUTH_STRATEGY"] = "NONE"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from camunda_orchestration_sdk import CamundaAsyncClient
        from camunda_orchestration_sdk.runtime.job_worker import WorkerConfig

    handled = 0
    all_done = asyncio.Event()

    async def handler(job: Any) -> dict[str, Any]:
        nonlocal handled
        handled += 1
        if handled >= instances:
            all_done.set()
        return {"done": True}

    # what a production worker would configure: the SDK's logging through the standard
    # library (quiet here), and a keep-alive pool no larger than the connections in use —
    # httpx's default keeps 20 idle connections of up to 100, so 256 concurrent completions
    # open and close connections all the time and the pool scan dominates the client's CPU
    quiet = logging.getLogger("bench.sdk")
    limits = httpx.Limits(
        max_connections=SDK_CONNECTIONS, max_keepalive_connections=SDK_CONNECTIONS
    )
    workers = [
        CamundaAsyncClient(logger=quiet, httpx_args={"limits": limits}) for _ in range(clients)
    ]
    started = time.perf_counter()
    for camunda in workers:
        camunda.create_job_worker(
            WorkerConfig(
                job_type="bench-work",
                job_timeout_milliseconds=600_000,
                request_timeout_milliseconds=1_000,
                max_concurrent_jobs=256,
                worker_name="bench",
            ),
            handler,
        )
    runners = [asyncio.create_task(camunda.run_workers()) for camunda in workers]
    await all_done.wait()
    async with httpx.AsyncClient(base_url=f"{base}/v2", timeout=60) as http:
        while True:  # the last completions are in flight when the handler returns
            found = await http.post(
                "/process-instances/search",
                json={"filter": {"state": "ACTIVE"}, "page": {"limit": 0}},
            )
            if found.json()["page"]["totalItems"] == 0:
                break
            await asyncio.sleep(0.05)
    elapsed = time.perf_counter() - started
    for runner in runners:
        runner.cancel()
    await asyncio.gather(*runners, return_exceptions=True)
    for camunda in workers:
        await camunda.aclose()
    return instances / elapsed


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _work_with_threads(base: str, clients: int) -> float:
    """Activation (batches of 32) and one completion request per job from `clients` threads
    with sync keep-alive connections: the API's own job rate, without the SDK's client."""
    done = 0
    lock = threading.Lock()

    def worker() -> None:
        nonlocal done
        with httpx.Client(base_url=f"{base}/v2", timeout=60) as http:
            while True:
                jobs = http.post(
                    "/jobs/activation",
                    json={
                        "type": "bench-work",
                        "timeout": 60_000,
                        "maxJobsToActivate": 32,
                        "requestTimeout": -1,
                    },
                ).json()["jobs"]
                if not jobs:
                    return
                for job in jobs:
                    http.post(
                        f"/jobs/{job['jobKey']}/completion", json={"variables": {"done": True}}
                    ).raise_for_status()
                with lock:
                    done += len(jobs)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done / (time.perf_counter() - started)


def _drain_count(base: str) -> int:
    """How many instances wait for their job (wrk runs for a time, not a count)."""
    with httpx.Client(base_url=f"{base}/v2", timeout=120) as http:
        found = http.post(
            "/process-instances/search",
            json={"filter": {"state": "ACTIVE"}, "page": {"limit": 0}},
        )
        return int(found.json()["page"]["totalItems"])


def over_api(folder: Path, instances: int, clients: int) -> tuple[float, ...]:
    """(instances/s, jobs/s with the SDK, jobs/s with plain HTTP threads, client CPU ms per
    SDK job, server CPU ms per SDK job) through the REST API of a `flowwire serve`
    subprocess."""
    process, base = _serve(folder)
    try:
        _deploy_over_http(base)
        if shutil.which("wrk"):
            created = _create_with_wrk(base, folder, 2, clients)
            instances = _drain_count(base)
        else:
            created = _create_over_http(base, instances, clients)
        client_cpu, server_cpu = time.process_time(), _cpu_seconds(process.pid)
        worked = asyncio.run(_work_with_sdk(base, instances, clients))
        client_ms = (time.process_time() - client_cpu) * 1000 / instances
        server_ms = (_cpu_seconds(process.pid) - server_cpu) * 1000 / instances
        if shutil.which("wrk"):
            _create_with_wrk(base, folder, 2, clients)
        else:
            _create_over_http(base, instances, clients)
        plain = _work_with_threads(base, clients)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    return created, worked, plain, client_ms, server_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--instances", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    best = {"in": [0.0, 0.0, 0.0], "api": [0.0, 0.0, 0.0]}
    for round_number in range(1, args.rounds + 1):
        with tempfile.TemporaryDirectory(prefix="flowwire-api-bench-") as name:
            folder = Path(name)
            local = in_process(folder, args.instances)
            remote = over_api(folder, args.instances, args.clients)
        print(
            f"round {round_number}: in-process {local[0]:,.0f} instances/s {local[1]:,.0f} "
            f"jobs/s; API {remote[0]:,.0f} instances/s, {remote[1]:,.0f} jobs/s (SDK worker; "
            f"CPU per job: SDK client {remote[3]:.2f} ms, server {remote[4]:.2f} ms), "
            f"{remote[2]:,.0f} jobs/s (plain HTTP)",
            flush=True,
        )
        best["in"] = [max(a, b) for a, b in zip(best["in"], (*local, local[1]), strict=True)]
        best["api"] = [max(a, b) for a, b in zip(best["api"], remote[:3], strict=True)]
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    print(
        f"\nmachine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}; load {load[0]:.1f}"
    )
    print(f"instances {args.instances}, clients {args.clients}, rounds {args.rounds} (best)\n")
    print("| measure | in process | REST API | API ÷ in process |")
    print("| --- | ---: | ---: | ---: |")
    labels = (
        "instances/s created",
        "jobs/s activated+completed (SDK job worker)",
        "jobs/s activated+completed (plain HTTP clients)",
    )
    for index, label in enumerate(labels):
        mine, served = best["in"][index], best["api"][index]
        print(f"| {label} | {mine:,.0f} | {served:,.0f} | {served / mine:.0%} |")


if __name__ == "__main__":
    main()
