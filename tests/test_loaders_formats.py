"""Every input format loads into the graph it should (real Neo4j; assertions in Cypher).

CSV tables, an Excel workbook with one sheet per table, YAML and JSON documents (a nested
case study, innovations with nested adoptions), network survey edge lists (`question` or
`network` column), GraphML and GEXF (written with networkx), and Kumu elements and
connections (two CSVs, or one workbook with sheets Elements and Connections).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import pytest
import yaml

from kb.store.known_ids import known_ids

from kb.store.writer import write_batch
from loaders import LoadRefused, read_paths, validate

INTERNAL = ("content_hash", "source_file", "source_row", "load_id", "loaded_at")

# A small case base: every table of docs/casebase-format.md, every kind of reference.
TABLES: dict[str, tuple[list[str], list[list]]] = {
    "sources": (["id", "title", "author", "publisher", "year", "url", "notes"], [
        ["rep2008", "A report", "A. Author", "A publisher", 2008, "http://example.org/r", ""],
    ]),
    "problems": (["id", "name", "description", "source", "section", "synthetic", "notes"], [
        ["truancy", "Truancy", "Pupils missing school", "rep2008", "5.4, p.29", "false", ""],
        ["isolation", "Isolation", "", "rep2008", "6.1", "false", ""],
    ]),
    "localities": (["id", "name", "country", "region", "kind", "problems", "source", "section", "synthetic",
                    "notes"], [
        ["northtown", "North Town", "UK", "North", "local authority area", "truancy;isolation", "rep2008",
         "5.4, p.29", "false", ""],
        ["southtown", "South Town", "UK", "", "", "isolation", "rep2008", "5.4, p.30", "false", ""],
    ]),
    "case_studies": (["id", "title", "locality", "year", "summary", "findings", "source", "section", "synthetic",
                      "notes"], [
        ["northtown_cs", "North Town case study", "northtown", 2007, "A summary", "", "rep2008", "5.4", "false", ""],
    ]),
    "organisations": (["id", "name", "org_type", "layer", "locality", "sector", "case_study", "source", "section",
                       "synthetic", "notes"], [
        ["north_council", "North Council", "local authority", "local_authority", "northtown", "Education",
         "northtown_cs", "rep2008", "5.4", "false", ""],
        ["north_school", "North School", "school", "frontline", "northtown", "education", "", "rep2008", "5.4",
         "false", ""],
    ]),
    "people": (["id", "name", "role", "layer", "organisations", "locality", "case_study", "source", "section",
                "synthetic", "notes"], [
        ["ann", "Ann Officer", "LA officer", "local_authority", "north_council", "northtown", "northtown_cs",
         "rep2008", "5.4", "true", "illustrative"],
        ["bob", "Bob Teacher", "Teacher", "frontline", "north_school;north_council", "northtown", "",
         "rep2008", "5.4", "true", ""],
    ]),
    "funding": (["id", "name", "instrument_type", "funder", "description", "source", "section", "synthetic",
                 "notes"], [
        ["small_grants", "Small grants", "grant", "north_council", "", "rep2008", "6.1", "false", ""],
    ]),
    "innovations": (["id", "name", "description", "sector", "problems", "lifecycle_stage", "evidence_level",
                     "outcomes", "resources", "cost", "transferability", "preconditions", "origin_locality",
                     "origin_year", "originators", "derived_from", "funded_by", "case_study", "source", "section",
                     "synthetic", "notes"], [
        ["homework_club", "Homework club", "After-school club", "education", "truancy", "diffuse", 2,
         "Better attendance", "", "low", "high", "", "northtown", 2005, "ann;north_school", "", "small_grants",
         "northtown_cs", "rep2008", "5.4, p.29", "false", ""],
        ["study_buddies", "Study buddies", "", "education", "truancy;isolation", "implement", "", "", "", "",
         "", "", "northtown", "", "bob", "homework_club", "", "", "rep2008", "5.4", "false", ""],
    ]),
    "adoptions": (["innovation", "locality", "year", "outcome", "adaptation", "adopters", "source", "section",
                   "synthetic", "notes"], [
        ["homework_club", "southtown", 2007, "promising", "Run by volunteers", "bob", "rep2008", "5.4, p.30",
         "false", ""],
    ]),
    "ties": (["from", "to", "network", "weight", "date", "source", "section", "synthetic", "notes"], [
        ["ann", "bob", "innovation", 3, "2007-05-01", "rep2008", "5.4", "true", ""],
        ["bob", "ann", "work", "", "2007", "rep2008", "5.4", "true", ""],
        ["north_council", "north_school", "strategic", 1.5, "", "rep2008", "5.4", "false", ""],
    ]),
    "layer_links": (["locality", "from_layer", "to_layer", "quality", "description", "source", "section",
                     "synthetic", "notes"], [
        ["northtown", "local_authority", "frontline", "rich_dense", "Close links", "rep2008", "5.4", "false", ""],
    ]),
}
EXPECTED_LABELS = {"Source": 1, "Problem": 2, "Locality": 2, "CaseStudy": 1, "Organisation": 2, "Person": 2,
                   "Actor": 4, "FundingInstrument": 1, "Innovation": 2, "LayerLink": 1, "Sector": 1,
                   "Layer": 5, "NetworkType": 7, "Load": 1}


def write_csv(path: Path, header, rows) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        out.writerows(rows)
    return path


def write_tables(folder: Path, tables=None) -> Path:
    for name, (header, rows) in (tables or TABLES).items():
        write_csv(folder / f"{name}.csv", header, rows)
    return folder


def load(kb, settings, *paths, fmt=None, network="work"):
    """Read, validate and write, as `kb load` does (in-process: faster than the CLI)."""
    batch = read_paths(list(paths), fmt=fmt, default_network=network)
    clean = validate(batch, settings.kb_network_types, known_ids(kb))
    return write_batch(kb, clean, settings.kb_network_types, progress=False)


def wipe(kb) -> None:
    with kb.driver.session(database=kb.database) as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


def labels(kb) -> dict[str, int]:
    return {r["label"]: r["n"] for r in kb.read(
        "MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS n")}


def rel_types(kb) -> dict[str, int]:
    return {r["type"]: r["n"] for r in kb.read("MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n")}


def node(kb, label: str, id_: str) -> dict:
    rows = kb.read(f"MATCH (n:{label} {{id: $id}}) RETURN properties(n) AS p", {"id": id_})
    assert len(rows) == 1, f"{label} {id_!r}: {len(rows)} nodes"
    return rows[0]["p"]


def ids(kb, cypher: str, **params) -> list:
    return sorted(r["x"] for r in kb.read(cypher, params))


def snapshot(kb) -> tuple[list, list]:
    """Every node (labels, non-internal properties) and relationship (type, endpoint ids,
    non-internal properties), except the :Load audit nodes."""
    nodes = kb.read("MATCH (n) WHERE NOT n:Load RETURN labels(n) AS labels, properties(n) AS props")
    rels = kb.read("MATCH (a)-[r]->(b) RETURN type(r) AS type, a.id AS a, b.id AS b, properties(r) AS props")
    clean = lambda props: sorted((k, repr(v)) for k, v in props.items() if k not in INTERNAL)  # noqa: E731
    return (sorted((sorted(n["labels"]), clean(n["props"])) for n in nodes),
            sorted((r["type"], r["a"], r["b"], clean(r["props"])) for r in rels))


# -- CSV tables --------------------------------------------------------------------------------
def test_csv_tables_load_into_the_graph(kb, test_settings, tmp_path):
    folder = write_tables(tmp_path / "tables")
    summary = load(kb, test_settings, folder)
    assert summary.counts["ties"] == {"created": 3, "updated": 0, "unchanged": 0}
    assert labels(kb) == EXPECTED_LABELS

    types = rel_types(kb)
    assert types == {"FACES": 3, "CITES": 13, "ABOUT": 1, "IN_LAYER": 4, "LOCATED_IN": 4, "IN_SECTOR": 4,
                     "DOCUMENTED_IN": 3, "MEMBER_OF": 3, "PROVIDED_BY": 1, "ADDRESSES": 3, "ORIGINATED_IN": 2,
                     "ORIGINATED": 3, "DERIVED_FROM": 1, "FUNDED_BY": 1, "ADOPTED_IN": 1, "ADOPTED": 1,
                     "TIE": 3, "IN_LOCALITY": 1, "FROM_LAYER": 1, "TO_LAYER": 1}

    # Values are typed as their columns say.
    homework = node(kb, "Innovation", "homework_club")
    assert homework["evidence_level"] == 2 and homework["origin_year"] == 2005
    assert homework["problems"] == ["truancy"] and homework["originators"] == ["ann", "north_school"]
    assert homework["synthetic"] is False and homework["lifecycle_stage"] == "diffuse"
    assert node(kb, "Person", "ann")["synthetic"] is True
    assert node(kb, "Locality", "northtown")["problems"] == ["truancy", "isolation"]
    assert node(kb, "Source", "rep2008")["year"] == 2008
    assert node(kb, "CaseStudy", "northtown_cs")["year"] == 2007

    # References became relationships.
    assert ids(kb, "MATCH (:Locality {id: 'northtown'})-[:FACES]->(p) RETURN p.id AS x") == ["isolation", "truancy"]
    assert ids(kb, "MATCH (:Person {id: 'bob'})-[:MEMBER_OF]->(o:Organisation) RETURN o.id AS x") == \
        ["north_council", "north_school"]
    assert ids(kb, "MATCH (a:Actor)-[:ORIGINATED]->(:Innovation {id: 'homework_club'}) RETURN a.id AS x") == \
        ["ann", "north_school"]
    assert kb.read("MATCH (:Innovation {id: 'homework_club'})-[o:ORIGINATED_IN]->(:Locality {id: 'northtown'}) "
                   "RETURN o.year AS year") == [{"year": 2005}]
    assert ids(kb, "MATCH (:Innovation {id: 'study_buddies'})-[:DERIVED_FROM]->(d) RETURN d.id AS x") == \
        ["homework_club"]
    assert ids(kb, "MATCH (:Innovation {id: 'homework_club'})-[:FUNDED_BY]->(f)-[:PROVIDED_BY]->(o) "
                   "RETURN f.id + '/' + o.id AS x") == ["small_grants/north_council"]
    # "Education" and "education" are one sector.
    assert ids(kb, "MATCH (n)-[:IN_SECTOR]->(s:Sector) RETURN DISTINCT s.id AS x") == ["education"]
    adoption = kb.read("MATCH (:Innovation {id: 'homework_club'})-[r:ADOPTED_IN]->(:Locality {id: 'southtown'}) "
                       "RETURN properties(r) AS p")[0]["p"]
    assert adoption["year"] == 2007 and adoption["outcome"] == "promising" and adoption["adopters"] == ["bob"]
    assert kb.read("MATCH (:Person {id: 'bob'})-[r:ADOPTED]->(:Innovation {id: 'homework_club'}) "
                   "RETURN r.locality AS l") == [{"l": "southtown"}]
    ties = kb.read("MATCH (a:Actor)-[t:TIE]->(b:Actor) RETURN a.id AS a, b.id AS b, t.network AS network, "
                   "t.weight AS weight, t.date AS date ORDER BY a, b")
    assert ties == [{"a": "ann", "b": "bob", "network": "innovation", "weight": 3.0, "date": "2007-05-01"},
                    {"a": "bob", "b": "ann", "network": "work", "weight": None, "date": "2007"},
                    {"a": "north_council", "b": "north_school", "network": "strategic", "weight": 1.5,
                     "date": None}]
    assert kb.read("MATCH (n:LayerLink)-[:IN_LOCALITY]->(l), (n)-[:FROM_LAYER]->(f), (n)-[:TO_LAYER]->(t) "
                   "RETURN n.id AS id, n.quality AS q, l.id AS l, f.id AS f, t.id AS t") == \
        [{"id": "northtown:local_authority:frontline", "q": "rich_dense", "l": "northtown",
          "f": "local_authority", "t": "frontline"}]
    assert ids(kb, "MATCH (:Actor {id: 'ann'})-[:IN_LAYER]->(l:Layer) RETURN l.id AS x") == ["local_authority"]

    # Provenance: file, row, load and the cited source and section.
    ann = node(kb, "Person", "ann")
    assert ann["source_file"] == str(folder / "people.csv") and ann["source_row"] == "2"
    assert node(kb, "Person", "bob")["source_row"] == "3"
    load_node = kb.read("MATCH (l:Load) RETURN l.id AS id, l.loaded_at AS at, l.files AS files")[0]
    assert ann["load_id"] == load_node["id"] and ann["loaded_at"] == load_node["at"]
    assert sorted(load_node["files"]) == sorted(str(folder / f"{t}.csv") for t in TABLES)
    assert ann["source"] == "rep2008" and ann["section"] == "5.4"
    assert kb.read("MATCH (:Innovation {id: 'homework_club'})-[c:CITES]->(s:Source) RETURN s.id AS s, "
                   "c.section AS section") == [{"s": "rep2008", "section": "5.4, p.29"}]
    tie = kb.read("MATCH (:Actor {id: 'ann'})-[t:TIE]->() RETURN properties(t) AS p")[0]["p"]
    assert tie["source_file"] == str(folder / "ties.csv") and tie["source_row"] == "2" and tie["loaded_at"]
    assert tie["source"] == "rep2008" and tie["section"] == "5.4"
    # Every loaded node and relationship says where it came from.
    assert kb.read("MATCH (n) WHERE n.content_hash IS NOT NULL AND (n.source_file IS NULL OR "
                   "n.source_row IS NULL OR n.loaded_at IS NULL) RETURN count(n) AS n") == [{"n": 0}]


def test_csv_delimiters_and_embedded_quotes(kb, test_settings, tmp_path):
    """';'-separated files load; a doubled quote after the first 4 KB is still one quote
    (csv.Sniffer used to guess doublequote=False from the first 4 KB and split the cell)."""
    folder = tmp_path / "semi"
    folder.mkdir()
    (folder / "sources.csv").write_text("id;title;notes\nsrc;Semicolon source;with, a comma\n")
    filler = "x" * 200
    lines = ["id,name,description"] + [f"p{i:02d},Problem {i},{filler}" for i in range(30)]
    lines.append('late,Late problem,"She said ""no"", then ""yes"""')
    (folder / "problems.csv").write_text("\n".join(lines) + "\n")
    load(kb, test_settings, folder)
    assert node(kb, "Source", "src")["notes"] == "with, a comma"
    assert node(kb, "Problem", "late")["description"] == 'She said "no", then "yes"'
    assert labels(kb)["Problem"] == 31


