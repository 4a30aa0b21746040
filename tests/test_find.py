"""Search by meaning (`kb find`, issue 13 part 3): paraphrased needs find their problem,
with no network, fresh after a load, and bad text refused with a clear message."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
import textwrap

import pytest

from kb.services.find import FindInputError, MAX_CHARS, check_text, search
from kb.services.loading import load_files
from kb.settings import PROJECT_ROOT
from tests.conftest import DATA_DIR, run_kb

CASEBASE = DATA_DIR / "casebase"

# Needs as a user might type them, one per bundled problem, written without the problem's
# words: no word of its name of 4+ letters, nor a word starting with the same 5 letters
# (checked below). They were written before any ranking was seen and not tuned after.
PARAPHRASES = {
    "antisocial_behaviour": "vandalism, graffiti and rowdy gangs hanging about the streets at night",
    "residents_feel_unsafe": "locals are afraid to walk around the area after dark",
    "vacant_properties": "empty boarded-up houses on our street attract trouble",
    "pupils_learning_experience": "children are bored at school and do not enjoy their lessons",
    "ideas_lost_in_middle_management": "suggestions by employees on the ground never get to the bosses at the top",
    "ideas_not_flowing_between_levels": "good practice in one team or neighbourhood never spreads to the rest of the organisation",
    "fragmented_horizontal_links": "small charities and volunteer clubs rarely cooperate with one another",
    "weak_links_between_layers": "central government, the council, services and frontline staff are disconnected",
    "exclusive_innovation_clique": "a tiny circle of officials and head teachers runs everything and shuts everybody else out",
    "community_outside_core_networks": "charities, students and locals have no say among the decision makers",
    "public_as_bystanders": "the public have no voice or choice in how services change",
    "lessons_not_shared": "every town reinvents the wheel; nobody learns from the successes of others",
    "lack_of_innovation_skills": "no training for staff on how to run new ideas and change projects",
    "lack_of_intermediaries": "nobody acts as a go-between to find promising schemes elsewhere and help us copy them",
    "failing_services": "our local authority and several academies are performing badly and under special measures",
    "carbon_emissions": "we want to cut greenhouse gases and global warming from our town",
    "youth_offending": "teenagers keep getting into trouble with the police",
    "eldercare": "looking after grandparents and pensioners who live alone",
    "crime": "too many burglaries and thefts in the area",
    "long_term_conditions": "patients who have diabetes or asthma and need help coping every day",
}


def problems() -> dict[str, str]:
    with open(CASEBASE / "problems.csv", encoding="utf-8-sig") as f:
        return {r["id"]: r["name"] for r in csv.DictReader(f)}


def reused(name: str, need: str) -> set[str]:
    words = lambda t: re.findall(r"[a-z]+", t.lower())  # noqa: E731
    own = [w for w in words(name) if len(w) >= 4]
    return {w for w in words(need) if any(w.startswith(o[:5]) for o in own)}


def test_paraphrases_do_not_reuse_the_problem_words():
    names = problems()
    assert len(PARAPHRASES) >= 15 and set(PARAPHRASES) <= set(names)
    for pid, need in PARAPHRASES.items():
        assert not reused(names[pid], need), (pid, reused(names[pid], need))


@pytest.fixture(scope="module")
def casebase_kb(session_kb, test_settings):
    session_kb.write_in_batches("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")
    result = load_files(test_settings, session_kb, sorted(CASEBASE.glob("*.csv")))
    assert result.embedding_note is None and result.embedded > 0
    return session_kb


def test_paraphrased_needs_find_their_problem_in_the_top_3(casebase_kb, test_settings):
    ranks = {}
    for pid, need in PARAPHRASES.items():
        found = [f.id for f in search(test_settings, casebase_kb, need, kind="problem", limit=20)]
        ranks[pid] = found.index(pid) + 1 if pid in found else None
    top3 = [pid for pid, rank in ranks.items() if rank is not None and rank <= 3]
    assert len(top3) >= 0.8 * len(PARAPHRASES), ranks


def test_find_ranks_innovations_and_problems_together(casebase_kb, test_settings):
    found = search(test_settings, casebase_kb, "empty shops and houses with shutters", limit=5)
    assert {f.kind for f in found} <= {"problem", "innovation"}
    assert "see_through_shutters" in [f.id for f in found]
    assert found == sorted(found, key=lambda f: -f.score)


def test_cli_find_json_rows_carry_id_name_kind_score(casebase_kb, cli_env):
    proc = run_kb(["find", "teenagers keep getting into trouble", "--kind", "problem", "--limit", "3",
                   "--format", "json"], cli_env, check=True)
    rows = json.loads(proc.stdout)
    assert len(rows) == 3 and rows[0]["id"] == "youth_offending"
    for row in rows:
        assert {"id", "name", "kind", "score"} <= set(row) and row["kind"] == "problem"


@pytest.mark.parametrize("text, message", [
    ("x" * (MAX_CHARS + 1), f"at most {MAX_CHARS}"),
    ("   ", "is empty"),
    ("?!* ... ---", "no word"),
    ("bad\x00text", "control character"),
])
def test_bad_text_is_refused_with_a_message(text, message):
    with pytest.raises(FindInputError, match=message):
        check_text(text)


def test_cli_refuses_a_5000_character_search_cleanly(cli_env):
    proc = run_kb(["find", "word " * 1000], cli_env)
    assert proc.returncode == 2
    assert f"at most {MAX_CHARS}" in proc.stderr and "Traceback" not in proc.stderr


def test_odd_full_text_characters_are_searched_as_words(casebase_kb, test_settings):
    found = search(test_settings, casebase_kb, 'shutters" AND (OR) [~*?]: \\ / NOT', limit=3)
    assert found


def test_a_load_refreshes_the_embeddings(kb, test_settings, tmp_path):
    table = tmp_path / "problems.csv"
    header = "id,name,description,synthetic\n"
    table.write_text(header + "p1,Issue one,Rivers flood the low streets every winter,true\n"
                              "p2,Issue two,Lonely old people living alone at home,true\n")
    load_files(test_settings, kb, [table])
    need = "heavy rain puts water into homes"
    assert search(test_settings, kb, need, kind="problem", limit=1)[0].id == "p1"
    table.write_text(header + "p1,Issue one,Lonely old people living alone at home,true\n"
                              "p2,Issue two,Rivers flood the low streets every winter,true\n")
    result = load_files(test_settings, kb, [table])
    assert result.embedded == 2
    assert search(test_settings, kb, need, kind="problem", limit=1)[0].id == "p2"
    assert load_files(test_settings, kb, [table]).embedded == 0  # unchanged: nothing re-embedded


OFFLINE = textwrap.dedent("""
    import socket
    def refuse(*args, **kwargs):
        raise OSError("the network is blocked in this test")
    socket.socket.connect = refuse
    socket.socket.connect_ex = refuse
    socket.create_connection = refuse
    socket.getaddrinfo = refuse
    from kb.meaning import embed_need, embed
    v = embed_need("teenagers keep getting into trouble")
    assert len(v) == 256 and abs(sum(x * x for x in v) - 1) < 1e-4
    print("offline ok", len(embed(["a b c"] * 10)))
""")


def test_the_model_loads_and_embeds_with_no_network(tmp_path):
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "PYTHONPATH": str(PROJECT_ROOT),
           "HF_HUB_OFFLINE": "1", "HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9",
           "XDG_CACHE_HOME": str(tmp_path / "cache")}
    proc = subprocess.run([sys.executable, "-c", OFFLINE], env=env, cwd=tmp_path, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "offline ok 10" in proc.stdout
    assert not (tmp_path / ".cache").exists() and not (tmp_path / "cache").exists()  # nothing fetched or cached
