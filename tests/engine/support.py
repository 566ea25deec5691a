"""Small readers over the engine API that keep the tests short."""

from __future__ import annotations

from flowwire.engine import ActivatedJob, Engine


def completed(engine: Engine, instance_key: int) -> list[str]:
    """Element ids in the order they completed (the process itself left out)."""
    process_id = engine.get_instance(instance_key).process_id
    return [
        e.element_id
        for e in engine.history(instance_key)
        if e.transition == "COMPLETED" and e.element_id != process_id
    ]


def active(engine: Engine, instance_key: int) -> list[str]:
    """Ids of the element instances that are active now (the process itself left out)."""
    process_id = engine.get_instance(instance_key).process_id
    return sorted(
        e.element_id
        for e in engine.element_instances(instance_key)
        if e.state == "ACTIVE" and e.element_id != process_id
    )


def state(engine: Engine, instance_key: int) -> str:
    return engine.get_instance(instance_key).state


def one_job(engine: Engine, job_type: str = "work", worker: str = "test") -> ActivatedJob:
    jobs = engine.activate_jobs(job_type, worker)
    assert len(jobs) == 1, f"expected one {job_type!r} job, got {len(jobs)}"
    return jobs[0]


def user_task_key(engine: Engine, instance_key: int, element_id: str) -> int:
    for element in engine.element_instances(instance_key):
        if element.element_id == element_id and element.state == "ACTIVE":
            return element.key
    raise AssertionError(f"user task {element_id!r} is not waiting")