# -- Excel -------------------------------------------------------------------------------------
def _typed(value):
    """Cells as a spreadsheet would hold them: numbers and booleans typed."""
    if value in ("true", "false"):
        return value == "true"
    return None if value == "" else value


def test_excel_workbook_one_sheet_per_table(kb, test_settings, tmp_path):
    from openpyxl import Workbook

    csv_folder = write_tables(tmp_path / "tables")
    load(kb, test_settings, csv_folder)
    from_csv = snapshot(kb)
    wipe(kb)

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, (header, rows) in TABLES.items():
        sheet = workbook.create_sheet(name)
        sheet.append(header)
        for row in rows:
            sheet.append([_typed(v) for v in row])
    book = tmp_path / "casebase.xlsx"
    workbook.save(book)

    load(kb, test_settings, book)
    assert labels(kb) == EXPECTED_LABELS
    assert snapshot(kb) == from_csv
    ann = node(kb, "Person", "ann")
    assert ann["source_file"] == f"{book}[people]" and ann["source_row"] == "2"
    assert node(kb, "Innovation", "homework_club")["evidence_level"] == 2


# -- YAML and JSON documents -----------------------------------------------------------------
DOCUMENT = {
    "source": "rep2008",
    "section": "5.4, p.29",
    "sources": [{"id": "rep2008", "title": "A report", "year": 2008}],
    "problems": [{"id": "truancy", "name": "Truancy"}],
    "localities": [{"id": "northtown", "name": "North Town", "country": "UK", "problems": ["truancy"]},
                   {"id": "southtown", "name": "South Town", "country": "UK", "section": "5.4, p.30"}],
    "case_study": {
        "id": "northtown_cs", "title": "North Town case study", "locality": "northtown", "year": 2007,
        "organisations": [{"id": "north_council", "name": "North Council", "layer": "local_authority",
                           "locality": "northtown"}],
        "people": [{"id": "ann", "name": "Ann Officer", "layer": "local_authority",
                    "organisations": ["north_council"], "synthetic": True}],
        "innovations": [{
            "id": "homework_club", "name": "Homework club", "problems": ["truancy"], "evidence_level": 2,
            "origin_locality": "northtown", "originators": ["ann"], "section": "5.4, box",
            "adoptions": [{"locality": "southtown", "year": 2007, "outcome": "promising", "adopters": ["ann"]}],
        }],
        "ties": [{"from": "ann", "to": "north_council", "network": "work", "weight": 2}],
    },
}


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_documents_with_a_nested_case_study(kb, test_settings, tmp_path, suffix):
    path = tmp_path / f"northtown{suffix}"
    path.write_text(yaml.safe_dump(DOCUMENT, sort_keys=False) if suffix == ".yaml" else json.dumps(DOCUMENT))
    load(kb, test_settings, path)
    assert {k: v for k, v in labels(kb).items() if k not in ("Layer", "NetworkType")} == {
        "Source": 1, "Problem": 1, "Locality": 2, "CaseStudy": 1, "Organisation": 1, "Person": 1, "Actor": 2,
        "Innovation": 1, "Load": 1}

    # The nested records belong to the case study and inherit the document's source and section.
    assert ids(kb, "MATCH (n)-[:DOCUMENTED_IN]->(:CaseStudy {id: 'northtown_cs'}) RETURN n.id AS x") == \
        ["ann", "homework_club", "north_council"]
    assert ids(kb, "MATCH (:CaseStudy {id: 'northtown_cs'})-[:ABOUT]->(l) RETURN l.id AS x") == ["northtown"]
    innovation = node(kb, "Innovation", "homework_club")
    assert innovation["case_study"] == "northtown_cs" and innovation["source"] == "rep2008"
    assert innovation["section"] == "5.4, box"  # its own section wins
    assert node(kb, "Locality", "southtown")["section"] == "5.4, p.30"
    assert node(kb, "Person", "ann")["section"] == "5.4, p.29"
    assert node(kb, "Person", "ann")["synthetic"] is True
    # The nested adoption names its innovation implicitly.
    adoption = kb.read("MATCH (i:Innovation)-[r:ADOPTED_IN]->(l:Locality) RETURN i.id AS i, l.id AS l, "
                       "properties(r) AS p")
    assert [(a["i"], a["l"]) for a in adoption] == [("homework_club", "southtown")]
    props = adoption[0]["p"]
    assert props["year"] == 2007 and props["outcome"] == "promising" and props["source"] == "rep2008"
    assert props["source_row"] == "case_study.innovations[0].adoptions[0]"
    assert props["source_file"] == str(path) and props["loaded_at"]
    assert "case_study" not in props  # adoptions have no case_study column
    assert kb.read("MATCH (:Actor {id: 'ann'})-[r:ADOPTED]->(:Innovation {id: 'homework_club'}) "
                   "RETURN r.locality AS l") == [{"l": "southtown"}]
    assert node(kb, "CaseStudy", "northtown_cs")["source_row"] == "case_study"
    assert node(kb, "Person", "ann")["source_row"] == "case_study.people[0]"
    assert kb.read("MATCH (:Actor {id: 'ann'})-[t:TIE {network: 'work'}]->(:Actor {id: 'north_council'}) "
                   "RETURN t.weight AS w, t.source_row AS row") == [{"w": 2.0, "row": "case_study.ties[0]"}]
    assert ids(kb, "MATCH (:Actor {id: 'ann'})-[:MEMBER_OF]->(o) RETURN o.id AS x") == ["north_council"]


