"""The connection to Neo4j: one driver, reads in READ transactions, writes in WRITE ones.

Every query passes its values as parameters; nothing here builds Cypher from user text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from neo4j import Driver, GraphDatabase, Query, RoutingControl

from kb.store.cypher import statement
from kb.settings import Settings


# What a READ transaction still lets through, and the analyst console must not run:
# LOAD CSV makes the server fetch files or URLs; TERMINATE TRANSACTIONS stops other
# people's work; administration commands (users, roles, databases) act on the DBMS.
REFUSED_OPERATORS = {
    "LoadCSV": "LOAD CSV (the server would fetch a file or URL)",
    "TerminateTransactions": "TERMINATE TRANSACTIONS",
    "AdministrationCommand": "an administration command",
}


class QueryRefused(Exception):
    """Analyst Cypher that `read_limited` will not run: not a plain read. Nothing ran."""


def _operators(plan: dict | None) -> Iterator[str]:
    if not plan:
        return
    yield str(plan.get("operatorType", "")).split("@")[0]
    for child in plan.get("children") or ():
        yield from _operators(child)


def refusal(summary) -> str | None:
    """Why an EXPLAINed statement is not a plain read (None when it is).

    Writes are left to the server, which refuses them in a READ transaction with its own
    AccessMode error; schema changes, DBMS procedures and the operators above are
    refused here, before anything runs.
    """
    for operator in _operators(summary.plan):
        if operator in REFUSED_OPERATORS:
            return f"{REFUSED_OPERATORS[operator]} is not allowed in a read-only query"
    if summary.query_type == "s":
        return "schema changes, administration commands and DBMS procedures are not allowed in a read-only query"
    return None


@dataclass
class ReadResult:
    """Rows from a limited read, and whether a limit was hit."""

    columns: list[str]
    rows: list[dict[str, Any]]
    truncated: bool = False
    row_limit: int | None = None
    stale: str | None = None  # answered from an analysis run that no longer matches the data (why)


class KnowledgeBase:
    """A thin, explicit wrapper over the official driver for one database."""

    def __init__(self, driver: Driver, database: str = "neo4j"):
        self.driver = driver
        self.database = database

    @classmethod
    def connect(cls, settings: Settings) -> "KnowledgeBase":
        driver = GraphDatabase.driver(settings.uri, auth=settings.auth, notifications_min_severity="OFF")
        return cls(driver, settings.neo4j_database)

    def close(self) -> None:
        self.driver.close()

    def __enter__(self) -> "KnowledgeBase":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- simple helpers -----------------------------------------------------------------
    def read(self, cypher: str, parameters: dict | None = None, timeout: float | None = None) -> list[dict]:
        records, _, _ = self.driver.execute_query(
            Query(cypher, timeout=timeout), parameters_=parameters or {},
            routing_=RoutingControl.READ, database_=self.database)
        return [r.data() for r in records]

    def write(self, cypher: str, parameters: dict | None = None) -> list[dict]:
        records, _, _ = self.driver.execute_query(
            cypher, parameters_=parameters or {}, routing_=RoutingControl.WRITE, database_=self.database)
        return [r.data() for r in records]

    def write_in_batches(self, cypher: str, parameters: dict | None = None) -> None:
        """Run a statement that commits in batches itself (`CALL { } IN TRANSACTIONS`),
        which the server accepts only in an implicit (auto-commit) transaction."""
        with self.driver.session(database=self.database) as session:
            session.run(cypher, parameters or {}).consume()

    def read_limited(self, cypher: str, parameters: dict | None = None, *, timeout: float,
                     row_limit: int) -> ReadResult:
        """Run analyst Cypher in a READ transaction with a server-side time limit.

        The server itself refuses writes in a READ transaction (AccessMode error). It
        does run LOAD CSV, TERMINATE TRANSACTIONS, administration commands and DBMS
        procedures there, so the statement is EXPLAINed first (planned, not run) and
        refused with QueryRefused when its plan holds any of them. At most `row_limit`
        rows are fetched; the result says whether more existed.
        """

        def work(tx):
            # EXPLAIN only plans the statement: nothing of it runs.
            reason = refusal(tx.run("EXPLAIN " + cypher, parameters or {}).consume())
            if reason:
                raise QueryRefused(reason)
            result = tx.run(cypher, parameters or {})
            keys = list(result.keys())
            rows = []
            truncated = False
            for record in result:
                if len(rows) >= row_limit:
                    truncated = True
                    break
                rows.append(dict(zip(keys, record.values())))
            result.consume()
            return ReadResult(keys, rows, truncated, row_limit)

        # Leaving the block without commit rolls the transaction back: nothing is kept.
        with self.driver.session(database=self.database, default_access_mode="READ") as session:
            with session.begin_transaction(timeout=timeout) as tx:
                return work(tx)

    def counts(self) -> dict[str, int]:
        row = self.read(statement("admin/count-nodes-and-relationships"))[0]
        return {"nodes": row["nodes"], "relationships": row["relationships"]}

    def label_counts(self) -> dict[str, int]:
        rows = self.read(statement("admin/count-labels"))
        return {r["label"]: r["n"] for r in rows}

    def server_info(self) -> dict[str, str]:
        row = self.read(statement("admin/server-components"))[0]
        return row

    def run_statements(self, statements: Iterable[str]) -> int:
        n = 0
        for text in statements:
            self.write(text)
            n += 1
        return n
