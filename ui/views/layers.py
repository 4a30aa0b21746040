"""Layers: how dense the ties within and between the layers are (named query
`layer-links` as a heatmap), which links are thin or fragile (`weak-layer-links`), what
breaks if the top brokers leave (`fragility`), and what the case studies say."""

import pandas as pd
import streamlit as st

from ui import common as ui
from ui import glossary, network_picture, provenance

MEASURES = {"density": "density", "relative_density": "density relative to the whole network",
            "ties": "ties", "carriers": "actors carrying the ties"}


def shade(value, top: float) -> str:
    """White to dark blue; empty cells grey."""
    if value is None or pd.isna(value):
        return "background-color: #f3f3f3; color: #9a9a9a"
    t = 0.0 if not top else max(0.0, min(1.0, float(value) / top))
    r, g, b = (int(round(a + (z - a) * t)) for a, z in ((247, 8), (251, 48), (255, 107)))
    return f"background-color: rgb({r},{g},{b}); color: {'#ffffff' if t > 0.5 else '#111111'}"


def heatmap(rows: list[dict], measure: str, order: list[str], names: dict[str, str]):
    """The matrix of one measure, shaded; cells counting synthetic ties get a dashed outline."""
    matrix = network_picture.layer_matrix(pd.DataFrame(rows), measure, order)
    top = float(matrix.max().max()) if matrix.notna().any().any() else 0.0
    digits = 0 if measure in ("ties", "carriers") else 3
    flagged = {(r["from_layer"].replace("_", " "), r["to_layer"].replace("_", " ")) for r in rows if r.get("synthetic")}
    outline = pd.DataFrame([["border: 2px dashed #333333" if (i, c) in flagged else "" for c in matrix.columns]
                            for i in matrix.index], index=matrix.index, columns=matrix.columns)
    return (matrix.style.map(lambda v: shade(v, top)).apply(lambda _: outline, axis=None)
            .format(precision=digits, na_rep="–"))


def heatmap_svg(styler, rows: list[dict], title: str) -> str:
    """The heatmap as an SVG picture (cells shaded as on the page, dashed when synthetic)."""
    from html import escape

    matrix, cell, left, top = styler.data, 90, 130, 60
    most = float(matrix.max().max()) if matrix.notna().any().any() else 0.0
    flagged = {(r["from_layer"].replace("_", " "), r["to_layer"].replace("_", " ")) for r in rows if r.get("synthetic")}
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + cell * len(matrix.columns) + 10}" '
           f'height="{top + cell // 2 * len(matrix.index) + 30}" font-family="sans-serif" font-size="12">',
           f'<text x="4" y="16" font-weight="bold">{escape(title)}</text>']
    for j, c in enumerate(matrix.columns):
        out.append(f'<text x="{left + j * cell + cell / 2}" y="{top - 8}" text-anchor="middle">{escape(str(c))}</text>')
    for i, row in enumerate(matrix.index):
        y = top + i * cell // 2
        out.append(f'<text x="{left - 6}" y="{y + cell / 4 + 4}" text-anchor="end">{escape(str(row))}</text>')
        for j, c in enumerate(matrix.columns):
            value = matrix.iat[i, j]
            style = dict(x.split(": ") for x in shade(value, most).split("; "))
            fill = style.get("background-color", "#ffffff")
            dash = ' stroke-dasharray="5 3" stroke-width="2"' if (row, c) in flagged else ""
            out.append(f'<rect x="{left + j * cell}" y="{y}" width="{cell}" height="{cell // 2}" fill="{fill}" '
                       f'stroke="#333"{dash}/>')
            out.append(f'<text x="{left + j * cell + cell / 2}" y="{y + cell / 4 + 4}" text-anchor="middle" '
                       f'fill="{style.get("color", "#111")}">{"–" if pd.isna(value) else f"{value:.3g}"}</text>')
    out.append("</svg>")
    return "\n".join(out)


settings = ui.settings()
runs = ui.analysis_runs()
st.title("Layers")
st.markdown("Ties within and between the layers of a local innovation system: national and regional bodies, "
            "the local authority, sectoral services, frontline units, and residents and community groups. "
            'Which links are "rich and dense", which "thin and atrophied"?')

provenance.note()
glossary.link(label="What density, E-I, fragility and the layers mean (glossary)")
networks = ui.network_choices(settings)
facets = ui.fetch_one("facets") or {}
localities = {x["id"]: x["name"] for x in facets.get("localities", [])}
layer_names = {x["id"]: x["name"] for x in facets.get("layers", [])}
layer_order = list(layer_names)