def test_yaml_and_json_documents_give_the_same_graph(kb, test_settings, tmp_path):
    (tmp_path / "a.yaml").write_text(yaml.safe_dump(DOCUMENT))
    (tmp_path / "b.json").write_text(json.dumps(DOCUMENT))
    load(kb, test_settings, tmp_path / "a.yaml")
    from_yaml = snapshot(kb)
    wipe(kb)
    load(kb, test_settings, tmp_path / "b.json")
    assert snapshot(kb) == from_yaml


# -- network survey edge lists ---------------------------------------------------------------------
PEOPLE = (["id", "name", "role", "layer", "synthetic"], [
    ["ann", "Ann", "LA officer", "local_authority", "true"],
    ["bob", "Bob", "Teacher", "frontline", "true"],
    ["cat", "Cat", "Resident", "community", "true"],
])


def test_survey_with_a_question_column(kb, test_settings, tmp_path):
    write_csv(tmp_path / "people.csv", *PEOPLE)
    survey = write_csv(tmp_path / "survey.csv", ["respondent", "question", "contact", "strength", "date",
                                                 "source", "section"], [
        ["ann", "Who do you go to for new ideas?", "bob", 4, "2008", "", "Q1"],
        ["bob", "Who do you ask for technical advice?", "ann", "", "", "", "Q2"],
        ["cat", "Who do you work with day-to-day?", "bob", 1, "", "", "Q3"],
        ["ann", "Who helps you think about your career and future?", "cat", 2, "", "", "Q4"],
    ])
    load(kb, test_settings, tmp_path / "people.csv", survey)
    ties = kb.read("MATCH (a)-[t:TIE]->(b) RETURN a.id AS a, b.id AS b, t.network AS n, t.weight AS w, "
                   "t.date AS d, t.section AS s, t.source_row AS row ORDER BY row")
    assert ties == [
        {"a": "ann", "b": "bob", "n": "innovation", "w": 4.0, "d": "2008", "s": "Q1", "row": "2"},
        {"a": "bob", "b": "ann", "n": "expertise", "w": None, "d": None, "s": "Q2", "row": "3"},
        {"a": "cat", "b": "bob", "n": "work", "w": 1.0, "d": None, "s": "Q3", "row": "4"},
        {"a": "ann", "b": "cat", "n": "career", "w": 2.0, "d": None, "s": "Q4", "row": "5"},
    ]
    assert kb.read("MATCH ()-[t:TIE]->() RETURN DISTINCT t.source_file AS f") == [{"f": str(survey)}]


