"""GET /v2/topology: flowwire is one broker with one healthy partition."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from flowwire import __version__


async def topology(request: Request) -> Response:
    host = request.url.hostname or "localhost"
    port = request.url.port or (443 if request.url.scheme == "https" else 80)
    return JSONResponse(
        {
            "brokers": [
                {
                    "nodeId": 0,
                    "brokerId": 0,
                    "host": host,
                    "port": port,
                    "partitions": [
                        {
                            "partitionId": 1,
                            "role": "leader",
                            "health": "healthy",
                            "state": "active",
                        }
                    ],
                    "version": __version__,
                }
            ],
            "clusterId": None,
            "clusterSize": 1,
            "partitionsCount": 1,
            "replicationFactor": 1,
            "gatewayVersion": __version__,
            "lastCompletedChangeId": "-1",
        }
    )


routes = [Route("/topology", topology, methods=["GET"])]
