"""Incidents for failed mappings and expressions; resolving one retries the failed step."""

from __future__ import annotations

from flowwire.engine import Engine

from .diagrams import chain, end, model, script_task, service_task, start
from .support import active, one_job, state


def test_a_failing_input_mapping_stops_activation_until_resolved(engine: Engine) -> None:
    engine.deploy(
        model(
            "p",
            start(),
            service_task(
                "task",
                "work",
                inputs=[('=assert(limit, limit > 0, "limit must be positive")', "max")],
            ),
            end(),
            chain("start", "task", "end"),
        )
    )
    instance = engine.create_instance("p", {"limit": -1})
    [incident] = engine.incidents(instance_key=instance.key)
    assert (incident.error_type, incident.element_id) == ("IO_MAPPING_ERROR", "task")
    assert "limit must be positive" in incident.message
    assert engine.jobs(instance.key) == []
    [task] = [e for e in engine.element_instances(instance.key) if e.element_id == "task"]
    assert (task.state, task.lifecycle, task.has_incident) == ("ACTIVE", "ACTIVATING", True)
    engine.set_variables(instance.key, {"limit": 5})
    engine.resolve_incident(incident.key)
    job = one_job(engine)
    assert job.variables["max"] == 5
    engine.complete_job(job.key)
    assert state(engine, instance.key) == "COMPLETED"


def test_a_failing_output_mapping_keeps_the_task_completing_until_resolved(
    engine: Engine,
) -> None:
    engine.deploy(
        model(
            "p",
            start(),
            service_task("task", "work", outputs=[("=assert(status, status = 200)", "status")]),
            end(),
            chain("start", "task", "end"),
        )
    )
    instance = engine.create_instance("p")
    job = one_job(engine)
    engine.complete_job(job.key, {"status": 500})
    [incident] = engine.incidents(instance_key=instance.key)
    assert incident.error_type == "IO_MAPPING_ERROR"
    assert active(engine, instance.key) == ["task"]
    engine.set_variables(job.element_instance_key, {"status": 200}, local=True)
    engine.resolve_incident(incident.key)
    assert state(engine, instance.key) == "COMPLETED"
    assert engine.variables(instance.key) == {"status": 200}


def test_an_output_mapping_to_a_function_cannot_be_stored(engine: Engine) -> None:
    engine.deploy(
        model(
            "p",
            start(),
            script_task("s", "=1", "one", outputs=[("=function(x) x + 1", "inc")]),
            end(),
            chain("start", "s", "end"),
        )
    )
    instance = engine.create_instance("p")
    [incident] = engine.incidents(instance_key=instance.key)
    assert incident.error_type == "IO_MAPPING_ERROR"
    assert "'inc'" in incident.message and "function" in incident.message


def test_a_job_type_expression_without_a_string_result_is_an_extract_value_error(
    engine: Engine,
) -> None:
    engine.deploy(
        model("p", start(), service_task("task", "=jobType"), end(), chain("start", "task", "end"))
    )
    instance = engine.create_instance("p")
    [incident] = engine.incidents(instance_key=instance.key)
    assert incident.error_type == "EXTRACT_VALUE_ERROR"
    assert "to be 'STRING', but was 'NULL'" in incident.message
    assert "jobType" in incident.message, "the FEEL warning names the missing variable"
    engine.set_variables(instance.key, {"jobType": "mail"})
    engine.resolve_incident(incident.key)
    assert one_job(engine, "mail").element_id == "task"


def test_a_failing_script_is_an_incident_and_runs_again_on_resolve(engine: Engine) -> None:
    engine.deploy(
        model(
            "p",
            start(),
            script_task("s", "=assert(x, x != null) * 2", "y"),
            end(),
            chain("start", "s", "end"),
        )
    )
    instance = engine.create_instance("p")
    [incident] = engine.incidents(instance_key=instance.key)
    assert (incident.error_type, incident.element_id) == ("EXTRACT_VALUE_ERROR", "s")
    engine.set_variables(instance.key, {"x": 4})
    engine.resolve_incident(incident.key)
    assert state(engine, instance.key) == "COMPLETED"
    assert engine.variables(instance.key) == {"x": 4, "y": 8}


def test_incidents_are_part_of_the_history(engine: Engine) -> None:
    engine.deploy(
        model("p", start(), service_task("task", "=jobType"), end(), chain("start", "task", "end"))
    )
    instance = engine.create_instance("p")
    [incident] = engine.incidents(instance_key=instance.key)
    engine.set_variables(instance.key, {"jobType": "x"})
    engine.resolve_incident(incident.key)
    transitions = [e.transition for e in engine.history(instance.key) if "INCIDENT" in e.transition]
    assert transitions == ["INCIDENT_CREATED", "INCIDENT_RESOLVED"]