ui.seed("ly_network", "network", "innovation" if "innovation" in networks else "all", options=networks)
ui.seed("ly_locality", "locality", "", options=["", *localities])
ui.seed("ly_measure", "measure", "density", options=MEASURES)
ui.seed("ly_k", "k", 5, cast=int, options=range(1, 21))

c1, c2, c3 = st.columns(3)
network = c1.selectbox("Network type", networks, key="ly_network", format_func=ui.network_label)
locality = c2.selectbox("Locality", ["", *localities], key="ly_locality",
                        format_func=lambda k: localities.get(k, "— all —"))
measure = c3.selectbox("Heatmap of", list(MEASURES), key="ly_measure", format_func=MEASURES.get)

st.subheader("Density of ties between layers")
links = ui.named_query("layer-links")
rows = ui.fetch(links, {"network": network, "locality": locality or None}) or []
if rows:
    st.caption("Rows send ties, columns receive them (" + "; ".join(f"{k.replace('_', ' ')}: {v}"
                                                                   for k, v in layer_names.items()) + "). "
               "Density = ties / possible ties; the diagonal counts "
               "ties within a layer. Only actors with at least one tie are counted."
               + (f" {provenance.BADGE}: a dashed outline marks a cell that counts synthetic (illustrative) ties."
                  if any(r.get("synthetic") for r in rows) else ""))
    styled = heatmap(rows, measure, layer_order, layer_names)
    st.dataframe(styled, key="layer_heatmap")
    st.download_button("Save the heatmap (SVG)", heatmap_svg(styled, rows, f"{MEASURES[measure]}, {ui.network_label(network)}"
                                                             + (f", {localities[locality]}" if locality else "")),
                       file_name=ui.slug(f"heatmap-{measure}-{network}-{locality or 'all'}") + ".svg",
                       mime="image/svg+xml", on_click="ignore", icon=":material/image:", key="heatmap_svg")
    ei = {r["from_layer"]: r["from_layer_ei"] for r in rows if r["from_layer_ei"] is not None}
    if ei:
        st.caption("Outward-looking (E-I index, -1 inward to +1 outward): "
                   + ", ".join(f"{layer_names.get(k, k)} {v:+.2f}" for k, v in ei.items()))
    with st.expander("The numbers"):
        ui.table(ui.columns_of(links, rows), rows, key="layer_links", stem=f"layer-links-{network}")
else:
    st.info("No actors with ties here.", icon=":material/info:")

st.subheader("Weak links")
st.caption("Thin: density well below the network's overall density. Fragile: carried by only one or two actors.")
weak = ui.named_query("weak-layer-links")
weak_rows = ui.fetch(weak, {"network": network, "locality": locality or None}) or []
ui.table(ui.columns_of(weak, weak_rows), weak_rows, key="weak", stem=f"weak-layer-links-{network}",
         empty="No thin or fragile link between layers.")

st.subheader("Fragility: if the top brokers leave")
if not ui.analytics_notice(runs, network):
    k = st.slider("How many top brokers leave", 1, 20, key="ly_k")
    fragility = ui.named_query("fragility")
    frag_rows = ui.fetch(fragility, {"network": network, "k": k, "locality": locality or None}) or []
    st.caption(("Among the actors of " + localities[locality] if locality else "Over the whole network")
               + f": the {k} actors with the highest betweenness leave.")
    if frag_rows:
        st.caption("Leaving: " + ui.join(frag_rows[0]["leaving"], "; "))
    if provenance.hidden():
        st.caption("Synthetic data hidden: the ties counted are sourced only, but who leaves is ranked by the "
                   "betweenness of the stored `kb analyse` run, which counts synthetic ties too.")
    ui.table(["from_layer", "to_layer", "ties_before", "ties_after", "share_lost", "disconnected", "synthetic"], frag_rows,
             key="fragility", stem=f"fragility-{network}-{k}", empty="No ties between layers.")
    ui.set_params({"network": network, "locality": locality, "measure": measure if measure != "density" else None,
                   "k": k if k != 5 else None})
else:
    ui.set_params({"network": network, "locality": locality, "measure": measure if measure != "density" else None})

st.subheader("What the case studies say")
described = ui.fetch("layer-links-described", {"locality": locality or None}) or []
ui.table(["locality", "from_layer", "to_layer", "quality", "description", "section", "synthetic"], described,
         key="described", stem="layer-links-described", empty="No described links between layers for this locality.")
