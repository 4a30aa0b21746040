"""Change: how a place's network changed between two survey rounds (kb.services.change, the
same report as `kb change`): before and after heatmaps of the layer blocks and their
difference, the ties gained and lost between layers with their carriers, role changes,
brokers who left, Jaccard and QAP, and the network picture with new and lost ties marked."""

import pandas as pd
import streamlit as st

from kb.services import ServiceError
from kb.services.change import network_change, survey_rounds
from ui import common as ui
from ui import glossary, network_picture, provenance

GAINED, LOST, KEPT = "#2ca02c", "#d62728", "#c4c4c4"


def shade(value, top: float, diverging: bool = False) -> str:
    """White to blue (or, for a difference, red for less and green for more); empty cells grey."""
    if value is None or pd.isna(value):
        return "background-color: #f3f3f3; color: #9a9a9a"
    t = 0.0 if not top else max(-1.0, min(1.0, float(value) / top))
    end = (8, 48, 107) if not diverging or t >= 0 else (165, 15, 21)
    if diverging and t > 0:
        end = (0, 109, 44)
    r, g, b = (int(round(a + (z - a) * abs(t))) for a, z in zip((247, 251, 255), end))
    return f"background-color: rgb({r},{g},{b}); color: {'#ffffff' if abs(t) > 0.5 else '#111111'}"


def heatmap(blocks: pd.DataFrame, column: str, order: list[str], diverging: bool = False):
    matrix = network_picture.layer_matrix(blocks, column, order)
    top = float(matrix.abs().max().max()) if matrix.notna().any().any() else 0.0
    return matrix.style.map(lambda v: shade(v, top, diverging)).format(precision=3, na_rep="–")


@st.cache_data(show_spinner=False, ttl=600, max_entries=50)
def compare_rounds(uri: str, database: str, before: str, after: str, network: str, locality: str | None,
                   version: str):
    """The service's report, cached per data version (roles and the QAP test take seconds)."""
    return network_change(ui.settings(), ui.get_kb(), before, after, network, locality)


def picture(change, only_changed: bool) -> network_picture.Picture:
    report, names = change.report, change.names
    layers = {**change.before.graph.groups, **change.after.graph.groups}
    gained, lost = set(report.gained_ties), set(report.lost_ties)
    synthetic = change.before.synthetic_ties | change.after.synthetic_ties
    edges = [(t, GAINED, "new tie") for t in sorted(gained)] + [(t, LOST, "lost tie") for t in sorted(lost)]
    if not only_changed:
        arcs = change.after.graph.arcs()
        nodes = list(change.after.graph.nodes)
        kept = {(nodes[s], nodes[d]) for s, d in zip(arcs.src.tolist(), arcs.dst.tolist())} - gained
        edges += [(t, KEPT, "tie in both rounds") for t in sorted(kept)]
    pic = network_picture.Picture()
    ends = {x for (a, b), _, _ in edges for x in (a, b)}
    departed, arrived = set(report.departed), set(report.arrived)
    for actor in sorted(ends):
        status = " · left after the first round" if actor in departed else (
            " · new in the second round" if actor in arrived else "")
        pic.node(actor, names.get(actor, actor), title=f"{names.get(actor, actor)} ({layers.get(actor, '?')}){status}",
                 colour=network_picture.layer_colour(layers.get(actor)),
                 shape="square" if actor in departed | arrived else "dot", size=22 if status else 12,
                 border=LOST if actor in departed else GAINED if actor in arrived else None,
                 synthetic=actor in change.before.synthetic_actors | change.after.synthetic_actors)
    for (a, b), colour, what in edges:
        pic.edge(a, b, title=f"{names.get(a, a)} → {names.get(b, b)}: {what}", colour=colour,
                 width=2.5 if colour != KEPT else 1.0, synthetic=(a, b) in synthetic)
    return pic


settings = ui.settings()
st.title("Change")
st.markdown("How a place's network changed between two survey rounds: which links between layers were "
            "gained or lost and who carries them now, who left, which roles moved, and how alike the two "
            "rounds are.")
glossary.link(label="What density, E-I, carriers and the roles mean (glossary)")
provenance.note()

try:
    rounds = survey_rounds(settings, ui.get_kb(settings))
except ServiceError as exc:
    ui.show_error(exc, "Reading the survey rounds")
    ui.end_page()
ids = [r["round"] for r in rounds]
if len(ids) < 2:
    st.info("Change needs ties from at least two survey rounds (the `round` column of ties.csv, or a closed "
            "survey round).", icon=":material/info:")
    ui.end_page()
label = {r["round"]: f"{r['round']} ({r['date'] or 'undated'}, {r['ties']} ties)" for r in rounds}
facets = ui.fetch_one("facets") or {}
localities = {x["id"]: x["name"] for x in facets.get("localities", [])}
layer_order = [x["id"] for x in facets.get("layers", [])]
networks = ui.network_choices(settings)

ui.seed("ch_from", "from", ids[-2], options=ids)
ui.seed("ch_to", "to", ids[-1], options=ids)
ui.seed("ch_network", "network", "all", options=networks)
ui.seed("ch_locality", "locality", "", options=["", *localities])
c1, c2, c3, c4 = st.columns(4)
before = c1.selectbox("Before (round)", ids, key="ch_from", format_func=label.get)
after = c2.selectbox("After (round)", ids, key="ch_to", format_func=label.get)
network = c3.selectbox("Network type", networks, key="ch_network", format_func=ui.network_label)
locality = c4.selectbox("Locality", ["", *localities], key="ch_locality", format_func=lambda k: localities.get(k, "— all —"))
ui.set_params({"from": before, "to": after, "network": network if network != "all" else None, "locality": locality})

