"""Curation against the real Neo4j: saving through the services (the loader's rules and
messages, provenance, versions, pseudonyms), history, undo, verify, completeness."""

from __future__ import annotations

import dataclasses
import json

import pytest

from kb.services.access import AccessDenied, User
from kb.services.curation import (NothingChanged, Provenance, RecordExists, RecordProblems, StaleVersion,
                                  attention, completeness, fetch, history, save, search_records, undo, verify)
from kb.services.history import UndoRefused
from kb.services.loading import LoadProblems, load_files
from tests.conftest import run_kb

EDITOR = User("eddie", "editor")
ADMIN = User("ada", "admin")
SOURCE = Provenance(source="src1", section="5.4")
KEY = "k" * 24


def _files(tmp_path, name="base"):
    folder = tmp_path / name
    folder.mkdir()
    (folder / "sources.csv").write_text("id,title\nsrc1,A report\n")
    (folder / "problems.csv").write_text("id,name,source,section\nvacancy,Vacant properties,src1,5.4\n"
                                         "unsafe,Residents feel unsafe,src1,5.4\n")
    (folder / "localities.csv").write_text("id,name,country\ntown,Town,UK\n")
    (folder / "organisations.csv").write_text("id,name,layer,locality\ncouncil,Town Council,local_authority,town\n")
    return folder


@pytest.fixture
def base(kb, test_settings, tmp_path):
    load_files(test_settings, kb, [_files(tmp_path)], progress=False)
    return kb


def _innovation(**extra):
    return {"id": "shutters", "name": "See-through shutters", "problems": "vacancy;unsafe",
            "originators": "council", "origin_locality": "town", **extra}


def test_save_fetch_update_history(base, test_settings):
    created = save(test_settings, base, EDITOR, "innovations", _innovation(), reason="new case", provenance=SOURCE)
    assert created.version == 1 and created.change.op == "create" and created.record_id == "shutters"
    values, version = fetch(test_settings, base, "innovations", "shutters")
    assert version == 1 and values["problems"] == "vacancy;unsafe" and values["source"] == "src1"
    assert values["section"] == "5.4"
    updated = save(test_settings, base, EDITOR, "innovations", {**values, "cost": "low"}, reason="cost known",
                   provenance=SOURCE, expected_version=1)
    assert updated.version == 2
    changes = history(test_settings, base, "shutters")
    assert [c.op for c in changes] == ["update", "create"]
    assert changes[0].before["cost"] == "" and changes[0].after["cost"] == "low"
    assert changes[0].user == "eddie" and changes[0].reason == "cost known" and changes[0].version == 2
    assert changes[0].fields_changed() == ["cost"]
    # The relationships the loader writes are there: search and transfer find it by its problems.
    assert {r["id"] for r in base.read("MATCH (:Innovation {id: 'shutters'})-[:ADDRESSES]->(p) RETURN p.id AS id")} \
        == {"vacancy", "unsafe"}
    with pytest.raises(RecordExists):
        save(test_settings, base, EDITOR, "innovations", _innovation(), reason="again", provenance=SOURCE)
    with pytest.raises(NothingChanged):
        save(test_settings, base, EDITOR, "innovations", {"id": "shutters"}, reason="same", provenance=SOURCE,
             expected_version=2)


def test_viewers_and_signed_out_users_cannot_write(base, test_settings):
    for user in (None, User("vera", "viewer")):
        with pytest.raises(AccessDenied) as refused:
            save(test_settings, base, user, "innovations", _innovation(), reason="x", provenance=SOURCE)
        assert "Editing needs the editor role" in str(refused.value)
        for call in (lambda: undo(test_settings, base, user, "chg-x", "r"),
                     lambda: verify(test_settings, base, user, "problems", "vacancy", "r")):
            with pytest.raises(AccessDenied):
                call()
    with pytest.raises(AccessDenied, match="signed in as an editor"):
        verify(test_settings, base, EDITOR, "problems", "vacancy", "checked")
    assert base.read("MATCH (n:Innovation) RETURN count(n) AS n")[0]["n"] == 0
    assert base.read("MATCH (c:Change) WHERE c.op <> 'load' RETURN count(c) AS n")[0]["n"] == 0


def test_a_save_over_a_newer_version_is_refused_with_the_differences(base, test_settings):
    save(test_settings, base, EDITOR, "innovations", _innovation(), reason="new", provenance=SOURCE)
    mine, version = fetch(test_settings, base, "innovations", "shutters")
    theirs = dict(mine)
    save(test_settings, base, ADMIN, "innovations", {**theirs, "cost": "high"}, reason="theirs", provenance=SOURCE,
         expected_version=version)
    with pytest.raises(StaleVersion) as stale:
        save(test_settings, base, EDITOR, "innovations", {**mine, "resources": "volunteers"}, reason="mine",
             provenance=SOURCE, expected_version=version)
    assert stale.value.current_version == 2
    assert stale.value.differences == {"cost": (None, "high"), "resources": ("volunteers", None)}
    values, _ = fetch(test_settings, base, "innovations", "shutters")
    assert values["cost"] == "high" and values["resources"] == ""


