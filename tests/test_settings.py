from pathlib import Path

import pytest

from kb.settings import DEFAULT_NETWORK_TYPES, load_settings


def test_defaults(tmp_path):
    s = load_settings(env_file=tmp_path / "absent.env", environ={"KB_STATE_DIR": str(tmp_path / "state")})
    assert s.neo4j_uri is None and s.uses_local_server
    assert s.uri == "neo4j://127.0.0.1:7687"
    assert s.auth is None  # the local server has not generated its password yet
    assert s.kb_neo4j_mirror is None and s.kb_neo4j_cache is None  # Maven Central, ~/.cache
    assert s.kb_network_types == DEFAULT_NETWORK_TYPES
    assert s.kb_query_timeout == 10.0 and s.kb_row_limit == 1000
    assert s.kb_ui_allow_writes is False


def test_precedence_override_then_environment_then_dotenv(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("NEO4J_URI=neo4j+s://from-file.example:7687\nNEO4J_USER=file-user\n"
                        "NEO4J_PASSWORD=file-secret\nKB_ROW_LIMIT=50\n")
    from_file = load_settings(env_file=env_file, environ={})
    assert from_file.uri == "neo4j+s://from-file.example:7687"
    assert from_file.auth == ("file-user", "file-secret")
    assert from_file.kb_row_limit == 50

    from_env = load_settings(env_file=env_file, environ={"NEO4J_USER": "env-user", "KB_ROW_LIMIT": "7"})
    assert from_env.neo4j_user == "env-user" and from_env.kb_row_limit == 7
    assert from_env.neo4j_password == "file-secret"  # untouched keys still come from the file

    overridden = load_settings(env_file=env_file, environ={"NEO4J_USER": "env-user"}, neo4j_user="cli-user")
    assert overridden.neo4j_user == "cli-user"


def test_network_types_are_configurable():
    s = load_settings(env_file=None, environ={"KB_NETWORK_TYPES": "work, trust ,innovation"})
    assert s.kb_network_types == ("work", "trust", "innovation")


def test_bad_values_name_the_setting():
    with pytest.raises(ValueError, match="KB_ROW_LIMIT must be an integer"):
        load_settings(env_file=None, environ={"KB_ROW_LIMIT": "many"})


def test_password_is_not_in_repr():
    s = load_settings(env_file=None, environ={"NEO4J_PASSWORD": "s3cret", "KB_UI_PASSWORD": "p4ss"})
    assert "p4ss" not in repr(s) and "s3cret" not in repr(s)


# -- the table of settings: one declaration, the README and `kb settings` derived from it ----------
import json
import os
from dataclasses import fields

from kb.render import markdown_table, readme_table
from kb.settings import MASK, PROJECT_ROOT, SETTINGS, Settings, SettingsError, default
from tests.conftest import run_kb

SECRETS = {"NEO4J_PASSWORD": "s3cret-bolt", "KB_PSEUDONYM_KEY": "a-pseudonym-key-of-16+", "KB_UI_PASSWORD": "p4ss-ui"}


def test_readme_table_is_the_generated_one():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    block = readme_table(readme)
    assert block is not None, "README.md lost its settings-table markers"
    assert block == markdown_table(), "README.md's settings table is stale: run `make settings-table`"


def test_every_setting_is_in_the_table_with_help():
    assert [f.name for f in fields(Settings)] == [s.attribute for s in SETTINGS]
    for s in SETTINGS:
        assert s.help.strip(), s.name
        assert s.name == s.name.upper() and s.name.startswith(("NEO4J_", "KB_"))
        assert getattr(Settings(), s.attribute) == s.default
    # the ones the old README missed
    table = markdown_table()
    for name in ("KB_PSEUDONYMISE", "KB_PSEUDONYM_KEY", "KB_PSEUDONYM_KEY_FILE", "KB_NEO4J_LIB"):
        assert f"`{name}`" in table


def test_writer_defaults_are_the_tables():
    from kb.store import writer
    assert writer.CHUNK == default("KB_LOAD_CHUNK_ROWS") == Settings().kb_load_chunk_rows
    assert writer.ONE_TRANSACTION_ROWS == default("KB_LOAD_TRANSACTION_ROWS")


@pytest.mark.parametrize("name, raw, message", [
    ("KB_ROW_LIMIT", "x", "KB_ROW_LIMIT must be an integer ≥ 1, got 'x'"),
    ("KB_ROW_LIMIT", "0", "KB_ROW_LIMIT must be an integer ≥ 1, got '0'"),
    ("KB_LOAD_CHUNK_ROWS", "0", "KB_LOAD_CHUNK_ROWS must be an integer ≥ 1, got '0'"),
    ("KB_LOAD_TRANSACTION_ROWS", "-1", "KB_LOAD_TRANSACTION_ROWS must be an integer ≥ 0, got '-1'"),
    ("KB_NEO4J_PORT", "70000", "KB_NEO4J_PORT must be an integer from 1 to 65535, got '70000'"),
    ("KB_NEO4J_PORT", "0", "KB_NEO4J_PORT must be an integer from 1 to 65535, got '0'"),
    ("KB_QUERY_TIMEOUT", "0", "KB_QUERY_TIMEOUT must be a number > 0, got '0'"),
    ("KB_QUERY_TIMEOUT", "soon", "KB_QUERY_TIMEOUT must be a number > 0, got 'soon'"),
    ("KB_UI_ALLOW_WRITES", "maybe", "KB_UI_ALLOW_WRITES must be true or false"),
    ("KB_NEO4J_HEAP", "lots", "KB_NEO4J_HEAP must be a memory size such as 512m or 2g, got 'lots'"),
    ("NEO4J_URI", "http://localhost:7474", "NEO4J_URI must be a Neo4j URI"),
    ("KB_NETWORK_TYPES", " , ", "KB_NETWORK_TYPES must be a comma-separated list of at least one name"),
])
def test_bad_values_say_what_is_expected_and_where(tmp_path, name, raw, message):
    with pytest.raises(SettingsError) as from_environment:
        load_settings(env_file=None, environ={name: raw})
    assert str(from_environment.value).startswith(message)
    assert str(from_environment.value).endswith("(in the environment)")
    env_file = tmp_path / ".env"
    env_file.write_text(f"{name}={raw}\n")
    with pytest.raises(SettingsError, match=r"\(in " + str(env_file).replace(".", r"\.") + r"\)$"):
        load_settings(env_file=env_file, environ={})


def test_good_values_and_bounds():
    s = load_settings(env_file=None, environ={"KB_LOAD_TRANSACTION_ROWS": "0", "KB_NEO4J_PORT": "65535",
                                              "KB_QUERY_TIMEOUT": "0.5", "KB_UI_ALLOW_WRITES": "Yes",
                                              "KB_NEO4J_HEAP": "2G", "KB_PSEUDONYM_KEY_FILE": "~/key",
                                              "NEO4J_URI": "neo4j+s://x.databases.neo4j.io"})
    assert (s.kb_load_transaction_rows, s.kb_neo4j_port, s.kb_query_timeout) == (0, 65535, 0.5)
    assert s.kb_ui_allow_writes is True and s.kb_neo4j_heap == "2G"
    assert s.kb_pseudonym_key_file == Path("~/key").expanduser()


def test_an_empty_value_is_the_default():
    env = {"KB_ROW_LIMIT": "", "NEO4J_USER": "", "NEO4J_PASSWORD": "", "KB_NETWORK_TYPES": "", "NEO4J_URI": ""}
    s = load_settings(env_file=None, environ=env)
    assert s.kb_row_limit == 1000 and s.neo4j_user == "neo4j" and s.auth is None and s.uses_local_server
    assert s.kb_network_types == DEFAULT_NETWORK_TYPES


def test_overrides_are_checked_too():
    with pytest.raises(SettingsError, match="KB_ROW_LIMIT must be an integer ≥ 1, got 0"):
        load_settings(env_file=None, environ={}, kb_row_limit=0)
    with pytest.raises(SettingsError, match="KB_LOAD_CHUNK_ROWS must be an integer ≥ 1"):
        Settings().with_overrides(kb_load_chunk_rows=0)
    with pytest.raises(TypeError, match="kb_row_limt"):
        load_settings(env_file=None, environ={}, kb_row_limt=5)


def _cli_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "KB_"))}
    env["PYTHONPATH"] = str(PROJECT_ROOT)
    env.update(extra)
    return env


