"""Survey rounds against the real Neo4j: private links (hashes only, nothing opened by a
guessed, altered or closed-round token), own answers only, closing as one dated,
round-tagged load, and the spreadsheet round trip giving the same ties as the web form."""

from __future__ import annotations

import json

import pytest

from kb.model import ENTITIES
from kb.services.loading import load_files
from kb.services.survey_answers import (REFUSED, RoundClosed, SurveyLinkRefused, SurveyProblems, open_form,
                                        save_answers)
from kb.services.surveys import (SurveyError, add_roster, close_round, create_round, issue_tokens,
                                 round_status)
from tests.conftest import run_kb

PEOPLE = """id,name,role,layer,organisations,locality
ann,Ann Able,Head,local_authority,council,testtown
bob,Bob Bell,Nurse,frontline,clinic,testtown
cat,Cat Crane,Officer,frontline,clinic,testtown
dan,Dan Dove,Resident,community,,testtown
"""
ORGANISATIONS = """id,name,layer,locality
council,Test Council,local_authority,testtown
clinic,Test Clinic,frontline,testtown
"""
LOCALITIES = "id,name,country\ntesttown,Testtown,UK\n"
ROUND_HAS_COLUMN = "round" in ENTITIES["ties"].column_names


@pytest.fixture
def town(kb, test_settings, tmp_path):
    folder = tmp_path / "town"
    folder.mkdir()
    (folder / "localities.csv").write_text(LOCALITIES)
    (folder / "organisations.csv").write_text(ORGANISATIONS)
    (folder / "people.csv").write_text(PEOPLE)
    load_files(test_settings, kb, [folder], progress=False)
    return kb


def new_round(settings, kb, round_id="t1", people=("ann", "bob", "cat")):
    create_round(settings, kb, "testtown", "2026-11-01", round_id=round_id)
    add_roster(settings, kb, round_id, people=list(people))
    return {link.person: link.token for link in issue_tokens(settings, kb, round_id)}


def survey_ties(kb, round_id=None):
    rows = kb.read("MATCH (a)-[t:TIE]->(b) RETURN a.id AS f, b.id AS t, t.network AS n, t.weight AS w, "
                   "t.date AS d, t.round AS r, t.load_id AS load ORDER BY f, t, n")
    return [r for r in rows if round_id is None or r["r"] == round_id]


def test_a_guessed_altered_or_closed_round_token_opens_nothing(town, test_settings):
    tokens = new_round(test_settings, town)
    token = tokens["ann"]
    assert open_form(test_settings, town, token).name == "Ann Able"
    altered = token[:-1] + ("A" if token[-1] != "A" else "B")
    for bad in (altered, "x" * 43, "", None, token + "x", "' OR 1=1 //"):
        with pytest.raises(SurveyLinkRefused) as refused:
            open_form(test_settings, town, bad)
        assert str(refused.value) == REFUSED
    save_answers(test_settings, town, tokens["bob"], {"named": {"ann": {"work": 3}}}, submit=True)
    close_round(test_settings, town, "t1")
    with pytest.raises(SurveyLinkRefused) as refused:
        open_form(test_settings, town, token)
    assert str(refused.value) == REFUSED


def test_a_respondent_sees_only_their_own_answers(town, test_settings):
    tokens = new_round(test_settings, town)
    save_answers(test_settings, town, tokens["bob"], {"named": {"cat": {"work": 4, "social": 2}}})
    form = open_form(test_settings, town, tokens["ann"])
    assert form.answers == {"named": {}, "others": []}
    assert "ann" not in {r["person"] for r in form.roster}          # nobody names themself
    text = json.dumps(form.__dict__, default=str)
    assert "answers" not in json.dumps(form.roster) and '"social": 2' not in text
    assert open_form(test_settings, town, tokens["bob"]).answers["named"] == {"cat": {"work": 4, "social": 2}}


def test_progress_is_saved_and_resumed_and_bad_answers_are_located(town, test_settings):
    tokens = new_round(test_settings, town)
    save_answers(test_settings, town, tokens["ann"], {"named": {"bob": {"innovation": 2}}})
    assert open_form(test_settings, town, tokens["ann"]).answers["named"] == {"bob": {"innovation": 2}}
    with pytest.raises(SurveyProblems) as refused:
        save_answers(test_settings, town, tokens["ann"],
                     {"named": {"dan": {"work": 1}, "ann": {"work": 1}, "bob": {"work": 9}},
                      "others": [{"name": "", "layer": "nowhere", "answers": {"work": 1}}]})
    where = {p.column: p.message for p in refused.value.problems}
    assert "not on this round's roster" in where["named.dan"]
    assert "yourself" in where["named.ann"]
    assert "not on the round's scale (1, 2, 3, 4)" in where["named.bob.work"]
    assert "missing" in where["others[1].name"] and "not a layer" in where["others[1].layer"]
    assert open_form(test_settings, town, tokens["ann"]).answers["named"] == {"bob": {"innovation": 2}}


