"""The Cypher registry: every statement the code runs is a file in cypher/, read here.

Two kinds of file:

- Named queries (cypher/*.cypher): the analyst's questions, run by `kb query` and the UI
  (list_queries, load_query; kb.store.named_queries.run_named runs one).
- Statements (cypher/<folder>/<name>.cypher): what kb/ itself runs (writer/, analysis/,
  admin/, schema/, ui/, bench/), read by relative name with statement("writer/ties")
  or, for a file of several `;`-separated statements, statements("schema/001-constraints").

No Python file outside this module holds Cypher (tests/test_cypher_registry.py checks it,
and that every file here is used).

Named queries carry a header the tools read

Header lines (comments, so the text runs unchanged in Neo4j Browser):

    // title: Transferable innovations
    // question: Which innovations elsewhere could transfer here?
    // param locality: str = knowsley -- the locality to transfer to
    // param limit: int = 25 -- rows returned
    // columns: innovation, name, score, reasons

Parameter types: str, int, float, bool, list (comma-separated on the command line).
A default of `null` means "not given". The UI builds a form from the params; the CLI
takes `--param key=value`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kb.resources import cypher_dir

CYPHER_DIR = cypher_dir()

_PARAM = re.compile(r"^//\s*param\s+(\w+)\s*:\s*(\w+)\s*(?:=\s*(.*?))?\s*(?:--\s*(.*))?$")
_STATEMENT_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*(?:/[a-z0-9][a-z0-9_-]*)*")
# Parameters that kb fills itself (kb.store.named_queries.run_named), not the user: not
# form fields and not `--param`s. A query declares them with a default that is right when
# they are not filled (in Neo4j Browser).
COMPUTED_PARAMETERS = frozenset({"stored"})
_FIELD = re.compile(r"^//\s*(title|question|columns|note|analysis)\s*:\s*(.*)$")


class QueryError(ValueError):
    """A named query that does not exist, or a parameter it cannot take."""


# Neo4j integers are 64-bit: a bigger Python int cannot be sent as a parameter.
INT_MIN, INT_MAX = -(2 ** 63), 2 ** 63 - 1


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: Any
    description: str = ""

    def convert(self, raw: Any) -> Any:
        if raw is None or (isinstance(raw, str) and raw.strip().lower() in {"", "null", "none"}):
            return None
        if not isinstance(raw, str):
            if self.type == "int" and isinstance(raw, int) and not isinstance(raw, bool):
                return self.in_range(raw, raw)
            return raw
        try:
            if self.type == "int":
                return self.in_range(int(raw), raw)
            if self.type == "float":
                return float(raw)
            if self.type == "bool":
                if raw.lower() not in {"true", "false", "1", "0", "yes", "no"}:
                    raise ValueError(raw)
                return raw.lower() in {"true", "1", "yes"}
            if self.type == "list":
                return [item.strip() for item in raw.split(",") if item.strip()]
        except QueryError:
            raise
        except ValueError:
            raise QueryError(f"parameter {self.name!r} must be {self.type}, got {raw!r}") from None
        return raw

    def in_range(self, value: int, raw: Any) -> int:
        """`value` when Neo4j can hold it (a 64-bit integer), else a QueryError naming the parameter."""
        if not INT_MIN <= value <= INT_MAX:
            raise QueryError(f"parameter {self.name!r} must be an integer between {INT_MIN} and {INT_MAX}, "
                             f"got {raw!r}")
        return value


@dataclass(frozen=True)
class NamedQuery:
    name: str
    path: Path
    text: str
    title: str = ""
    question: str = ""
    columns: tuple[str, ...] = ()
    parameters: tuple[Parameter, ...] = field(default_factory=tuple)
    # `// analysis: required` (answers only from the network's current analysis run) or
    # `optional` (reads the run's stored results when it can, else counts live); "" for neither.
    analysis: str = ""

    def bind(self, given: dict[str, Any] | None = None) -> dict[str, Any]:
        """Defaults, overridden by `given` (converted to the declared types)."""
        given = dict(given or {})
        known = {p.name: p for p in self.parameters}
        unknown = sorted(set(given) - set(known))
        if unknown:
            raise QueryError(f"query {self.name!r} has no parameter(s) {', '.join(unknown)}; "
                             f"it takes: {', '.join(known) or 'none'}")
        return {name: p.convert(given[name]) if name in given else p.default for name, p in known.items()}

    @property
    def user_parameters(self) -> tuple[Parameter, ...]:
        """The parameters a user sets (form fields, `--param`): all but the computed ones."""
        return tuple(p for p in self.parameters if p.name not in COMPUTED_PARAMETERS)


def parse_query(path: Path) -> NamedQuery:
    text = path.read_text()
    meta: dict[str, str] = {}
    params: list[Parameter] = []
    for line in text.splitlines():
        line = line.strip()
        if not line.startswith("//"):
            if line:
                break
            continue
        if m := _PARAM.match(line):
            name, typ, default, desc = m.groups()
            p = Parameter(name, typ, None, (desc or "").strip())
            params.append(Parameter(name, typ, p.convert(default) if default is not None else None,
                                    (desc or "").strip()))
        elif m := _FIELD.match(line):
            meta[m.group(1)] = m.group(2).strip()
    columns = tuple(c.strip() for c in meta.get("columns", "").split(",") if c.strip())
    return NamedQuery(name=path.stem, path=path, text=text, title=meta.get("title", path.stem),
                      question=meta.get("question", ""), columns=columns, parameters=tuple(params),
                      analysis=meta.get("analysis", "").split("--")[0].strip())


def list_queries(cypher_dir: Path = CYPHER_DIR) -> list[NamedQuery]:
    """Every named query (top-level *.cypher; schema/ and internal/ hold other statements)."""
    return [parse_query(p) for p in sorted(cypher_dir.glob("*.cypher"))]


def load_query(name: str, cypher_dir: Path = CYPHER_DIR) -> NamedQuery:
    path = cypher_dir / f"{name}.cypher"
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", name) or not path.is_file():
        available = ", ".join(q.name for q in list_queries(cypher_dir))
        raise QueryError(f"no named query {name!r}; available: {available}")
    return parse_query(path)


def split_statements(text: str) -> list[str]:
    """Split a .cypher file into statements at `;` line ends, dropping // comment lines."""
    body = "\n".join(line for line in text.splitlines() if not line.strip().startswith("//"))
    return [s.strip() for s in re.split(r";\s*(?:\n|$)", body) if s.strip()]


@functools.cache
def statement(name: str) -> str:
    """The text of cypher/<name>.cypher, e.g. statement("writer/ties"); read once per process.

    For the statements kb/ runs itself (not the named queries: load_query reads those).
    """
    path = CYPHER_DIR / f"{name}.cypher"
    if not _STATEMENT_NAME.fullmatch(name) or not path.is_file():
        raise QueryError(f"no Cypher statement {name!r}: expected the file {path}")
    return path.read_text()


@functools.cache
def statements(name: str) -> tuple[str, ...]:
    """The `;`-separated statements of cypher/<name>.cypher, comments dropped (schema files)."""
    return tuple(split_statements(statement(name)))


def statement_names(folder: str) -> list[str]:
    """The statements of one folder of cypher/, by relative name, in file-name order."""
    return [f"{folder}/{p.stem}" for p in sorted((CYPHER_DIR / folder).glob("*.cypher"))]
