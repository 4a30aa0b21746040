"""Overview: what the knowledge base holds, and when the analytics last ran."""

import streamlit as st

from ui import common as ui
from ui import glossary, locality_map, provenance
from ui.prefetch import prefetch

# Every read of the page at once (the tie counts read every tie: seconds on a big knowledge base).
prefetch(["tie-networks", "label-counts", "overview-localities", "overview-layers", "overview-sources",
          "record-counts", "writer/interrupted-loads", "analysis-runs"])

st.title("Local innovation knowledge base")
st.markdown(
    "Local social innovations, the places that tried them and the people behind them, "
    "for intermediaries who help one place learn from another.")
st.page_link("views/transfer.py", label="Which innovations elsewhere could transfer here?", icon=":material/move_up:")
st.page_link("views/brokers.py", label="Who are the brokers: hubs, gatekeepers and pulsetakers?",
             icon=":material/handshake:")
st.page_link("views/layers.py", label="Where are the links between layers weak?", icon=":material/layers:")

counts = {r["type"]: r for r in ui.fetch("label-counts") or []}
provenance.note()
glossary.link("synthetic", "What 'synthetic' and the other terms mean (glossary)")
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

if not counts:
    st.info("The knowledge base is empty. Load the bundled case base with `kb demo --no-ui` "
            "(or, in a clone, `kb init` and `kb load data/`).",
            icon=":material/info:")



RECORDS = {"AnalysisRun": "analysis runs", "Change": "recorded changes", "Load": "loads", "Respondent": "survey respondents",
           "SavedQuery": "saved queries", "Score": "analysis scores", "SignInBackoff": "sign-in back-offs",
           "SurveyRound": "survey rounds", "User": "users"}


def count(kind: str, key: str = "sourced") -> int:
    return (counts.get(kind) or {}).get(key, 0)


tie_sourced, tie_synthetic = sum(r["sourced"] for r in ties), sum(r["synthetic"] for r in ties)
m = st.columns(6)
m[0].metric("Named localities", named,
            help=f"{len(localities)} localities in all: {named} named in the sources, {unnamed} unnamed "
                 f"in its source, {synthetic} synthetic (illustrative).")
for col, (label, kind) in zip(m[1:4], (("Innovations", "Innovation"), ("Organisations", "Organisation"),
                                                  ("People", "Person"))):
    col.metric(f"{label} (sourced)", count(kind),
               help=f"{count(kind)} from the sources, {count(kind, 'synthetic')} synthetic (illustrative).")
m[4].metric("Ties (sourced)", tie_sourced,
            help=f"{tie_sourced} ties from the sources, {tie_synthetic} synthetic (illustrative, invented).")
m[5].metric("Sources (sourced)", count("Source"),
            help=f"{count('Source')} real sources, {count('Source', 'synthetic')} synthetic (the illustrative study).")
if provenance.include() and (tie_synthetic or any(r["synthetic"] for r in counts.values())):
    st.caption(f"{provenance.BADGE} in addition (illustrative, invented, not from a source): {tie_synthetic} ties, "
               f"{count('Organisation', 'synthetic')} organisations, {count('Person', 'synthetic')} people, "
               f"{count('Innovation', 'synthetic')} innovations. *Hide synthetic data* in the sidebar leaves them out.")
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
        ui.table(["network", "computed_at", "grouping", "actors", "ties", "max_coreness", "synthetic"], list(runs.values()),
                 key="runs")

left, right = st.columns([3, 2])
with left:
    st.subheader("Localities")
    ui.table(["name", "country", "region", "kind", "named", "synthetic", "problems", "innovations_originated",
              "adoptions", "actors", "case_studies"], localities, key="localities",
             empty="No localities loaded.")
    st.subheader("Layers")
    layers = ui.fetch("overview-layers") or []
    ui.table(["layer", "name", "organisations", "people", "with_ties", "synthetic"], layers, key="layers",
             empty="No layers yet (they are created by the first load).")
with right:
    st.subheader("Counts by type")
    ui.table(["type", "nodes", "sourced", "synthetic"], list(counts.values()), key="labels",
             empty="No nodes.")
    records = ui.fetch("record-counts") or []
    if records:
        st.caption("Also kept, about the data (sourced and synthetic alike; not facts): " + ", ".join(
            f"{r['nodes']:,} {RECORDS.get(r['type'], r['type'])}" for r in records) + ".")
    st.subheader("Ties by network type")
    ui.table(["network", "ties", "sourced", "synthetic", "actors"], ties, key="ties", empty="No ties.")

locality_map.show(ui.settings(), localities)

st.subheader("Sources")
sources = ui.fetch("overview-sources") or []
ui.table(["title", "author", "publisher", "year", "synthetic", "citations", "url"], sources, key="sources",
         empty="No sources loaded.")
