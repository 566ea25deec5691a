"""The input of the REST connector (`io.camunda:http-json:1`), named as in Camunda's template.

Field names are the template's `zeebe:input` targets, so a task built with Camunda's REST
template binds unchanged; `connector_field` adds what flowwire's own template export needs.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from flowwire.connectors.fields import connector_field

Method = Literal["POST", "GET", "DELETE", "PATCH", "PUT"]
_BODY_METHODS = {"property": "method", "oneOf": ["POST", "PUT", "PATCH"]}


def _when(auth_type: str) -> dict[str, Any]:
    return {"property": "authentication.type", "equals": auth_type}


class _Strict(BaseModel):
    """Unknown keys are ignored; a null value counts as not given (the default applies, or
    `field required` is reported), as FEEL mappings often yield null for unset fields."""

    model_config = ConfigDict(extra="ignore")

    @model_validator(mode="before")
    @classmethod
    def _null_is_absent(cls, data: Any) -> Any:
        if isinstance(data, dict) and any(value is None for value in data.values()):
            return {key: value for key, value in data.items() if value is not None}
        return data


class NoAuthentication(_Strict):
    type: Literal["noAuth"] = "noAuth"


class BasicAuthentication(_Strict):
    type: Literal["basic"]
    username: str = connector_field(
        label="Username", feel="optional", min_length=1, condition=_when("basic")
    )
    password: str = connector_field(
        label="Password", feel="optional", secret=True, condition=_when("basic")
    )


class BearerAuthentication(_Strict):
    type: Literal["bearer"]
    token: str = connector_field(
        label="Bearer token", feel="optional", secret=True, min_length=1, condition=_when("bearer")
    )


class ApiKeyAuthentication(_Strict):
    type: Literal["apiKey"]
    apiKeyLocation: Literal["headers", "query"] = connector_field(
        "headers",
        label="Api key location",
        tooltip="Send API key in header or as query parameter.",
        condition=_when("apiKey"),
        choices=[("Headers", "headers"), ("Query parameters", "query")],
    )
    name: str = connector_field(
        label="API key name", feel="optional", min_length=1, condition=_when("apiKey")
    )
    value: str = connector_field(
        label="API key value", feel="optional", secret=True, min_length=1, condition=_when("apiKey")
    )


class OAuthClientCredentials(_Strict):
    type: Literal["oauth-client-credentials-flow"]
    oauthTokenEndpoint: str = connector_field(
        label="OAuth 2.0 token endpoint",
        feel="optional",
        min_length=1,
        condition=_when("oauth-client-credentials-flow"),
    )
    clientId: str = connector_field(
        label="Client ID",
        feel="optional",
        min_length=1,
        condition=_when("oauth-client-credentials-flow"),
    )
    clientSecret: str = connector_field(
        label="Client secret",
        feel="optional",
        secret=True,
        min_length=1,
        condition=_when("oauth-client-credentials-flow"),
    )
    audience: str | None = connector_field(
        None,
        label="Audience",
        feel="optional",
        tooltip="The unique identifier of the target API you want to access",
        condition=_when("oauth-client-credentials-flow"),
    )
    clientAuthentication: Literal["credentialsBody", "basicAuthHeader"] = connector_field(
        "credentialsBody",
        label="Client authentication",
        condition=_when("oauth-client-credentials-flow"),
        choices=[
            ("Send client credentials in body", "credentialsBody"),
            ("Send as Basic Auth header", "basicAuthHeader"),
        ],
    )
    scopes: str | None = connector_field(
        None,
        label="Scopes",
        feel="optional",
        placeholder="read:contacts",
        condition=_when("oauth-client-credentials-flow"),
    )


class OAuthRefreshToken(_Strict):
    type: Literal["oauth-refresh-token"]
    oauthTokenEndpoint: str = connector_field(
        label="OAuth 2.0 token endpoint",
        feel="optional",
        min_length=1,
        condition=_when("oauth-refresh-token"),
        in_template=False,
    )
    clientId: str = connector_field(
        label="Client ID", min_length=1, condition=_when("oauth-refresh-token"), in_template=False
    )
    clientSecret: str | None = connector_field(
        None, secret=True, condition=_when("oauth-refresh-token"), in_template=False
    )
    refreshToken: str = connector_field(
        label="Refresh token",
        secret=True,
        min_length=1,
        condition=_when("oauth-refresh-token"),
        in_template=False,
    )
    scopes: str | None = connector_field(
        None, condition=_when("oauth-refresh-token"), in_template=False
    )


Authentication = Annotated[
    NoAuthentication
    | ApiKeyAuthentication
    | BasicAuthentication
    | BearerAuthentication
    | OAuthClientCredentials
    | OAuthRefreshToken,
    Field(discriminator="type"),
]


class ReturnFormat(_Strict):
    choice: Literal["JSON", "TEXT"] = "JSON"
    encoding: str = "UTF-8"

    @field_validator("choice", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        if value == "DOCUMENT":
            raise ValueError(
                "DOCUMENT responses need a document store, which flowwire does not have yet; "
                "choose JSON or TEXT"
            )
        return value


class ClientTls(_Strict):
    clientCertificate: str | None = None
    clientPrivateKey: str | None = None
    privateKeyPassword: str | None = None
    trustedCertificate: str | None = None

    def is_empty(self) -> bool:
        return not (self.clientCertificate or self.clientPrivateKey or self.trustedCertificate)


class HttpJsonRequest(_Strict):
    """One HTTP request, as the REST template's properties describe it."""

    authentication: Authentication = connector_field(
        default_factory=NoAuthentication,
        label="Type",
        description="Choose the authentication type. Select 'None' if no authentication is necessary",
        group="authentication",
        choices=[
            ("None", "noAuth"),
            ("API key", "apiKey"),
            ("Basic", "basic"),
            ("Bearer token", "bearer"),
            ("OAuth 2.0", "oauth-client-credentials-flow"),
            ("OAuth 2.0 Refresh Token", "oauth-refresh-token"),
        ],
    )
    method: Method = connector_field(label="Method", group="endpoint", template_value="GET")
    url: str = connector_field(label="URL", group="endpoint", feel="optional", min_length=1)
    headers: dict[str, Any] | None = connector_field(
        None,
        label="Headers",
        group="endpoint",
        feel="required",
        tooltip="Map of HTTP headers to add to the request",
    )
    queryParameters: dict[str, Any] | None = connector_field(
        None,
        label="Query parameters",
        group="endpoint",
        feel="required",
        tooltip="Map of query parameters to add to the request URL",
    )
    skipEncoding: bool = connector_field(
        False, label="Skip URL encoding", group="endpoint", template_type="Hidden"
    )
    followRedirects: bool = connector_field(
        False,
        label="Follow redirects",
        group="endpoint",
        tooltip="If enabled, HTTP 3xx redirects will be followed automatically.",
    )
    documentReturnFormat: ReturnFormat = connector_field(
        default_factory=ReturnFormat, in_template=False
    )
    connectionTimeoutInSeconds: int | None = connector_field(
        20,
        label="Connection timeout in seconds",
        group="timeout",
        ge=0,
        tooltip="Use 0 for an infinite timeout",
    )
    readTimeoutInSeconds: int | None = connector_field(
        20,
        label="Read timeout in seconds",
        group="timeout",
        ge=0,
        tooltip="Use 0 for an infinite timeout",
    )
    body: Any = connector_field(
        None,
        label="Request body",
        group="payload",
        feel="optional",
        template_type="Text",
        condition=_BODY_METHODS,
        tooltip="Payload to send with the request",
    )
    ignoreNullValues: bool = connector_field(
        False,
        label="Ignore null values",
        group="payload",
        condition=_BODY_METHODS,
        tooltip="Null values will not be sent",
    )
    clientTls: ClientTls | None = connector_field(None, in_template=False)

    @model_validator(mode="before")
    @classmethod
    def _credential(cls, data: Any) -> Any:
        """A reusable credential (`authenticationConfiguration`) stands in for `authentication`;
        an authentication without any value set means none."""
        if not isinstance(data, dict):
            return data
        auth = data.get("authentication")
        if isinstance(auth, dict) and all(value is None for value in auth.values()):
            data = {k: v for k, v in data.items() if k != "authentication"}
        if data.get("authentication") is None:
            configuration = data.get("authenticationConfiguration")
            if isinstance(configuration, dict):
                nested = configuration.get("authentication", configuration)
                if isinstance(nested, dict) and nested.get("type"):
                    data = {**data, "authentication": nested}
            elif "authentication" in data:
                data = {k: v for k, v in data.items() if k != "authentication"}
        return data

    @field_validator("method", mode="before")
    @classmethod
    def _method_upper(cls, value: Any) -> Any:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        value = value.strip()
        if not value.lower().startswith(("http://", "https://")):
            shown = value if len(value) <= 80 else value[:80] + "..."
            raise ValueError(f"must be a http(s) URL, not '{shown}'")
        return value

    @field_validator("connectionTimeoutInSeconds", "readTimeoutInSeconds", mode="before")
    @classmethod
    def _blank_timeout(cls, value: Any) -> Any:
        return None if value == "" else value
