"""The official Camunda 8 Python SDK (`camunda-orchestration-sdk`) drives a real
`flowwire serve` process: deploy, start instances with and without awaitCompletion, a job
worker that completes, fails and throws BPMN errors, searches, variables, incident resolution."""

from __future__ import annotations

import asyncio
import os
import time
import warnings
from collections.abc import Iterator
from typing import Any

import pytest

from .serving import MODELS, Served

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import camunda_orchestration_sdk.models as sdk
    from camunda_orchestration_sdk import CamundaAsyncClient, CamundaClient
    from camunda_orchestration_sdk.errors import NotFoundError, UnexpectedStatus
    from camunda_orchestration_sdk.runtime.job_worker import JobError, JobFailure, WorkerConfig


@pytest.fixture(scope="module")
def sdk_env(served: Served) -> Iterator[None]:
    """The SDK reads its address from the environment, as users configure it."""
    saved = {k: os.environ.get(k) for k in ("CAMUNDA_REST_ADDRESS", "CAMUNDA_AUTH_STRATEGY")}
    os.environ["CAMUNDA_REST_ADDRESS"] = served.base
    os.environ["CAMUNDA_AUTH_STRATEGY"] = "NONE"
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="module")
def client(sdk_env: None) -> Iterator[CamundaClient]:
    camunda = CamundaClient()
    camunda.deploy_resources_from_files(
        [
            MODELS / "service-task.bpmn",
            MODELS / "error-catch.bpmn",
            MODELS / "user-task.bpmn",
            MODELS / "message-wait.bpmn",
        ]
    )
    yield camunda
    camunda.close()


def _variables(values: dict[str, Any]) -> Any:
    return sdk.ProcessInstanceCreationInstructionBaseVariables.from_dict(values)


def _search(model: Any, body: dict[str, Any]) -> Any:
    return model.from_dict(body)


def test_topology_reports_one_healthy_partition(client: CamundaClient) -> None:
    topology = client.get_topology()
    assert topology.cluster_size == 1
    assert topology.brokers[0].partitions[0].health.value == "healthy"


def test_deploying_returns_the_process_definitions(client: CamundaClient) -> None:
    result = client.deploy_resources_from_files([MODELS / "service-task.bpmn"])
    process = result.deployments[0].process_definition
    assert process is not None
    assert process.process_definition_id == "api-service"
    assert process.resource_name == "service-task.bpmn"
    assert process.process_definition_version == 1  # identical XML: same version
    assert int(process.process_definition_key) > 0


def test_an_instance_without_await_is_active_and_found_by_search(client: CamundaClient) -> None:
    created = client.create_process_instance(
        data=sdk.ProcessCreationById(
            process_definition_id="api-service", variables=_variables({"order": "A-1"})
        )
    )
    assert created.process_definition_id == "api-service"
    found = client.search_process_instances(
        data=_search(
            sdk.ProcessInstanceSearchQuery,
            {"filter": {"processInstanceKey": created.process_instance_key}},
        )
    )
    assert [item.state.value for item in found.items] == ["ACTIVE"]
    variables = client.search_variables(
        data=_search(
            sdk.VariableSearchQuery,
            {"filter": {"processInstanceKey": created.process_instance_key, "name": "order"}},
        )
    )
    assert [(v.name, v.value) for v in variables.items] == [("order", '"A-1"')]
    client.cancel_process_instance(created.process_instance_key, data=None)
    after = client.search_process_instances(
        data=_search(
            sdk.ProcessInstanceSearchQuery,
            {"filter": {"processInstanceKey": created.process_instance_key}},
        )
    )
    assert after.items[0].state.value == "TERMINATED"


def test_unknown_process_is_a_not_found_problem(client: CamundaClient) -> None:
    with pytest.raises(UnexpectedStatus) as raised:
        client.create_process_instance(
            data=sdk.ProcessCreationById(process_definition_id="no-such-process")
        )
    assert raised.value.status_code == 404
    assert b"no process with id 'no-such-process'" in raised.value.content


