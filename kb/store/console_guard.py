"""What the console (and `kb query`) may run: the checks KnowledgeBase.read_limited makes on
a statement's EXPLAIN plan (planned, not run) before running it. A reason is returned for
anything refused; None means it may run.

An allow-list, not a deny-list (issue 18):

- Commands: only the `SHOW` commands in ALLOWED_COMMANDS (indexes, constraints, procedures,
  functions). `SHOW TRANSACTIONS` (other users' queries and parameters), `SHOW SETTINGS`
  (server paths), `TERMINATE TRANSACTIONS`, administration and anything new are refused.
- Procedures: only those in ALLOWED_PROCEDURES, which read the schema or an index. The
  db.stats.* family (it collects and clears query statistics), every dbms.* procedure and
  any other procedure are refused, named.
- LOAD CSV (the server would fetch a file or URL) and schema changes are refused.
  Writes are left to the server, which refuses them in a READ transaction.

Analyst text (not the project's named queries, which are reviewed files with typed
parameters) is also held to what the server can stop at its time limit. Neo4j checks the
limit between rows, not inside the evaluation of one expression: `reduce(...)` over two
million items ran for 12 minutes past a 10 s limit, and over three billion numbers 112.7 s
under a 2 s limit.
So, from the text and the plan, the console refuses:

- `reduce(...)` (`UNWIND` the list and aggregate instead: the server stops that in time);
- a list comprehension, quantifier (any/all/none/single), pattern comprehension or
  subquery expression inside another one (the work multiplies within one expression);
- `range(...)` other than as the list of an UNWIND or of a list comprehension/quantifier,
  or with bounds that are not whole-number literals or parameters, or making more than
  MAX_RANGE_ELEMENTS elements in all (`RETURN range(1, 20000000)` sent a 20M-element row).
"""

from __future__ import annotations

import re
from typing import Any, Iterator

ALLOWED_PROCEDURES = frozenset({
    "db.labels", "db.relationshipTypes", "db.propertyKeys",
    "db.schema.visualization", "db.schema.nodeTypeProperties", "db.schema.relTypeProperties",
    "db.index.fulltext.queryNodes", "db.index.fulltext.queryRelationships",
    "db.index.fulltext.listAvailableAnalyzers",
    "db.index.vector.queryNodes", "db.index.vector.queryRelationships",
})
# Plan operators of the commands the console may run (SHOW INDEXES and the like).
ALLOWED_COMMANDS = frozenset({"ShowIndexes", "ShowConstraints", "ShowProcedures", "ShowFunctions"})
# Why the known commands are refused (anything else is refused as "a command").
COMMAND_REASONS = {
    "ShowTransactions": "`SHOW TRANSACTIONS` shows other users' queries and parameters",
    "TerminateTransactions": "`TERMINATE TRANSACTIONS` stops other people's work",
    "ShowSettings": "`SHOW SETTINGS` shows the server's configuration and paths",
    "AdministrationCommand": "administration commands act on the DBMS",
    "LoadCSV": "LOAD CSV makes the server fetch a file or URL",
}
# Elements at most that the range() calls of one analyst statement make, in all.
MAX_RANGE_ELEMENTS = 100_000

_RANGE = re.compile(r"`?\brange`?\s*\(", re.IGNORECASE)
_REDUCE = re.compile(r"\breduce\s*\(", re.IGNORECASE)
# Where one expression iterates: [x IN ...], any(x IN ...), [(a)-->(b) | ...], COUNT { ... }.
_ITERATION = re.compile(r"\[\s*`?\w+`?\s+IN\b|\b(?:any|all|none|single)\s*\(\s*`?\w+`?\s+IN\b|\[\s*\("
                        r"|\b(?:COUNT|EXISTS|COLLECT)\s*\{", re.IGNORECASE)
# A range() may be the list of an UNWIND or of an iteration (`x IN range(`).
_RANGE_AS_LIST = re.compile(r"(?:\bUNWIND|\bIN)\s*$", re.IGNORECASE)
_INTEGER = re.compile(r"[+-]?\d+")
_PROCEDURE = re.compile(r"^\s*([\w.`]+)\s*\(")


def operators(plan: dict | None) -> Iterator[dict]:
    """Every operator of a plan (as the driver gives it), depth first."""
    if not plan:
        return
    yield plan
    for child in plan.get("children") or ():
        yield from operators(child)


def operator_type(operator: dict) -> str:
    return str(operator.get("operatorType", "")).split("@")[0]


