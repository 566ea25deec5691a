"""A webhook's configuration, read from the `zeebe:property` entries of a BPMN element.

Property names are those of Camunda's webhook connector templates (`inbound.type` =
`io.camunda:webhook:1`), so a start event modeled with Camunda's template runs unchanged; the
legacy names of older template versions are accepted too. Everything that can be checked
without a request (webhook id syntax, enum values, FEEL syntax) is checked here, so a bad
configuration fails the deployment instead of the first request.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from flowwire import feel

WEBHOOK_TYPE = "io.camunda:webhook:1"
TYPE_PROPERTY = "inbound.type"

#: a webhook id as Camunda allows it (it becomes the last segment of `/inbound/{id}`)
WEBHOOK_ID = re.compile(r"[a-zA-Z0-9]+(?:[-_][a-zA-Z0-9]+)*")

#: current name -> legacy names older template versions write
ALIASES: dict[str, tuple[str, ...]] = {
    "activationCondition": ("inbound.activationCondition",),
    "resultExpression": ("inbound.variableMapping",),
    "inbound.auth.type": ("inbound.authorizationType",),
    "inbound.auth.jwt.jwkUrl": ("inbound.jwkUrl",),
    "inbound.auth.jwt.permissionsExpression": ("inbound.jwtRoleExpression",),
    "inbound.auth.jwt.requiredPermissions": ("inbound.requiredPermissions",),
}

#: properties that are always FEEL (a leading "=" is optional, as in the templates)
FEEL_PROPERTIES = (
    "inbound.hmacScopes",
    "inbound.auth.apiKeyLocator",
    "inbound.auth.jwt.permissionsExpression",
    "inbound.auth.jwt.requiredPermissions",
    "inbound.verificationExpression",
    "inbound.responseExpression",
    "inbound.responseBodyExpression",
    "activationCondition",
    "resultExpression",
    "correlationKeyExpression",
    "messageIdExpression",
)

#: properties that only say how several elements share one webhook, not what it does
_DEDUP_PROPERTIES = frozenset({"deduplicationModeManualFlag", "deduplicationId"})

DEFAULT_API_KEY_LOCATOR = '=split(request.headers.authorization, " ")[2]'


class AuthType(StrEnum):
    NONE = "NONE"
    BASIC = "BASIC"
    APIKEY = "APIKEY"
    JWT = "JWT"


class HmacScope(StrEnum):
    URL = "URL"
    PARAMETERS = "PARAMETERS"
    BODY = "BODY"


_METHODS = ("any", "get", "post", "put", "delete")
_HMAC_ALGORITHMS = {"sha_1": "sha1", "sha_256": "sha256", "sha_512": "sha512"}


@dataclass(frozen=True, slots=True)
class ConfigProblem:
    """One thing wrong with an element's webhook properties."""

    element_id: str
    property: str
    message: str

    def __str__(self) -> str:
        return f"element '{self.element_id}', property '{self.property}': {self.message}"


class InboundConfigError(ValueError):
    """An element's webhook properties cannot be used; `problems` lists every reason."""

    def __init__(self, problems: list[ConfigProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True, slots=True)
class HmacSettings:
    secret: str
    header: str
    algorithm: str  # hashlib name: sha1, sha256, sha512
    scopes: str | None  # FEEL list of HmacScope names; None = the body only


@dataclass(frozen=True, slots=True)
class AuthSettings:
    type: AuthType = AuthType.NONE
    username: str = ""
    password: str = ""
    api_key: str = ""
    api_key_locator: str = DEFAULT_API_KEY_LOCATOR
    jwk_url: str = ""
    permissions_expression: str | None = None
    required_permissions: str | None = None


@dataclass(frozen=True, slots=True)
class WebhookConfig:
    """Everything a webhook element says, as written (secret references not yet replaced)."""

    webhook_id: str
    method: str
    hmac: HmacSettings | None
    auth: AuthSettings
    verification_expression: str | None
    response_expression: str | None
    response_body_expression: str | None
    activation_condition: str | None
    consume_unmatched_events: bool
    result_variable: str | None
    result_expression: str | None
    correlation_key_expression: str | None
    message_id_expression: str | None
    message_ttl: str | None
    deduplication_id: str | None
    #: the connector properties, for automatic deduplication (identical properties share)
    fingerprint: tuple[tuple[str, str], ...]

    def dedup_key(self) -> tuple[str, object]:
        """Elements with equal keys may share one webhook id."""
        if self.deduplication_id:
            return ("manual", self.deduplication_id)
        return ("auto", self.fingerprint)


def is_webhook(properties: Mapping[str, str]) -> bool:
    return properties.get(TYPE_PROPERTY, "").strip() == WEBHOOK_TYPE


def is_inbound(properties: Mapping[str, str]) -> bool:
    return bool(properties.get(TYPE_PROPERTY, "").strip())


def _get(properties: Mapping[str, str], name: str) -> str | None:
    for key in (name, *ALIASES.get(name, ())):
        value = properties.get(key)
        if value is not None and value.strip() != "":
            return value.strip()
    return None


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"true", "enabled", "yes", "=true"}


