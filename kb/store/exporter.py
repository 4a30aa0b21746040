"""Writing the knowledge base back out: the CSV tables of docs/casebase-format.md, and the
actor network as GraphML for Gephi.

`kb export DIR` writes one CSV per table (sources, problems, localities, case_studies,
organisations, people, funding, innovations, elements, preconditions, adoptions, ties, layer_links) with exactly the
canonical columns, in their documented order, taken from the properties the writer stored
(cypher/writer/*.cypher keep each row's values as properties; the writer's own bookkeeping
properties content_hash, source_file, source_row, load_id and loaded_at are not columns and
are left out). Lists are joined by ';', booleans written true/false, and the files load
back with `kb load DIR` to the same graph.

Spreadsheet formula injection: a *text* cell (a column of type str or list) that starts
with =, +, -, @, tab or CR would run as a formula when the CSV is opened in Excel,
LibreOffice or Google Sheets. Such a cell is written with one leading single quote
("'=cmd|..."), which spreadsheets show as text. A text cell that already starts with quotes
before one of those characters gets one more quote. The loader strips exactly one such
quote when it reads str and list cells (loaders.rows.unescape_formula), so the round trip
is exact. Numeric, year, date and boolean columns are never quoted: a weight or a year is
written as the number it is (a quote would make it text and break the round trip).

`network.graphml` holds the actors (nodes, with label, type person/organisation, layer,
org_type, role, locality) and their ties (directed edges, one per network type, with
network, weight (1 when the tie has none), date and round) for Gephi. It repeats what the CSVs
say about actors and ties with fewer columns, so `kb load` either the CSVs (`DIR/*.csv`) or
the GraphML (with the localities its actors name), not the whole folder: the two versions
of each actor would be refused as conflicting.

Everything is read with parameterised Cypher in READ transactions (KnowledgeBase.read).
"""

from __future__ import annotations

import csv
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kb.store.connection import KnowledgeBase
from kb.store.cypher import statement
from kb.model import ENTITIES, LIST_SEPARATOR, WRITE_ORDER
from loaders.rows import FORMULA_START

GRAPHML_FILE = "network.graphml"
TEXT_TYPES = ("str", "list")

# One read per table (cypher/export/). Nodes carry their row as properties; for
# relationships the ids of the endpoints are authoritative and override the copies kept as
# properties.
_NODE_TABLES = {"sources": "Source", "problems": "Problem", "localities": "Locality",
                "case_studies": "CaseStudy", "organisations": "Organisation", "people": "Person",
                "funding": "FundingInstrument", "innovations": "Innovation", "layer_links": "LayerLink",
                "elements": "Element", "preconditions": "Precondition"}
# Table -> (statement, parameters).
TABLE_QUERIES: dict[str, tuple[str, dict]] = {
    **{name: ("export/table-nodes", {"label": label}) for name, label in _NODE_TABLES.items()},
    "adoptions": ("export/table-adoptions", {}),
    "ties": ("export/table-ties", {}),
}

# Characters XML 1.0 cannot hold at all (GraphML is XML).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass
class ExportResult:
    out_dir: Path
    counts: dict[str, int] = field(default_factory=dict)  # file name -> rows (graphml: nodes)
    graph_edges: int = 0
    seconds: float = 0.0


def neutralise(text: str) -> str:
    """Prefix a text cell a spreadsheet would run as a formula with one single quote."""
    return "'" + text if FORMULA_START.match(text) else text


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def cell(value: Any, typ: str) -> str:
    """One CSV cell for a value of a column of type `typ` (kb.model.Column.type)."""
    if value is None:
        return ""
    if typ == "list":
        items = value if isinstance(value, (list, tuple)) else [value]
        return neutralise(LIST_SEPARATOR.join(str(v) for v in items))
    if typ == "bool":
        return ("true" if value else "false") if isinstance(value, bool) else str(value)
    if typ in ("int", "float", "year"):
        return _number(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)
    if typ in TEXT_TYPES:
        return neutralise(str(value))
    return str(value)  # date: YYYY, YYYY-MM or YYYY-MM-DD as stored


def table_rows(kb: KnowledgeBase, name: str) -> list[list[str]]:
    """The rows of one table, as CSV cells in the canonical column order."""
    entity = ENTITIES[name]
    rows = []
    name_of_statement, parameters = TABLE_QUERIES[name]
    for record in kb.read(statement(name_of_statement), parameters):
        values = {**record["props"], **record["ends"]}
        rows.append([cell(values.get(column.name), column.type) for column in entity.columns])
    return rows


def _write_atomically(path: Path, write) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_csv(path: Path, header: tuple[str, ...], rows: list[list[str]]) -> None:
    def write(target: Path) -> None:
        with open(target, "w", newline="", encoding="utf-8") as handle:
            out = csv.writer(handle, lineterminator="\n")
            out.writerow(header)
            out.writerows(rows)

    _write_atomically(path, write)


def _xml_text(value: Any) -> str:
    return _XML_INVALID.sub("", str(value))


def network_graph(kb: KnowledgeBase):
    """The actors and their ties as a networkx MultiDiGraph (one edge per network type)."""
    import networkx as nx

    graph = nx.MultiDiGraph()
    for row in kb.read(statement("export/graph-actors")):
        props = row["props"]
        attrs = {"label": props.get("name") or row["id"], "type": "organisation" if row["is_org"] else "person",
                 "layer": props.get("layer"), "org_type": props.get("org_type"), "role": props.get("role"),
                 "locality": props.get("locality")}
        graph.add_node(row["id"], **{k: _xml_text(v) for k, v in attrs.items() if v is not None})
    for n, row in enumerate(kb.read(statement("export/graph-ties"))):
        props = row["props"]
        weight = props.get("weight")
        attrs = {"network": _xml_text(props.get("network")),
                 "weight": float(weight) if isinstance(weight, (int, float)) else 1.0}
        if props.get("date") is not None:
            attrs["date"] = _xml_text(props["date"])
        if props.get("round") is not None:
            attrs["round"] = _xml_text(props["round"])
        graph.add_edge(row["source"], row["target"], key=f"e{n}", **attrs)
    return graph


def write_graphml(kb: KnowledgeBase, path: Path):
    import networkx as nx

    graph = network_graph(kb)
    _write_atomically(path, lambda target: nx.write_graphml(graph, target, encoding="utf-8"))
    return graph


def export_kb(kb: KnowledgeBase, out_dir: Path | str, graphml: bool = True) -> ExportResult:
    """Write every table as CSV (and network.graphml) into `out_dir`, replacing same-named files."""
    started = time.monotonic()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    result = ExportResult(out)
    for name in WRITE_ORDER:
        rows = table_rows(kb, name)
        write_csv(out / f"{name}.csv", ENTITIES[name].column_names, rows)
        result.counts[f"{name}.csv"] = len(rows)
    if graphml:
        graph = write_graphml(kb, out / GRAPHML_FILE)
        result.counts[GRAPHML_FILE] = graph.number_of_nodes()
        result.graph_edges = graph.number_of_edges()
    result.seconds = time.monotonic() - started
    return result
