"""Users and roles against the real Neo4j: argon2 hashes only, sign-in with back-off, the
role checks, and `kb user` from the command line."""

from __future__ import annotations

import json

import pytest

from kb.services.access import (AccessDenied, SignInRefused, User, UserError, add_user, authenticate,
                                backoff_seconds, cli_user, list_users, remove_user, require, set_role)
from tests.conftest import run_kb

PASSWORD = "Tr0ub4dor&3-unique-words"


def test_roles_include_the_rights_before_them():
    admin, editor, viewer = User("a", "admin"), User("e", "editor"), User("v", "viewer")
    assert require(admin, "editor") is admin and require(editor, "viewer") is editor
    with pytest.raises(AccessDenied) as refused:
        require(viewer, "editor")
    assert str(refused.value) == "Editing needs the editor role; you are signed in as a viewer."
    with pytest.raises(AccessDenied, match="you are not signed in"):
        require(None, "viewer")
    with pytest.raises(AccessDenied, match="signed in as an editor"):
        require(editor, "admin")
    assert cli_user().role == "admin"
    assert [backoff_seconds(n) for n in range(6)] == [0, 0, 0, 1, 2, 4] and backoff_seconds(50) == 300


def test_passwords_are_stored_only_as_salted_hashes(kb, test_settings):
    add_user(test_settings, kb, "ada", "editor", PASSWORD)
    add_user(test_settings, kb, "bob", "viewer", PASSWORD)
    everything = json.dumps(kb.read("MATCH (n) RETURN properties(n) AS p"), default=str) + \
        json.dumps(kb.read("MATCH ()-[r]->() RETURN properties(r) AS p"), default=str)
    assert PASSWORD not in everything
    hashes = [r["h"] for r in kb.read("MATCH (u:User) RETURN u.password_hash AS h ORDER BY u.name")]
    assert all(h.startswith("$argon2id$") for h in hashes) and hashes[0] != hashes[1]  # salted
    assert authenticate(test_settings, kb, "ada", PASSWORD) == User("ada", "editor")
    assert [u.name for u in list_users(test_settings, kb)] == ["ada", "bob"]
    with pytest.raises(UserError, match="already a user"):
        add_user(test_settings, kb, "ada", "admin", PASSWORD)
    with pytest.raises(UserError, match="unknown role"):
        add_user(test_settings, kb, "cy", "owner", PASSWORD)
    assert set_role(test_settings, kb, "bob", "admin") == User("bob", "admin")
    remove_user(test_settings, kb, "bob")
    with pytest.raises(SignInRefused):
        authenticate(test_settings, kb, "bob", PASSWORD, address="10.0.0.9")


def test_failed_sign_ins_back_off_per_user_and_per_address(kb, test_settings):
    add_user(test_settings, kb, "ada", "editor", PASSWORD)
    for _ in range(3):
        with pytest.raises(SignInRefused, match="Wrong user name or password"):
            authenticate(test_settings, kb, "ada", "guess", address="10.0.0.1")
    # The user is now held back, even with the right password and from another address ...
    with pytest.raises(SignInRefused, match="Too many failed sign-ins") as held:
        authenticate(test_settings, kb, "ada", PASSWORD, address="10.0.0.2")
    assert 0 < held.value.retry_after <= 1
    # ... and so is the address, for another user name.
    with pytest.raises(SignInRefused, match="Too many failed sign-ins"):
        authenticate(test_settings, kb, "nobody", "x", address="10.0.0.1")
    kb.write("MATCH (b:SignInBackoff) SET b.last_epoch = b.last_epoch - 5")
    assert authenticate(test_settings, kb, "ada", PASSWORD, address="10.0.0.2") == User("ada", "editor")
    assert kb.read("MATCH (b:SignInBackoff {key: 'user:ada'}) RETURN count(b) AS n")[0]["n"] == 0


def test_kb_user_commands(kb, cli_env, tmp_path):
    secret = tmp_path / "pw"
    secret.write_text(PASSWORD + "\n")
    added = run_kb(["user", "add", "ada", "--role", "editor", "--password-file", str(secret)], cli_env)
    assert added.returncode == 0, added.stderr
    piped = run_kb(["user", "add", "bob", "--role", "viewer"], cli_env, input=PASSWORD + "\n")
    assert piped.returncode == 0, piped.stderr
    listed = run_kb(["user", "list", "--format", "json"], cli_env, check=True)
    assert json.loads(listed.stdout) == [{"name": "ada", "role": "editor"}, {"name": "bob", "role": "viewer"}]
    assert run_kb(["user", "role", "bob", "admin"], cli_env, check=True).stdout.strip() == \
        "User 'bob' is now admin."
    bad = run_kb(["user", "add", "cy", "--role", "owner"], cli_env, input=PASSWORD + "\n")
    assert bad.returncode == 2 and "unknown role 'owner'" in bad.stderr and "Traceback" not in bad.stderr
    short = run_kb(["user", "add", "cy", "--role", "viewer"], cli_env, input="short\n")
    assert short.returncode == 2 and "at least 8 characters" in short.stderr
    assert run_kb(["user", "remove", "bob"], cli_env, check=True).returncode == 0
    assert PASSWORD not in json.dumps(kb.read("MATCH (n) RETURN properties(n) AS p"), default=str)