try:
    with st.spinner("Comparing the rounds…", show_time=True):
        change = compare_rounds(settings.uri, settings.neo4j_database, before, after, network, locality or None,
                                ui.data_version())
except ServiceError as exc:
    st.warning(str(exc), icon=":material/warning:")
    ui.end_page()
if change.synthetic and provenance.hidden():
    st.info("These rounds hold synthetic (illustrative) ties, and synthetic data is hidden: nothing to compare "
            "from the sources.", icon=":material/visibility_off:")
    ui.end_page()
ui.synthetic_badge(change.synthetic)
d = change.to_dict()
report = change.report
m = st.columns(4)
m[0].metric("Actors", d["actors_after"], d["actors_after"] - d["actors_before"])
m[1].metric("Ties", d["ties_after"], d["ties_after"] - d["ties_before"])
m[2].metric("Ties gained", d["ties_gained"])
m[3].metric("Ties lost", d["ties_lost"])
names = lambda items: "; ".join(x["name"] for x in items) or "nobody"  # noqa: E731
st.markdown(f"**Left** (no tie in {after}): {names(d['departed'])}  \n**Arrived** (no tie in {before}): "
            f"{names(d['arrived'])}  \n**Brokers who left** (a hub, gatekeeper or pulsetaker in {before}): "
            f"{names(d['brokers_left'])}")

st.subheader("Density of ties between layers, before and after")
st.caption("Rows send ties, columns receive them; each round's density over its own actors (those with a tie in "
           "it). The difference is after minus before: green more, red less.")
h1, h2, h3 = st.columns(3)
h1.caption(f"Before: {before}")
h1.dataframe(heatmap(report.blocks, "density_before", layer_order), key="ch_heat_before")
h2.caption(f"After: {after}")
h2.dataframe(heatmap(report.blocks, "density_after", layer_order), key="ch_heat_after")
h3.caption("Difference")
h3.dataframe(heatmap(report.blocks, "density_change", layer_order, diverging=True), key="ch_heat_diff")
rows = [{**r, "synthetic": change.synthetic} for r in d["blocks"] if r["ties_before"] or r["ties_after"]]
with st.expander("The numbers, per block"):
    ui.table(["from_layer", "to_layer", "ties_before", "ties_after", "gained", "lost", "density_before",
              "density_after", "density_change", "synthetic"], rows, key="ch_blocks", stem=f"change-blocks-{before}-{after}")
ei = [{**r, "synthetic": change.synthetic} for r in d["layers"]]
ui.table(["layer", "n_before", "n_after", "ei_before", "ei_after", "ei_change", "synthetic"], ei, key="ch_ei",
         stem=f"change-ei-{before}-{after}")

st.subheader("Links between layers and their carriers")
st.caption("For each pair of layers, the actors of one layer carrying its ties to the other, before and after.")
carriers = [{**r, "carriers_before": ui.join(change.names.get(x, x) for x in r["carriers_before"]),
             "carriers_after": ui.join(change.names.get(x, x) for x in r["carriers_after"]),
             "left": ui.join(change.names.get(x, x) for x in r["left"]),
             "new": ui.join(change.names.get(x, x) for x in r["new"]), "synthetic": change.synthetic}
            for r in d["carriers"]]
changed = [r for r in carriers if r["status"] or r["left"] or r["new"]]
ui.table(["layer", "other_layer", "status", "ties_before", "ties_after", "left", "new", "carriers_after", "synthetic"],
         changed, key="ch_carriers", stem=f"change-carriers-{before}-{after}", empty="No carrier changed.")

st.subheader("Role changes")
roles = [{**r, "name": change.names.get(r["actor"], r["actor"]), "synthetic": change.synthetic} for r in d["roles"]]
ui.table(["name", "layer", "role", "change", "left", "arrived", "synthetic"], roles, key="ch_roles",
         stem=f"change-roles-{before}-{after}", empty="No actor gained or lost a role.")

s = d["similarity"]
st.subheader("How alike the two rounds are")
if s["jaccard"] is None:
    st.caption(f"Fewer than three actors answered in both rounds ({s['common_respondents']}): not computed.")
else:
    q1, q2, q3 = st.columns(3)
    q1.metric("Jaccard similarity of the ties", f"{s['jaccard']:.3f}")
    q2.metric("QAP correlation", "n/a" if s["qap_r"] is None else f"{s['qap_r']:.3f}")
    q3.metric("QAP p-value", "n/a" if s["qap_p"] is None else f"{s['qap_p']:.4f}")
    st.caption(f"Over the {s['common_respondents']} actors who named someone in both rounds"
               + ("" if s["same_respondents"] else f" ({s['respondents_before']} answered before, "
                  f"{s['respondents_after']} after)")
               + f"; p from {s['permutations']} permutations (seed {s['seed']}): the share of random relabellings "
               "of the actors at least as alike.")

st.subheader("The network, with new and lost ties")
only_changed = st.toggle("Only the ties that changed", value=True, key="ch_only_changed")
pic = picture(change, only_changed)
network_picture.legend({k: k.replace("_", " ") for k in network_picture.LAYER_COLOURS}, roles=False,
                       extra={"new tie": GAINED, "lost tie": LOST, **({} if only_changed else {"tie in both": KEPT})},
                       ring="green: arrived; red: left (drawn as squares)")
network_picture.show(pic, alt=f"Network change from {before} to {after}")
