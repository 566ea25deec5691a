"""Start and stop a real `flowwire serve` process on a free loopback port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

MODELS = Path(__file__).resolve().parent / "models"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Served:
    process: subprocess.Popen[str]
    base: str  # http://127.0.0.1:PORT

    @property
    def api(self) -> str:
        return f"{self.base}/v2"


def start_serve(store: Path, *extra: str) -> Served:
    port = free_port()
    command = [
        sys.executable, "-m", "flowwire.cli.main", "serve",
        "--store", str(store), "--port", str(port), "--log-level", "warning", *extra,
    ]  # fmt: skip
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    served = Served(process, f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read() if process.stdout else ""
            pytest.fail(f"flowwire serve exited with {process.returncode}:\n{output}")
        try:
            if httpx.get(f"{served.base}/health", timeout=1).status_code == 200:
                return served
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    process.kill()
    pytest.fail("flowwire serve did not become ready within 30 s")


def stop_serve(served: Served) -> str:
    served.process.send_signal(signal.SIGTERM)
    try:
        output, _ = served.process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        served.process.kill()
        output, _ = served.process.communicate()
    return output