async def _worker_scenario() -> dict[str, Any]:
    """A worker of the SDK handles three instances: one completes (awaited by the creating
    request), one throws a BPMN error that a boundary event catches, one fails into an
    incident that is then fixed (variables, retries) and resolved."""
    outcome: dict[str, Any] = {}
    async with CamundaAsyncClient() as camunda:

        async def work(job: Any) -> dict[str, Any]:
            mode = job.variables.to_dict().get("mode")
            if mode == "fail":
                raise JobFailure("the service is down", retries=0)
            return {"handledBy": job.worker, "mode": mode}

        async def check(job: Any) -> dict[str, Any]:
            raise JobError("REJECTED", "not acceptable")

        for job_type, handler in (("api-work", work), ("api-check", check)):
            camunda.create_job_worker(
                WorkerConfig(
                    job_type=job_type,
                    job_timeout_milliseconds=30_000,
                    request_timeout_milliseconds=2_000,
                    worker_name="sdk-worker",
                ),
                handler,
            )
        runner = asyncio.create_task(camunda.run_workers())
        try:
            awaited = await camunda.create_process_instance(
                data=sdk.ProcessCreationById(
                    process_definition_id="api-service",
                    variables=_variables({"mode": "ok"}),
                    await_completion=True,
                    request_timeout=20_000,
                )
            )
            outcome["awaited"] = awaited.variables.to_dict()
            caught = await camunda.create_process_instance(
                data=sdk.ProcessCreationById(
                    process_definition_id="api-error",
                    await_completion=True,
                    request_timeout=20_000,
                )
            )
            elements = await camunda.search_element_instances(
                data=_search(
                    sdk.ElementInstanceSearchQuery,
                    {"filter": {"processInstanceKey": caught.process_instance_key}},
                )
            )
            outcome["caught_path"] = [e.element_id for e in elements.items]
            failing = await camunda.create_process_instance(
                data=sdk.ProcessCreationById(
                    process_definition_id="api-service", variables=_variables({"mode": "fail"})
                )
            )
            key = failing.process_instance_key
            incidents = None
            for _ in range(100):
                incidents = await camunda.search_incidents(
                    data=_search(
                        sdk.IncidentSearchQuery,
                        {"filter": {"processInstanceKey": key, "state": "ACTIVE"}},
                    )
                )
                if incidents.items:
                    break
                await asyncio.sleep(0.1)
            assert incidents is not None and incidents.items, "the failure raised no incident"
            incident = incidents.items[0]
            outcome["incident"] = (incident.error_type.value, incident.error_message)
            await camunda.create_element_instance_variables(
                key, data=sdk.SetVariableRequest.from_dict({"variables": {"mode": "fixed"}})
            )
            await camunda.update_job(
                incident.job_key,
                data=sdk.JobUpdateRequest.from_dict({"changeset": {"retries": 1}}),
            )
            await camunda.resolve_incident(incident.incident_key)
            for _ in range(100):
                found = await camunda.search_process_instances(
                    data=_search(
                        sdk.ProcessInstanceSearchQuery, {"filter": {"processInstanceKey": key}}
                    )
                )
                if found.items[0].state.value == "COMPLETED":
                    break
                await asyncio.sleep(0.1)
            outcome["resolved_state"] = found.items[0].state.value
            variables = await camunda.search_variables(
                data=_search(
                    sdk.VariableSearchQuery,
                    {"filter": {"processInstanceKey": key, "name": "mode"}},
                )
            )
            outcome["resolved_mode"] = [v.value for v in variables.items]
        finally:
            runner.cancel()
            await asyncio.gather(runner, return_exceptions=True)
    return outcome


def test_sdk_job_worker_completes_fails_and_throws(client: CamundaClient) -> None:
    outcome = asyncio.run(asyncio.wait_for(_worker_scenario(), timeout=90))
    assert outcome["awaited"] == {"mode": "ok", "handledBy": "sdk-worker"}
    assert "rejected_end" in outcome["caught_path"]
    assert "accepted_end" not in outcome["caught_path"]
    assert outcome["incident"] == ("JOB_NO_RETRIES", "the service is down")
    assert outcome["resolved_state"] == "COMPLETED"
    assert outcome["resolved_mode"] == ['"fixed"']


def test_user_task_is_searched_and_completed(client: CamundaClient) -> None:
    created = client.create_process_instance(
        data=sdk.ProcessCreationById(
            process_definition_id="api-user", variables=_variables({"approver": "ann"})
        )
    )
    tasks = client.search_user_tasks(
        data=_search(
            sdk.UserTaskSearchQuery,
            {"filter": {"processInstanceKey": created.process_instance_key}},
        )
    )
    task = tasks.items[0]
    assert (task.element_id, task.assignee, task.state.value) == ("approve", "ann", "CREATED")
    assert task.candidate_groups == ["managers"]
    client.complete_user_task(
        task.user_task_key,
        data=sdk.UserTaskCompletionRequest.from_dict({"variables": {"approved": True}}),
    )
    found = client.search_process_instances(
        data=_search(
            sdk.ProcessInstanceSearchQuery,
            {"filter": {"processInstanceKey": created.process_instance_key}},
        )
    )
    assert found.items[0].state.value == "COMPLETED"


