"""The local secrets file: names in clear, values encrypted at rest (Fernet, AES-128 + HMAC).

The key comes from `$FLOWWIRE_SECRETS_KEY` (a Fernet key) or from a key file that only its
owner may read (mode 0600; default `secrets.key` beside the secrets file, or
`$FLOWWIRE_SECRETS_KEY_FILE`). `flowwire secrets set` creates the key file on first use. The
secrets file defaults to `~/.flowwire/secrets.json` (`$FLOWWIRE_SECRETS_FILE` changes it).
"""

from __future__ import annotations

import json
import os
import re
import stat
import tempfile
import threading
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken

from flowwire.connectors.errors import ConnectorInputError
from flowwire.connectors.secrets.placeholders import _NAME

FILE_ENV = "FLOWWIRE_SECRETS_FILE"
KEY_ENV = "FLOWWIRE_SECRETS_KEY"
KEY_FILE_ENV = "FLOWWIRE_SECRETS_KEY_FILE"
FORMAT_VERSION = 1

_NAME_RE = re.compile(_NAME)


class SecretFileError(ConnectorInputError):
    """The secrets file or its key cannot be used; the message says what to fix."""

    def __init__(self, message: str) -> None:
        super().__init__(message)


def default_secrets_path() -> Path:
    configured = os.environ.get(FILE_ENV)
    if configured:
        return Path(configured).expanduser()
    return Path.home() / ".flowwire" / "secrets.json"


def check_secret_name(name: str) -> str:
    """`name` if it can be referenced as `{{secrets.NAME}}`; raises ValueError otherwise."""
    if not _NAME_RE.fullmatch(name):
        raise ValueError(
            f"'{name}' cannot be used as a secret name: use letters and digits, optionally "
            "joined by single '_', '-', '.' or '/' (e.g. MY_API_KEY)"
        )
    return name


class SecretFile:
    """Reads and writes one secrets file; values are only decrypted on `get`."""

    def __init__(self, path: Path | None = None, key_file: Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_secrets_path()
        if key_file is None and os.environ.get(KEY_FILE_ENV):
            key_file = Path(os.environ[KEY_FILE_ENV]).expanduser()
        self.key_file = (
            Path(key_file) if key_file is not None else self.path.with_name("secrets.key")
        )

    # -- key handling -------------------------------------------------------------------
    def _key(self, *, create: bool) -> Fernet:
        env_key = os.environ.get(KEY_ENV)
        if env_key:
            return _fernet(env_key.encode(), f"${KEY_ENV}")
        if self.key_file.exists():
            _check_private(self.key_file)
            return _fernet(self.key_file.read_bytes().strip(), str(self.key_file))
        if not create:
            raise SecretFileError(
                f"the secrets file {self.path} is encrypted, but there is no key: set "
                f"${KEY_ENV} or put the key file at {self.key_file} (mode 0600)"
            )
        key = Fernet.generate_key()
        self.key_file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(key + b"\n")
        return Fernet(key)

    # -- file handling ------------------------------------------------------------------
    def _read(self) -> dict[str, str]:
        if not self.path.exists():
            return {}
        try:
            data: Any = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SecretFileError(
                f"the secrets file {self.path} cannot be read ({exc}); restore it from a backup "
                "or delete it and set the secrets again"
            ) from exc
        secrets = data.get("secrets") if isinstance(data, dict) else None
        if not isinstance(secrets, dict) or data.get("version") != FORMAT_VERSION:
            raise SecretFileError(
                f"{self.path} is not a flowwire secrets file (version {FORMAT_VERSION}); "
                f"point ${FILE_ENV} at the right file"
            )
        return {str(k): str(v) for k, v in secrets.items()}

    def _write(self, secrets: dict[str, str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(
            {"version": FORMAT_VERSION, "secrets": dict(sorted(secrets.items()))}, indent=2
        )
        fd, temp = tempfile.mkstemp(prefix=".secrets-", dir=self.path.parent)
        try:
            os.chmod(temp, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
            os.replace(temp, self.path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    # -- operations ---------------------------------------------------------------------
    def names(self) -> list[str]:
        return sorted(self._read())

    def get(self, name: str) -> str | None:
        token = self._read().get(name)
        if token is None:
            return None
        try:
            return self._key(create=False).decrypt(token.encode()).decode("utf-8")
        except InvalidToken:
            raise SecretFileError(
                f"secret '{name}' in {self.path} cannot be decrypted with the configured key; "
                "use the key it was written with, or set the secret again"
            ) from None

    def set(self, name: str, value: str) -> None:
        check_secret_name(name)
        secrets = self._read()
        token = self._key(create=True).encrypt(value.encode("utf-8")).decode("ascii")
        secrets[name] = token
        self._write(secrets)

    def delete(self, name: str) -> bool:
        secrets = self._read()
        if name not in secrets:
            return False
        del secrets[name]
        self._write(secrets)
        return True


class SecretFileProvider:
    """The secrets file as a provider; re-reads the file when it changes on disk."""

    def __init__(self, path: Path | None = None, key_file: Path | None = None) -> None:
        self._file = SecretFile(path, key_file)
        self._cache: dict[str, str | None] = {}
        self._stamp: tuple[float, int] | None = None
        self._lock = threading.Lock()

    @property
    def path(self) -> Path:
        return self._file.path

    def get_secret(self, name: str) -> str | None:
        try:
            info = self._file.path.stat()
        except FileNotFoundError:
            return None
        with self._lock:
            stamp = (info.st_mtime, info.st_size)
            if stamp != self._stamp:
                self._cache.clear()
                self._stamp = stamp
            if name not in self._cache:
                self._cache[name] = self._file.get(name)
            return self._cache[name]

    def __repr__(self) -> str:
        return f"SecretFileProvider({str(self._file.path)!r})"


def _fernet(key: bytes, origin: str) -> Fernet:
    try:
        return Fernet(key)
    except (ValueError, TypeError):
        raise SecretFileError(
            f"the secrets key in {origin} is not a valid key (32 url-safe base64-encoded "
            "bytes); generate one with `flowwire secrets key`"
        ) from None


def _check_private(path: Path) -> None:
    if os.name != "posix":
        return
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise SecretFileError(
            f"the secrets key file {path} can be read by others (mode {mode:04o}); "
            f"run `chmod 600 {path}`"
        )
