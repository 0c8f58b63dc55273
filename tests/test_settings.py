from __future__ import annotations

import pytest
from pydantic import ValidationError

import sbu.settings
from sbu.settings import PLACEHOLDER_SECRET, Settings, setting_env_names


def test_reads_nested_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SBU_DATABASE__URL", "sqlite:////tmp/x.db")
    monkeypatch.setenv("SBU_INGEST__BATCH_SIZE", "500")
    monkeypatch.setenv("SBU_WEB__DEFAULT_LANGUAGE", "fr")
    settings = Settings()
    assert settings.database.url == "sqlite:////tmp/x.db"
    assert settings.ingest.batch_size == 500
    assert settings.web.default_language == "fr"


def test_invalid_values_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SBU_INGEST__BATCH_SIZE", "zero")
    with pytest.raises(ValidationError, match="batch_size"):
        Settings()


def test_placeholder_secret_is_accepted_in_dev_only(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().web.secret_key.get_secret_value() == PLACEHOLDER_SECRET
    monkeypatch.setenv("SBU_ENV", "prod")
    with pytest.raises(ValidationError, match="SBU_WEB__SECRET_KEY"):
        Settings()
    monkeypatch.setenv("SBU_WEB__SECRET_KEY", "short")
    with pytest.raises(ValidationError, match="32 characters"):
        Settings()
    monkeypatch.setenv("SBU_WEB__SECRET_KEY", "x" * 40)
    with pytest.raises(ValidationError, match="SBU_CREDENTIALS__KEY"):
        Settings()
    monkeypatch.setenv("SBU_CREDENTIALS__KEY", "y" * 40)
    assert Settings().env.value == "prod"


def test_secrets_do_not_leak_in_reprs() -> None:
    settings = Settings(web={"secret_key": "a-very-secret-value-that-is-long-enough"})  # type: ignore[arg-type]
    assert "a-very-secret-value" not in repr(settings)


def test_there_is_no_module_level_settings_instance() -> None:
    assert not [name for name, value in vars(sbu.settings).items() if isinstance(value, Settings)]


def test_env_names_cover_groups_and_top_level_fields() -> None:
    names = setting_env_names()
    assert "SBU_ENV" in names
    assert "SBU_DATABASE__URL" in names
    assert "SBU_INGEST__NEAR_DUPLICATE_SIMILARITY" in names
    assert len(names) == len(set(names))
