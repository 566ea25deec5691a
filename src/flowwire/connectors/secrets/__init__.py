"""Secrets for connectors: references in inputs, providers, the encrypted file, masking."""

from flowwire.connectors.secrets.masking import (
    KNOWN_SECRETS,
    MASK,
    SecretMaskingFilter,
    install_log_masking,
    mask_text,
    mask_value,
)
from flowwire.connectors.secrets.placeholders import replace_secrets, secret_names
from flowwire.connectors.secrets.providers import (
    ENTRY_POINT_GROUP,
    EnvironmentSecretProvider,
    MappingSecretProvider,
    SecretProvider,
    SecretResolver,
    default_resolver,
    plugin_providers,
)
from flowwire.connectors.secrets.secret_file import SecretFile, SecretFileError, SecretFileProvider

__all__ = [
    "ENTRY_POINT_GROUP",
    "KNOWN_SECRETS",
    "MASK",
    "EnvironmentSecretProvider",
    "MappingSecretProvider",
    "SecretFile",
    "SecretFileError",
    "SecretFileProvider",
    "SecretMaskingFilter",
    "SecretProvider",
    "SecretResolver",
    "default_resolver",
    "install_log_masking",
    "mask_text",
    "mask_value",
    "plugin_providers",
    "replace_secrets",
    "secret_names",
]
