"""The transfer assessment (issue 13): one innovation for one locality, against the bundled
case base loaded as `kb load data/` loads it, and the transfer finder that ranks by it."""

from __future__ import annotations

import csv
import json

import pytest

from kb.services.loading import load_files
from kb.services.transfer import TransferInputError, assess, find_transfers
from kb.store.analysis_runs import analyse_network, networks_to_analyse
from kb.settings import DEFAULT_NETWORK_TYPES
from tests.conftest import DATA_DIR, run_kb

FOLDERS = (DATA_DIR / "casebase", DATA_DIR / "network-study")


def rows_of(table: str) -> list[dict]:
    out = []
    for folder in FOLDERS:
        path = folder / f"{table}.csv"
        if path.exists():
            with open(path, newline="", encoding="utf-8") as handle:
                out.extend(csv.DictReader(handle))
    return out


@pytest.fixture(scope="module")
def bundled(session_kb, test_settings):
    session_kb.write_in_batches("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")
    load_files(test_settings, session_kb, [DATA_DIR], progress=False)
    for network in networks_to_analyse(session_kb, DEFAULT_NETWORK_TYPES):
        analyse_network(session_kb, network)
    yield session_kb
    session_kb.write_in_batches("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")


def test_knowsley_candidates_list_preconditions_elements_and_paths(bundled):
    found = find_transfers(bundled, "knowsley", include_unevidenced=True)
    assert found.assessments
    preconditions, elements = rows_of("preconditions"), rows_of("elements")
    behind = {r["id"]: set(filter(None, r["originators"].split(";"))) for r in rows_of("innovations")}
    for r in rows_of("adoptions"):
        behind[r["innovation"]] |= set(filter(None, r["adopters"].split(";")))
    knowsley_actors = {r["id"] for r in rows_of("organisations") if r["locality"] == "knowsley"}
    for a in found.assessments:
        inn = a.innovation["id"]
        # Every precondition the data gives for it, each met / unmet / unknown with its fact.
        assert [v["precondition"] for v in a.preconditions] == sorted(
            r["id"] for r in preconditions if r["innovation"] == inn)
        for v in a.preconditions:
            assert v["verdict"] in ("met", "unmet", "unknown") and v["fact"] and v["section"]
        assert sorted(e["element"] for e in a.elements) == sorted(r["id"] for r in elements if r["innovation"] == inn)
        assert len(a.paths) <= 3
        chains = [tuple(x["id"] for x in p["actors"]) for p in a.paths]
        assert len(set(chains)) == len(chains)  # distinct
        for p in a.paths:
            assert p["actors"][0]["id"] in knowsley_actors and p["actors"][-1]["id"] in behind[inn]
            assert p["hops"] == len(p["actors"]) - 1 <= 6
        assert a.reason.startswith(a.innovation["name"]) and sum(a.components.values()) == pytest.approx(a.score)
    by_id = {a.innovation["id"]: a for a in found.assessments}
    # Highland's links: frontline staff are recorded in Knowsley (its teachers); a local
    # authority actor is not, so that precondition is unknown, not unmet.
    highland = {v["precondition"]: v for v in by_id["highland_senior_frontline_links"].preconditions}
    assert highland["highland_frontline_staff"]["verdict"] == "met"
    assert "Knowsley teachers (as a group)" in highland["highland_frontline_staff"]["fact"]
    assert highland["highland_senior_management"]["verdict"] == "unknown"
    assert highland["highland_senior_management"]["editors_judgement"] is True
    # The labelled-synthetic innovation: its country and kind of place are Knowsley's.
    forum = by_id["ila_ideas_forum"]
    verdict = {v["precondition"]: (v["verdict"], v["fact"]) for v in forum.preconditions}
    assert verdict["ila_forum_uk"] == ("met", "Knowsley's country is UK")
    assert verdict["ila_forum_local_authority_area"][0] == "met"
    assert verdict["ila_forum_small_grants_fund"][0] == "unknown"
    assert forum.synthetic and "includes synthetic (illustrative) data" in forum.flags
    assert [x["name"] for x in forum.paths[0]["actors"]] == ["Knowsley's education service", "Head teacher 01"]
    assert {e["element"]: e["verdict"] for e in forum.elements} == {"ila_forum_meetings": "as_is",
                                                                    "ila_forum_small_grants": "adapt"}


