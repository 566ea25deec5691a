"""HTTP clients for requests with their own TLS settings (client certificate, trusted CA).

TLS is configured per client in httpx, so each distinct `clientTls` setting gets a client of
its own, kept for the life of the runtime like the shared one.
"""

from __future__ import annotations

import hashlib
import os
import ssl
import tempfile

import httpx

from flowwire.connectors.errors import ConnectorInputError
from flowwire.connectors.resources import SharedResources
from flowwire.connectors.rest.model import ClientTls


def tls_client(resources: SharedResources, tls: ClientTls) -> httpx.AsyncClient:
    """The client for these TLS settings, made on first use."""
    digest = hashlib.sha256(
        "\x00".join(
            [
                tls.clientCertificate or "",
                tls.clientPrivateKey or "",
                tls.privateKeyPassword or "",
                tls.trustedCertificate or "",
            ]
        ).encode()
    ).hexdigest()
    return resources.get_or_create(
        f"flowwire.rest.tls.{digest}",
        lambda: httpx.AsyncClient(verify=ssl_context(tls), trust_env=True),
        lambda client: client.aclose(),
    )


def ssl_context(tls: ClientTls) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if tls.trustedCertificate:
        try:
            context.load_verify_locations(cadata=tls.trustedCertificate)
        except (ssl.SSLError, ValueError) as exc:
            raise ConnectorInputError(
                f"clientTls.trustedCertificate: not a PEM certificate ({exc})"
            ) from None
    if bool(tls.clientCertificate) != bool(tls.clientPrivateKey):
        raise ConnectorInputError(
            "clientTls: give both clientCertificate and clientPrivateKey for mTLS, or neither"
        )
    if tls.clientCertificate and tls.clientPrivateKey:
        # the ssl module loads a certificate chain only from files: write private temp files
        with tempfile.TemporaryDirectory(prefix="flowwire-tls-") as directory:
            cert_path = os.path.join(directory, "cert.pem")
            key_path = os.path.join(directory, "key.pem")
            for path, text in (
                (cert_path, tls.clientCertificate),
                (key_path, tls.clientPrivateKey),
            ):
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(text)
            try:
                context.load_cert_chain(cert_path, key_path, password=tls.privateKeyPassword)
            except (ssl.SSLError, ValueError) as exc:
                raise ConnectorInputError(
                    f"clientTls: the client certificate or private key cannot be used ({exc}); "
                    "check the PEM text and privateKeyPassword"
                ) from None
    return context
