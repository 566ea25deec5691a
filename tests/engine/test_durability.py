"""Everything waits in the store: a new engine on the same file carries on."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from flowwire.engine import Engine, ManualClock
from flowwire.store import open_store

from .diagrams import chain, end, gateway, model, service_task, start, user_task
from .support import one_job, state, user_task_key


def _process() -> str:
    return model(
        "p",
        start(),
        gateway("parallel", "fork"),
        service_task("job", "work"),
        user_task("review"),
        service_task("broken", "=kind"),
        gateway("parallel", "join"),
        end(),
        chain("start", "fork"),
        chain("fork", "job", "join"),
        chain("fork", "review", "join"),
        chain("fork", "broken", "join"),
        chain("join", "end"),
    )


def test_a_new_engine_on_the_same_file_continues_waiting_instances(
    store_path: Path, clock: ManualClock
) -> None:
    first = Engine(open_store(store_path), clock=clock)
    first.deploy(_process())
    instance = first.create_instance("p", {"x": 1})
    leased = first.activate_jobs("work", "crashed-worker", timeout=timedelta(minutes=1))
    assert len(leased) == 1
    first.close()

    second = Engine(open_store(store_path), clock=clock)
    assert second.activate_jobs("work", "w") == [], "the lease survived the restart"
    clock.advance(timedelta(minutes=1))
    job = one_job(second)
    assert job.variables == {"x": 1}
    second.complete_job(job.key)
    second.complete_user_task(user_task_key(second, instance.key, "review"), {"ok": True})
    [incident] = second.incidents(instance_key=instance.key)
    second.set_variables(instance.key, {"kind": "other"})
    second.resolve_incident(incident.key)
    second.complete_job(one_job(second, "other").key)
    assert state(second, instance.key) == "COMPLETED"
    assert second.variables(instance.key) == {"x": 1, "ok": True, "kind": "other"}
    second.close()
