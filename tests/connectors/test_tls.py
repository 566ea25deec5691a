"""`clientTls` of the REST connector: a private CA to trust and a client certificate (mTLS),
against an HTTPS server on loopback with certificates made for the test."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from .models import connector_task, one_task_process
from .support import Harness


@dataclass
class Issued:
    cert_pem: str
    key_pem: str


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _pem(cert: x509.Certificate, key: ec.EllipticCurvePrivateKey, password: bytes | None) -> Issued:
    encryption = (
        serialization.BestAvailableEncryption(password)
        if password
        else serialization.NoEncryption()
    )
    return Issued(
        cert.public_bytes(serialization.Encoding.PEM).decode(),
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
        ).decode(),
    )


def make_ca() -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("flowwire test CA"))
        .issuer_name(_name("flowwire test CA"))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return cert, key


def issue(
    ca: tuple[x509.Certificate, ec.EllipticCurvePrivateKey],
    common_name: str,
    *,
    server: bool,
    password: bytes | None = None,
) -> Issued:
    ca_cert, ca_key = ca
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .add_extension(
            x509.ExtendedKeyUsage(
                [
                    x509.ExtendedKeyUsageOID.SERVER_AUTH
                    if server
                    else x509.ExtendedKeyUsageOID.CLIENT_AUTH
                ]
            ),
            critical=False,
        )
    )
    if server:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
    return _pem(builder.sign(ca_key, hashes.SHA256()), key, password)


class TlsServer:
    def __init__(self, tmp: Path, require_client_cert: bool) -> None:
        self.ca = make_ca()
        self.ca_pem = self.ca[0].public_bytes(serialization.Encoding.PEM).decode()
        issued = issue(self.ca, "127.0.0.1", server=True)
        (tmp / "server.pem").write_text(issued.cert_pem)
        (tmp / "server.key").write_text(issued.key_pem)
        (tmp / "ca.pem").write_text(self.ca_pem)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(tmp / "server.pem", tmp / "server.key")
        if require_client_cert:
            context.verify_mode = ssl.CERT_REQUIRED
            context.load_verify_locations(tmp / "ca.pem")
        peers: list[Any] = []
        self.peers = peers

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_GET(self) -> None:
                peer = self.connection.getpeercert()  # type: ignore[attr-defined]
                subject = dict(x[0] for x in peer["subject"]) if peer else {}
                peers.append(subject.get("commonName"))
                body = json.dumps({"client": subject.get("commonName")}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                return

        self._httpd = Server(("127.0.0.1", 0), Handler)
        self._httpd.socket = context.wrap_socket(self._httpd.socket, server_side=True)
        self.url = f"https://127.0.0.1:{self._httpd.server_address[1]}/secure"
        threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        ).start()

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


@pytest.fixture
def https(tmp_path: Path) -> Iterator[TlsServer]:
    server = TlsServer(tmp_path, require_client_cert=False)
    yield server
    server.close()


@pytest.fixture
def mtls(tmp_path: Path) -> Iterator[TlsServer]:
    server = TlsServer(tmp_path, require_client_cert=True)
    yield server
    server.close()


def run_tls(url: str, variables: dict[str, Any], tls_inputs: list[str]) -> tuple[Harness, int]:
    harness = Harness()
    inputs = [('="GET"', "method"), (f'="{url}"', "url")]
    inputs += [(f"={name}", f"clientTls.{name}") for name in tls_inputs]
    task = connector_task("task", inputs=inputs, headers={"resultVariable": "r"}, retries="1")
    key = harness.start(one_task_process("tls", task), variables)
    harness.drive()
    return harness, key


def test_an_untrusted_server_certificate_fails_with_the_cause(https: TlsServer) -> None:
    harness, key = run_tls(https.url, {}, [])
    message = harness.incident(key).message
    assert "could not connect" in message
    assert "CERTIFICATE_VERIFY_FAILED" in message


def test_a_trusted_private_ca(https: TlsServer) -> None:
    harness, key = run_tls(https.url, {"trustedCertificate": https.ca_pem}, ["trustedCertificate"])
    assert harness.variables(key)["r"]["body"] == {"client": None}


def test_a_client_certificate_with_an_encrypted_key(mtls: TlsServer) -> None:
    client = issue(mtls.ca, "flowwire-client", server=False, password=b"pw-123456")
    variables = {
        "trustedCertificate": mtls.ca_pem,
        "clientCertificate": client.cert_pem,
        "clientPrivateKey": client.key_pem,
        "privateKeyPassword": "pw-123456",
    }
    harness, key = run_tls(mtls.url, variables, list(variables))
    assert harness.variables(key)["r"]["body"] == {"client": "flowwire-client"}


def test_a_certificate_without_its_key_is_an_input_error(mtls: TlsServer) -> None:
    client = issue(mtls.ca, "flowwire-client", server=False)
    variables = {"trustedCertificate": mtls.ca_pem, "clientCertificate": client.cert_pem}
    harness, key = run_tls(mtls.url, variables, list(variables))
    assert "give both clientCertificate and clientPrivateKey" in harness.incident(key).message