def test_survey_with_a_network_column(kb, test_settings, tmp_path):
    write_csv(tmp_path / "people.csv", *PEOPLE)
    survey = write_csv(tmp_path / "nominations.csv", ["Respondent", "Network", "Contact", "Strength"], [
        ["ann", "social", "bob", 5],
        ["ann", "strategic", "bob", 2],
        ["cat", "learning", "ann", ""],
    ])
    load(kb, test_settings, tmp_path / "people.csv", survey)
    ties = kb.read("MATCH (a)-[t:TIE]->(b) RETURN a.id AS a, b.id AS b, t.network AS n, t.weight AS w "
                   "ORDER BY a, n")
    assert ties == [{"a": "ann", "b": "bob", "n": "social", "w": 5.0},
                    {"a": "ann", "b": "bob", "n": "strategic", "w": 2.0},
                    {"a": "cat", "b": "ann", "n": "learning", "w": None}]


# -- GraphML and GEXF ------------------------------------------------------------------------------
def _network(directed: bool):
    graph = nx.DiGraph() if directed else nx.Graph()
    graph.add_node("Ann Officer", label="Ann Officer", type="person", layer="local_authority", role="Officer")
    graph.add_node("bob", label="Bob", type="person", layer="frontline")
    graph.add_node("council", label="North Council", type="organisation", layer="local_authority",
                   org_type="local authority")
    graph.add_edge("Ann Officer", "bob", network="innovation", weight=3.0)
    graph.add_edge("bob", "council", network="work", weight=1.0)
    graph.add_edge("council", "Ann Officer", weight=2.0)  # no network: the loader's default
    return graph


