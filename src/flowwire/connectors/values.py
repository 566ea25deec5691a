"""Turning connector results and FEEL values into plain JSON values for job commands."""

from __future__ import annotations

import dataclasses
import datetime as _dt
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from flowwire.feel.format import to_json_compatible


def to_plain(value: Any) -> Any:
    """`value` as JSON-ready Python (dict, list, str, int, float, bool, None).

    Pydantic models and dataclasses returned by a connector become dicts; FEEL numbers become
    int or float; temporal values their ISO text; bytes are decoded as UTF-8 (replacing
    undecodable bytes).
    """
    if value is None or isinstance(value, bool | str | int | float):
        return value
    if isinstance(value, Decimal):
        plain = to_json_compatible(value)
        return float(plain) if isinstance(plain, Decimal) else plain
    if isinstance(value, dict):
        return {str(key): to_plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_plain(item) for item in value]
    if isinstance(value, BaseModel):
        return to_plain(value.model_dump(mode="json", by_alias=True))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return to_plain(dataclasses.asdict(value))
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", errors="replace")
    if isinstance(value, _dt.date | _dt.time | _dt.timedelta):
        return to_plain(to_json_compatible(value))
    return to_plain(to_json_compatible(value))