def parse_webhook(element_id: str, properties: Mapping[str, str]) -> WebhookConfig:
    """Read and check a webhook element's properties; raise InboundConfigError listing all
    problems."""
    problems: list[ConfigProblem] = []

    def problem(name: str, message: str) -> None:
        problems.append(ConfigProblem(element_id, name, message))

    webhook_id = _get(properties, "inbound.context") or ""
    if not webhook_id:
        problem("inbound.context", "the webhook id is missing; set it to e.g. 'order-created'")
    elif not WEBHOOK_ID.fullmatch(webhook_id):
        problem(
            "inbound.context",
            f"'{webhook_id}' is not a valid webhook id; use letters and digits, "
            "separated by single '-' or '_' (e.g. 'order-created')",
        )

    method = (_get(properties, "inbound.method") or "any").lower()
    if method not in _METHODS:
        problem("inbound.method", f"'{method}' is not one of {', '.join(_METHODS)}")

    hmac_settings = None
    if _flag(_get(properties, "inbound.shouldValidateHmac")):
        secret = _get(properties, "inbound.hmacSecret")
        header = _get(properties, "inbound.hmacHeader")
        algorithm = (_get(properties, "inbound.hmacAlgorithm") or "sha_256").lower()
        if not secret:
            problem("inbound.hmacSecret", "HMAC is enabled but no secret is set")
        if not header:
            problem("inbound.hmacHeader", "HMAC is enabled but no header name is set")
        if algorithm not in _HMAC_ALGORITHMS:
            problem(
                "inbound.hmacAlgorithm",
                f"'{algorithm}' is not one of {', '.join(_HMAC_ALGORITHMS)}",
            )
        hmac_settings = HmacSettings(
            secret or "",
            header or "",
            _HMAC_ALGORITHMS.get(algorithm, "sha256"),
            _get(properties, "inbound.hmacScopes"),
        )

    auth_text = (_get(properties, "inbound.auth.type") or "NONE").upper()
    try:
        auth_type = AuthType(auth_text)
    except ValueError:
        problem(
            "inbound.auth.type",
            f"unknown authentication type '{auth_text}'; use NONE, BASIC, APIKEY or JWT",
        )
        auth_type = AuthType.NONE
    auth = AuthSettings(
        type=auth_type,
        username=_get(properties, "inbound.auth.username") or "",
        password=_get(properties, "inbound.auth.password") or "",
        api_key=_get(properties, "inbound.auth.apiKey") or "",
        api_key_locator=_get(properties, "inbound.auth.apiKeyLocator") or DEFAULT_API_KEY_LOCATOR,
        jwk_url=_get(properties, "inbound.auth.jwt.jwkUrl") or "",
        permissions_expression=_get(properties, "inbound.auth.jwt.permissionsExpression"),
        required_permissions=_get(properties, "inbound.auth.jwt.requiredPermissions"),
    )
    if auth_type is AuthType.BASIC and not auth.username:
        problem("inbound.auth.username", "BASIC authentication needs a username")
    if auth_type is AuthType.APIKEY and not auth.api_key:
        problem("inbound.auth.apiKey", "APIKEY authentication needs an API key")
    if auth_type is AuthType.JWT and not auth.jwk_url:
        problem("inbound.auth.jwt.jwkUrl", "JWT authentication needs the JWK URL of the issuer")

    for name in FEEL_PROPERTIES:
        text = _get(properties, name)
        if text is None:
            continue
        try:
            feel.compile(text)
        except feel.FeelSyntaxError as err:
            problem(name, f"invalid FEEL at line {err.line}, column {err.column}: {err.message}")
        except feel.FeelError as err:
            problem(name, f"invalid FEEL: {err}")

    result_variable = _get(properties, "resultVariable")
    if result_variable is not None and not re.fullmatch(r"[A-Za-z_][\w]*", result_variable):
        problem("resultVariable", f"'{result_variable}' is not a valid variable name")

    if problems:
        raise InboundConfigError(problems)

    manual = _flag(_get(properties, "deduplicationModeManualFlag"))
    fingerprint = tuple(sorted((k, v) for k, v in properties.items() if k not in _DEDUP_PROPERTIES))
    return WebhookConfig(
        webhook_id=webhook_id,
        method=method,
        hmac=hmac_settings,
        auth=auth,
        verification_expression=_get(properties, "inbound.verificationExpression"),
        response_expression=_get(properties, "inbound.responseExpression"),
        response_body_expression=_get(properties, "inbound.responseBodyExpression"),
        activation_condition=_get(properties, "activationCondition"),
        consume_unmatched_events=_flag(_get(properties, "consumeUnmatchedEvents")),
        result_variable=result_variable,
        result_expression=_get(properties, "resultExpression"),
        correlation_key_expression=_get(properties, "correlationKeyExpression"),
        message_id_expression=_get(properties, "messageIdExpression"),
        message_ttl=_get(properties, "messageTtl"),
        deduplication_id=_get(properties, "deduplicationId") if manual else None,
        fingerprint=fingerprint,
    )
