"""The synthetic knowledge base generator (`kb generate`, kb/services/generate.py)."""

from __future__ import annotations

import csv
import os
import time
from collections import Counter
from pathlib import Path

import pytest

from kb.services.generate import HEADERS, SOURCE_ID, generate
from kb.settings import DEFAULT_NETWORK_TYPES
from loaders import read_paths, validate
from kb.model import LAYER_ORDER, LIFECYCLE_STAGES, ADOPTION_OUTCOMES
from tests.conftest import run_kb

SMALL = dict(localities=4, actors=400, ties=3000, innovations=30, seed=11)


def _table(folder: Path, name: str) -> list[dict[str, str]]:
    with open(folder / f"{name}.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("generated") / "kb"
    generate(out, **SMALL)
    return out


def test_files_and_counts(small):
    assert sorted(p.name for p in small.iterdir()) == sorted(f"{name}.csv" for name in HEADERS)
    for name, header in HEADERS.items():
        with open(small / f"{name}.csv", newline="", encoding="utf-8") as f:
            assert next(csv.reader(f)) == header
    assert len(_table(small, "localities")) == SMALL["localities"]
    assert len(_table(small, "organisations")) + len(_table(small, "people")) == SMALL["actors"]
    assert len(_table(small, "ties")) == SMALL["ties"]
    assert len(_table(small, "innovations")) == SMALL["innovations"]
    assert len(_table(small, "adoptions")) > 0


def test_same_seed_gives_identical_files(small, tmp_path):
    generate(tmp_path / "again", **SMALL)
    for name in HEADERS:
        assert (tmp_path / "again" / f"{name}.csv").read_bytes() == (small / f"{name}.csv").read_bytes(), name
    generate(tmp_path / "other", **{**SMALL, "seed": SMALL["seed"] + 1})
    assert (tmp_path / "other" / "ties.csv").read_bytes() != (small / "ties.csv").read_bytes()


def test_everything_is_synthetic_and_cites_the_generator(small):
    sources = _table(small, "sources")
    assert [s["id"] for s in sources] == [SOURCE_ID]
    assert "SYNTHETIC" in sources[0]["notes"] and f"seed {SMALL['seed']}" in sources[0]["notes"]
    for name in HEADERS:
        if name == "sources":
            continue
        for row in _table(small, name):
            assert row["synthetic"] == "true" and row["source"] == SOURCE_ID, (name, row)
    for name in ("problems", "localities", "organisations", "people", "innovations"):
        assert all(r["id"].startswith("syn_") for r in _table(small, name)), name


def test_referential_integrity(small):
    localities = {r["id"]: r for r in _table(small, "localities")}
    problems = {r["id"] for r in _table(small, "problems")}
    orgs = {r["id"]: r for r in _table(small, "organisations")}
    people = {r["id"]: r for r in _table(small, "people")}
    innovations = {r["id"]: r for r in _table(small, "innovations")}
    actors = orgs.keys() | people.keys()
    assert not orgs.keys() & people.keys(), "organisations and people share one id space"
    for loc in localities.values():
        assert loc["problems"] and set(loc["problems"].split(";")) <= problems
    for actor in [*orgs.values(), *people.values()]:
        assert actor["layer"] in LAYER_ORDER
        assert (actor["locality"] == "") == (actor["layer"] == "national")
        assert actor["locality"] == "" or actor["locality"] in localities
    for person in people.values():
        for org in filter(None, person["organisations"].split(";")):
            assert org in orgs
            assert orgs[org]["locality"] == person["locality"], "members of organisations of their own locality"
    for inn in innovations.values():
        assert inn["origin_locality"] in localities
        faced = set(localities[inn["origin_locality"]]["problems"].split(";"))
        assert set(inn["problems"].split(";")) <= faced, "innovations address problems their origin faces"
        assert inn["lifecycle_stage"] in LIFECYCLE_STAGES and 1 <= int(inn["evidence_level"]) <= 5
        assert inn["sector"]
        originators = inn["originators"].split(";")
        assert originators and all(people[o]["locality"] == inn["origin_locality"] for o in originators)
        assert inn["derived_from"] == "" or inn["derived_from"] in innovations
    seen = set()
    for adoption in _table(small, "adoptions"):
        key = (adoption["innovation"], adoption["locality"])
        assert key not in seen
        seen.add(key)
        assert adoption["innovation"] in innovations and adoption["locality"] in localities
        assert adoption["locality"] != innovations[adoption["innovation"]]["origin_locality"]
        assert adoption["outcome"] in ADOPTION_OUTCOMES
        assert all(people[a]["locality"] == adoption["locality"] for a in adoption["adopters"].split(";"))
    keys = set()
    for tie in _table(small, "ties"):
        assert tie["from"] in actors and tie["to"] in actors
        assert tie["from"] != tie["to"], "no self-ties"
        assert tie["network"] in DEFAULT_NETWORK_TYPES
        assert 1 <= float(tie["weight"]) <= 5
        key = (tie["from"], tie["to"], tie["network"])
        assert key not in keys, f"duplicate tie {key}"
        keys.add(key)


def test_network_structure_is_core_periphery(small):
    """Dense core of LA officers and sectoral managers, sparse community, few cross-locality ties."""
    actors = {r["id"]: r for r in _table(small, "organisations") + _table(small, "people")}
    people = {k for k, r in actors.items() if k in {p["id"] for p in _table(small, "people")}}
    ties = _table(small, "ties")
    assert {t["network"] for t in ties} == set(DEFAULT_NETWORK_TYPES)
    assert {actors[t["from"]]["layer"] for t in ties} == set(LAYER_ORDER)
    between_orgs = sum(1 for t in ties if t["from"] not in people and t["to"] not in people)
    assert 0.01 * len(ties) < between_orgs < 0.1 * len(ties), "a few partnerships between organisations"
    degree = Counter()
    for t in ties:
        degree[t["from"]] += 1
        degree[t["to"]] += 1

    def mean_degree(layer):
        members = [p for p in people if actors[p]["layer"] == layer]
        return sum(degree[p] for p in members) / len(members)

    core = (mean_degree("local_authority") + mean_degree("sectoral")) / 2
    assert core > 5 * mean_degree("community")
    assert mean_degree("frontline") > mean_degree("community")

    # Density (distinct ordered pairs) inside the core vs inside the community, per locality.
    pairs = {(t["from"], t["to"]) for t in ties if t["from"] in people and t["to"] in people}
    by_block = Counter()
    for a, b in pairs:
        la, lb = actors[a], actors[b]
        if la["locality"] == lb["locality"] and la["locality"]:
            kind = lambda r: "core" if r["layer"] in ("local_authority", "sectoral") else r["layer"]  # noqa: E731
            if kind(la) == kind(lb):
                by_block[(la["locality"], kind(la))] += 1
    size = Counter((actors[p]["locality"], "core" if actors[p]["layer"] in ("local_authority", "sectoral")
                    else actors[p]["layer"]) for p in people)

    def density(kind):
        keys = [k for k in size if k[1] == kind]
        return sum(by_block[k] for k in keys) / sum(size[k] * (size[k] - 1) for k in keys)

    assert density("core") > 10 * density("community")
    cross = sum(1 for t in ties if actors[t["from"]]["locality"] and actors[t["to"]]["locality"]
                and actors[t["from"]]["locality"] != actors[t["to"]]["locality"])
    assert 0 < cross < 0.05 * len(ties)


def test_generated_files_pass_the_loaders_validation(small):
    batch = read_paths([small])
    assert batch.problems == []
    clean = validate(batch, DEFAULT_NETWORK_TYPES, known_ids=None)
    counts = clean.count()
    assert counts["ties"] == SMALL["ties"]
    assert counts["organisations"] + counts["people"] == SMALL["actors"]
    assert counts["localities"] == SMALL["localities"]
    assert counts["innovations"] == SMALL["innovations"]


def test_small_generated_kb_loads_into_neo4j(small, kb):
    from kb.store.writer import write_batch

    clean = validate(read_paths([small]), DEFAULT_NETWORK_TYPES, known_ids=None)
    summary = write_batch(kb, clean, DEFAULT_NETWORK_TYPES, progress=False)
    assert all(c["created"] == len(clean.records[name]) for name, c in summary.counts.items())
    labels = kb.label_counts()
    orgs, people = len(_table(small, "organisations")), len(_table(small, "people"))
    assert labels["Actor"] == SMALL["actors"]
    assert labels["Organisation"] == orgs and labels["Person"] == people
    assert labels["Locality"] == SMALL["localities"]
    assert labels["Innovation"] == SMALL["innovations"]
    assert labels["Source"] == 1 and labels["Layer"] == 5
    assert labels["Problem"] == len(_table(small, "problems"))
    rels = {r["type"]: r["n"] for r in kb.read("MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n")}
    assert rels["TIE"] == SMALL["ties"]
    assert rels["ADOPTED_IN"] == len(_table(small, "adoptions"))
    assert rels["IN_LAYER"] == SMALL["actors"]
    assert rels["MEMBER_OF"] == sum(len(list(filter(None, p["organisations"].split(";"))))
                                    for p in _table(small, "people"))
    networks = {r["network"] for r in kb.read("MATCH ()-[t:TIE]->() RETURN DISTINCT t.network AS network")}
    assert networks == set(DEFAULT_NETWORK_TYPES)
    # Every node written from the files is marked synthetic.
    assert kb.read("MATCH (n) WHERE (n:Actor OR n:Innovation OR n:Locality) AND n.synthetic <> true "
                   "RETURN count(n) AS n")[0]["n"] == 0


def test_no_locality_without_enough_actors_and_edge_sizes(tmp_path):
    with pytest.raises(ValueError, match="at least 12 per locality"):
        generate(tmp_path / "x", localities=10, actors=50)
    result = generate(tmp_path / "one", localities=1, actors=40, ties=100, innovations=3, seed=1)
    assert result.counts["adoptions"] == 0  # nowhere else to adopt
    assert result.counts["ties"] == 100
    result = generate(tmp_path / "none", localities=2, actors=30, ties=0, innovations=0)
    assert result.counts["ties"] == 0 and result.counts["innovations"] == 0
    validate(read_paths([tmp_path / "none"]), DEFAULT_NETWORK_TYPES, known_ids=None)
    with pytest.raises(ValueError, match="distinct ties"):
        generate(tmp_path / "dense", localities=1, actors=14, ties=5000)


def test_generates_a_large_kb_fast(tmp_path):
    started = time.perf_counter()
    result = generate(tmp_path / "big", localities=20, actors=20_000, ties=200_000, innovations=500, seed=3)
    assert time.perf_counter() - started < 20  # 100k actors + 1M ties take a few seconds
    assert result.counts["ties"] == 200_000
    assert sum(1 for _ in open(tmp_path / "big" / "ties.csv", encoding="utf-8")) == 200_001


def test_generate_command(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "KB_"))}
    out = tmp_path / "cli"
    proc = run_kb(["generate", str(out), "--localities", "3", "--actors", "200", "--ties", "1000",
                   "--innovations", "10", "--seed", "5"], env, check=True)
    assert "ties.csv: 1000" in proc.stdout
    assert len(_table(out, "ties")) == 1000
    proc = run_kb(["generate", str(tmp_path / "bad"), "--localities", "30", "--actors", "100"], env)
    assert proc.returncode == 2 and "at least 12 per locality" in proc.stderr
