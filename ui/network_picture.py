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

import pandas as pd
import streamlit as st
from neo4j.graph import Node, Path, Relationship
from jinja2 import Environment, FileSystemLoader
from pyvis.network import Network

LAYER_COLOURS = {
    "national": "#4e79a7",
    "local_authority": "#f28e2b",
    "sectoral": "#59a14f",
    "frontline": "#e15759",
    "community": "#b07aa1",
}
OTHER_COLOUR = "#9c9c9c"
BAND_GAP = 170       # vertical distance between the bands of a picture grouped by layer
BAND_LABEL_X = 900   # where the bands' names stand, left of the middle
ROLE_SHAPES = {"hub": "star", "gatekeeper": "diamond", "pulsetaker": "triangle"}
KIND_COLOURS = {"locality": "#76b7b2", "problem": "#edc948", "innovation": "#ff9da7", "source": "#bab0ac"}
_FREEZE = """
                  // Physics lays the graph out, then stops: the picture stays still.
                  function kbFreeze() { network.setOptions({physics: {enabled: false}}); }
                  network.once("stabilizationIterationsDone", kbFreeze);
                  network.once("stabilized", kbFreeze);
                  return network;
"""
# Save the picture: PNG from the canvas (white background), SVG rebuilt from the laid-out
# positions (nodes as circles, ties as lines with arrowheads, dashes kept, labels as text).
_EXPORT = """
<div id="kb-export" style="position:absolute;top:4px;right:4px;z-index:10;font:12px sans-serif">
  <a id="kb-save-png" href="#" download="network.png" style="margin-left:6px">Save PNG</a>
  <a id="kb-save-svg" href="#" download="network.svg" style="margin-left:6px">Save SVG</a>
</div>
<script type="text/javascript">
function kbEsc(t) { return String(t == null ? "" : t).replace(/[&<>"]/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c])); }
function kbExportButtons(network) {
  document.getElementById("kb-save-png").addEventListener("click", function (ev) {
    const src = document.querySelector("#mynetwork canvas");
    const c = document.createElement("canvas"); c.width = src.width; c.height = src.height;
    const g = c.getContext("2d"); g.fillStyle = "#ffffff"; g.fillRect(0, 0, c.width, c.height); g.drawImage(src, 0, 0);
    this.href = c.toDataURL("image/png");
  });
  document.getElementById("kb-save-svg").addEventListener("click", function (ev) {
    const pos = network.getPositions(); const ids = Object.keys(pos);
    if (!ids.length) { return; }
    const xs = ids.map(i => pos[i].x), ys = ids.map(i => pos[i].y);
    const x0 = Math.min(...xs) - 80, y0 = Math.min(...ys) - 60;
    const w = Math.max(...xs) - x0 + 80, h = Math.max(...ys) - y0 + 60;
    const out = [`<svg xmlns="http://www.w3.org/2000/svg" viewBox="${x0} ${y0} ${w} ${h}" width="${w}" height="${h}" font-family="sans-serif" font-size="12">`,
      '<defs><marker id="a" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#555"/></marker></defs>',
      `<rect x="${x0}" y="${y0}" width="${w}" height="${h}" fill="#ffffff"/>`];
    edges.get().forEach(function (e) {
      const a = pos[e.from], b = pos[e.to]; if (!a || !b) { return; }
      const col = (e.color && (e.color.color || e.color)) || "#8a8a8a";
      out.push(`<line x1="${a.x}" y1="${a.y}" x2="${b.x}" y2="${b.y}" stroke="${kbEsc(col)}" stroke-width="${e.width || 1}"` +
               (e.dashes ? ' stroke-dasharray="6 4"' : "") + (e.arrows ? ' marker-end="url(#a)"' : "") + `><title>${kbEsc(e.title)}</title></line>`);
    });
    nodes.get().forEach(function (n) {
      const p = pos[n.id]; if (!p) { return; }
      if (n.shape === "text") { out.push(`<text x="${p.x}" y="${p.y}" text-anchor="middle" font-size="16" fill="#555">${kbEsc(n.label)}</text>`); return; }
      const col = (n.color && (n.color.background || n.color)) || "#9c9c9c";
      const dashed = n.shapeProperties && n.shapeProperties.borderDashes;
      out.push(`<circle cx="${p.x}" cy="${p.y}" r="${Math.max(4, (n.size || 14) / 2)}" fill="${kbEsc(col)}" stroke="#222"` +
               (dashed ? ' stroke-dasharray="3 2"' : "") + `><title>${kbEsc(n.title)}</title></circle>`);
      if (n.label) { out.push(`<text x="${p.x}" y="${p.y + (n.size || 14) / 2 + 12}" text-anchor="middle">${kbEsc(n.label)}</text>`); }
    });
    out.push("</svg>");
    this.href = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(out.join("\\n"));
  });
}
if (window.network) { kbExportButtons(network); }  // drawn above, before this script
</script>
"""
_CDN = re.compile(r'<link\s+href="https://cdn\.jsdelivr\.net[^>]*/>|<script\s+src="https://cdn\.jsdelivr\.net[^>]*>\s*</script>',
                  re.S)
