"""Secret references, providers (environment, plug-ins) and masking of resolved values."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest

from flowwire.connectors.errors import SecretNotFoundError
from flowwire.connectors.secrets import (
    KNOWN_SECRETS,
    EnvironmentSecretProvider,
    MappingSecretProvider,
    SecretMaskingFilter,
    SecretResolver,
    default_resolver,
    mask_text,
    mask_value,
    plugin_providers,
    replace_secrets,
    secret_names,
)

VALUES = {
    "TENANT_ID": "acme",
    "MY_API_KEY": "k-123456",
    "team/api-key": "slashed",
    "db.password": "dotted",
    "a-b_c": "mixed",
}


def lookup(name: str) -> str:
    if name not in VALUES:
        raise SecretNotFoundError(name)
    return VALUES[name]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "https://my.company.domain/{{secrets.TENANT_ID}}/accounting",
            "https://my.company.domain/acme/accounting",
        ),
        ("{{ secrets.MY_API_KEY }}", "k-123456"),
        ("secrets.MY_API_KEY", "k-123456"),
        ("Bearer secrets.MY_API_KEY", "Bearer k-123456"),
        ("{{secrets.team/api-key}}:{{secrets.db.password}}", "slashed:dotted"),
        ("secrets.a-b_c.", "mixed."),
        ("no reference here", "no reference here"),
        ("mysecrets.MY_API_KEY", "mysecrets.MY_API_KEY"),
    ],
)
def test_both_spellings_are_replaced_anywhere_in_text(text: str, expected: str) -> None:
    assert replace_secrets(text, lookup) == expected


def test_references_inside_lists_and_contexts_are_replaced_without_touching_the_original() -> None:
    variables = {
        "url": "http://x/{{secrets.TENANT_ID}}",
        "headers": {"Authorization": "Bearer {{secrets.MY_API_KEY}}", "n": 1},
        "list": ["secrets.db.password", 2, None],
        "plain": {"a": "b"},
    }
    replaced = replace_secrets(variables, lookup)
    assert replaced == {
        "url": "http://x/acme",
        "headers": {"Authorization": "Bearer k-123456", "n": 1},
        "list": ["dotted", 2, None],
        "plain": {"a": "b"},
    }
    assert variables["url"] == "http://x/{{secrets.TENANT_ID}}"
    assert replaced["plain"] is variables["plain"]  # untouched parts are shared, not copied


def test_secret_names_lists_each_reference_once() -> None:
    value = {"a": "{{secrets.X}} secrets.Y", "b": ["{{secrets.X}}"]}
    assert secret_names(value) == ["X", "Y"]


def test_a_missing_secret_names_the_secret_only() -> None:
    resolver = SecretResolver([MappingSecretProvider({})])
    with pytest.raises(SecretNotFoundError) as raised:
        replace_secrets("{{secrets.NOPE}}", resolver.require)
    assert str(raised.value) == "Secret with name 'NOPE' is not available"


def test_environment_provider_uses_a_configurable_prefix() -> None:
    environ = {"SECRET_MY_API_KEY": "from-env", "VAULT_MY_API_KEY": "other"}
    assert EnvironmentSecretProvider(environ=environ).get_secret("MY_API_KEY") == "from-env"
    assert EnvironmentSecretProvider("VAULT_", environ).get_secret("MY_API_KEY") == "other"
    configured = {"FLOWWIRE_SECRETS_ENV_PREFIX": "VAULT_", **environ}
    assert EnvironmentSecretProvider(environ=configured).get_secret("MY_API_KEY") == "other"
    assert EnvironmentSecretProvider(environ=environ).get_secret("UNKNOWN") is None


def test_the_first_provider_that_knows_a_secret_wins() -> None:
    resolver = SecretResolver(
        [MappingSecretProvider({"A": "first"}), MappingSecretProvider({"A": "second", "B": "b"})]
    )
    assert resolver.require("A") == "first"
    assert resolver.require("B") == "b"
    assert resolver.get("C") is None


def test_default_resolver_reads_the_environment_then_the_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SECRET_FROM_ENV", "env-value")
    resolver = default_resolver(secrets_file=tmp_path / "none.json", plugins=False)
    assert resolver.require("FROM_ENV") == "env-value"


def test_resolved_values_are_masked_in_text_values_and_log_lines(
    caplog: pytest.LogCaptureFixture,
) -> None:
    resolver = SecretResolver([MappingSecretProvider({"T": "tok-abcdef", "U": "tok-abc"})])
    resolver.require("T")
    resolver.require("U")
    assert mask_text("a tok-abcdef b tok-abc c") == "a *** b *** c"
    assert mask_value({"k": ["tok-abc", 3], "tok-abc": None}) == {"k": ["***", 3], "***": None}
    logger = logging.getLogger("test.masking")
    masking = SecretMaskingFilter()
    logger.addFilter(masking)
    try:
        with caplog.at_level(logging.INFO, logger="test.masking"):
            logger.info("calling %s with %s", "http://x/tok-abcdef", {"token": "tok-abc"})
            try:
                raise ValueError("bad token tok-abcdef")
            except ValueError:
                logger.exception("failed")
    finally:
        logger.removeFilter(masking)
    assert "tok-abc" not in caplog.text
    assert "calling http://x/*** with {'token': '***'}" in caplog.text
    assert "bad token ***" in caplog.text


def test_unresolved_values_are_not_masked() -> None:
    KNOWN_SECRETS.clear()
    assert mask_text("nothing secret") == "nothing secret"


def test_plug_in_providers_come_from_entry_points(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "vault_provider_for_tests.py"
    package.write_text(
        "class Vault:\n"
        "    def get_secret(self, name):\n"
        "        return {'VAULTED': 'from-vault'}.get(name)\n"
    )
    dist = tmp_path / "vault_provider_for_tests-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: vault-provider-for-tests\nVersion: 1.0\n"
    )
    (dist / "entry_points.txt").write_text(
        "[flowwire.secret_providers]\nvault = vault_provider_for_tests:Vault\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    providers = plugin_providers()
    assert [type(p).__name__ for p in providers] == ["Vault"]
    resolver = default_resolver(secrets_file=tmp_path / "none.json")
    assert resolver.require("VAULTED") == "from-vault"
    sys.modules.pop("vault_provider_for_tests", None)
