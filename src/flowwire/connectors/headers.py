"""The task headers the connector runtime reads (`zeebe:taskHeader`), parsed once per job."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass

from flowwire.connectors.errors import ConnectorInputError
from flowwire.feel.temporal import parse_duration

RESULT_VARIABLE = "resultVariable"
RESULT_EXPRESSION = "resultExpression"
ERROR_EXPRESSION = "errorExpression"
RETRY_BACKOFF = "retryBackoff"
TEMPLATE_ID = "elementTemplateId"
TEMPLATE_VERSION = "elementTemplateVersion"


@dataclass(frozen=True, slots=True)
class ConnectorHeaders:
    result_variable: str | None = None
    result_expression: str | None = None
    error_expression: str | None = None
    retry_backoff: _dt.timedelta = _dt.timedelta(0)
    template_id: str | None = None
    template_version: str | None = None

    @classmethod
    def parse(cls, headers: Mapping[str, str]) -> ConnectorHeaders:
        """Raises `ConnectorInputError` (an incident) for a `retryBackoff` that is no duration."""
        return cls(
            result_variable=_blank_to_none(headers.get(RESULT_VARIABLE)),
            result_expression=_blank_to_none(headers.get(RESULT_EXPRESSION)),
            error_expression=_blank_to_none(headers.get(ERROR_EXPRESSION)),
            retry_backoff=parse_backoff(headers.get(RETRY_BACKOFF)),
            template_id=_blank_to_none(headers.get(TEMPLATE_ID)),
            template_version=_blank_to_none(headers.get(TEMPLATE_VERSION)),
        )


def _blank_to_none(value: str | None) -> str | None:
    if value is None:
        return None
    value = str(value)
    stripped = value.strip()
    if not stripped or stripped == "=":
        return None
    return value


def parse_backoff(text: str | None, origin: str = "the task header retryBackoff") -> _dt.timedelta:
    """An ISO-8601 days-and-time duration (`PT30S`); empty means no backoff."""
    if text is None or not str(text).strip():
        return _dt.timedelta(0)
    value = str(text).strip()
    try:
        duration = parse_duration(value)
    except ValueError:
        duration = None
    if not isinstance(duration, _dt.timedelta) or duration < _dt.timedelta(0):
        raise ConnectorInputError(
            f"{origin} is '{value}', which is not an ISO-8601 duration; "
            "write one such as PT30S, PT5M or P1D"
        )
    return duration
