"""Link events: a link throw event continues at the link catch event of the same name."""

from __future__ import annotations

import pytest

from flowwire.engine import DeploymentRejected, Engine

from ..diagrams import chain, definitions, end, flow, gateway, process, service_task, start
from ..support import completed, one_job, state
from .trigger_diagrams import link_catch, link_throw


def test_a_link_throw_continues_at_its_catch(engine: Engine) -> None:
    engine.deploy(
        definitions(
            process(
                "p",
                start(),
                link_throw("to_b", "B"),
                link_catch("from_a", "B"),
                service_task("work", "work"),
                end(),
                flow("start", "to_b"),
                chain("from_a", "work", "end"),
            )
        )
    )
    instance = engine.create_instance("p")
    engine.complete_job(one_job(engine).key)
    assert state(engine, instance.key) == "COMPLETED"
    assert completed(engine, instance.key) == ["start", "to_b", "from_a", "work", "end"]


def test_a_link_can_close_a_loop_and_joins_still_wait_for_it(engine: Engine) -> None:
    """The inclusive join sees that the linked path can still reach it."""
    engine.deploy(
        definitions(
            process(
                "p",
                start(),
                gateway("inclusive", "fork"),
                service_task("slow", "slow"),
                link_throw("jump", "J"),
                link_catch("land", "J"),
                gateway("inclusive", "join"),
                end(),
                chain("start", "fork"),
                flow("fork", "slow", "=true"),
                flow("fork", "jump", "=true"),
                chain("slow", "join"),
                chain("land", "join", "end"),
            )
        )
    )
    instance = engine.create_instance("p")
    assert state(engine, instance.key) == "ACTIVE"
    engine.complete_job(one_job(engine, "slow").key)
    assert state(engine, instance.key) == "COMPLETED"
    assert completed(engine, instance.key).count("join") == 1


def test_a_link_throw_without_a_catch_of_its_name_is_rejected(engine: Engine) -> None:
    with pytest.raises(DeploymentRejected, match="no link catch event named 'B'"):
        engine.deploy(
            definitions(
                process(
                    "p",
                    start(),
                    link_throw("to_b", "B"),
                    link_catch("other", "C"),
                    end(),
                    flow("start", "to_b"),
                    flow("other", "end"),
                )
            )
        )
