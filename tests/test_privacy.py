"""Pseudonymisation: with it on, no real name is reachable through the database, `kb query`
or `kb export`, and analyses still run."""

import csv

import pytest

from tests.conftest import DATA_DIR, run_kb

KEY = "a-test-key-that-stays-outside-the-db"


def _real_people():
    with open(DATA_DIR / "network-study" / "people.csv", newline="") as f:
        return {r["id"]: r["name"] for r in csv.DictReader(f)}


@pytest.fixture
def private_env(kb, cli_env):
    return {**cli_env, "KB_PSEUDONYM_KEY": KEY}


def _all_strings(kb):
    rows = kb.read("MATCH (n) RETURN [k IN keys(n) | n[k]] AS values "
                   "UNION ALL MATCH ()-[r]->() RETURN [k IN keys(r) | r[k]] AS values")
    for row in rows:
        for value in row["values"]:
            for item in (value if isinstance(value, list) else [value]):
                if isinstance(item, str):
                    yield item


def test_no_real_name_reachable_when_pseudonymised(kb, private_env, tmp_path):
    people = _real_people()
    run_kb(["load", str(DATA_DIR), "--pseudonymise", "--no-progress"], private_env, check=True)
    stored = list(_all_strings(kb))
    leaked = {name for name in people.values() if any(name in s for s in stored)}
    assert not leaked
    leaked_ids = {pid for pid in people if any(s == pid for s in stored)}
    assert not leaked_ids
    assert kb.read("MATCH (p:Person) RETURN count(p) AS n")[0]["n"] == len(people)
    assert kb.read("MATCH (p:Person) WHERE p.role IS NOT NULL OR p.notes IS NOT NULL RETURN count(p) AS n")[0]["n"] == 0

    run_kb(["analyse", "--network", "all"], private_env, check=True)
    brokers = run_kb(["query", "brokers", "-p", "network=all", "-p", "limit=500", "--format", "json"],
                     private_env, check=True).stdout
    assert "Person " in brokers
    assert not any(name in brokers for name in people.values())

    out = tmp_path / "export"
    run_kb(["export", str(out)], private_env, check=True)
    exported = "".join(p.read_text() for p in out.iterdir())
    assert not any(name in exported for name in people.values())


def test_pseudonyms_are_stable_and_forget_takes_the_real_id(kb, private_env):
    run_kb(["load", str(DATA_DIR), "--pseudonymise", "--no-progress"], private_env, check=True)
    again = run_kb(["load", str(DATA_DIR), "--pseudonymise", "--no-progress"], private_env, check=True)
    people_row = next(line for line in again.stdout.splitlines() if line.startswith("people"))
    assert people_row.split()[1:] == ["0", "0", str(len(_real_people()))]  # all unchanged
    ties_before = kb.read("MATCH ()-[t:TIE]->() RETURN count(t) AS n")[0]["n"]
    forgot = run_kb(["forget", "ila_resident_01"], private_env)
    assert forgot.returncode == 0, forgot.stderr
    assert kb.read("MATCH ()-[t:TIE]->() RETURN count(t) AS n")[0]["n"] < ties_before


def test_pseudonymise_without_a_key_is_refused(kb, cli_env):
    result = run_kb(["load", str(DATA_DIR), "--pseudonymise"], cli_env)
    assert result.returncode == 2
    assert "KB_PSEUDONYM_KEY" in result.stderr
    assert kb.read("MATCH (n) RETURN count(n) AS n")[0]["n"] == 0