def _state(client: CamundaClient, key: str) -> str:
    found = client.search_process_instances(
        data=_search(sdk.ProcessInstanceSearchQuery, {"filter": {"processInstanceKey": key}})
    )
    return str(found.items[0].state.value)


def test_messages_are_correlated_and_published(client: CamundaClient) -> None:
    first, second = (
        client.create_process_instance(
            data=sdk.ProcessCreationById(
                process_definition_id="api-message", variables=_variables({"orderId": order})
            )
        )
        for order in ("A-1", "A-2")
    )
    correlated = client.correlate_message(
        data=sdk.MessageCorrelationRequest(
            name="payment-received",
            correlation_key="A-1",
            variables=sdk.MessageCorrelationRequestVariables.from_dict({"amount": 5}),
        )
    )
    assert correlated.process_instance_key == first.process_instance_key
    assert _state(client, first.process_instance_key) == "COMPLETED"
    assert _state(client, second.process_instance_key) == "ACTIVE"

    published = client.publish_message(
        data=sdk.MessagePublicationRequest(
            name="payment-received", correlation_key="A-2", time_to_live=60_000
        )
    )
    assert int(published.message_key) > 0
    assert _state(client, second.process_instance_key) == "COMPLETED"
    amount = client.search_variables(
        data=_search(
            sdk.VariableSearchQuery,
            {"filter": {"processInstanceKey": first.process_instance_key, "name": "amount"}},
        )
    )
    assert [v.value for v in amount.items] == ["5"]


def test_correlating_a_message_nobody_waits_for_is_not_found(client: CamundaClient) -> None:
    with pytest.raises(NotFoundError) as raised:
        client.correlate_message(
            data=sdk.MessageCorrelationRequest(name="payment-received", correlation_key="none")
        )
    assert raised.value.status_code == 404


def test_the_sdk_pages_with_cursors(client: CamundaClient) -> None:
    for order in ("C-1", "C-2", "C-3"):
        client.create_process_instance(
            data=sdk.ProcessCreationById(
                process_definition_id="api-user", variables=_variables({"order": order})
            )
        )
    query: dict[str, Any] = {
        "filter": {"processDefinitionId": "api-user"},
        "sort": [{"field": "startDate", "order": "DESC"}],
    }
    whole = client.search_process_instances(data=_search(sdk.ProcessInstanceSearchQuery, query))
    expected = [item.process_instance_key for item in whole.items]
    assert len(expected) >= 3
    seen: list[str] = []
    page: dict[str, Any] = {"limit": 2}
    while True:
        answer = client.search_process_instances(
            data=_search(sdk.ProcessInstanceSearchQuery, {**query, "page": page})
        )
        if not answer.items:
            break
        seen += [item.process_instance_key for item in answer.items]
        page = {"limit": 2, "after": answer.page.end_cursor}
    assert seen == expected
    assert answer.page.total_items == len(expected)


def test_the_sdk_extends_a_job_timeout(client: CamundaClient) -> None:
    client.create_process_instance(
        data=sdk.ProcessCreationById(process_definition_id="api-service")
    )
    jobs = client.activate_jobs(
        data=sdk.JobActivationRequest(
            type_="api-work", timeout=1000, max_jobs_to_activate=1, worker="sdk-test"
        )
    ).jobs
    assert jobs
    key = jobs[0].job_key
    client.update_job(
        key,
        data=sdk.JobUpdateRequest(changeset=sdk.JobChangeset(timeout=600_000, retries=5)),
    )
    time.sleep(1.2)  # the first lease (1 s) would have run out: nobody else gets the job
    again = client.activate_jobs(
        data=sdk.JobActivationRequest(
            type_="api-work",
            timeout=1000,
            max_jobs_to_activate=10,
            worker="other",
            request_timeout=-1,
        )
    ).jobs
    assert key not in [job.job_key for job in again]
    client.complete_job(key, data=sdk.JobCompletionRequest())
