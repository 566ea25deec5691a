"""``flowwire serve``: the engine, the connector runtime and the HTTP server in one process.

It deploys the ``--deploy`` files (directories are searched for ``.bpmn`` files) through the
inbound manager, so their webhooks are checked and activated, re-activates the webhooks of
everything already in the store, then serves ``/health``, ``/inbound`` and
``/inbound/{id}``. SIGTERM or Ctrl-C shut it down gracefully: in-flight requests are answered,
running connector jobs finish (jobs not yet started stay in the store for the next start).
"""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import click
import uvicorn

from flowwire.api import InsecureBinding, check_exposure
from flowwire.cli._engine_session import store_option
from flowwire.cli.deploy_cmd import echo_rejection
from flowwire.connectors.inbound import InboundManager, deploy_paths
from flowwire.connectors.sdk import discover
from flowwire.engine import DeploymentRejected, Engine
from flowwire.engine.errors import EngineError
from flowwire.server import DEFAULT_MAX_BODY_BYTES, create_app
from flowwire.store import open_store

log = logging.getLogger("flowwire.server")


class GracefulServer(uvicorn.Server):
    """Uvicorn, minus re-raising the signal after a graceful stop: SIGTERM then exits with
    code 0, which service managers read as a clean shutdown. A second Ctrl-C forces exit."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        previous = {
            sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGINT, signal.SIGTERM)
        }
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _on_signal(self, sig: int, frame: FrameType | None) -> None:
        if self.should_exit and sig == signal.SIGINT:
            self.force_exit = True
        else:
            self.should_exit = True


@click.command(name="serve")
@store_option()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--deploy",
    "deploy",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="A .bpmn file or a directory of them to deploy before serving (repeatable).",
)
@click.option(
    "--connector",
    "connectors",
    multiple=True,
    metavar="MODULE:FUNCTION",
    help="An extra outbound connector to run, besides built-in and installed ones (repeatable).",
)
@click.option(
    "--max-body-size",
    default=DEFAULT_MAX_BODY_BYTES,
    show_default=True,
    type=click.IntRange(1),
    help="Largest webhook request body in bytes (larger ones get 413).",
)
@click.option(
    "--api-token",
    envvar="FLOWWIRE_API_TOKEN",
    default=None,
    help="Bearer token the REST API (/v2) requires (or env FLOWWIRE_API_TOKEN).",
)
@click.option(
    "--api-basic",
    envvar="FLOWWIRE_API_BASIC",
    default=None,
    metavar="USER:PASSWORD",
    help="Basic credentials the REST API accepts (or env FLOWWIRE_API_BASIC).",
)
@click.option(
    "--insecure",
    is_flag=True,
    help="Serve the REST API on a non-loopback address without credentials.",
)
@click.option(
    "--allow-clock-control",
    is_flag=True,
    help="Let clients pin the engine clock (PUT /v2/clock), for process tests.",
)
@click.option(
    "--connectors/--no-connectors",
    "run_connectors",
    default=True,
    show_default=True,
    help="Run the outbound connector runtime in this process (off when `flowwire "
    "connectors` works the jobs elsewhere).",
)
@click.option(
    "--log-level",
    default="info",
    show_default=True,
    type=click.Choice(["debug", "info", "warning", "error"]),
)
@click.pass_context
def command(
    ctx: click.Context,
    store_path: Path,
    host: str,
    port: int,
    deploy: tuple[Path, ...],
    connectors: tuple[str, ...],
    max_body_size: int,
    api_token: str | None,
    api_basic: str | None,
    insecure: bool,
    allow_clock_control: bool,
    run_connectors: bool,
    log_level: str,
) -> None:
    """Run flowwire: engine, connectors and webhooks (http://HOST:PORT/inbound/{id})."""
    logging.basicConfig(
        level=log_level.upper(), format="%(asctime)s %(levelname)-7s %(name)s: %(message)s"
    )
    basic = _basic_credentials(api_basic)
    try:
        check_exposure(host, token=api_token, basic=basic, insecure=insecure)
    except InsecureBinding as error:
        raise click.UsageError(str(error)) from error
    engine = Engine(open_store(str(store_path)))
    try:
        inbound = InboundManager(engine)
        if deploy:
            try:
                deployment = deploy_paths(inbound, list(deploy))
            except DeploymentRejected as rejection:
                echo_rejection(rejection)
                ctx.exit(1)
            except EngineError as error:
                raise click.ClickException(str(error)) from error
            for process in deployment.processes:
                click.echo(f"deployed {process.process_id} version {process.version}")
        try:
            registry = discover(connectors)
        except Exception as error:
            raise click.ClickException(f"cannot load the connectors: {error}") from error
        app = create_app(
            engine,
            inbound=inbound,
            connectors=registry,
            max_body_bytes=max_body_size,
            run_connectors=run_connectors,
            clock_control=allow_clock_control,
            api_token=api_token,
            api_basic=basic,
        )
        config = uvicorn.Config(
            app,
            host=host,
            port=port,
            log_level=log_level,
            timeout_graceful_shutdown=30,
            lifespan="on",
            access_log=log_level == "debug",
        )
        click.echo(f"flowwire serving on http://{host}:{port} (store {store_path})")
        GracefulServer(config).run()
    finally:
        engine.close()


def _basic_credentials(text: str | None) -> tuple[str, str] | None:
    """USER:PASSWORD from --api-basic."""
    if not text:
        return None
    user, separator, password = text.partition(":")
    if not separator or not user or not password:
        raise click.BadParameter(
            "give basic credentials as USER:PASSWORD", param_hint="--api-basic"
        )
    return user, password
