"""Reading request bodies: JSON objects checked field by field, keys as int64 strings.

Each endpoint names the fields it understands and the fields of Camunda's API it does not
support; anything else is rejected with a message naming the field, so a client learns at
once what flowwire cannot do instead of having it silently ignored.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from starlette.requests import Request

from flowwire.api.problems import ApiProblem, bad_request

DEFAULT_TENANT = "<default>"
MAX_BODY = 10 * 1024 * 1024
_INT64_MAX = 2**63 - 1
#: the longest duration in milliseconds a request may give (100 years)
MAX_DURATION_MS = 100 * 365 * 24 * 3600 * 1000


async def json_object(request: Request, *, optional: bool = False) -> dict[str, Any]:
    """The body as a JSON object (`{}` for an empty body when `optional`)."""
    raw = await request.body()
    if len(raw) > MAX_BODY:
        raise ApiProblem(413, f"the request body is larger than {MAX_BODY} bytes")
    if not raw.strip():
        if optional:
            return {}
        raise bad_request("the request needs a JSON object as its body")
    try:
        value = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise bad_request(f"the request body is not valid JSON: {exc}") from None
    if value is None and optional:
        return {}
    if not isinstance(value, dict):
        raise bad_request(f"the request body must be a JSON object, got {_kind(value)}")
    return value


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def parse_key(value: Any, what: str) -> int:
    """A key given as an int64 string (or a JSON integer, which Camunda also accepts)."""
    if isinstance(value, bool):
        raise bad_request(f"{what} must be a key (an int64 as a string), got a boolean")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.strip().isdigit() and value.isascii():
        number = int(value.strip())
    else:
        raise bad_request(f"{what} must be a key (an int64 as a string), got {value!r}")
    if not 0 < number <= _INT64_MAX:
        raise bad_request(f"{what} must be a positive int64, got {value!r}")
    return number


def key_text(key: int | None) -> str | None:
    return None if key is None else str(key)


class Fields:
    """Typed access to a request object's fields, rejecting what the endpoint cannot handle.

    `unsupported` maps Camunda field names flowwire knows but does not implement to the
    reason; they are accepted only when absent, null or empty.
    """

    def __init__(
        self,
        body: dict[str, Any],
        *,
        known: Iterable[str],
        unsupported: dict[str, str] | None = None,
        where: str = "the request",
    ) -> None:
        self.body = body
        self.where = where
        unsupported = unsupported or {}
        allowed = set(known) | set(unsupported) | {"tenantId", "operationReference"}
        for name, value in body.items():
            if name not in allowed:
                raise bad_request(
                    f"{where} has an unknown field '{name}'; the fields flowwire accepts "
                    f"here are: {', '.join(sorted(set(known)))}"
                )
            if name in unsupported and value not in (None, [], {}, "", False):
                raise bad_request(
                    f"flowwire does not support '{name}' in {where}: {unsupported[name]}"
                )
        check_tenant(body.get("tenantId"), where)
        if "operationReference" in body:
            self.integer("operationReference", minimum=1)

    def raw(self, name: str) -> Any:
        return self.body.get(name)

    def string(self, name: str, *, required: bool = False, allow_empty: bool = True) -> str | None:
        value = self.body.get(name)
        if value is None:
            if required:
                raise bad_request(f"{self.where} needs '{name}' (a string)")
            return None
        if not isinstance(value, str):
            raise bad_request(f"'{name}' must be a string, got {_kind(value)}")
        if not allow_empty and not value.strip():
            raise bad_request(f"'{name}' must not be empty")
        return value

    def required_string(self, name: str) -> str:
        value = self.string(name, required=True, allow_empty=False)
        assert value is not None
        return value

    def integer(
        self,
        name: str,
        *,
        required: bool = False,
        minimum: int | None = None,
        maximum: int | None = _INT64_MAX,
    ) -> int | None:
        value = self.body.get(name)
        if value is None:
            if required:
                raise bad_request(f"{self.where} needs '{name}' (an integer)")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise bad_request(f"'{name}' must be an integer, got {_kind(value)}")
        if minimum is not None and value < minimum:
            raise bad_request(f"'{name}' must be at least {minimum}, got {value}")
        if maximum is not None and value > maximum:
            raise bad_request(f"'{name}' must be at most {maximum}, got {value}")
        return value

    def duration_ms(self, name: str, *, required: bool = False, minimum: int = 0) -> int | None:
        """A duration in milliseconds, at most 100 years."""
        return self.integer(name, required=required, minimum=minimum, maximum=MAX_DURATION_MS)

    def boolean(self, name: str, default: bool = False) -> bool:
        value = self.body.get(name)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise bad_request(f"'{name}' must be true or false, got {_kind(value)}")
        return value

    def key(self, name: str, *, required: bool = False) -> int | None:
        value = self.body.get(name)
        if value is None:
            if required:
                raise bad_request(f"{self.where} needs '{name}' (a key, an int64 as a string)")
            return None
        return parse_key(value, f"'{name}'")

    def variables(self, name: str = "variables") -> dict[str, Any] | None:
        value = self.body.get(name)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise bad_request(f"'{name}' must be a JSON object of variables, got {_kind(value)}")
        return value

    def string_list(self, name: str) -> list[str] | None:
        value = self.body.get(name)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise bad_request(f"'{name}' must be an array of strings")
        return value


def check_tenant(value: Any, where: str = "the request") -> None:
    """flowwire has one tenant, Camunda's `<default>`; naming another is an error."""
    if value is None:
        return
    values = value if isinstance(value, list) else [value]
    for item in values:
        if item != DEFAULT_TENANT:
            raise bad_request(
                f"flowwire has no multi-tenancy: {where} names tenant {item!r}; "
                f"leave tenantId out or use '{DEFAULT_TENANT}'"
            )