def test_only_token_hashes_are_stored(town, test_settings):
    tokens = new_round(test_settings, town)
    everything = town.read("MATCH (n) RETURN properties(n) AS p UNION ALL MATCH ()-[r]->() RETURN properties(r) AS p")
    stored = json.dumps([r["p"] for r in everything], default=str)
    for token in tokens.values():
        assert len(token) >= 43 and token not in stored
    import hashlib
    assert all(hashlib.sha256(t.encode()).hexdigest() in stored for t in tokens.values())


def test_a_closed_round_refuses_answers(town, test_settings):
    tokens = new_round(test_settings, town)
    save_answers(test_settings, town, tokens["ann"], {"named": {"bob": {"work": 2}}}, submit=True)
    close_round(test_settings, town, "t1")
    with pytest.raises(RoundClosed, match="closed: answers are no longer accepted"):
        save_answers(test_settings, town, tokens["bob"], {"named": {"ann": {"work": 2}}}, submit=True)
    with pytest.raises(SurveyError, match="closed already"):
        close_round(test_settings, town, "t1")
    with pytest.raises(SurveyError, match="closed"):
        issue_tokens(test_settings, town, "t1", reissue=True)


@pytest.mark.skipif(not ROUND_HAS_COLUMN, reason="needs the ties' round column (branch i15-change)")
def test_closing_writes_dated_round_tagged_ties_as_one_load(town, test_settings):
    tokens = new_round(test_settings, town)
    save_answers(test_settings, town, tokens["ann"],
                 {"named": {"bob": {"work": 3, "innovation": 1}},
                  "others": [{"name": "Eve Early", "organisation": "council", "layer": "local_authority",
                              "answers": {"work": 2}}]}, submit=True)
    save_answers(test_settings, town, tokens["bob"], {"named": {"cat": {"work": 4}}}, submit=False)  # not submitted
    before = town.read("MATCH (l:Load) RETURN count(l) AS n")[0]["n"]
    status = round_status(test_settings, town, "t1")
    assert (status.respondents, status.started, status.submitted) == (3, 2, 1)
    assert {r["layer"]: r["submitted"] for r in status.by_layer} == {"local_authority": 1, "frontline": 0}
    result = close_round(test_settings, town, "t1")
    assert (result.ties, result.new_people) == (3, 1)
    ties = survey_ties(town, "t1")
    assert {(t["f"], t["t"], t["n"], t["w"]) for t in ties} == {
        ("ann", "bob", "work", 3.0), ("ann", "bob", "innovation", 1.0), ("ann", "eve_early-t1", "work", 2.0)}
    assert {str(t["d"]) for t in ties} == {"2026-11-01"} and {t["load"] for t in ties} == {result.load_id}
    assert town.read("MATCH (l:Load) RETURN count(l) AS n")[0]["n"] == before + 1
    eve = town.read("MATCH (p:Person {id: 'eve_early-t1'})-[:MEMBER_OF]->(o) RETURN p.name AS name, o.id AS org")
    assert eve == [{"name": "Eve Early", "org": "council"}]
    assert round_status(test_settings, town, "t1").round["status"] == "closed"


def test_a_roster_csv_is_checked_with_located_errors(town, test_settings, tmp_path):
    create_round(test_settings, town, "testtown", "2026-11-01", round_id="t1")
    roster = tmp_path / "roster.csv"
    roster.write_text("person,note\nann,\nzed,\n,x\nann,\n")
    with pytest.raises(SurveyProblems) as refused:
        add_roster(test_settings, town, "t1", csv_path=roster)
    found = sorted(str(p) for p in refused.value.problems)
    assert found == [f"{roster}:3:person: no person 'zed' in the knowledge base",
                     f"{roster}:4:person: empty; give the person's id",
                     f"{roster}:5:person: 'ann' is listed twice (first on row 2)"]
    assert round_status(test_settings, town, "t1").respondents == 0
    assert add_roster(test_settings, town, "t1", locality=True) == 4


