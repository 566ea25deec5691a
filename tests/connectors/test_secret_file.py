"""The encrypted local secrets file and `flowwire secrets set/list/delete/key`."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from cryptography.fernet import Fernet

from flowwire.cli.main import main
from flowwire.connectors.secrets import SecretFile, SecretFileError, SecretFileProvider


@pytest.fixture(autouse=True)
def _no_key_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("FLOWWIRE_SECRETS_KEY", "FLOWWIRE_SECRETS_KEY_FILE", "FLOWWIRE_SECRETS_FILE"):
        monkeypatch.delenv(name, raising=False)


def test_values_are_encrypted_at_rest_with_a_private_key_file(tmp_path: Path) -> None:
    secrets = SecretFile(tmp_path / "secrets.json")
    secrets.set("MY_API_KEY", "k-very-secret")
    text = (tmp_path / "secrets.json").read_text()
    assert "MY_API_KEY" in text
    assert "k-very-secret" not in text
    key_file = tmp_path / "secrets.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "secrets.json").stat().st_mode) == 0o600
    assert secrets.get("MY_API_KEY") == "k-very-secret"
    assert SecretFileProvider(tmp_path / "secrets.json").get_secret("MY_API_KEY") == "k-very-secret"


def test_list_and_delete(tmp_path: Path) -> None:
    secrets = SecretFile(tmp_path / "s.json")
    secrets.set("B", "2")
    secrets.set("A", "1")
    assert secrets.names() == ["A", "B"]
    assert secrets.delete("A") is True
    assert secrets.delete("A") is False
    assert secrets.names() == ["B"]
    assert secrets.get("A") is None


def test_a_key_file_readable_by_others_is_refused(tmp_path: Path) -> None:
    secrets = SecretFile(tmp_path / "s.json")
    secrets.set("A", "1")
    os.chmod(tmp_path / "secrets.key", 0o644)
    with pytest.raises(SecretFileError, match=r"chmod 600"):
        SecretFile(tmp_path / "s.json").get("A")


def test_the_key_can_come_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FLOWWIRE_SECRETS_KEY", Fernet.generate_key().decode())
    secrets = SecretFile(tmp_path / "s.json")
    secrets.set("A", "from-env-key")
    assert not (tmp_path / "secrets.key").exists()
    assert secrets.get("A") == "from-env-key"
    monkeypatch.setenv("FLOWWIRE_SECRETS_KEY", Fernet.generate_key().decode())
    with pytest.raises(SecretFileError, match="cannot be decrypted"):
        SecretFile(tmp_path / "s.json").get("A")


def test_a_missing_key_is_explained(tmp_path: Path) -> None:
    secrets = SecretFile(tmp_path / "s.json")
    secrets.set("A", "1")
    (tmp_path / "secrets.key").unlink()
    with pytest.raises(SecretFileError, match="FLOWWIRE_SECRETS_KEY"):
        secrets.get("A")


def test_the_provider_sees_changes_to_the_file(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    provider = SecretFileProvider(path)
    assert provider.get_secret("A") is None  # no file yet: nothing known, no error
    SecretFile(path).set("A", "one")
    assert provider.get_secret("A") == "one"
    SecretFile(path).set("A", "two-longer")
    assert provider.get_secret("A") == "two-longer"


def test_bad_names_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cannot be used as a secret name"):
        SecretFile(tmp_path / "s.json").set("has space", "x")


def test_cli_set_list_delete(tmp_path: Path) -> None:
    runner = CliRunner()
    file_args = ["--file", str(tmp_path / "s.json")]
    result = runner.invoke(main, ["secrets", "set", "MY_API_KEY", "v-1234567", *file_args])
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        main, ["secrets", "set", "OTHER", "--stdin", *file_args], input="piped\n"
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["secrets", "list", *file_args])
    assert result.output.split() == ["MY_API_KEY", "OTHER"]
    assert "v-1234567" not in result.output
    assert SecretFile(tmp_path / "s.json").get("OTHER") == "piped"
    result = runner.invoke(main, ["secrets", "delete", "OTHER", *file_args])
    assert result.exit_code == 0
    result = runner.invoke(main, ["secrets", "delete", "OTHER", *file_args])
    assert result.exit_code == 1
    assert "there is no secret 'OTHER'" in result.output
    stored = json.loads((tmp_path / "s.json").read_text())
    assert list(stored["secrets"]) == ["MY_API_KEY"]


def test_cli_prompts_without_echo(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["secrets", "set", "PROMPTED", "--file", str(tmp_path / "s.json")],
        input="hidden-value\nhidden-value\n",
    )
    assert result.exit_code == 0, result.output
    assert "hidden-value" not in result.output
    assert SecretFile(tmp_path / "s.json").get("PROMPTED") == "hidden-value"


def test_cli_key_prints_a_usable_key() -> None:
    result = CliRunner().invoke(main, ["secrets", "key"])
    Fernet(result.output.strip().encode())
