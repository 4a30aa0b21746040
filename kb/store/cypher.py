"""Named Cypher queries: one file per query in cypher/, with a header the tools read.

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

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kb.settings import PROJECT_ROOT

CYPHER_DIR = PROJECT_ROOT / "cypher"

_PARAM = re.compile(r"^//\s*param\s+(\w+)\s*:\s*(\w+)\s*(?:=\s*(.*?))?\s*(?:--\s*(.*))?$")
_FIELD = re.compile(r"^//\s*(title|question|columns|note)\s*:\s*(.*)$")


class QueryError(ValueError):
    """A named query that does not exist, or a parameter it cannot take."""


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
            return raw
        try:
            if self.type == "int":
                return int(raw)
            if self.type == "float":
                return float(raw)
            if self.type == "bool":
                if raw.lower() not in {"true", "false", "1", "0", "yes", "no"}:
                    raise ValueError(raw)
                return raw.lower() in {"true", "1", "yes"}
            if self.type == "list":
                return [item.strip() for item in raw.split(",") if item.strip()]
        except ValueError:
            raise QueryError(f"parameter {self.name!r} must be {self.type}, got {raw!r}") from None
        return raw


@dataclass(frozen=True)
class NamedQuery:
    name: str
    path: Path
    text: str
    title: str = ""
    question: str = ""
    columns: tuple[str, ...] = ()
    parameters: tuple[Parameter, ...] = field(default_factory=tuple)

    def bind(self, given: dict[str, Any] | None = None) -> dict[str, Any]:
        """Defaults, overridden by `given` (converted to the declared types)."""
        given = dict(given or {})
        known = {p.name: p for p in self.parameters}
        unknown = sorted(set(given) - set(known))
        if unknown:
            raise QueryError(f"query {self.name!r} has no parameter(s) {', '.join(unknown)}; "
                             f"it takes: {', '.join(known) or 'none'}")
        return {name: p.convert(given[name]) if name in given else p.default for name, p in known.items()}


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
                      question=meta.get("question", ""), columns=columns, parameters=tuple(params))


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
