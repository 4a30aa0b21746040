"""The Cypher console runs analysts' own text through KnowledgeBase.read_limited. These
tests prove, against the real server, that it refuses every kind of write, LOAD CSV,
schema changes and administration, and that the database (and the DBMS) is unchanged."""

from __future__ import annotations

import http.server
import threading

import pytest
from neo4j.exceptions import ClientError, Neo4jError

from kb.store.connection import QueryRefused
from kb.store.cypher import CYPHER_DIR, list_queries

TIMEOUT, ROWS = 10.0, 100
REFUSAL_CODES = ("Statement.AccessMode", "Statement.UnsupportedAdministrationCommand", "Security.Forbidden")


@pytest.fixture
def small_kb(kb):
    kb.write("CREATE (a:Thing {id: 'a', name: 'first'})-[:LINKS {w: 1}]->(b:Thing {id: 'b', name: 'second'}), "
             "(:Innovation {id: 'i1', name: 'See-through shutters', description: 'shutters on empty houses'})")
    return kb


@pytest.fixture
def http_server():
    """A local web server that counts the requests it gets (LOAD CSV must never reach it)."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            body = b"v\n1\n2\n"
            self.send_response(200)
            self.send_header("Content-Type", "text/csv")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def snapshot(kb) -> dict:
    """Everything a refused statement could have changed, in the database and the DBMS."""
    system = kb.driver.execute_query
    return {
        "counts": kb.counts(),
        "labels": kb.label_counts(),
        "nodes": kb.read("MATCH (n) RETURN elementId(n) AS id, labels(n) AS labels, properties(n) AS p "
                         "ORDER BY id"),
        "relationships": kb.read("MATCH ()-[r]->() RETURN elementId(r) AS id, type(r) AS type, "
                                 "properties(r) AS p ORDER BY id"),
        "label_tokens": sorted(r["label"] for r in kb.read("CALL db.labels() YIELD label RETURN label")),
        "property_tokens": sorted(r["k"] for r in kb.read("CALL db.propertyKeys() YIELD propertyKey AS k RETURN k")),
        "type_tokens": sorted(r["t"] for r in kb.read("CALL db.relationshipTypes() YIELD relationshipType AS t "
                                                      "RETURN t")),
        "indexes": sorted(r["name"] for r in kb.read("SHOW INDEXES YIELD name RETURN name")),
        "constraints": sorted(r["name"] for r in kb.read("SHOW CONSTRAINTS YIELD name RETURN name")),
        "databases": sorted(r["name"] for r in system("SHOW DATABASES YIELD name RETURN name",
                                                      database_="system").records),
        "users": sorted(r["user"] for r in system("SHOW USERS YIELD user RETURN user", database_="system").records),
    }


def refused(kb, statement: str, parameters: dict | None = None) -> BaseException:
    """Run through read_limited; it must fail as a refusal (not, say, a syntax error)."""
    with pytest.raises((QueryRefused, ClientError)) as caught:
        kb.read_limited(statement, parameters, timeout=TIMEOUT, row_limit=ROWS)
    exc = caught.value
    if isinstance(exc, ClientError):
        # The server's refusals: writing in a READ transaction; on Community Edition,
        # database management it does not offer at all.
        assert any(code in exc.code for code in REFUSAL_CODES), \
            f"{statement!r} failed, but not as a refusal: {exc.code} {exc.message}"
    return exc


WRITES = [
    "CREATE (n:Intruder {id: 'x'}) RETURN n",
    "MERGE (n:Intruder {id: 'x'}) RETURN n",
    "MERGE (t:Thing {id: 'a'}) ON MATCH SET t.name = 'changed' RETURN t",
    "MATCH (t:Thing) SET t.name = 'changed'",
    "MATCH (t:Thing) SET t += {extra: 1}",
    "MATCH (t:Thing) SET t:Intruder",
    "MATCH (t:Thing) REMOVE t.name",
    "MATCH (t:Thing) REMOVE t:Thing",
    "MATCH ()-[r:LINKS]->() DELETE r",
    "MATCH (t:Thing {id: 'b'}) DETACH DELETE t",
    "MATCH (n) DETACH DELETE n",
    "MATCH (a:Thing {id: 'a'}), (b:Thing {id: 'b'}) CREATE (a)-[:INTRUDES]->(b)",
    "FOREACH (x IN range(1, 3) | CREATE (:Intruder {x: x}))",
    "CALL () { CREATE (:Intruder) } RETURN 1 AS one",
    "UNWIND range(1, 3) AS x CALL (x) { CREATE (:Intruder {x: x}) } IN TRANSACTIONS RETURN count(*) AS n",
    "MATCH (t:Thing) WITH t CREATE (:Intruder {copy: t.name})",
    "CREATE (n:Intruder {id: $id})",
]

SCHEMA_AND_ADMIN = [
    "CREATE INDEX intruder_x IF NOT EXISTS FOR (n:Intruder) ON (n.x)",
    "CREATE FULLTEXT INDEX intruder_text IF NOT EXISTS FOR (n:Intruder) ON EACH [n.name]",
    "DROP INDEX innovation_text",
    "CREATE CONSTRAINT intruder_id IF NOT EXISTS FOR (n:Intruder) REQUIRE n.id IS UNIQUE",
    "DROP CONSTRAINT innovation_id",
    "CALL db.createLabel('Intruder')",
    "CALL db.createProperty('intruder_property')",
    "CALL db.createRelationshipType('INTRUDES')",
    "CALL db.clearQueryCaches()",
    "CALL dbms.listConfig() YIELD name RETURN name",
    "CALL dbms.components() YIELD name RETURN name",
    "CREATE DATABASE intruder",
    "CREATE DATABASE intruder IF NOT EXISTS",
    "CREATE USER intruder SET PASSWORD 'a-long-password-1'",
    "ALTER USER neo4j SET PASSWORD 'a-long-password-2'",
    "DROP USER neo4j",
    "SHOW USERS",
    "SHOW DATABASES",
    "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
]


@pytest.mark.parametrize("statement", WRITES)
def test_writes_are_refused_and_nothing_changes(small_kb, statement):
    before = snapshot(small_kb)
    exc = refused(small_kb, statement, {"id": "x"})
    assert isinstance(exc, ClientError) and "AccessMode" in exc.code  # the server's own refusal
    assert snapshot(small_kb) == before


@pytest.mark.parametrize("statement", SCHEMA_AND_ADMIN)
def test_schema_changes_and_administration_are_refused(small_kb, statement):
    before = snapshot(small_kb)
    refused(small_kb, statement)
    assert snapshot(small_kb) == before


def test_load_csv_is_refused_before_the_server_fetches_anything(small_kb, http_server):
    url, hits = http_server
    before = snapshot(small_kb)
    for statement in (f"LOAD CSV FROM '{url}/rows.csv' AS row RETURN row",
                      f"LOAD CSV WITH HEADERS FROM '{url}/rows.csv' AS row RETURN row.v AS v",
                      "LOAD CSV FROM $url AS row RETURN row",
                      f"CALL () {{ LOAD CSV FROM '{url}/nested.csv' AS row RETURN row }} RETURN row",
                      f"LOAD CSV FROM '{url}/rows.csv' AS row CREATE (:Intruder {{v: row[0]}})",
                      "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row"):
        exc = refused(small_kb, statement, {"url": f"{url}/param.csv"})
        assert isinstance(exc, QueryRefused) and "LOAD CSV" in str(exc)
    assert hits == [], "the server fetched a URL for a refused LOAD CSV"
    assert snapshot(small_kb) == before


def test_the_http_server_really_is_reachable_by_neo4j(small_kb, http_server):
    """Control for the test above: the same LOAD CSV in a write session does fetch."""
    url, hits = http_server
    rows = small_kb.write(f"LOAD CSV FROM '{url}/control.csv' AS row RETURN row")
    assert [r["row"] for r in rows] == [["v"], ["1"], ["2"]]
    assert hits == ["/control.csv"]


def test_reads_still_run(small_kb):
    result = small_kb.read_limited("MATCH (t:Thing) RETURN t.id AS id ORDER BY id", timeout=TIMEOUT, row_limit=ROWS)
    assert result.columns == ["id"] and result.rows == [{"id": "a"}, {"id": "b"}] and not result.truncated
    for statement in ("SHOW INDEXES YIELD name RETURN name", "CALL db.labels() YIELD label RETURN label",
                      "CALL db.index.fulltext.queryNodes('innovation_text', 'shutters') YIELD node RETURN node.id",
                      "EXPLAIN MATCH (n) RETURN n", "CYPHER 5 MATCH (n:Thing) RETURN count(n) AS n",
                      "MATCH p = (:Thing)-[:LINKS]->(:Thing) RETURN p"):
        small_kb.read_limited(statement, timeout=TIMEOUT, row_limit=ROWS)


def test_every_named_query_and_ui_query_passes_the_guard(small_kb):
    """The guard must not stop the project's own reads (run here with their defaults)."""
    for q in [*list_queries(), *list_queries(CYPHER_DIR / "ui")]:
        small_kb.read_limited(q.text, q.bind(), timeout=30, row_limit=ROWS)


def test_row_limit_truncates(small_kb):
    result = small_kb.read_limited("UNWIND range(1, 10) AS x RETURN x", timeout=TIMEOUT, row_limit=3)
    assert [r["x"] for r in result.rows] == [1, 2, 3] and result.truncated and result.row_limit == 3
    exact = small_kb.read_limited("UNWIND range(1, 3) AS x RETURN x", timeout=TIMEOUT, row_limit=3)
    assert len(exact.rows) == 3 and not exact.truncated


def test_timeout_is_the_servers_transaction_timeout(small_kb):
    """What the server really returns when the console's time limit is hit."""
    with pytest.raises(Neo4jError) as caught:
        small_kb.read_limited("UNWIND range(1, 400000000) AS x WITH x WHERE x % 7 = 123456789 RETURN count(x)",
                              timeout=1, row_limit=ROWS)
    assert caught.value.code == "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration"
    assert "TimedOut" in caught.value.code
