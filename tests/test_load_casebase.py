"""`kb load data/` loads the bundled case base and the illustrative network study, and loading
it again changes nothing."""

from __future__ import annotations

import re

from tests.conftest import DATA_DIR, run_kb

LOCALITIES = {"highland": "Highland", "knowsley": "Knowsley", "south_tyneside": "South Tyneside",
              "pittsburgh": "Pittsburgh", "gouda": "Gouda", "lille": "Lille", "portland": "Portland"}
NETWORKS = {"work", "social", "innovation", "expertise", "career", "learning", "strategic"}


def _summary(stdout: str) -> dict[str, tuple[int, int, int]]:
    rows = {}
    for line in stdout.splitlines():
        match = re.fullmatch(r"(\w+)\s+(\d+)\s+(\d+)\s+(\d+)", line.strip())
        if match:
            rows[match.group(1)] = tuple(int(g) for g in match.groups()[1:])
    return rows


def _counts(kb):
    """Node counts by label and relationship counts by type, without the :Load audit nodes."""
    labels = {r["l"]: r["n"] for r in kb.read(
        "MATCH (n) WHERE NOT n:Load UNWIND labels(n) AS l RETURN l, count(*) AS n")}
    types = {r["t"]: r["n"] for r in kb.read("MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS n")}
    return labels, types


def test_kb_load_data_loads_the_bundled_case_base(kb, cli_env):
    first = run_kb(["load", "data/", "--no-progress"], cli_env)
    assert first.returncode == 0, first.stdout + first.stderr
    files = sorted(p for p in DATA_DIR.rglob("*.csv") if "templates" not in p.parts)
    assert f"Loaded {len(files)} file(s) as load " in first.stdout
    assert "The data changed: run `kb analyse`" in first.stdout
    summary = _summary(first.stdout)
    assert all(updated == 0 and unchanged == 0 for _, updated, unchanged in summary.values())

    # The case-study localities.
    rows = kb.read("MATCH (l:Locality) WHERE l.id IN $ids RETURN l.id AS id, l.name AS name, "
                   "l.synthetic AS synthetic", {"ids": list(LOCALITIES)})
    assert {r["id"]: r["name"] for r in rows} == LOCALITIES
    assert all(r["synthetic"] is False for r in rows)
    uk = kb.read("MATCH (l:Locality {country: 'UK'}) WHERE l.id IN $ids RETURN l.id AS id ORDER BY id",
                 {"ids": list(LOCALITIES)})
    assert [r["id"] for r in uk] == ["highland", "knowsley", "south_tyneside"]

    # Innovations, with where they came from, what they address and the report they cite.
    assert kb.read("MATCH (i:Innovation) RETURN count(i) AS n") == [{"n": summary["innovations"][0]}]
    assert summary["innovations"][0] >= 15
    shutters = kb.read(
        "MATCH (i:Innovation {id: 'see_through_shutters'})-[:ORIGINATED_IN]->(l:Locality), "
        "(i)-[:DERIVED_FROM]->(d:Innovation), (i)-[c:CITES]->(s:Source) "
        "OPTIONAL MATCH (i)-[:ADDRESSES]->(p:Problem) "
        "RETURN l.id AS locality, d.id AS derived, s.id AS source, c.section AS section, "
        "collect(p.id) AS problems, i.evidence_level AS level")
    assert shutters == [{"locality": "south_tyneside", "derived": "south_tyneside_pa_projects",
                         "source": "transformers2008", "section": "5.4, p.29-30",
                         "problems": shutters[0]["problems"], "level": 2}]
    assert {"antisocial_behaviour", "residents_feel_unsafe"} <= set(shutters[0]["problems"])
    adopted = kb.read("MATCH (i:Innovation)-[:ADOPTED_IN]->(l:Locality {id: 'south_tyneside'}) "
                      "RETURN i.id AS id ORDER BY id")
    # Partnership working is stated for the report's UK case studies (5.4, c. p.31).
    assert [r["id"] for r in adopted] == ["sectoral_partnership_working", "see_through_shutters",
                                          "south_tyneside_pa_projects"]
    # Every case-study locality is documented by a case study.
    documented = kb.read("MATCH (c:CaseStudy)-[:ABOUT]->(l:Locality) WHERE l.id IN $ids "
                         "RETURN collect(DISTINCT l.id) AS ids", {"ids": list(LOCALITIES)})[0]["ids"]
    assert set(documented) == set(LOCALITIES)

    # The network study: 73 people in five layers and the community connector of the invented
    # second round, ties in all seven network types, in two survey rounds.
    study = kb.read("MATCH (p:Person)-[:LOCATED_IN]->(:Locality {id: 'illustrative_la'}) "
                    "RETURN count(p) AS people, collect(DISTINCT p.layer) AS layers")[0]
    assert study["people"] == 74 and len(study["layers"]) == 5
    rounds = {r["round"]: r["n"] for r in kb.read(
        "MATCH ()-[t:TIE]->() WHERE t.round IS NOT NULL RETURN t.round AS round, count(t) AS n")}
    assert rounds == {"ila_round_1": 2198, "ila_round_2": 1753}
    networks = {r["network"]: r["n"] for r in kb.read(
        "MATCH (a:Person)-[t:TIE]->(b:Actor) WHERE a.id STARTS WITH 'ila_' "
        "RETURN t.network AS network, count(t) AS n")}
    assert set(networks) == NETWORKS and all(n > 100 for n in networks.values())
    assert kb.read("MATCH ()-[t:TIE]->() RETURN count(t) AS n") == [{"n": summary["ties"][0]}]
    assert set(kb.read("MATCH (n:NetworkType) RETURN collect(n.id) AS ids")[0]["ids"]) == NETWORKS
    assert kb.read("MATCH ()-[t:TIE]->() WHERE t.synthetic AND t.source <> 'illustrative_study' "
                   "RETURN count(t) AS n") == [{"n": 0}]
    assert kb.read("MATCH (p:Person {id: 'ila_la_officer_01'}) RETURN p.source_file AS f, p.source_row AS r") == \
        [{"f": "data/network-study/people.csv", "r": p_row(DATA_DIR / "network-study" / "people.csv",
                                                           "ila_la_officer_01")}]

    # Loading the same files again: identical counts, and the summary says all unchanged.
    before = _counts(kb)
    second = run_kb(["load", "data/", "--no-progress"], cli_env)
    assert second.returncode == 0, second.stdout + second.stderr
    again = _summary(second.stdout)
    assert set(again) == set(summary)
    assert all(again[name] == (0, 0, created) for name, (created, _, _) in summary.items())
    assert "kb analyse" not in second.stdout  # nothing changed: the analysis stays current
    assert _counts(kb) == before
    assert kb.read("MATCH (l:Load) RETURN count(l) AS n") == [{"n": 2}]


def p_row(path, id_: str) -> str:
    """The spreadsheet row number of `id_` in a CSV file (header = row 1)."""
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if line.startswith(id_ + ","):
            return str(number)
    raise AssertionError(id_)
