"""Network pictures with pyvis (vis-network), embedded in the page.

The vis-network library is inlined (no CDN), so pictures draw offline too. Physics lays
the graph out and is switched off once it has stabilised, so the picture stays still.
Labels and tooltips are data, passed as JSON (jinja's tojson escapes them) and shown
by vis-network as plain text.
"""

from __future__ import annotations

import html as _html
import math
import re
from dataclasses import dataclass, field
from typing import Any, Iterable

import streamlit as st
from neo4j.graph import Node, Path, Relationship
from pyvis.network import Network

LAYER_COLOURS = {
    "national": "#4e79a7",
    "local_authority": "#f28e2b",
    "sectoral": "#59a14f",
    "frontline": "#e15759",
    "community": "#b07aa1",
}
OTHER_COLOUR = "#9c9c9c"
ROLE_SHAPES = {"hub": "star", "gatekeeper": "diamond", "pulsetaker": "triangle"}
KIND_COLOURS = {"locality": "#76b7b2", "problem": "#edc948", "innovation": "#ff9da7", "source": "#bab0ac"}
_FREEZE = """
                  // Physics lays the graph out, then stops: the picture stays still.
                  function kbFreeze() { network.setOptions({physics: {enabled: false}}); }
                  network.once("stabilizationIterationsDone", kbFreeze);
                  network.once("stabilized", kbFreeze);
                  return network;
"""
_CDN = re.compile(r'<link\s+href="https://cdn\.jsdelivr\.net[^>]*/>|<script\s+src="https://cdn\.jsdelivr\.net[^>]*>\s*</script>',
                  re.S)
_EMPTY_HEADING = re.compile(r"<center>\s*<h1>\s*</h1>\s*</center>")


def layer_colour(layer: str | None) -> str:
    return LAYER_COLOURS.get(layer or "", OTHER_COLOUR)


def _text(value: Any, limit: int = 400) -> str:
    text = "" if value is None else str(value)
    # pyvis switches to an HTML tooltip when a title contains "href": never let it.
    text = text.replace("href", "hre\u200bf")
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class Picture:
    """Nodes and edges to draw; ids are strings."""

    nodes: dict[str, dict] = field(default_factory=dict)
    edges: list[dict] = field(default_factory=list)

    def node(self, id: str, label: Any, *, title: Any = "", colour: str = OTHER_COLOUR, shape: str = "dot",
             size: float = 14, border: str | None = None) -> None:
        if id in self.nodes:
            return
        self.nodes[id] = {"label": _text(label, 60), "title": _text(title or label), "color": colour,
                          "shape": shape, "size": size, "border": border}

    def edge(self, source: str, target: str, *, title: Any = "", width: float = 1.0, arrows: bool = True,
             dashes: bool = False, colour: str = "#8a8a8a") -> None:
        self.edges.append({"source": source, "target": target, "title": _text(title), "width": width,
                           "arrows": arrows, "dashes": dashes, "colour": colour})

    def __len__(self) -> int:
        return len(self.nodes)


def to_html(picture: Picture, height: int = 600, physics: bool = True) -> str:
    net = Network(height=f"{height}px", width="100%", directed=True, cdn_resources="in_line", bgcolor="#ffffff")
    for id, n in picture.nodes.items():
        colour = n["color"] if not n["border"] else {"background": n["color"], "border": n["border"]}
        net.add_node(id, label=n["label"], title=n["title"], color=colour, shape=n["shape"], size=n["size"],
                     borderWidth=3 if n["border"] else 1)
    for e in picture.edges:
        if e["source"] in picture.nodes and e["target"] in picture.nodes:
            net.add_edge(e["source"], e["target"], title=e["title"], width=e["width"], dashes=e["dashes"],
                         arrows="to" if e["arrows"] else "", color=e["colour"])
    net.set_options("""{
      "physics": {"enabled": %s, "solver": "forceAtlas2Based",
                  "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 110, "avoidOverlap": 0.4},
                  "stabilization": {"enabled": true, "iterations": 400, "fit": true}},
      "interaction": {"hover": true, "tooltipDelay": 120, "navigationButtons": false, "multiselect": true},
      "nodes": {"font": {"size": 13, "face": "sans-serif"}},
      "edges": {"smooth": {"type": "continuous"}, "arrows": {"to": {"scaleFactor": 0.5}}}
    }""" % ("true" if physics else "false"))
    page = net.generate_html()
    page = _CDN.sub("", page)
    page = _EMPTY_HEADING.sub("", page)
    page = page.replace("                  return network;", _FREEZE, 1)
    return page