def test_form_messages_are_the_loaders(base, test_settings, tmp_path):
    bad = {"organisations": {"id": "org2", "name": "Org", "layer": "galaxy"},
           "case_studies": {"id": "cs1", "title": "A case", "locality": "town", "year": "20x7"},
           "innovations": {"id": "inno2", "name": "Inno", "problems": "vacancy;nosuch"}}
    for kind, values in bad.items():
        with pytest.raises(RecordProblems) as refused:
            save(test_settings, base, EDITOR, kind, values, reason="r", provenance=SOURCE)
        folder = tmp_path / kind
        folder.mkdir()
        header = list(values)
        (folder / f"{kind}.csv").write_text(",".join(header) + "\n" + ",".join(values[h] for h in header) + "\n")
        with pytest.raises(LoadProblems) as loaded:
            load_files(test_settings, base, [folder], progress=False)
        assert [(p.column, p.message) for p in refused.value.problems] == \
            [(p.column, p.message) for p in loaded.value.problems]
        assert refused.value.problems and all(p.file == "form" for p in refused.value.problems)


def test_provenance_and_reason_are_required(base, test_settings):
    with pytest.raises(RecordProblems) as refused:
        save(test_settings, base, EDITOR, "problems", {"id": "p9", "name": "P"}, reason="",
             provenance=Provenance(source="src1"))
    assert [p.column for p in refused.value.problems] == ["reason", "section"]
    judged = save(test_settings, base, EDITOR, "problems", {"id": "p9", "name": "P"}, reason="seen locally",
                  provenance=Provenance(editors_judgement=True, note="from a site visit"))
    assert judged.change.editors_judgement and judged.change.note == "from a site visit"
    assert base.read("MATCH (p:Problem {id: 'p9'}) RETURN p.editors_judgement AS e")[0]["e"] is True


def test_undo_and_its_refusal_when_a_later_change_depends(base, test_settings):
    save(test_settings, base, EDITOR, "innovations", _innovation(), reason="new", provenance=SOURCE)
    first = save(test_settings, base, EDITOR, "innovations", {"id": "shutters", "cost": "low"}, reason="cost",
                 provenance=SOURCE, expected_version=1)
    second = save(test_settings, base, EDITOR, "innovations", {"id": "shutters", "cost": "lower"}, reason="cost 2",
                  provenance=SOURCE, expected_version=2)
    with pytest.raises(UndoRefused) as refused:
        undo(test_settings, base, ADMIN, first.change.id, "wrong")
    assert second.change.id in str(refused.value)
    with pytest.raises(AccessDenied):
        undo(test_settings, base, EDITOR, second.change.id, "wrong")
    undone = undo(test_settings, base, ADMIN, second.change.id, "wrong figure")
    assert undone.op == "undo" and undone.undoes == second.change.id and undone.version == 4
    assert fetch(test_settings, base, "innovations", "shutters") == \
        ({**fetch(test_settings, base, "innovations", "shutters")[0], "cost": "low"}, 4)
    assert [c.op for c in history(test_settings, base, "shutters")][:2] == ["undo", "update"]


def test_undo_of_a_creation_deletes_the_record(base, test_settings):
    created = save(test_settings, base, EDITOR, "problems", {"id": "p1", "name": "P"}, reason="new", provenance=SOURCE)
    undo(test_settings, base, ADMIN, created.change.id, "not a problem")
    assert base.read("MATCH (p:Problem {id: 'p1'}) RETURN count(p) AS n")[0]["n"] == 0
    assert [c.op for c in history(test_settings, base, "p1")] == ["undo", "create"]


def test_verify_completeness_attention_and_search(base, test_settings):
    save(test_settings, base, EDITOR, "innovations", _innovation(), reason="new", provenance=SOURCE)
    score = completeness(test_settings, base, "innovations", "shutters")
    assert "problems" in score.filled and "cost" in score.missing and "elements" in score.missing
    assert score.score == round(len(score.filled) / (len(score.filled) + len(score.missing)), 3)
    mark = verify(test_settings, base, ADMIN, "innovations", "shutters", "checked against the report")
    assert mark.op == "verify" and mark.after["verified_by"] == "ada"
    items = attention(test_settings, base)
    assert ("innovations", "shutters", "missing evidence (no evidence level)") in \
        {(i.kind, i.record_id, i.problem) for i in items}
    assert ("shutters", "See-through shutters") in search_records(test_settings, base, "innovations", "SEE-THR")
    assert ("council", "Town Council") in search_records(test_settings, base, "actors", "town")


