"""The one-page transfer brief (issue 13, part 4) and the assessment's problem match by
meaning (embeddings): against the bundled case base loaded as `kb load data/` loads it."""

from __future__ import annotations

import re

import pytest

from kb.services.brief import EDITORS_BADGE, SYNTHETIC_BADGE, cited_sources, make_brief
from kb.services.loading import load_files
from kb.services.transfer import assess, find_transfers
from kb.store.analysis_runs import analyse_network, networks_to_analyse
from kb.settings import DEFAULT_NETWORK_TYPES
from tests.conftest import DATA_DIR, run_kb


@pytest.fixture(scope="module")
def bundled(session_kb, test_settings):
    session_kb.write_in_batches("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")
    load_files(test_settings, session_kb, [DATA_DIR], progress=False)
    for network in networks_to_analyse(session_kb, DEFAULT_NETWORK_TYPES):
        analyse_network(session_kb, network)
    yield session_kb
    session_kb.write_in_batches("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")


def line_of(text: str, fragment: str) -> str:
    lines = [x for x in text.splitlines() if fragment in x]
    assert lines, f"{fragment!r} is not in the brief"
    return lines[0]


def test_brief_cites_every_source_for_every_fact(bundled):
    found = find_transfers(bundled, "knowsley", include_unevidenced=True)
    assert found.assessments
    titles = {r["id"]: r["title"] for r in bundled.read("MATCH (s:Source) RETURN s.id AS id, s.title AS title")}
    for a in found.assessments:
        brief = make_brief(bundled, a.innovation["id"], "knowsley")
        md, page = brief.markdown(), brief.html()
        ids = cited_sources(a)
        assert ids and [r["id"] for r in brief.references] == ids
        number = {r["id"]: r["number"] for r in brief.references}
        for sid in ids:  # every source used is in the list, by its title, author and year
            assert sid in titles, sid
            ref = line_of(md, f"[id: {sid}]")
            assert ref.startswith(f"{number[sid]}. ") and titles[sid] in ref
            assert titles[sid].replace("'", "&#x27;") in page
        # each precondition, element and adoption cites its source at its section
        for v in a.preconditions:
            assert f"[{number[v['source']]}: {v['section']}]" in line_of(md, v["fact"])
        for e in a.elements:
            assert f"[{number[e['source']]}: {e['section']}]" in line_of(md, f"{e['name']} ({e['kind']})")
        for p in a.places:
            if p["role"] == "adoption":
                assert f"[{number[p['source']]}: {p['section']}]" in line_of(md, f"**adopted in**: {p['place']}")
        for p in a.paths:
            for link in p["links"]:
                assert f"[{number[link['cited']]}: {link['section']}]" in md
        assert "[no source recorded]" not in md


def test_brief_marks_editors_judgements_and_synthetic_data(bundled):
    highland = make_brief(bundled, "highland_senior_frontline_links", "knowsley").markdown()
    line = line_of(highland, "Senior management of the local authority")
    assert EDITORS_BADGE in line and "**unknown**" in line
    forum = make_brief(bundled, "ila_ideas_forum", "knowsley")
    md, page = forum.markdown(), forum.html()
    assert "This brief includes SYNTHETIC data" in md and "This brief includes SYNTHETIC data" in page
    assert SYNTHETIC_BADGE in line_of(md, "A place in the UK.")
    assert 'class="mark synthetic"' in page and 'class="mark editors"' not in page.split("<h2>Sources")[1]
    # self-contained and printable: no script, no external stylesheet, a print page size
    assert "<script" not in page and "<link" not in page and "@page" in page
    assert "Illustrative network study" in page


def test_brief_cli_writes_md_and_html_and_refuses_pdf(bundled, cli_env, tmp_path):
    out = tmp_path / "brief.html"
    proc = run_kb(["assess", "highland_senior_frontline_links", "knowsley", "--brief", "html", "-o", str(out)],
                  cli_env, check=True)
    assert str(out) in proc.stdout
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "Transformers: how local areas innovate" in text
    md = run_kb(["assess", "highland_senior_frontline_links", "knowsley", "--brief", "md"], cli_env, check=True)
    assert md.stdout.startswith("# Could ") and "## Sources" in md.stdout
    bad = run_kb(["assess", "highland_senior_frontline_links", "knowsley", "--brief", "pdf"], cli_env)
    assert bad.returncode == 2 and "--brief must be one of md, html, not 'pdf'" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_a_paraphrased_locality_problem_matches_by_meaning(bundled, test_settings, tmp_path):
    """A place whose problem is written in other words than the case base's 'Care of the
    elderly' (no word of its name or description) is matched to it by meaning."""
    (tmp_path / "problems.csv").write_text(
        "id,name,description,source,section,synthetic,notes\n"
        "lonely_pensioners,Lonely pensioners with nobody to look after them,"
        "Frail grandparents living by themselves get no daily help at home.,illustrative_study,test,true,\n",
        encoding="utf-8")
    (tmp_path / "localities.csv").write_text(
        "id,name,country,region,kind,problems,population,governance,legal_system,capacities,source,section,"
        "synthetic,notes\n"
        "meaningtown,Meaningtown (test),UK,,,lonely_pensioners,,,,,illustrative_study,test,true,\n", encoding="utf-8")
    load_files(test_settings, bundled, [tmp_path], progress=False)
    a = assess(bundled, "collaboratives", "meaningtown")
    assert not a.problems["exact"]
    matched = {p["id"]: p for p in a.problems["by_meaning"]}
    assert "eldercare" in matched and matched["eldercare"]["like"] == "Lonely pensioners with nobody to look after them"
    assert a.components["problems_meaning"] >= 1 and "by meaning" in a.reason
    # and the finder takes the innovations addressing it as candidates
    found = find_transfers(bundled, "meaningtown", include_unevidenced=True)
    assert "collaboratives" in {r["innovation"] for r in found.rows}
    assert not re.search(r"\bcare\b|elderly|older", "Lonely pensioners with nobody to look after them Frail "
                         "grandparents living by themselves get no daily help at home.", re.I)
