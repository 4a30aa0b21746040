"""Overview: what the knowledge base holds, and when the analytics last ran."""

import streamlit as st

from ui import common as ui

st.title("Local innovation knowledge base")
st.markdown(
    "Local social innovations, the places that tried them and the people behind them, "
    "for intermediaries who help one place learn from another.")
st.page_link("views/transfer.py", label="Which innovations elsewhere could transfer here?", icon=":material/move_up:")
st.page_link("views/brokers.py", label="Who are the brokers: hubs, gatekeepers and pulsetakers?",
             icon=":material/handshake:")
st.page_link("views/layers.py", label="Where are the links between layers weak?", icon=":material/layers:")

labels = ui.label_counts()
localities = ui.fetch("overview-localities") or []
ties = ui.fetch("tie-networks") or []
named = sum(1 for r in localities if r["named"])
unnamed = sum(1 for r in localities if not r["named"] and not r["synthetic"])
synthetic = sum(1 for r in localities if r["synthetic"])

for load in ui.fetch("writer/interrupted-loads") or []:  # as `kb load` and `kb analyse` see them
    st.warning(f"A big load is part-way through: load {load['id']} of {', '.join(load['files'])} (started "
               f"{load['started_at']}) has written {load['chunks_written']} of {load['chunks_total']} chunks"
               + (f", the last {load['idle_seconds']} s ago" if load.get("idle_seconds") is not None else "") + ". "
               "Until it is complete, counts and answers include only part of it; if it was interrupted, run "
               "the same `kb load` again to complete it.", icon=":material/hourglass_top:")

if not labels:
    st.info("The knowledge base is empty. Load the bundled case base with `kb demo --no-ui` "
            "(or, in a clone, `kb init` and `kb load data/`).",
            icon=":material/info:")

m = st.columns(6)
m[0].metric("Named localities", named,
            help=f"{len(localities)} localities in all: {named} named in the sources, {unnamed} unnamed "
                 f"in its source, {synthetic} synthetic (illustrative).")
m[1].metric("Innovations", labels.get("Innovation", 0))
m[2].metric("Organisations", labels.get("Organisation", 0))
m[3].metric("People", labels.get("Person", 0))
m[4].metric("Ties", sum(r["ties"] for r in ties))
m[5].metric("Sources", labels.get("Source", 0))
st.caption(f"{len(localities)} localities in all: {named} named, {unnamed} unnamed in its source, "
           f"{synthetic} synthetic.")

runs = ui.analysis_runs()
st.subheader("Network analytics")
if ui.analytics_notice(runs):
    pass
else:
    last = max(r["computed_at"] or "" for r in runs.values())
    st.success(f"Analytics last computed {last} (by `kb analyse`) for {len(runs)} network(s): "
               f"{', '.join(sorted(runs))}.", icon=":material/check_circle:")
    with st.expander("Analysis runs"):
        ui.table(["network", "computed_at", "grouping", "actors", "ties", "max_coreness"], list(runs.values()),
                 key="runs")

left, right = st.columns([3, 2])
with left:
    st.subheader("Localities")
    ui.table(["name", "country", "region", "kind", "named", "synthetic", "problems", "innovations_originated",
              "adoptions", "actors", "case_studies"], localities, key="localities",
             empty="No localities loaded.")
    st.subheader("Layers")
    layers = ui.fetch("overview-layers") or []
    ui.table(["layer", "name", "organisations", "people", "with_ties"], layers, key="layers",
             empty="No layers yet (they are created by the first load).")
with right:
    st.subheader("Counts by type")
    ui.table(["type", "nodes"], [{"type": k, "nodes": v} for k, v in sorted(labels.items())], key="labels",
             empty="No nodes.")
    st.subheader("Ties by network type")
    ui.table(["network", "ties", "actors"], ties, key="ties", empty="No ties.")

st.subheader("Sources")
sources = ui.fetch("overview-sources") or []
ui.table(["title", "author", "publisher", "year", "synthetic", "citations", "url"], sources, key="sources",
         empty="No sources loaded.")
