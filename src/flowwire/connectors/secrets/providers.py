"""Where secret values come from: providers behind one small interface, first answer wins.

Built in: environment variables with a prefix (`SECRET_` by default) and the encrypted local
secrets file (`flowwire secrets set ...`). Others (a vault, a cloud secret manager) plug in as
Python entry points in the `flowwire.secret_providers` group: each names a class or factory
that takes no arguments and returns an object with `get_secret(name) -> str | None`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Mapping, Sequence
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from flowwire.connectors.errors import ConnectorDefinitionError, SecretNotFoundError
from flowwire.connectors.secrets.masking import remember_secret

ENTRY_POINT_GROUP = "flowwire.secret_providers"
DEFAULT_ENV_PREFIX = "SECRET_"
#: environment variable that changes the prefix of the environment provider
PREFIX_ENV = "FLOWWIRE_SECRETS_ENV_PREFIX"

log = logging.getLogger(__name__)


@runtime_checkable
class SecretProvider(Protocol):
    def get_secret(self, name: str) -> str | None:
        """The value of secret `name`, or None when this provider does not know it."""
        ...


class EnvironmentSecretProvider:
    """Secrets from environment variables: `{{secrets.MY_API_KEY}}` reads `SECRET_MY_API_KEY`."""

    def __init__(self, prefix: str | None = None, environ: Mapping[str, str] | None = None) -> None:
        self._environ = os.environ if environ is None else environ
        if prefix is None:
            prefix = self._environ.get(PREFIX_ENV, DEFAULT_ENV_PREFIX)
        self.prefix = prefix

    def get_secret(self, name: str) -> str | None:
        return self._environ.get(self.prefix + name)

    def __repr__(self) -> str:
        return f"EnvironmentSecretProvider(prefix={self.prefix!r})"


class MappingSecretProvider:
    """Secrets from a dict, for tests and embedding applications."""

    def __init__(self, secrets: Mapping[str, str]) -> None:
        self._secrets = dict(secrets)

    def get_secret(self, name: str) -> str | None:
        return self._secrets.get(name)

    def __repr__(self) -> str:
        return f"MappingSecretProvider(names={sorted(self._secrets)})"


class SecretResolver:
    """Asks its providers in order; remembers every value it returns so it can be masked."""

    def __init__(self, providers: Sequence[SecretProvider]) -> None:
        self.providers = list(providers)

    def get(self, name: str) -> str | None:
        for provider in self.providers:
            value = provider.get_secret(name)
            if value is not None:
                value = str(value)
                remember_secret(value)
                return value
        return None

    def require(self, name: str) -> str:
        """The value of `name`; raises `SecretNotFoundError` (an incident) when nobody has it."""
        value = self.get(name)
        if value is None:
            raise SecretNotFoundError(name)
        return value

    def __repr__(self) -> str:
        return f"SecretResolver({self.providers!r})"


def plugin_providers(group: str = ENTRY_POINT_GROUP) -> list[SecretProvider]:
    """Providers installed by other packages through the entry point group."""
    providers: list[SecretProvider] = []
    for entry in sorted(entry_points(group=group), key=lambda e: e.name):
        try:
            factory: Any = entry.load()
            provider = factory()
        except Exception as exc:
            raise ConnectorDefinitionError(
                f"the secret provider entry point '{entry.name}' ({entry.value}) failed to load: "
                f"{exc}; fix or uninstall the package that declares it"
            ) from exc
        if not isinstance(provider, SecretProvider):
            raise ConnectorDefinitionError(
                f"the secret provider entry point '{entry.name}' ({entry.value}) returned "
                f"{type(provider).__name__}, which has no get_secret(name) method"
            )
        providers.append(provider)
    return providers


def default_resolver(
    *,
    env_prefix: str | None = None,
    secrets_file: Path | None = None,
    extra: Iterable[SecretProvider] = (),
    plugins: bool = True,
) -> SecretResolver:
    """Environment first, then the local secrets file, then plug-ins, then `extra`."""
    from flowwire.connectors.secrets.secret_file import SecretFileProvider

    providers: list[SecretProvider] = [
        EnvironmentSecretProvider(env_prefix),
        SecretFileProvider(secrets_file),
    ]
    if plugins:
        providers.extend(plugin_providers())
    providers.extend(extra)
    return SecretResolver(providers)