def details(operator: dict) -> str:
    args = operator.get("args") or {}
    return str(args.get("Details", ""))


def procedure_name(operator: dict) -> str:
    m = _PROCEDURE.match(details(operator))
    return m.group(1).replace("`", "") if m else details(operator)


def plan_refusal(summary) -> str | None:
    """Why a planned statement is not among what the console may run (None when it is)."""
    for op in operators(summary.plan):
        kind = operator_type(op)
        if kind == "ProcedureCall":
            name = procedure_name(op)
            if name not in ALLOWED_PROCEDURES:
                return (f"the procedure {name} is not on the console's allow-list "
                        f"({', '.join(sorted(ALLOWED_PROCEDURES))})")
        elif kind in COMMAND_REASONS:
            return f"{COMMAND_REASONS[kind]}; it is not allowed in the console"
        elif kind not in ALLOWED_COMMANDS and (kind.startswith(("Show", "Terminate")) or kind.endswith("Command")):
            return f"the command {kind} is not on the console's allow-list ({', '.join(sorted(ALLOWED_COMMANDS))})"
    if summary.query_type == "s":
        return "schema changes, administration commands and DBMS procedures are not allowed in a read-only query"
    return None


def _close(text: str, start: int) -> int:
    """The index just after the bracket that closes the one opened at or after `start`."""
    depth = 0
    quote = None
    for i in range(start, len(text)):
        c = text[i]
        if quote:
            if c == quote:
                quote = None
            continue
        if c in "'\"`":
            quote = c
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                return i + 1
    return len(text)


def _range_size(args: list[str], parameters: dict[str, Any]) -> int | None:
    values = []
    for arg in args:
        arg = arg.strip()
        if arg.startswith("$"):
            value = parameters.get(arg[1:].strip("`{}"))
            if isinstance(value, bool) or not isinstance(value, int):
                return None
        elif _INTEGER.fullmatch(arg):
            value = int(arg)
        else:
            return None
        values.append(value)
    if len(values) not in (2, 3):
        return None
    start, end, step = (*values, 1) if len(values) == 2 else values
    if step == 0:
        return 0
    return max(0, (end - start) // step + 1)


def _split_arguments(inner: str) -> list[str]:
    args, depth, last = [], 0, 0
    for i, c in enumerate(inner):
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == "," and depth == 0:
            args.append(inner[last:i])
            last = i + 1
    args.append(inner[last:])
    return args


def expression_refusal(text: str, plan_details: str, parameters: dict[str, Any]) -> str | None:
    """Why analyst text holds work the server cannot stop at its time limit (None when not)."""
    for source in (text, plan_details):
        if _REDUCE.search(source):
            return ("reduce(...) is not allowed in the console: the server does not check the time limit "
                    "inside one expression, so it could run on past it; `UNWIND` the list and aggregate instead")
        starts = [m.start() for m in _ITERATION.finditer(source)]
        for start in starts:
            end = _close(source, start)
            if any(start < other < end for other in starts):
                return ("a list comprehension, quantifier or subquery inside another one is not allowed in the "
                        "console: the server does not check the time limit inside one expression; `UNWIND` the "
                        "outer list instead")
    total = 0
    found = list(_RANGE.finditer(text))
    for m in found:
        end = _close(text, m.end() - 1)
        if not _RANGE_AS_LIST.search(text[:m.start()]):
            return ("range(...) may only be the list of an `UNWIND` or of a list comprehension "
                    "(`UNWIND range(1, 10) AS x`, `[x IN range(1, 10) | x]`) in the console")
        size = _range_size(_split_arguments(text[m.end():end - 1]), parameters)
        if size is None:
            return "range(...) in the console takes whole-number literals or parameters as its bounds"
        total += size
    if total > MAX_RANGE_ELEMENTS:
        return (f"range(...) may make at most {MAX_RANGE_ELEMENTS:,} elements in all in the console "
                f"(this statement's make {total:,})")
    if not found and _RANGE.search(plan_details):
        return "range(...) in the console takes whole-number literals or parameters as its bounds"
    return None


def refusal(summary, text: str, parameters: dict[str, Any] | None = None, *, analyst: bool = True) -> str | None:
    """Why a statement (EXPLAINed as `summary`) may not run in the console, or None."""
    reason = plan_refusal(summary)
    if reason or not analyst:
        return reason
    plan_details = "\n".join(details(op) for op in operators(summary.plan))
    return expression_refusal(text, plan_details, parameters or {})