def show(picture: Picture, height: int = 600, alt: str = "Network picture") -> None:
    """Draw the picture in the page (an iframe holding the vis-network canvas)."""
    if not picture.nodes:
        st.caption("Nothing to draw.")
        return
    st.iframe(to_html(picture, height), height=height + 12, alt=alt)


def legend(layers: dict[str, str] | None = None, roles: bool = True, extra: dict[str, str] | None = None) -> None:
    parts = []
    for layer, name in (layers or {k: k for k in LAYER_COLOURS}).items():
        parts.append(f'<span style="color:{layer_colour(layer)}">&#9679;</span> {_html.escape(str(name))}')
    for name, colour in (extra or {}).items():
        parts.append(f'<span style="color:{colour}">&#9632;</span> {_html.escape(name)}')
    if roles:
        parts.append("&#9733; hub &nbsp; &#9670; gatekeeper &nbsp; &#9650; pulsetaker")
    st.html('<div style="font-size:0.85rem;line-height:1.6">' + " &nbsp;&nbsp; ".join(parts) + "</div>")


def scale(values: Iterable[float], lo: float = 10, hi: float = 42):
    """A size function mapping the range of values to [lo, hi] (square root, so areas compare)."""
    values = [max(0.0, float(v or 0)) for v in values]
    top = max(values, default=0.0)

    def size(v: float | None) -> float:
        if not top:
            return (lo + hi) / 3
        return lo + (hi - lo) * math.sqrt(max(0.0, float(v or 0)) / top)

    return size


# -- graphs inside query results (the Cypher console) -------------------------------------
def _node_label(node: Node) -> str:
    for key in ("name", "title", "id"):
        if node.get(key) is not None:
            return str(node.get(key))
    return ":".join(sorted(node.labels)) or node.element_id


def _node_colour(node: Node) -> str:
    if node.get("layer"):
        return layer_colour(node.get("layer"))
    for label in node.labels:
        if label.lower() in KIND_COLOURS:
            return KIND_COLOURS[label.lower()]
    if "CaseStudy" in node.labels:
        return KIND_COLOURS["source"]
    return OTHER_COLOUR


def _walk(value: Any, nodes: dict, rels: dict) -> None:
    if isinstance(value, Node):
        nodes.setdefault(value.element_id, value)
    elif isinstance(value, Relationship):
        rels.setdefault(value.element_id, value)
        for end in (value.start_node, value.end_node):
            if end is not None:
                nodes.setdefault(end.element_id, end)
    elif isinstance(value, Path):
        for n in value.nodes:
            nodes.setdefault(n.element_id, n)
        for r in value.relationships:
            rels.setdefault(r.element_id, r)
    elif isinstance(value, dict):
        for v in value.values():
            _walk(v, nodes, rels)
    elif isinstance(value, (list, tuple)):
        for v in value:
            _walk(v, nodes, rels)


def picture_from_rows(rows: list[dict], cap: int = 300) -> tuple[Picture, int]:
    """The nodes and relationships held in result rows (at most `cap` nodes), and how many
    nodes there were in all."""
    nodes: dict = {}
    rels: dict = {}
    for row in rows:
        _walk(list(row.values()), nodes, rels)
    picture = Picture()
    for element_id, node in list(nodes.items())[:cap]:
        props = "\n".join(f"{k}: {_text(v, 80)}" for k, v in sorted(node.items())
                          if k not in ("content_hash", "load_id", "source_file", "source_row", "loaded_at"))
        picture.node(element_id, _node_label(node), title=f":{':'.join(sorted(node.labels))}\n{props}",
                     colour=_node_colour(node), size=14)
    for rel in rels.values():
        if rel.start_node is None or rel.end_node is None:
            continue
        props = ", ".join(f"{k}: {v}" for k, v in sorted(rel.items()) if k not in ("content_hash", "load_id"))
        picture.edge(rel.start_node.element_id, rel.end_node.element_id,
                     title=f"{rel.type} {props}".strip(), width=1.0)
    return picture, len(nodes)
