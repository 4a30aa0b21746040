"""The plain view of ties (docs/analytics.md, "Change over time"): of the ties one pair has in one
network type (with or without a round), only the latest (by date, then round id) counts; the
others carry `superseded: true`, set by the load that supersedes them (in its transaction) and
recomputed by `kb init` for older stores. The live reads count the plain view: on the bundled
two rounds, layer-links' ties per layer pair and the Overview's ties per network type equal a
count of the raw CSV ties by that rule; the Network page and the actor profile list a pair once."""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from kb.services import queries
from kb.store.schema import apply_schema
from tests.conftest import DATA_DIR
from tests.test_loaders_formats import load, wipe, write_tables
from tests.test_tie_rounds import _tables_with_rounds


def _csv(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def plain_view():
    """Every tie of data/ by the plain-view rule, straight from the CSVs: (from, to, network) -> the
    latest row (by date, then round id)."""
    latest = {}
    for path in sorted(DATA_DIR.rglob("*.csv")):
        rows = _csv(path)
        if "templates" in path.parts or not rows or list(rows[0])[:3] != ["from", "to", "network"]:
            continue  # not a ties table (bridges.csv is one)
        for t in rows:
            t.setdefault("round", "")
            key = (t["from"], t["to"], t["network"] or "work")
            if key not in latest or (t["date"], t["round"]) > (latest[key]["date"], latest[key]["round"]):
                latest[key] = t
    return latest


def layers():
    return {r["id"]: r["layer"] for name in ("people.csv", "organisations.csv")
            for path in DATA_DIR.rglob(name) for r in _csv(path)}


@pytest.fixture(scope="module")
def bundled(session_kb, test_settings):
    wipe(session_kb)
    load(session_kb, test_settings, DATA_DIR)
    return session_kb


def _read(kb, name, params):
    return queries.read(kb, name, params, timeout=120)


@pytest.mark.parametrize("network", ["work", "all"])
def test_layer_links_count_the_plain_view(bundled, network):
    layer = layers()
    arcs = {(f, t) for (f, t, n) in plain_view() if network == "all" or n == network}
    expected = Counter((layer[f], layer[t]) for f, t in arcs if f != t)
    rows = _read(bundled, "layer-links", {"network": network, "live": True})
    assert {(r["from_layer"], r["to_layer"]): r["ties"] for r in rows if r["ties"]} == dict(expected)


def test_overview_counts_the_plain_view(bundled):
    expected = Counter(n for (_, _, n) in plain_view())
    rows = _read(bundled, "ui/tie-networks", {})
    assert {r["network"]: r["ties"] for r in rows} == dict(expected)
    # Both rounds are stored, and every stored tie is in the plain view or superseded.
    stored = bundled.read("MATCH ()-[t:TIE]->() RETURN count(t) AS n, count(t.superseded) AS old")[0]
    assert stored["n"] - stored["old"] == sum(expected.values()) and stored["old"] > 0


def test_the_network_page_and_the_actor_profile_list_a_pair_once(bundled):
    latest = plain_view()
    a, b = "ila_la_officer_01", "ila_la_officer_03"  # tied at work in both rounds
    assert latest[(a, b, "work")]["round"] == "ila_round_2"
    ties = _read(bundled, "ui/network-ties", {"ids": [a, b], "network": "work"})
    assert [(r["source"], r["target"], r["networks"], r["weight"]) for r in ties if r["source"] == a] == \
        [(a, b, ["work"], float(latest[(a, b, "work")]["weight"]))]
    profile = _read(bundled, "ui/actor-ties", {"actor": a, "network": "work"})
    assert [r["date"] for r in profile if r["actor"] == b and r["direction"] == "names"] == ["2010"]
    mine = {k for k in latest if a in k[:2] and k[2] == "work"}
    degree = _read(bundled, "ui/network-actors", {"network": "work", "ids": [a]})
    assert degree[0]["degree"] == len(mine)


def _marks(kb):
    return sorted((r["round"] or "", r["old"]) for r in kb.read(
        "MATCH (:Actor {id: 'ann'})-[t:TIE {network: 'innovation'}]->(:Actor {id: 'bob'}) "
        "RETURN t.round AS round, t.superseded AS old"))


def test_a_later_round_supersedes_the_older_ties_and_reloads_keep_the_marks(kb, test_settings, tmp_path):
    tables = _tables_with_rounds()
    later = tables["ties"][1].pop()  # round r2
    load(kb, test_settings, write_tables(tmp_path / "one", tables))
    # The tie without a round (2007-05-01) is older than round r1 (2008-03-01).
    assert _marks(kb) == [("", True), ("r1", None)]
    tables["ties"][1].append(later)
    load(kb, test_settings, write_tables(tmp_path / "two", tables))
    assert _marks(kb) == [("", True), ("r1", True), ("r2", None)]
    again = load(kb, test_settings, write_tables(tmp_path / "two", tables))
    assert again.counts["ties"] == {"created": 0, "updated": 0, "unchanged": 5}
    assert _marks(kb) == [("", True), ("r1", True), ("r2", None)]
    # An older tie rewritten by a load (a new weight) stays superseded.
    tables["ties"][1][-2][3] = 7
    changed = load(kb, test_settings, write_tables(tmp_path / "three", tables))
    assert changed.counts["ties"]["updated"] == 1
    assert _marks(kb) == [("", True), ("r1", True), ("r2", None)]


def test_kb_init_marks_the_ties_of_an_older_store(kb, test_settings, tmp_path):
    load(kb, test_settings, write_tables(tmp_path / "t", _tables_with_rounds()))
    kb.write("MATCH ()-[t:TIE]->() REMOVE t.superseded")  # a store written before the marker
    apply_schema(kb)
    assert _marks(kb) == [("", True), ("r1", True), ("r2", None)]
    apply_schema(kb)
    assert _marks(kb) == [("", True), ("r1", True), ("r2", None)]


def test_a_staged_load_marks_across_its_chunks(kb, test_settings, tmp_path):
    from kb.store.known_ids import known_ids
    from kb.store.writer import write_batch
    from loaders import read_paths, validate

    batch = validate(read_paths([write_tables(tmp_path / "t", _tables_with_rounds())], default_network="work"),
                     test_settings.kb_network_types, known_ids(kb))
    summary = write_batch(kb, batch, test_settings.kb_network_types, progress=False, chunk=1, transaction_rows=1)
    assert summary.staged
    assert _marks(kb) == [("", True), ("r1", True), ("r2", None)]