def _assert_network(kb, both_directions: bool, file: Path):
    assert ids(kb, "MATCH (n:Person) RETURN n.id AS x") == ["ann_officer", "bob"]
    assert ids(kb, "MATCH (n:Organisation) RETURN n.id AS x") == ["council"]
    ann = node(kb, "Person", "ann_officer")
    assert ann["name"] == "Ann Officer" and ann["layer"] == "local_authority" and ann["role"] == "Officer"
    assert ann["source_file"] == str(file) and ann["source_row"].startswith("node ") and ann["loaded_at"]
    council = node(kb, "Organisation", "council")
    assert council["org_type"] == "local authority" and council["name"] == "North Council"
    assert ids(kb, "MATCH (:Actor {id: 'council'})-[:IN_LAYER]->(l) RETURN l.id AS x") == ["local_authority"]
    ties = {(r["a"], r["b"], r["n"], r["w"]) for r in kb.read(
        "MATCH (a)-[t:TIE]->(b) RETURN a.id AS a, b.id AS b, t.network AS n, t.weight AS w")}
    expected = {("ann_officer", "bob", "innovation", 3.0), ("bob", "council", "work", 1.0),
                ("council", "ann_officer", "social", 2.0)}
    if both_directions:
        expected |= {(b, a, n, w) for a, b, n, w in expected}
    assert ties == expected
    assert kb.read("MATCH ()-[t:TIE]->() WHERE t.source_row IS NULL OR NOT t.source_row STARTS WITH 'edge ' "
                   "RETURN count(t) AS n") == [{"n": 0}]


