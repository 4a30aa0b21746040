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
