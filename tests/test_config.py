from pathlib import Path

import pytest

from portal.config import SETTINGS, ConfigError, example_toml, load_config

ROOT = Path(__file__).resolve().parent.parent


def test_config_example_is_generated_from_the_declared_settings():
    assert (ROOT / "config.example.toml").read_text(encoding="utf-8") == example_toml(), \
        "config.example.toml is stale: run `portal config-example > config.example.toml`"


def test_every_setting_has_help_text():
    for setting in SETTINGS:
        assert len(setting.help) > 20, f"[{setting.section}] {setting.key} needs help text"


def test_defaults_put_everything_under_one_data_folder(tmp_path):
    config = load_config(tmp_path / "none.toml", env={})
    assert config.database_url.startswith("sqlite:///")
    assert config.database_url.endswith("data/catalog.sqlite3")
    assert config.tables_dir == config.data_dir / "tables"


def test_file_values_are_read_and_environment_overrides_them(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[web]\nport = 8000\nhost = "0.0.0.0"\n', encoding="utf-8")
    config = load_config(path, env={"PORTAL_WEB__PORT": "9000"})
    assert config.get("web", "host") == "0.0.0.0"
    assert config.get("web", "port") == 9000


def test_boolean_environment_values_are_parsed(tmp_path):
    config = load_config(tmp_path / "none.toml", env={"PORTAL_DATABASE__ECHO": "yes"})
    assert config.get("database", "echo") is True


def test_an_unknown_key_in_the_file_is_an_error_naming_it(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("[web]\nprot = 8000\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[web\] prot"):
        load_config(path, env={})


def test_a_value_of_the_wrong_type_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="PORTAL_WEB__PORT"):
        load_config(tmp_path / "none.toml", env={"PORTAL_WEB__PORT": "eighty"})
    path = tmp_path / "config.toml"
    path.write_text('[web]\nport = "80"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="port"):
        load_config(path, env={})