def test_kb_settings_json_masks_secrets(tmp_path):
    (tmp_path / ".env").write_text("KB_UI_PASSWORD=p4ss-ui\nKB_ROW_LIMIT=50\n")
    env = _cli_env(NEO4J_PASSWORD=SECRETS["NEO4J_PASSWORD"], KB_PSEUDONYM_KEY=SECRETS["KB_PSEUDONYM_KEY"])
    proc = run_kb(["settings", "--format", "json"], env=env, cwd=tmp_path, check=True)
    rows = {row["variable"]: row for row in json.loads(proc.stdout)}
    assert list(rows) == [s.name for s in SETTINGS]
    for name, secret in SECRETS.items():
        assert rows[name]["value"] == MASK
        assert secret not in proc.stdout + proc.stderr
    assert rows["NEO4J_PASSWORD"]["source"] == "environment"
    assert rows["KB_UI_PASSWORD"]["source"] == ".env"
    assert rows["KB_ROW_LIMIT"]["value"] == 50 and rows["KB_ROW_LIMIT"]["default"] == 1000
    assert rows["KB_NETWORK_TYPES"]["value"] == list(DEFAULT_NETWORK_TYPES)
    assert all(row["help"] for row in rows.values())

    table = run_kb(["settings"], env=env, cwd=tmp_path, check=True).stdout
    assert f"NEO4J_PASSWORD = {MASK}  (from the environment; default unset)" in table
    assert "KB_ROW_LIMIT = 50  (from .env; default 1000)" in table
    assert not any(secret in table for secret in SECRETS.values())
    unset = json.loads(run_kb(["settings", "--format", "json"], env=_cli_env(), cwd=tmp_path).stdout)
    assert {r["variable"]: r["value"] for r in unset}["NEO4J_PASSWORD"] is None