def test_the_cli_runs_a_round(town, cli_env, tmp_path):
    config = tmp_path / "questions.yaml"
    config.write_text("questions:\n  - network: innovation\n    text: Who helps with new ideas?\n"
                      "scale:\n  - {value: 1, label: Sometimes}\n  - {value: 2, label: Often}\n")
    created = run_kb(["survey", "create", "testtown", "2026-11-01", "--id", "c1", "--config", str(config),
                      "--format", "json"], cli_env, check=True)
    assert json.loads(created.stdout)["questions"] == [{"network": "innovation", "text": "Who helps with new ideas?"}]
    run_kb(["survey", "roster", "c1", "--person", "ann", "--person", "bob"], cli_env, check=True)
    links = json.loads(run_kb(["survey", "tokens", "c1", "--format", "json"], cli_env, check=True).stdout)
    assert len(links) == 2 and all("/?token=" in x["link"] for x in links)
    status = json.loads(run_kb(["survey", "status", "c1", "--format", "json"], cli_env, check=True).stdout)
    assert status["respondents"] == 2 and status["submitted"] == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("questions:\n  - network: gossip\n    text: ''\n")
    refused = run_kb(["survey", "create", "testtown", "2026-12-01", "--config", str(bad)], cli_env)
    assert refused.returncode == 2 and f"{bad}:questions[0].network: 'gossip' is not a network type" in refused.stderr
    assert "Traceback" not in refused.stderr


ANSWERS = {"ann": {"named": {"bob": {"work": 3, "innovation": 1}, "cat": {"social": 4}},
                   "others": [{"name": "Eve Early", "organisation": "council", "layer": "local_authority",
                               "answers": {"work": 2}}]},
           "bob": {"named": {"ann": {"work": 2}}, "others": []}}


def fill_form(path, answers_by_name):
    """Fill an exported form as a respondent would in a spreadsheet program."""
    from openpyxl import load_workbook

    book = load_workbook(path)
    for sheet in book.worksheets[3:]:
        answers = answers_by_name.get(sheet["B1"].value.split("/")[-1])
        if not answers:
            continue
        header = [c.value for c in sheet[5]]
        rows = {sheet.cell(row=r, column=1).value: r for r in range(6, sheet.max_row + 1)}
        for person, values in answers["named"].items():
            for network, value in values.items():
                sheet.cell(row=rows[person], column=header.index(network) + 1, value=value)
        free = range(sheet.max_row + 1, sheet.max_row + 11)          # the empty rows under the roster
        for other, row in zip(answers["others"], free):
            sheet.cell(row=row, column=2, value=other["name"])
            sheet.cell(row=row, column=3, value="Test Council")        # by name, as a person would
            sheet.cell(row=row, column=4, value=other["layer"])
            for network, value in other["answers"].items():
                sheet.cell(row=row, column=header.index(network) + 1, value=value)
    book.save(path)


@pytest.mark.skipif(not ROUND_HAS_COLUMN, reason="needs the ties' round column (branch i15-change)")
def test_the_spreadsheet_round_trip_gives_the_same_ties_as_the_web_form(town, test_settings, tmp_path):
    from kb.services.survey_forms import export_form, import_form

    tokens = new_round(test_settings, town, "web")
    for person, answers in ANSWERS.items():
        save_answers(test_settings, town, tokens[person], answers, submit=True)
    close_round(test_settings, town, "web")
    new_round(test_settings, town, "sheet")
    form = tmp_path / "form.xlsx"
    assert export_form(test_settings, town, "sheet", form) == 3
    from openpyxl import load_workbook
    assert not any(token in str(cell.value) for sheet in load_workbook(form).worksheets
                   for row in sheet.iter_rows() for cell in row for token in tokens.values())
    fill_form(form, ANSWERS)
    assert sorted(import_form(test_settings, town, "sheet", form)) == ["ann", "bob"]
    close_round(test_settings, town, "sheet")

    def ties(round_id):
        return {(t["f"], t["t"].replace(f"-{round_id}", ""), t["n"], t["w"], str(t["d"]))
                for t in survey_ties(town, round_id)}

    assert ties("web") == ties("sheet") and len(ties("web")) == 5


def test_a_filled_in_form_with_mistakes_is_refused_with_sheet_row_and_column(town, test_settings, tmp_path):
    from openpyxl import load_workbook

    from kb.services.survey_forms import export_form, import_form

    new_round(test_settings, town)
    form = tmp_path / "form.xlsx"
    export_form(test_settings, town, "t1", form)
    book = load_workbook(form)
    sheet = book.worksheets[3]                       # Ann Able's sheet: bob on row 6, cat on row 7
    assert sheet["B2"].value == "Ann Able" and sheet["A6"].value == "bob"
    sheet["E6"] = 7                                  # work: not on the scale
    sheet["A8"], sheet["B8"], sheet["D8"], sheet["F8"] = "", "New Person", "mayor", 2
    book.save(form)
    with pytest.raises(SurveyProblems) as refused:
        import_form(test_settings, town, "t1", form)
    found = sorted(str(p) for p in refused.value.problems)
    title = f"{form} sheet '{sheet.title}'"
    assert found == [f"{title}:6:E (work): 7 is not on the round's scale (1, 2, 3, 4)",
                     f"{title}:8:D (layer): 'mayor' is not a layer (one of national, local_authority, sectoral, "
                     "frontline, community)"]
    assert round_status(test_settings, town, "t1").started == 0