def test_every_row_has_a_reason_and_unevidenced_only_on_request(bundled):
    default = find_transfers(bundled, "knowsley").rows
    asked = find_transfers(bundled, "knowsley", include_unevidenced=True).rows
    assert default and all(r["reason"] for r in default + asked)
    assert all(r["evidence_level"] is not None and not r["evidence_flag"] for r in default)
    unevidenced = [r for r in asked if r["evidence_level"] is None]
    assert unevidenced and all(r["evidence_flag"] == "no evidence level recorded" for r in unevidenced)
    assert all("no evidence level recorded" in r["reason"] for r in unevidenced)
    assert [r["rank"] for r in asked] == list(range(1, len(asked) + 1))
    assert [r["score"] for r in asked] == sorted((r["score"] for r in asked), reverse=True)


def test_partnership_working_is_not_recommended_to_knowsley(bundled):
    """The data says Partnership working is practised in Knowsley (5.4): it is not a candidate."""
    rows = find_transfers(bundled, "knowsley", include_unevidenced=True).rows
    assert "sectoral_partnership_working" not in {r["innovation"] for r in rows}
    q = bundled.read("MATCH (i:Innovation {id: 'sectoral_partnership_working'})-[:ADOPTED_IN]->(l) RETURN l.id AS id")
    assert "knowsley" in {r["id"] for r in q}


def test_unmet_precondition_for_a_city(bundled):
    """The labelled-synthetic example: the forum needs a UK local authority area; Gouda is a
    Dutch city (as recorded), so both are unmet, the reason says so and it ranks lower."""
    a = assess(bundled, "ila_ideas_forum", "gouda")
    verdict = {v["precondition"]: (v["verdict"], v["fact"]) for v in a.preconditions}
    assert verdict["ila_forum_uk"] == ("unmet", "Gouda's country is Netherlands, not UK")
    assert verdict["ila_forum_local_authority_area"] == ("unmet", "Gouda's kind of place is city, not local authority area")
    assert a.components["preconditions_unmet"] == -8
    assert "ranked lower because unmet: A local authority area (Gouda's kind of place is city, not local " \
           "authority area); A place in the UK (Gouda's country is Netherlands, not UK) (-8)." in a.reason
    assert {e["element"]: e["verdict"] for e in a.elements}["ila_forum_meetings"] == "adapt"


