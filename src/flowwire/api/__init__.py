"""The Camunda 8 REST API (v2, "Orchestration Cluster API") served by `flowwire serve`.

`create_api(engine)` returns an ASGI app to mount at `/v2`; one module per resource group.
"""

from flowwire.api.app import MOUNT_PATH, create_api
from flowwire.api.auth import InsecureBinding, check_exposure
from flowwire.api.clock_control import PinnableClock

__all__ = ["MOUNT_PATH", "InsecureBinding", "PinnableClock", "check_exposure", "create_api"]
