"""`kb query`: named queries from cypher/, parameters, formats, limits."""

import csv
import io
import json

import pytest

from kb.store.cypher import CYPHER_DIR, QueryError, list_queries, load_query
from tests.conftest import DATA_DIR, run_kb

REQUIRED = {"transferable-innovations", "similar-innovations", "diffusion", "brokers", "brokerage-roles",
            "layer-links", "weak-layer-links", "outside-core", "core-clique", "fragility"}


def test_every_required_query_exists_with_a_header():
    queries = {q.name: q for q in list_queries()}
    assert REQUIRED <= set(queries)
    for q in queries.values():
        assert q.title and q.question and q.columns, q.name
        for p in q.parameters:
            assert f"${p.name}" in q.text, (q.name, p.name)


def test_parameters_are_typed_and_checked():
    q = load_query("fragility")
    assert q.bind({"k": "3"}) == {"network": "all", "k": 3, "locality": None, "include_synthetic": True, "live": False,
                                  "stored": False}
    assert q.bind({"live": "true"})["live"] is True
    with pytest.raises(QueryError, match="must be int"):
        q.bind({"k": "three"})
    with pytest.raises(QueryError, match="no parameter"):
        q.bind({"nope": "1"})
    with pytest.raises(QueryError, match="no named query"):
        load_query("../etc/passwd")


@pytest.fixture
def loaded(kb, cli_env):
    run_kb(["load", str(DATA_DIR / "casebase")], cli_env, check=True)
    return cli_env


def test_query_formats(loaded):
    as_json = run_kb(["query", "transferable-innovations", "-p", "locality=knowsley", "--format", "json"],
                     loaded, check=True)
    rows = json.loads(as_json.stdout)
    assert isinstance(rows, list) and rows and "shared_problems" in rows[0]
    as_csv = run_kb(["query", "transferable-innovations", "-p", "locality=knowsley", "--format", "csv"],
                    loaded, check=True)
    parsed = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [r["innovation"] for r in parsed] == [r["innovation"] for r in rows]
    table = run_kb(["query", "diffusion", "-p", "innovation=see_through_shutters"], loaded, check=True)
    assert table.stdout.splitlines()[0].split()[:3] == ["step", "locality", "year"]


def test_row_limit_is_visible(loaded):
    result = run_kb(["query", "similar-innovations", "-p", "innovation=see_through_shutters", "--limit", "1",
                     "--format", "json"], loaded, check=True)
    assert len(json.loads(result.stdout)) == 1
    assert "truncated at 1 rows" in result.stderr


def test_bad_query_and_param_are_clear_errors(loaded):
    missing = run_kb(["query", "no-such-query"], loaded)
    assert missing.returncode == 2 and "no named query" in missing.stderr and "Traceback" not in missing.stderr
    bad = run_kb(["query", "fragility", "-p", "k=lots"], loaded)
    assert bad.returncode == 2 and "must be int" in bad.stderr


def test_listing(loaded):
    listing = run_kb(["query"], loaded, check=True).stdout
    for name in REQUIRED:
        assert name in listing
    assert len(list(CYPHER_DIR.glob("*.cypher"))) == len(listing.strip().splitlines())


@pytest.mark.parametrize("option, value, says", [
    ("--timeout", "-1", "timeout must be more than 0"), ("--timeout", "0", "timeout must be more than 0"),
    ("--timeout", "1e12", "at most 86400 seconds"), ("--timeout", "nan", "timeout must be more than 0"),
    ("--limit", "-5", "row limit must be at least 1"), ("--limit", "99999999999", "at most 10000000 rows")])
def test_absurd_limits_are_clear_errors(cli_env, option, value, says):
    """Checked before connecting: a clear message, exit 2, never a traceback."""
    result = run_kb(["query", "brokers", option, value], cli_env)
    assert result.returncode == 2, result.stdout + result.stderr
    assert says in result.stderr and "Traceback" not in result.stderr


def test_absurd_configured_limits_name_the_setting(cli_env):
    result = run_kb(["query", "brokers"], {**cli_env, "KB_ROW_LIMIT": "0"})
    assert result.returncode == 2 and "KB_ROW_LIMIT must be an integer ≥ 1, got '0'" in result.stderr, result.stderr


@pytest.mark.parametrize("value", ["99999999999999999999999", "-9223372036854775809", "9223372036854775808"])
def test_integer_parameters_beyond_64_bits_are_clear_errors(cli_env, value):
    """Issue 18 item 5: Neo4j integers are 64-bit; a bigger one is refused before connecting,
    naming the parameter and the range (it was an OverflowError traceback)."""
    result = run_kb(["query", "transferable-innovations", "-p", f"limit={value}"], cli_env)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "parameter 'limit' must be an integer between -9223372036854775808 and 9223372036854775807" \
        in result.stderr and "Traceback" not in result.stderr


def test_integer_parameters_are_checked_from_the_ui_too():
    """The console's form gives ints, not text: the same range applies."""
    q = load_query("transferable-innovations")
    assert q.bind({"limit": 2 ** 63 - 1})["limit"] == 2 ** 63 - 1
    with pytest.raises(QueryError, match="parameter 'limit' must be an integer between"):
        q.bind({"limit": 2 ** 63})


def test_the_issue_timeout_is_a_clear_error(cli_env):
    """Issue 18 item 5, second half: `kb query brokers --timeout -1`."""
    result = run_kb(["query", "brokers", "--timeout", "-1"], cli_env)
    assert result.returncode == 2 and "timeout must be more than 0" in result.stderr
    assert "Traceback" not in result.stderr