@pytest.mark.parametrize("directed", [True, False], ids=["directed", "undirected"])
def test_graphml(kb, test_settings, tmp_path, directed):
    path = tmp_path / "network.graphml"
    nx.write_graphml(_network(directed), path)
    load(kb, test_settings, path, network="social")
    _assert_network(kb, both_directions=not directed, file=path)


@pytest.mark.parametrize("directed", [True, False], ids=["directed", "undirected"])
def test_gexf(kb, test_settings, tmp_path, directed):
    path = tmp_path / "network.gexf"
    nx.write_gexf(_network(directed), path)
    load(kb, test_settings, path, network="social")
    _assert_network(kb, both_directions=not directed, file=path)


# -- Kumu ----------------------------------------------------------------------------------------
ELEMENTS = (["Label", "Type", "Layer", "Role", "Org Type", "Description", "Section"], [
    ["Ann Officer", "Person", "Local_Authority", "LA officer", "", "Leads the programme", "K1"],
    ["Bob Teacher", "Person", "frontline", "Teacher", "", "", "K1"],
    ["North Council", "Organization", "local_authority", "", "local authority", "", "K2"],
])
CONNECTIONS = (["From", "To", "Type", "Weight", "Direction", "Description"], [
    ["Ann Officer", "Bob Teacher", "Innovation", 4, "directed", "ideas"],
    ["Bob Teacher", "North Council", "work", "", "mutual", ""],
])


