"""The process the crash test kills: it runs instances of ``crash-order`` on a store file forever.

Usage: ``python crash_worker.py STORE BPMN``. Every line it prints (flushed at once) states
something that has been committed: ``started KEY`` after an instance was created,
``job JOB_KEY INSTANCE_KEY`` after a job completion, ``batch`` after in-process handlers ran a
batch of completions in one transaction. Jobs are completed both one command at a time and in
batches, some stay activated, so that a kill finds instances in every kind of state.
"""

from __future__ import annotations

import sys
from datetime import timedelta

from flowwire.engine import ActivatedJob, Engine
from flowwire.store import open_store

LEASE = timedelta(seconds=30)


def reserve(job: ActivatedJob) -> dict[str, object]:
    return {"reservation": f"R-{job.variables['n']}"}


def main(store_path: str, bpmn_path: str) -> None:
    engine = Engine(open_store(store_path))
    engine.deploy(bpmn_path)
    engine.register_handler("crash-charge", lambda job: {"charged": True})
    print("deployed", flush=True)
    n = 0
    while True:
        for _ in range(3):
            instance = engine.create_instance("crash-order", {"n": n, "order": {"id": n}})
            n += 1
            print(f"started {instance.key}", flush=True)
        # one command per completion; the last activated job stays leased (its worker "hangs")
        jobs = engine.activate_jobs("crash-reserve", "crash-worker", max_jobs=5, timeout=LEASE)
        for job in jobs[:-1]:
            engine.complete_job(job.key, reserve(job))
            print(f"job {job.key} {job.process_instance_key}", flush=True)
        # several completions in one transaction (the engine's in-process worker)
        if n % 2 == 0 and engine.run_until_idle(max_steps=4):
            print("batch", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