_EMPTY_HEADING = re.compile(r"<center>\s*<h1>\s*</h1>\s*</center>")


def layer_colour(layer: str | None) -> str:
    return LAYER_COLOURS.get(layer or "", OTHER_COLOUR)


def layer_matrix(blocks: pd.DataFrame, measure: str, order: list[str]) -> pd.DataFrame:
    """One measure of the layer blocks (rows with from_layer, to_layer) as a from × to
    matrix: the layers present, in `order`, with plain names (the Layers and Change heatmaps)."""
    present = [x for x in order if x in set(blocks["from_layer"]) | set(blocks["to_layer"])]
    matrix = blocks.pivot_table(index="from_layer", columns="to_layer", values=measure, aggfunc="first", dropna=False)
    matrix = matrix.reindex(index=present, columns=present).astype(float)
    matrix.index = [x.replace("_", " ") for x in matrix.index]
    matrix.columns = [x.replace("_", " ") for x in matrix.columns]
    matrix.index.name = "from \\ to"
    return matrix


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
    bands: dict[int, str] = field(default_factory=dict)  # band number -> its label (grouped pictures)

    def node(self, id: str, label: Any, *, title: Any = "", colour: str = OTHER_COLOUR, shape: str = "dot",
             size: float = 14, border: str | None = None, synthetic: bool = False, band: int | None = None) -> None:
        """A node; a synthetic one gets a dashed outline and says so in its tooltip. With a
        `band`, the node is held in that horizontal band (band 0 at the top; name the bands
        in `bands`), free to move sideways only."""
        if id in self.nodes:
            return
        title = _text(title or label)
        if synthetic:
            title += "\n⚗ synthetic: illustrative, not a fact from a source"
        self.nodes[id] = {"label": _text(label, 60), "title": title, "color": colour,
                          "shape": shape, "size": size, "border": border or ("#333333" if synthetic else None),
                          "synthetic": synthetic, "band": band}

    def edge(self, source: str, target: str, *, title: Any = "", width: float = 1.0, arrows: bool = True,
             dashes: bool = False, colour: str = "#8a8a8a", synthetic: bool = False) -> None:
        """An edge; a synthetic one is dashed and says so in its tooltip."""
        title = _text(title) + ("\n⚗ synthetic: an invented tie, not a fact from a source" if synthetic else "")
        self.edges.append({"source": source, "target": target, "title": title, "width": width,
                           "arrows": arrows, "dashes": dashes or synthetic, "colour": colour})

    def __len__(self) -> int:
        return len(self.nodes)


def _template_env(template_dir: str) -> Environment:
    """One jinja environment for every picture, its template compiled once per process (here, at
    import: ui/serve.py imports this module before serving). pyvis makes a new environment per
    Network, which compiled its template again for every picture: 0.2-0.4 s on each draw."""
    env = _TEMPLATES.get(template_dir)
    if env is None:
        env = _TEMPLATES[template_dir] = Environment(loader=FileSystemLoader(template_dir), auto_reload=False)
        env.get_template("template.html")
    return env