def _assert_kumu(kb, elements_file: str, connections_file: str):
    assert ids(kb, "MATCH (n:Person) RETURN n.id AS x") == ["ann_officer", "bob_teacher"]
    assert ids(kb, "MATCH (n:Organisation) RETURN n.id AS x") == ["north_council"]
    ann = node(kb, "Person", "ann_officer")
    assert ann["name"] == "Ann Officer" and ann["layer"] == "local_authority" and ann["role"] == "LA officer"
    assert ann["notes"] == "Leads the programme" and ann["section"] == "K1"
    assert ann["source_file"] == elements_file and ann["source_row"] == "2" and ann["loaded_at"]
    assert node(kb, "Organisation", "north_council")["org_type"] == "local authority"
    ties = kb.read("MATCH (a)-[t:TIE]->(b) RETURN a.id AS a, b.id AS b, t.network AS n, t.weight AS w, "
                   "t.notes AS notes, t.source_file AS f, t.source_row AS row ORDER BY a, b")
    assert ties == [
        {"a": "ann_officer", "b": "bob_teacher", "n": "innovation", "w": 4.0, "notes": "ideas",
         "f": connections_file, "row": "2"},
        {"a": "bob_teacher", "b": "north_council", "n": "work", "w": None, "notes": None,
         "f": connections_file, "row": "3"},
        {"a": "north_council", "b": "bob_teacher", "n": "work", "w": None, "notes": None,
         "f": connections_file, "row": "3"},
    ]


def test_kumu_two_csv_files(kb, test_settings, tmp_path):
    elements = write_csv(tmp_path / "kumu" / "elements.csv", *ELEMENTS)
    connections = write_csv(tmp_path / "kumu" / "connections.csv", *CONNECTIONS)
    # Connections are read after every element, whatever the file order.
    load(kb, test_settings, connections, elements)
    _assert_kumu(kb, str(elements), str(connections))


def test_kumu_workbook(kb, test_settings, tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, (header, rows) in (("Elements", ELEMENTS), ("Connections", CONNECTIONS)):
        sheet = workbook.create_sheet(title)
        sheet.append(header)
        for row in rows:
            sheet.append([None if v == "" else v for v in row])
    book = tmp_path / "kumu.xlsx"
    workbook.save(book)
    load(kb, test_settings, book)
    _assert_kumu(kb, f"{book}[Elements]", f"{book}[Connections]")


def test_kumu_connection_to_an_unknown_element_is_refused(kb, test_settings, tmp_path):
    write_csv(tmp_path / "elements.csv", *ELEMENTS)
    write_csv(tmp_path / "connections.csv", CONNECTIONS[0], [["Ann Officer", "Nobody", "work", "", "", ""]])
    with pytest.raises(LoadRefused) as refused:
        load(kb, test_settings, tmp_path)
    assert [str(p) for p in refused.value.problems] == [
        f"{tmp_path / 'connections.csv'}:2:to: refers to unknown actor (organisation or person) 'nobody'"]
