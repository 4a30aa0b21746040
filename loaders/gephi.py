"""GraphML and GEXF (Gephi) networks: nodes become actors, edges become ties.

Node attributes read (by attribute title/name): `label` or `name`, `type` (person or
organisation; default person), `layer` (required), `org_type`, `role`, `locality`,
`source`, `section`, `synthetic`. Node ids become actor ids as lower-case slugs (`RP Alice` -> `rp_alice`); two
different node ids of one file that make the same actor id are refused, both named. Edge attributes: `network` (or `type`/`label`; else the
`--network` given to the loader, default `work`), `weight`, `date`, `round`. An undirected graph's
edges become ties in both directions.
XML is parsed with defusedxml: DTDs and entity expansion are refused.
"""

from __future__ import annotations

import re
from pathlib import Path

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from kb.model import LoadBatch, Origin
from loaders.files import UnreadableFile, read_bytes
from loaders.rows import make_record, shown

ORG_TYPES = {"organisation", "organization", "org"}


def slug(value: str) -> str:
    text = re.sub(r"[^a-z0-9_.\-]+", "_", str(value).strip().lower()).strip("_")
    return text or "_"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _parse(path: Path):
    data = read_bytes(path)
    try:
        return SafeET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise UnreadableFile(str(path), f"refused: {type(exc).__name__} (DTDs and entities are not allowed)") from None
    except SafeET.ParseError as exc:
        raise UnreadableFile(str(path), f"is not well-formed XML: {exc}", row=getattr(exc, "position", (None,))[0]) from None


class ActorIds:
    """The actor ids a file's node ids become; two different node ids that make the same
    actor id (RP_Alice and rp_alice) are refused, both named, never merged into one actor."""

    def __init__(self, batch: LoadBatch):
        self.batch = batch
        self.first: dict[str, tuple[str, Origin]] = {}

    def add(self, node_id: str, where: Origin, column: str = "id") -> str:
        actor = slug(node_id)
        original, at = self.first.setdefault(actor, (node_id, where))
        if original != node_id:
            self.batch.problem(where.file, where.row, column,
                               f"{shown(node_id)} and {shown(original)} (at {at.at()}) both become actor id "
                               f"{actor!r}: rename one (ids are compared in lower case, other characters as '_')")
        return actor


def _add_actor(attrs: dict, node_id: str, where: Origin, batch: LoadBatch) -> None:
    kind = str(attrs.get("type", "person")).strip().lower()
    entity = "organisations" if kind in ORG_TYPES else "people"
    row = {"id": slug(node_id), "name": attrs.get("label") or attrs.get("name") or node_id,
           "layer": attrs.get("layer"), "locality": attrs.get("locality"),
           "source": attrs.get("source"), "section": attrs.get("section"), "synthetic": attrs.get("synthetic")}
    if entity == "organisations":
        row["org_type"] = attrs.get("org_type")
    else:
        row["role"] = attrs.get("role")
    make_record(entity, row, where, batch)


def _add_ties(attrs: dict, source: str, target: str, directed: bool, default_network: str,
              where: Origin, batch: LoadBatch) -> None:
    network = attrs.get("network") or attrs.get("type") or attrs.get("label") or default_network
    for a, b in ((source, target), (target, source)) if not directed else ((source, target),):
        make_record("ties", {"from": slug(a), "to": slug(b), "network": str(network).strip().lower(),
                             "weight": attrs.get("weight"), "date": attrs.get("date"),
                             "round": attrs.get("round"),
                             "source": attrs.get("source"), "section": attrs.get("section"),
                             "synthetic": attrs.get("synthetic")}, where, batch)


def _node(attrs: dict, node_id: str | None, where: Origin, ids: ActorIds, batch: LoadBatch) -> None:
    if node_id is None or not node_id.strip():
        batch.problem(where.file, where.row, "id", "a node without an id")
        return
    ids.add(node_id, where)
    _add_actor(attrs, node_id, where, batch)


def _edge(attrs: dict, edge, directed: bool, default_network: str, where: Origin, batch: LoadBatch) -> None:
    ends = (edge.get("source"), edge.get("target"))
    for name, end in zip(("source", "target"), ends):
        if end is None or not end.strip():
            batch.problem(where.file, where.row, name, f"an edge without a {name}")
            return
    _add_ties(attrs, *ends, directed, default_network, where, batch)


def read_graphml(path: Path, batch: LoadBatch, default_network: str = "work") -> None:
    root = _parse(path)
    file = str(path)
    keys = {}
    for key in root.iter():
        if _local(key.tag) == "key":
            keys[key.get("id")] = (key.get("attr.name") or key.get("id")).strip().lower()
    graph = next((g for g in root.iter() if _local(g.tag) == "graph"), None)
    if graph is None:
        batch.problem(file, None, None, "no <graph> element")
        return
    directed = graph.get("edgedefault", "directed") == "directed"
    ids = ActorIds(batch)
    for n, node in enumerate((e for e in graph if _local(e.tag) == "node"), start=1):
        attrs = {keys.get(d.get("key"), d.get("key")): (d.text or "") for d in node if _local(d.tag) == "data"}
        _node(attrs, node.get("id"), Origin(file, f"node {n} ({str(node.get('id'))[:40]})"), ids, batch)
    for n, edge in enumerate((e for e in graph if _local(e.tag) == "edge"), start=1):
        attrs = {keys.get(d.get("key"), d.get("key")): (d.text or "") for d in edge if _local(d.tag) == "data"}
        edge_directed = {"true": True, "false": False}.get(str(edge.get("directed")).lower(), directed)
        _edge(attrs, edge, edge_directed, default_network, Origin(file, f"edge {n}"), batch)


def read_gexf(path: Path, batch: LoadBatch, default_network: str = "work") -> None:
    root = _parse(path)
    file = str(path)
    graph = next((g for g in root.iter() if _local(g.tag) == "graph"), None)
    if graph is None:
        batch.problem(file, None, None, "no <graph> element")
        return
    titles = {}
    for attributes in (e for e in graph if _local(e.tag) == "attributes"):
        for att in attributes:
            titles[(attributes.get("class"), att.get("id"))] = (att.get("title") or att.get("id")).strip().lower()
    directed = graph.get("defaultedgetype", "undirected") == "directed"

    def values(element, cls):
        attrs = {}
        for container in (e for e in element if _local(e.tag) == "attvalues"):
            for av in container:
                attrs[titles.get((cls, av.get("for")), av.get("for"))] = av.get("value", "")
        return attrs

    nodes = next((e for e in graph if _local(e.tag) == "nodes"), [])
    ids = ActorIds(batch)
    for n, node in enumerate(nodes, start=1):
        attrs = values(node, "node")
        attrs.setdefault("label", node.get("label"))
        _node(attrs, node.get("id"), Origin(file, f"node {n} ({str(node.get('id'))[:40]})"), ids, batch)
    edges = next((e for e in graph if _local(e.tag) == "edges"), [])
    for n, edge in enumerate(edges, start=1):
        attrs = values(edge, "edge")
        if edge.get("weight") is not None:
            attrs.setdefault("weight", edge.get("weight"))
        if edge.get("label"):
            attrs.setdefault("label", edge.get("label"))
        kind = edge.get("type")
        _edge(attrs, edge, directed if kind is None else kind == "directed", default_network,
              Origin(file, f"edge {n}"), batch)
