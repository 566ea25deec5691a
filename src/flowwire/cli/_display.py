"""How the CLI shows engine values: FEEL values as JSON, timestamps briefly."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from rich.console import Console


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        if value == value.to_integral_value() and abs(value) < Decimal(10) ** 15:
            return int(value)
        return float(value)
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def to_json(value: Any, *, indent: int | None = 2) -> str:
    """JSON text for a variable value (decimals that are whole numbers print as integers)."""
    return json.dumps(
        _jsonable(value), indent=indent, ensure_ascii=False, sort_keys=indent is not None
    )


def short_time(value: Any) -> str:
    """A timestamp in UTC to the second, or an empty cell when there is none."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC)
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


def table_console() -> Console:
    """A console for tables: a terminal's own width, else wide enough that keys never wrap."""
    console = Console()
    return console if console.is_terminal else Console(width=200)
