"""Issue 18, items 4, 6 and 7: a forgotten person leaves no trace (stored analysis results,
exports, later backups), a real id never reaches the server when pseudonyms are in use,
and free text naming people does not survive pseudonymisation."""

from __future__ import annotations

import tarfile

import pytest

from loaders.pseudonymise import pseudonym
from tests.conftest import DATA_DIR, run_kb

KEY = "a-test-key-that-stays-outside-the-db"
PERSON = "ila_health_visitor_01"


def _every_string(kb):
    """Every string (and string list item) of every property of every node and relationship."""
    rows = kb.read("MATCH (n) UNWIND keys(n) AS k RETURN n[k] AS v "
                   "UNION ALL MATCH ()-[r]->() UNWIND keys(r) AS k RETURN r[k] AS v")
    for row in rows:
        for item in (row["v"] if isinstance(row["v"], list) else [row["v"]]):
            yield str(item)


def _traces(kb, env, tmp_path, needles):
    """Where any of `needles` is still found: the database, `kb export`, a new `kb backup`."""
    found = []
    found += [f"db: {s[:80]!r}" for s in _every_string(kb) if any(n in s for n in needles)]
    out = tmp_path / "export"
    run_kb(["export", str(out)], env, check=True)
    for path in out.iterdir():
        if any(n in path.read_text() for n in needles):
            found.append(f"export: {path.name}")
    archive = tmp_path / "after.tar.gz"
    run_kb(["backup", str(archive)], env, check=True)
    with tarfile.open(archive) as tar:
        for info in tar:
            text = tar.extractfile(info).read().decode("utf-8")
            if any(n in text for n in needles):
                found.append(f"backup: {info.name}")
    return found


@pytest.mark.parametrize("pseudonymised", [False, True], ids=["real-ids", "pseudonyms"])
def test_forget_leaves_no_trace_in_stored_results_exports_or_backups(kb, cli_env, tmp_path, pseudonymised):
    env = {**cli_env, "KB_PSEUDONYM_KEY": KEY} if pseudonymised else cli_env
    stored_id = pseudonym(KEY.encode(), PERSON) if pseudonymised else PERSON
    run_kb(["load", str(DATA_DIR), "--no-progress"] + (["--pseudonymise"] if pseudonymised else []),
           env, check=True)
    run_kb(["analyse"], env, check=True)
    carriers = kb.read("MATCH (r:AnalysisRun) WHERE any(c IN r.block_carrier_ids WHERE c CONTAINS $id) "
                       "RETURN count(r) AS n", {"id": stored_id})[0]["n"]
    assert carriers > 0  # the person is listed as a carrier of a block in stored runs
    runs = kb.read("MATCH (r:AnalysisRun) WHERE any(c IN r.block_carrier_ids WHERE c CONTAINS $id) "
                   "OR EXISTS { (r)<-[:IN_RUN]-(:Score {actor_id: $id}) } RETURN count(r) AS n",
                   {"id": stored_id})[0]["n"]
    assert kb.read("MATCH (r:AnalysisRun {current: true}) RETURN count(r) AS n")[0]["n"] > 0

    proc = run_kb(["forget", PERSON], env)
    assert proc.returncode == 0, proc.stderr
    assert f"{runs} analysis run(s)" in proc.stdout and "kb analyse" in proc.stdout

    assert _traces(kb, env, tmp_path, [stored_id, PERSON]) == []
    # The stored results no longer claim to match the data: the named queries count live.
    from kb.store.analysis_runs import stored_run_is_current

    for network in kb.read("MATCH (r:AnalysisRun {current: true}) RETURN r.network AS n"):
        assert not stored_run_is_current(kb, network["n"])
    run_kb(["analyse"], env, check=True)
    assert stored_run_is_current(kb, "all")


def test_forget_with_a_key_sends_only_the_pseudonym(kb, cli_env):
    env = {**cli_env, "KB_PSEUDONYM_KEY": KEY}
    run_kb(["load", str(DATA_DIR), "--pseudonymise", "--no-progress"], env, check=True)
    kb.read("CALL db.stats.clear('QUERIES')")
    kb.read("CALL db.stats.collect('QUERIES')")
    try:
        proc = run_kb(["forget", "ila_resident_01"], env)
        assert proc.returncode == 0, proc.stderr
        proc = run_kb(["forget", "ila_resident_01"], env)  # a second time: nobody, and still no real id
        assert proc.returncode == 2 and "no person" in proc.stderr
        stats = kb.read("CALL db.stats.retrieve('QUERIES') YIELD data RETURN data")
    finally:
        kb.read("CALL db.stats.stop('QUERIES')")
    text = repr(stats)
    assert pseudonym(KEY.encode(), "ila_resident_01") in text  # the collection did see the forget
    assert "ila_resident_01" not in text


def test_forget_with_a_key_can_still_name_a_real_id_explicitly(kb, cli_env):
    """People loaded without pseudonyms stay forgettable when a key is configured later."""
    run_kb(["load", str(DATA_DIR), "--no-progress"], cli_env, check=True)
    env = {**cli_env, "KB_PSEUDONYM_KEY": KEY}
    proc = run_kb(["forget", "ila_resident_01"], env)
    assert proc.returncode == 2
    assert "--real-id" in proc.stderr
    proc = run_kb(["forget", "--real-id", "ila_resident_01"], env)
    assert proc.returncode == 0, proc.stderr
    assert kb.read("MATCH (p:Person {id: 'ila_resident_01'}) RETURN count(p) AS n")[0]["n"] == 0


SENTENCE = "met Alice Wonderland at the summit"


def _people_with_notes(folder):
    (folder / "people.csv").write_text(
        "id,name,layer,notes\nalice_wonderland,Alice Wonderland,community,\n"
        "bob_builder,Bob Builder,community,\n")
    (folder / "organisations.csv").write_text("id,name,layer\nsummit_org,Summit Org,sectoral\n")


def test_tie_notes_are_dropped_under_pseudonyms(kb, cli_env, tmp_path):
    env = {**cli_env, "KB_PSEUDONYM_KEY": KEY}
    data = tmp_path / "data"
    data.mkdir()
    _people_with_notes(data)
    (data / "ties.csv").write_text(f"from,to,network,notes\nbob_builder,alice_wonderland,work,{SENTENCE}\n"
                                   "summit_org,bob_builder,work,funds the summit\n")
    run_kb(["load", str(data), "--pseudonymise", "--no-progress"], env, check=True)
    assert _traces(kb, env, tmp_path, ["Alice", "Wonderland", "alice_wonderland"]) == []
    assert kb.read("MATCH ()-[t:TIE]->() WHERE t.notes IS NOT NULL RETURN count(t) AS n")[0]["n"] == 0


def test_other_free_text_naming_a_pseudonymised_person_is_refused(kb, cli_env, tmp_path):
    env = {**cli_env, "KB_PSEUDONYM_KEY": KEY}
    data = tmp_path / "data"
    data.mkdir()
    _people_with_notes(data)
    (data / "organisations.csv").write_text(f"id,name,layer,notes\nsummit_org,Summit Org,sectoral,{SENTENCE}\n")
    proc = run_kb(["load", str(data), "--pseudonymise", "--no-progress"], env)
    assert proc.returncode == 2
    assert "organisations.csv:2:notes" in proc.stderr and "names a person" in proc.stderr
    assert kb.counts()["nodes"] == 0
    # Without pseudonyms the text is the user's to keep.
    run_kb(["load", str(data), "--no-progress"], cli_env, check=True)