def test_kb_settings_markdown_is_the_readme_table(tmp_path):
    proc = run_kb(["settings", "--format", "markdown"], env=_cli_env(KB_ROW_LIMIT="5"), cwd=tmp_path, check=True)
    assert proc.stdout == markdown_table()


def test_kb_settings_bad_value_is_a_message_not_a_traceback(tmp_path):
    proc = run_kb(["settings"], env=_cli_env(KB_ROW_LIMIT="x"), cwd=tmp_path)
    assert proc.returncode == 2
    assert "Settings: KB_ROW_LIMIT must be an integer ≥ 1, got 'x' (in the environment)" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_env_example_names_every_setting_with_its_default():
    import re
    lines = (PROJECT_ROOT / ".env.example").read_text().splitlines()
    given = {}
    for line in lines:
        match = re.match(r"#?\s*((?:NEO4J|KB)_[A-Z0-9_]+)=(\S*)", line)
        if match:
            given[match.group(1)] = match.group(2)
    assert set(given) == {s.name for s in SETTINGS}
    for s in SETTINGS:
        if s.default is not None:  # unset ones show an example or nothing
            assert given[s.name] == s.show(s.default, relative=True), s.name


def test_the_local_server_password_comes_from_its_file(tmp_path):
    state = tmp_path / "state"
    (state / "neo4j").mkdir(parents=True)
    (state / "neo4j" / "password").write_text("from-the-file\n")
    local = load_settings(env_file=None, environ={"KB_STATE_DIR": str(state)})
    assert local.local_password_file == state / "neo4j" / "password"
    assert local.auth == ("neo4j", "from-the-file")
    # an explicit NEO4J_PASSWORD wins; another server never gets the local password
    assert load_settings(env_file=None, environ={"KB_STATE_DIR": str(state), "NEO4J_PASSWORD": "given"}).auth \
        == ("neo4j", "given")
    assert load_settings(env_file=None, environ={"KB_STATE_DIR": str(state),
                                                 "NEO4J_URI": "neo4j://elsewhere:7687"}).auth is None
    mirror = load_settings(env_file=None, environ={"KB_NEO4J_MIRROR": "https://nexus.example/maven2",
                                                   "KB_NEO4J_CACHE": str(tmp_path / "c")})
    assert mirror.kb_neo4j_mirror == "https://nexus.example/maven2" and mirror.kb_neo4j_cache == tmp_path / "c"
