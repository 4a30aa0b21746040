"""Loading is idempotent: the same files twice give the same graph (only a second :Load audit
node, by design) and a summary of all-unchanged rows; a changed value updates the node or
relationship in place, and a list that shrinks drops the relationships it no longer names."""

from __future__ import annotations

import copy

from tests.test_loaders_formats import TABLES, load, rel_types, snapshot, write_tables


def _counts(kb):
    labels = {r["l"]: r["n"] for r in kb.read(
        "MATCH (n) WHERE NOT n:Load UNWIND labels(n) AS l RETURN l, count(*) AS n")}
    nodes = kb.read("MATCH (n) WHERE NOT n:Load RETURN count(n) AS n")[0]["n"]
    return nodes, labels, rel_types(kb)


def _element_ids(kb) -> dict:
    return {(r["l"], r["id"]): r["e"] for r in kb.read(
        "MATCH (n) WHERE n.id IS NOT NULL AND NOT n:Load RETURN labels(n)[0] AS l, n.id AS id, elementId(n) AS e")}


def test_loading_the_same_files_twice_changes_nothing(kb, test_settings, tmp_path):
    folder = write_tables(tmp_path / "tables")
    first = load(kb, test_settings, folder)
    before, graph, elements = _counts(kb), snapshot(kb), _element_ids(kb)
    stored = kb.read("MATCH (n:Innovation {id: 'homework_club'}) RETURN n.load_id AS load_id")[0]["load_id"]

    second = load(kb, test_settings, folder)
    assert second.counts.keys() == first.counts.keys()
    for name, counts in second.counts.items():
        assert counts == {"created": 0, "updated": 0, "unchanged": first.counts[name]["created"]}, name
    assert _counts(kb) == before
    assert snapshot(kb) == graph
    assert _element_ids(kb) == elements
    # Unchanged rows are not rewritten: they keep the load that wrote them.
    assert kb.read("MATCH (n:Innovation {id: 'homework_club'}) RETURN n.load_id AS load_id")[0]["load_id"] == stored
    assert kb.read("MATCH (l:Load) RETURN count(l) AS n") == [{"n": 2}]


def test_a_changed_value_updates_in_place(kb, test_settings, tmp_path):
    load(kb, test_settings, write_tables(tmp_path / "v1"))
    before_counts, elements = _counts(kb), _element_ids(kb)
    assert sorted(r["p"] for r in kb.read(
        "MATCH (:Innovation {id: 'study_buddies'})-[:ADDRESSES]->(p) RETURN p.id AS p")) == ["isolation", "truancy"]

    tables = copy.deepcopy(TABLES)
    innovations = tables["innovations"][1]
    innovations[0][1] = "Homework clubs"                 # homework_club: a new name
    innovations[1][4] = "truancy"                        # study_buddies: problems shrink
    tables["people"][1][1][4] = "north_school"           # bob: one organisation fewer
    tables["ties"][1][0][3] = 5                          # ann -> bob: a new weight
    tables["adoptions"][1][0][5] = ""                    # the adoption: no adopters any more
    summary = load(kb, test_settings, write_tables(tmp_path / "v2", tables))

    assert summary.counts["innovations"] == {"created": 0, "updated": 2, "unchanged": 0}
    assert summary.counts["people"] == {"created": 0, "updated": 1, "unchanged": 1}
    assert summary.counts["ties"] == {"created": 0, "updated": 1, "unchanged": 2}
    assert summary.counts["adoptions"] == {"created": 0, "updated": 1, "unchanged": 0}
    assert summary.counts["localities"] == {"created": 0, "updated": 0, "unchanged": 2}

    # The same nodes, changed in place.
    assert _element_ids(kb) == elements
    assert kb.read("MATCH (i:Innovation {id: 'homework_club'}) RETURN i.name AS name") == [{"name": "Homework clubs"}]
    assert kb.read("MATCH (i:Innovation) WHERE i.name = 'Homework club' RETURN count(i) AS n") == [{"n": 0}]
    # The stale relationships are gone, the rest kept.
    assert [r["p"] for r in kb.read(
        "MATCH (:Innovation {id: 'study_buddies'})-[:ADDRESSES]->(p) RETURN p.id AS p")] == ["truancy"]
    assert kb.read("MATCH (i:Innovation {id: 'study_buddies'}) RETURN i.problems AS p") == [{"p": ["truancy"]}]
    assert kb.read("MATCH (:Innovation {id: 'study_buddies'})-[:DERIVED_FROM]->(d) RETURN d.id AS d") == \
        [{"d": "homework_club"}]
    assert [r["o"] for r in kb.read(
        "MATCH (:Person {id: 'bob'})-[:MEMBER_OF]->(o) RETURN o.id AS o")] == ["north_school"]
    assert kb.read("MATCH (:Actor {id: 'ann'})-[t:TIE]->(:Actor {id: 'bob'}) RETURN t.weight AS w, "
                   "t.network AS n") == [{"w": 5.0, "n": "innovation"}]
    assert kb.read("MATCH ()-[r:ADOPTED]->() RETURN count(r) AS n") == [{"n": 0}]
    assert kb.read("MATCH (:Innovation {id: 'homework_club'})-[r:ADOPTED_IN]->() RETURN r.adopters AS a, "
                   "r.outcome AS o") == [{"a": None, "o": "promising"}]
    # Relationships the changed rows own but did not change are rebuilt, not lost.
    assert kb.read("MATCH (:Innovation {id: 'homework_club'})-[:FUNDED_BY]->(f) RETURN f.id AS f") == \
        [{"f": "small_grants"}]
    assert kb.read("MATCH (a)-[:ORIGINATED]->(:Innovation {id: 'homework_club'}) RETURN count(a) AS n") == \
        [{"n": 2}]

    nodes, labels, types = _counts(kb)
    assert (nodes, labels) == before_counts[:2]
    expected_types = dict(before_counts[2])
    expected_types.update(ADDRESSES=expected_types["ADDRESSES"] - 1, MEMBER_OF=expected_types["MEMBER_OF"] - 1)
    del expected_types["ADOPTED"]
    assert types == expected_types

    # And back: the old values restore the old graph.
    load(kb, test_settings, write_tables(tmp_path / "v3"))
    assert _counts(kb) == before_counts
