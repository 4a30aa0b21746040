"""The connection to Neo4j: one driver, reads in READ transactions, writes in WRITE ones.

Every query passes its values as parameters; nothing here builds Cypher from user text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from neo4j import Driver, GraphDatabase, Query, RoutingControl
from neo4j.graph import Node, Path, Relationship

from kb.store.console_guard import refusal

from kb.store.cypher import statement
from kb.settings import Settings


class QueryRefused(Exception):
    """Analyst Cypher that `read_limited` will not run (kb.store.console_guard). Nothing ran."""


def value_bytes(value: Any) -> int:
    """About how many bytes a result value takes (text as UTF-8, numbers as 8): what the
    byte limit of read_limited counts."""
    if value is None or isinstance(value, bool):
        return 1
    if isinstance(value, str):
        return len(value.encode("utf-8", "surrogatepass"))
    if isinstance(value, (bytes, bytearray)):
        return len(value)
    if isinstance(value, dict):
        return sum(len(str(k)) + value_bytes(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return 8 + sum(value_bytes(v) for v in value)
    if isinstance(value, Path):
        return sum(value_bytes(n) for n in value.nodes) + sum(value_bytes(r) for r in value.relationships)
    if isinstance(value, Node):
        return 16 + sum(len(x) for x in value.labels) + value_bytes(dict(value))
    if isinstance(value, Relationship):
        return 24 + len(value.type) + value_bytes(dict(value))
    return 16


@dataclass
class ReadResult:
    """Rows from a limited read, and whether a limit was hit."""

    columns: list[str]
    rows: list[dict[str, Any]]
    truncated: bool = False
    row_limit: int | None = None
    byte_limit: int | None = None
    truncated_by: str = ""  # "rows" or "bytes" when truncated
    stale: str | None = None  # answered from an analysis run that no longer matches the data (why)
    note: str | None = None  # why there are no rows although the query ran as asked (no analysis run yet)

    @property
    def limit_note(self) -> str:
        """What stopped the result early, in words ("" when nothing did)."""
        if not self.truncated:
            return ""
        if self.truncated_by == "bytes":
            return f"truncated at {self.byte_limit:,} bytes of results ({len(self.rows)} rows)"
        return f"truncated at {self.row_limit} rows"


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

    def plan(self, cypher: str, parameters: dict | None = None, timeout: float | None = None) -> None:
        """Plan a statement without running any of it (EXPLAIN): the server keeps the plan in
        its query cache for the same text and parameter types."""
        self.driver.execute_query(Query("EXPLAIN " + cypher, timeout=timeout), parameters_=parameters or {},
                                  routing_=RoutingControl.READ, database_=self.database)

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
                     row_limit: int, byte_limit: int | None = None, analyst: bool = True) -> ReadResult:
        """Run a read in a READ transaction with a server-side time limit, within limits.

        The server itself refuses writes in a READ transaction (AccessMode error). The
        statement is EXPLAINed first (planned, not run) and refused with QueryRefused unless
        it is on the console's allow-list (kb.store.console_guard: its commands and
        procedures; for `analyst` text, not the project's named queries, also no work the
        server could not stop at the time limit). At most `row_limit` rows and about
        `byte_limit` bytes of values are fetched; the result says whether more existed.
        """
        params = parameters or {}

        def work(tx):
            # EXPLAIN only plans the statement: nothing of it runs.
            reason = refusal(tx.run("EXPLAIN " + cypher, params).consume(), cypher, params, analyst=analyst)
            if reason:
                raise QueryRefused(reason)
            result = tx.run(cypher, params)
            keys = list(result.keys())
            rows = []
            size = 0
            truncated_by = ""
            for record in result:
                if len(rows) >= row_limit:
                    truncated_by = "rows"
                    break
                values = record.values()
                size += sum(value_bytes(v) for v in values)
                if byte_limit is not None and size > byte_limit:
                    truncated_by = "bytes"
                    break
                rows.append(dict(zip(keys, values)))
            if not truncated_by:
                result.consume()
            return ReadResult(keys, rows, bool(truncated_by), row_limit, byte_limit, truncated_by)

        # Leaving the block without commit rolls the transaction back: nothing is kept, and
        # a result left unread is discarded by the server. Records come 100 at a time, so
        # the byte limit is checked before many big rows pile up in the client.
        with self.driver.session(database=self.database, default_access_mode="READ", fetch_size=100) as session:
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