_TEMPLATES: dict[str, Environment] = {}


def to_html(picture: Picture, height: int = 600, physics: bool = True, labels: int = 60) -> str:
    """The picture as a page. Beyond `labels` nodes only the largest `labels` carry a
    label; every other shows its name on hover. The layout is seeded: the same picture
    every time."""
    labelled = set(sorted(picture.nodes, key=lambda i: -picture.nodes[i]["size"])[:labels])
    net = Network(height=f"{height}px", width="100%", directed=True, cdn_resources="in_line", bgcolor="#ffffff")
    net.templateEnv = _template_env(net.template_dir)
    for id, n in picture.nodes.items():
        colour = n["color"] if not n["border"] else {"background": n["color"], "border": n["border"]}
        extra = {"shapeProperties": {"borderDashes": [4, 3]}} if n.get("synthetic") else {}
        if n.get("band") is not None:  # held in its band: physics moves it sideways only
            extra.update(y=n["band"] * BAND_GAP, fixed={"x": False, "y": True})
        net.add_node(id, label=n["label"] if id in labelled else " ", title=n["title"], color=colour, shape=n["shape"],
                     size=n["size"], borderWidth=3 if n["border"] else 1, **extra)
    for band, name in picture.bands.items():  # each band's name at its left end
        net.add_node(f"__band_{band}", label=name, shape="text", x=-BAND_LABEL_X, y=band * BAND_GAP,
                     fixed={"x": True, "y": True}, physics=False, font={"size": 16, "color": "#555555"},
                     title=f"Band: {name}")
    for e in picture.edges:
        if e["source"] in picture.nodes and e["target"] in picture.nodes:
            net.add_edge(e["source"], e["target"], title=e["title"], width=e["width"], dashes=e["dashes"],
                         arrows="to" if e["arrows"] else "", color=e["colour"])
    net.set_options("""{
      "layout": {"randomSeed": 2008, "improvedLayout": true},
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
    page = page.replace("</body>", _EXPORT + "</body>", 1)
    return page


def show(picture: Picture, height: int = 600, alt: str = "Network picture") -> None:
    """Draw the picture in the page (an iframe holding the vis-network canvas)."""
    if not picture.nodes:
        st.caption("Nothing to draw.")
        return
    st.iframe(to_html(picture, height), height=height + 12, alt=alt)


def legend(layers: dict[str, str] | None = None, roles: bool = True, extra: dict[str, str] | None = None, *,
           size: str | None = None, arrows: str | None = "from the actor who names a tie to the one named",
           width: str | None = None, ring: str | None = None, synthetic: bool = True,
           bands: str | None = None) -> None:
    """What every mark of a picture means: colour, shape, size, arrows, width, the ring and
    the dashed lines of synthetic data."""
    parts = []
    for layer, name in (layers or {k: k for k in LAYER_COLOURS}).items():
        parts.append(f'<span style="color:{layer_colour(layer)}">&#9679;</span> {_html.escape(str(name))}')
    for name, colour in (extra or {}).items():
        parts.append(f'<span style="color:{colour}">&#9632;</span> {_html.escape(name)}')
    if roles:
        parts.append("shape: &#9733; hub &nbsp; &#9670; gatekeeper &nbsp; &#9650; pulsetaker &nbsp; &#9679; no role")
    for mark, text in (("size", size), ("arrows", arrows), ("line width", width), ("dark ring", ring),
                       ("bands", bands)):
        if text:
            parts.append(f"<b>{mark}</b>: {_html.escape(text)}")
    if synthetic:
        parts.append("<b>- - - dashed</b> line or outline: ⚗ synthetic (illustrative, invented; not from a source)")
    parts.append("Labels: the largest nodes; hover any node for its name. <b>Save PNG / Save SVG</b>: top right "
                 "of the picture.")
    st.html('<div class="kb-legend" style="font-size:0.85rem;line-height:1.6">' + " &nbsp;&nbsp; ".join(parts)
            + "</div>")


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


_template_env(Network(cdn_resources="in_line").template_dir)  # compiled now, not in the first picture
