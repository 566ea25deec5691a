"""POST /v2/deployments: multipart upload of one or more BPMN resources, all or nothing."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from pathlib import Path, PurePath

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from flowwire.api import shapes
from flowwire.api.bodies import DEFAULT_TENANT, MAX_BODY, check_tenant
from flowwire.api.context import api_context
from flowwire.api.problems import ApiProblem, bad_request
from flowwire.engine import Deployment

_OTHER_RESOURCES = (".dmn", ".form", ".rpa")


async def create_deployment(request: Request) -> Response:
    resources, tenant = await _read_form(request)
    check_tenant(tenant, "the deployment")
    if not resources:
        raise bad_request(
            "the deployment has no 'resources' part: send the .bpmn files as multipart/form-data "
            "parts named 'resources'"
        )
    for name, _ in resources:
        if name.lower().endswith(_OTHER_RESOURCES):
            raise bad_request(
                f"flowwire deploys BPMN processes only; '{name}' is not supported "
                "(DMN decisions and forms are not implemented)"
            )
    context = api_context(request)
    deployment = await context.command(_deploy, context.deploy, resources)
    context.refresh_definitions()
    return JSONResponse(
        {
            "deploymentKey": str(deployment.key),
            "tenantId": DEFAULT_TENANT,
            "deployments": [
                {"processDefinition": shapes.deployed_process(p)} for p in deployment.processes
            ],
        }
    )


def _deploy(deploy: Callable[..., Deployment], resources: list[tuple[str, bytes]]) -> Deployment:
    """One resource deploys from memory; several go through files named as uploaded, which
    is how the engine learns each resource's name."""
    if len(resources) == 1:
        name, data = resources[0]
        return deploy(data, resource_name=name)
    with tempfile.TemporaryDirectory(prefix="flowwire-deploy-") as folder:
        paths = []
        for name, data in resources:
            path = Path(folder) / name
            path.write_bytes(data)
            paths.append(path)
        return deploy(paths)


async def _read_form(request: Request) -> tuple[list[tuple[str, bytes]], str | None]:
    content_type = request.headers.get("content-type", "")
    if not content_type.lower().startswith("multipart/form-data"):
        raise ApiProblem(
            415,
            "a deployment is sent as multipart/form-data with the BPMN files as parts named "
            f"'resources', not as {content_type or 'a body without content type'}",
        )
    body = await request.body()
    if len(body) > MAX_BODY:
        raise ApiProblem(413, f"the deployment is larger than {MAX_BODY} bytes")
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    if not message.is_multipart():
        raise bad_request("the multipart body could not be read: check its boundary")
    resources: list[tuple[str, bytes]] = []
    tenant: str | None = None
    used: set[str] = set()
    for part in message.iter_parts():
        assert isinstance(part, Message)
        field = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        if field == "tenantId":
            tenant = data.decode("utf-8", "replace")
        elif field == "resources":
            resources.append((_unique(_file_name(part, len(resources)), used), data))
        else:
            raise bad_request(
                f"the deployment has an unknown part {field!r}; send 'resources' (files) and "
                "optionally 'tenantId'"
            )
    return resources, tenant


def _file_name(part: Message, index: int) -> str:
    raw = part.get_filename() or ""
    name = PurePath(raw.replace("\\", "/")).name.strip()
    if not name or name in (".", ".."):
        return f"resource-{index + 1}.bpmn"
    return name


def _unique(name: str, used: set[str]) -> str:
    candidate, counter = name, 1
    while candidate in used:
        counter += 1
        candidate = f"{counter}-{name}"
    used.add(candidate)
    return candidate


routes = [Route("/deployments", create_deployment, methods=["POST"])]
