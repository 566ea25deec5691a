"""Message and signal variables are stored as the JSON they will become: FEEL-typed values from
callers (Decimal numbers, dates) are accepted, values without a JSON form are refused clearly."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from decimal import Decimal

import pytest

from flowwire.engine import Engine, InvalidArgument

from ..diagrams import chain, definitions, end, process, start
from ..support import state
from .event_diagrams import catch, message


def _waiting() -> str:
    return definitions(
        message("Paid", "payment received"),
        process(
            "order",
            start(),
            catch("wait", "message", "Paid"),
            end(),
            chain("start", "wait", "end"),
        ),
    )


def test_buffered_message_variables_may_be_decimals_and_dates(engine: Engine) -> None:
    engine.deploy(_waiting())
    engine.publish_message(
        "payment received",
        "A-1",
        {"amount": Decimal("12.50"), "count": Decimal(3), "paidOn": dt.date(2026, 11, 30)},
        time_to_live=timedelta(minutes=5),
    )
    instance = engine.create_instance("order", {"orderId": "A-1"})
    assert state(engine, instance.key) == "COMPLETED"
    variables = engine.variables(instance.key)
    assert variables["amount"] == 12.5
    assert variables["count"] == 3
    assert variables["paidOn"] == "2026-11-30"


def test_a_message_variable_without_a_json_form_is_refused_by_name(engine: Engine) -> None:
    engine.deploy(_waiting())
    with pytest.raises(InvalidArgument, match="'callback'"):
        engine.publish_message("payment received", "A-1", {"callback": print})