def test_a_person_entered_in_a_form_is_pseudonymised(base, test_settings):
    settings = dataclasses.replace(test_settings, kb_pseudonymise=True, kb_pseudonym_key=KEY)
    saved = save(settings, base, EDITOR, "people", {"id": "ada_quill", "name": "Ada Quill", "role": "officer",
                                                    "layer": "frontline"}, reason="met", provenance=SOURCE)
    assert saved.record_id.startswith("p-")
    stored = json.dumps(base.read("MATCH (n) RETURN properties(n) AS p"), default=str)
    assert "Ada Quill" not in stored and "ada_quill" not in stored and "officer" not in stored
    values, version = fetch(settings, base, "people", saved.record_id)
    again = save(settings, base, EDITOR, "people", {**values, "layer": "community"}, reason="moved",
                 provenance=SOURCE, expected_version=version)
    assert again.record_id == saved.record_id


def test_loads_are_changes_in_history(base, test_settings, tmp_path):
    folder = tmp_path / "more"
    folder.mkdir()
    (folder / "problems.csv").write_text("id,name\nvacancy,Vacant homes\n")
    load_files(test_settings, base, [folder], progress=False)
    changes = history(test_settings, base, "vacancy")
    assert [c.op for c in changes] == ["load", "load"] and [c.version for c in changes] == [2, 1]
    values, version = fetch(test_settings, base, "problems", "vacancy")
    assert version == 2 and values["name"] == "Vacant homes"


def test_kb_edit_and_history_from_the_cli(base, cli_env):
    edit = run_kb(["edit", "problems", "vacancy", "--set", "name=Empty homes", "--reason", "plainer",
                   "--source", "src1", "--section", "5.4", "--format", "json"], cli_env)
    assert edit.returncode == 0, edit.stderr
    assert json.loads(edit.stdout)["version"] == 2
    shown = run_kb(["history", "vacancy", "--format", "json"], cli_env, check=True)
    changes = json.loads(shown.stdout)
    assert [c["op"] for c in changes] == ["update", "load"]
    assert changes[0]["after"]["name"] == "Empty homes" and changes[0]["reason"] == "plainer"
    bad = run_kb(["edit", "organisations", "council", "--set", "layer=galaxy", "--reason", "r",
                  "--editors-judgement", "guess"], cli_env)
    assert bad.returncode == 2 and "form:1:layer: unknown layer 'galaxy'" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_forget_scrubs_the_person_from_history(base, test_settings):
    from kb.services.forgetting import forget

    save(test_settings, base, EDITOR, "people", {"id": "bo_lane", "name": "Bo Lane", "layer": "frontline",
                                                 "role": "warden"}, reason="met Bo Lane", provenance=SOURCE)
    save(test_settings, base, EDITOR, "innovations", _innovation(originators="council;bo_lane"),
         reason="Bo Lane started it", provenance=SOURCE)
    save(test_settings, base, EDITOR, "innovations", {"id": "shutters", "cost": "low"}, reason="cost",
         provenance=SOURCE, expected_version=1)
    # the person's creation, the innovation's creation and its update (its originators unchanged)
    assert base.read("MATCH (c:Change) WHERE c.after CONTAINS 'bo_lane' RETURN count(c) AS n")[0]["n"] == 3
    result = forget(test_settings, base, "bo_lane")
    assert result.history_records == 3
    text = json.dumps(base.read("MATCH (c:Change) RETURN properties(c) AS p"))
    assert "bo_lane" not in text and "Bo Lane" not in text
    latest = history(test_settings, base, "shutters")[0]
    assert latest.after["originators"] == "council" and latest.after["cost"] == "low"


def test_backup_round_trip_keeps_history_and_users(base, test_settings, tmp_path):
    from kb.services.access import add_user
    from kb.services.backups import backup, restore

    add_user(test_settings, base, "ada", "admin", "correct horse battery")
    save(test_settings, base, EDITOR, "innovations", _innovation(), reason="new", provenance=SOURCE)
    save(test_settings, base, EDITOR, "innovations", {"id": "shutters", "cost": "low"}, reason="cost",
         provenance=SOURCE, expected_version=1)
    before = history(test_settings, base, "shutters")
    users = base.read("MATCH (u:User) RETURN properties(u) AS p")
    archive = tmp_path / "kb.tar.gz"
    backup(test_settings, base, archive)
    base.write_in_batches("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")
    restore(test_settings, base, archive)
    assert history(test_settings, base, "shutters") == before
    assert base.read("MATCH (u:User) RETURN properties(u) AS p") == users
    assert fetch(test_settings, base, "innovations", "shutters")[1] == 2


def test_an_edit_of_an_actor_makes_the_stored_analysis_stale(base, test_settings, tmp_path):
    from kb.store.analysis_runs import analyse_network, stored_run_is_current

    folder = tmp_path / "net"
    folder.mkdir()
    (folder / "people.csv").write_text("id,name,layer\npat,Pat,frontline\nsam,Sam,community\n")
    (folder / "ties.csv").write_text("from,to,network\npat,sam,work\npat,council,work\n")
    load_files(test_settings, base, [folder], progress=False)
    analyse_network(base, "all")
    assert stored_run_is_current(base, "all")
    save(test_settings, base, EDITOR, "people", {"id": "pat", "layer": "community"}, reason="moved",
         provenance=SOURCE, expected_version=1)
    assert not stored_run_is_current(base, "all")
