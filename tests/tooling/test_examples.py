"""Every process in ``examples/`` runs: through the test fixture and through ``flowwire run``."""

from __future__ import annotations

from decimal import Decimal

import pytest
from lxml import etree

from flowwire.engine import ActivatedJob
from flowwire.testing import EngineHarness

from .cli_helpers import flowwire
from .conftest import EXAMPLES

BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"


def test_every_example_opens_in_the_modeler_with_a_diagram() -> None:
    examples = sorted(EXAMPLES.glob("*.bpmn"))
    assert len(examples) >= 3
    for path in examples:
        root = etree.parse(str(path)).getroot()
        assert root.get("exporter") == "Camunda Modeler", path.name
        assert root.get("{http://camunda.org/schema/modeler/1.0}executionPlatform") == (
            "Camunda Cloud"
        )
        shapes = {s.get("bpmnElement") for s in root.iter(f"{{{BPMNDI}}}BPMNShape")}
        edges = {e.get("bpmnElement") for e in root.iter(f"{{{BPMNDI}}}BPMNEdge")}
        process = root.find("{http://www.omg.org/spec/BPMN/20100524/MODEL}process")
        assert process is not None
        for child in process:
            tag = etree.QName(child).localname
            if tag == "sequenceFlow":
                assert child.get("id") in edges, f"{path.name}: {child.get('id')} has no edge"
            elif tag != "extensionElements":
                assert child.get("id") in shapes, f"{path.name}: {child.get('id')} has no shape"


def test_hello(flowwire_engine: EngineHarness) -> None:
    flowwire_engine.deploy(EXAMPLES / "hello.bpmn")
    named = flowwire_engine.start("hello", {"name": "Ada"})
    anonymous = flowwire_engine.start("hello")
    flowwire_engine.assert_variables(named, {"greeting": "Hello, Ada!"})
    flowwire_engine.assert_variables(anonymous, {"greeting": "Hello, world!"})


@pytest.mark.parametrize(("amount", "total"), [(250, Decimal("297.5")), (1000, Decimal("1190"))])
def test_order_approval_small_orders_pass_automatically(
    flowwire_engine: EngineHarness, amount: int, total: Decimal
) -> None:
    flowwire_engine.deploy(EXAMPLES / "order-approval.bpmn")
    instance = flowwire_engine.start("order-approval", {"amount": amount})
    flowwire_engine.assert_completed(instance)
    flowwire_engine.assert_passed(instance, ["check_amount", "auto_approve", "compute_total"])
    flowwire_engine.assert_variables(instance, {"approved": True, "total": total})


def test_order_approval_large_orders_wait_for_a_manager(flowwire_engine: EngineHarness) -> None:
    flowwire_engine.deploy(EXAMPLES / "order-approval.bpmn")
    instance = flowwire_engine.start("order-approval", {"amount": 5000})
    flowwire_engine.active_element(instance, "approve_order")
    flowwire_engine.complete_user_task(instance, "approve_order", {"approved": False})
    flowwire_engine.assert_passed(
        instance, ["check_amount", "approve_order", "merge", "compute_total", "end"]
    )
    flowwire_engine.assert_variables(instance, {"approved": False, "total": 0})


@pytest.mark.parametrize(
    ("variables", "accepted"),
    [
        ({"amount": 100, "country": "DE"}, True),
        ({"amount": 100, "country": "XX"}, False),
        ({"amount": 9000, "country": "DE"}, False),
    ],
)
def test_parallel_checks_join_both_results(
    flowwire_engine: EngineHarness, variables: dict[str, object], accepted: bool
) -> None:
    flowwire_engine.deploy(EXAMPLES / "parallel-checks.bpmn")
    instance = flowwire_engine.start("parallel-checks", variables)
    flowwire_engine.assert_completed(instance)
    flowwire_engine.assert_passed(instance, ["fork", "credit_check", "join", "decide"])
    flowwire_engine.assert_passed(instance, ["fork", "fraud_check", "join", "decide"])
    flowwire_engine.assert_variables(instance, {"accepted": accepted})


def test_ship_order_maps_the_worker_result_into_the_order(flowwire_engine: EngineHarness) -> None:
    def ship(job: ActivatedJob) -> dict[str, str]:
        assert job.variables["address"] == "Main St 1"  # the input mapping
        return {"trackingNumber": f"{job.custom_headers['carrier']}-1"}

    flowwire_engine.deploy(EXAMPLES / "ship-order.bpmn")
    flowwire_engine.register_handler("ship-parcel", ship)
    instance = flowwire_engine.start("ship-order", {"order": {"id": 7, "address": "Main St 1"}})
    flowwire_engine.assert_completed(instance)
    flowwire_engine.assert_variables(
        instance, {"order": {"id": 7, "address": "Main St 1", "tracking": "parcel-post-1"}}
    )
    assert "trackingNumber" not in flowwire_engine.variables(instance)


@pytest.mark.parametrize(
    ("example", "variables", "exit_code"),
    [
        ("hello.bpmn", '{"name": "Ada"}', 0),
        ("order-approval.bpmn", '{"amount": 250}', 0),
        ("order-approval.bpmn", '{"amount": 5000}', 2),
        ("parallel-checks.bpmn", '{"amount": 100, "country": "DE"}', 0),
        ("ship-order.bpmn", '{"order": {"address": "Main St 1"}}', 2),
    ],
)
def test_each_example_runs_from_the_command_line(
    example: str, variables: str, exit_code: int
) -> None:
    result = flowwire("run", str(EXAMPLES / example), "--vars", variables)
    assert result.exit_code == exit_code, result.output
    assert result.stdout.splitlines()[1].split()[0] == "entered"