def test_making_a_precondition_unmet_lowers_the_rank_and_restoring_it_restores(bundled, test_settings, tmp_path):
    def rank():
        rows = find_transfers(bundled, "knowsley").rows
        return next((r["rank"], r["reason"]) for r in rows if r["innovation"] == "ila_ideas_forum")

    before, reason = rank()
    assert "unmet" not in reason
    with open(DATA_DIR / "casebase" / "localities.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    header = list(rows[0])
    edited = tmp_path / "edited" / "localities.csv"
    edited.parent.mkdir()
    with open(edited, "w", newline="", encoding="utf-8") as handle:
        out = csv.DictWriter(handle, header)
        out.writeheader()
        out.writerows({**r, "country": "France"} if r["id"] == "knowsley" else r for r in rows)
    try:
        load_files(test_settings, bundled, [edited], progress=False)
        after, reason = rank()
        assert after > before
        assert "ranked lower because unmet: A place in the UK (Knowsley's country is France, not UK)" in reason
    finally:
        load_files(test_settings, bundled, [DATA_DIR / "casebase" / "localities.csv"], progress=False)
    restored, reason = rank()
    assert restored == before and "unmet" not in reason


def test_the_path_limit_ranks_as_it_says(bundled):
    """A candidate without an introduction within the limit stays listed, ranks by a score
    without introduction points, and its reason says so."""
    wide = {r["innovation"]: r for r in find_transfers(bundled, "knowsley").rows}
    narrow = {r["innovation"]: r for r in find_transfers(bundled, "knowsley", max_hops=1).rows}
    assert set(narrow) == set(wide)
    pa_wide, pa_narrow = wide["south_tyneside_pa_projects"], narrow["south_tyneside_pa_projects"]
    assert pa_wide["introduction_hops"] > 1 and pa_narrow["introduction_hops"] is None
    assert "no introduction within 1 step (+0)" in pa_narrow["reason"]
    assert pa_narrow["score"] < pa_wide["score"]
    assert narrow["ila_ideas_forum"]["introduction_hops"] == 1


def test_adaptations_are_linked_to_elements(bundled):
    a = assess(bundled, "see_through_shutters", "knowsley")
    shutters = {e["element"]: e for e in a.elements}["shutters_see_through"]
    assert shutters["others_changed"] == [{"place": "South Tyneside",
                                           "adaptation": "Adopted in vacant properties in other neighbourhoods, "
                                                         "replacing brown shutters."}]
    # The report is silent on Knowsley's vacant properties: unknown, not unmet.
    assert [v["verdict"] for v in a.preconditions] == ["unknown"]


def test_unknown_innovation_or_locality_is_a_clear_error(bundled):
    with pytest.raises(TransferInputError, match="no locality 'atlantis'"):
        assess(bundled, "see_through_shutters", "atlantis")
    with pytest.raises(TransferInputError, match="no innovation 'nothing'"):
        assess(bundled, "nothing", "knowsley")


def test_kb_assess_cli(bundled, cli_env):
    proc = run_kb(["assess", "ila_ideas_forum", "knowsley", "--format", "json"], cli_env)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert {v["precondition"] for v in data["preconditions"]} == {"ila_forum_uk", "ila_forum_local_authority_area",
                                                                  "ila_forum_schools", "ila_forum_small_grants_fund"}
    table = run_kb(["assess", "highland_senior_frontline_links", "knowsley"], cli_env)
    assert table.returncode == 0, table.stderr
    assert "highland_senior_management" in table.stdout and "unknown" in table.stdout
    assert "editors' judgement" in table.stdout
    bad = run_kb(["assess", "nothing", "knowsley"], cli_env)
    assert bad.returncode == 2 and "no innovation 'nothing'" in bad.stderr and "Traceback" not in bad.stderr
    finder = run_kb(["transfer", "knowsley", "--format", "json"], cli_env)
    assert finder.returncode == 0, finder.stderr
    rows = json.loads(finder.stdout)
    assert rows and all(r["reason"] for r in rows)


def test_named_query_flags_unevidenced_and_gives_every_row_a_reason(bundled):
    """Issue 17 in `kb query transferable-innovations`: nothing already here, innovations
    without evidence only when asked for (flagged), a reason on every row."""
    from kb.store.cypher import load_query
    from kb.store.named_queries import run_named

    q = load_query("transferable-innovations")

    def rows(**params):
        return run_named(bundled, q, q.bind({k: str(v) for k, v in params.items()}), timeout=60, row_limit=100).rows

    default, asked = rows(locality="knowsley"), rows(locality="knowsley", include_unevidenced="true")
    assert default and all(r["evidence_level"] is not None and not r["evidence_flag"] for r in default)
    assert {r["innovation"] for r in asked} > {r["innovation"] for r in default}
    assert all(r["evidence_flag"] == "no evidence level recorded" for r in asked if r["evidence_level"] is None)
    assert all(r["reason"] for r in asked)
    assert "sectoral_partnership_working" not in {r["innovation"] for r in asked}
    ila = next(r for r in default if r["innovation"] == "ila_ideas_forum")
    assert ila["synthetic"] is True and "introduction in 1 step" in ila["reason"]
