"""Brokers: the hubs, gatekeepers and pulsetakers who carry ideas between groups (named
query `brokers`), and Gould-Fernandez brokerage roles (named query `brokerage-roles`)."""

import streamlit as st

from ui import common as ui
from ui import glossary
from ui import provenance, sourced

ROLE_LABELS = {"": "any role", "hub": "hubs", "gatekeeper": "gatekeepers", "pulsetaker": "pulsetakers"}
GROUPINGS = {"layer": "layer", "org_type": "organisation type", "locality": "locality"}

settings = ui.settings()
runs = ui.analysis_runs()
st.title("Brokers")
st.markdown("**Hubs** are named by many; **gatekeepers** control the flow between groups; **pulsetakers** "
            "reach many others in few steps and know what is going on. Every broker comes with the "
            "reasons it counts as one, in plain words.")
glossary.link()

provenance.note()
networks = ui.network_choices(settings)
facets = ui.fetch_one("facets") or {}
localities = {x["id"]: x["name"] for x in facets.get("localities", [])}

ui.seed("br_network", "network", "innovation" if "innovation" in networks else "all", options=networks)
ui.seed("br_role", "role", "", options=ROLE_LABELS)
ui.seed("br_locality", "locality", "", options=["", *localities])
ui.seed("br_grouping", "grouping", "layer", options=GROUPINGS)
ui.seed("br_limit", "limit", 25, cast=int, options=range(5, 1001))

c1, c2, c3, c4 = st.columns([2, 1, 2, 1])
network = c1.selectbox("Network type", networks, key="br_network", format_func=ui.network_label)
role = c2.selectbox("Role", list(ROLE_LABELS), key="br_role", format_func=ROLE_LABELS.get)
locality = c3.selectbox("Locality", ["", *localities], key="br_locality",
                        format_func=lambda k: localities.get(k, "— any —"))
limit = c4.number_input("Rows", 5, 1000, step=5, key="br_limit")
ui.set_params({"network": network, "role": role, "locality": locality, "limit": limit if limit != 25 else None,
               "grouping": st.session_state.get("br_grouping") if st.session_state.get("br_grouping") != "layer"
               else None})

st.subheader("Hubs, gatekeepers and pulsetakers")
if not ui.analytics_notice(runs, network):
    st.caption(f"Scores computed {runs[network]['computed_at']} by `kb analyse`: {ui.run_choices(runs[network])}.")
    brokers = ui.named_query("brokers")
    if provenance.hidden():  # never the stored run's roles: it counts synthetic ties too
        found = sourced.roles(network, runs[network])
        sourced.caption(found)
        if found.too_big:
            rows = ui.fetch(brokers, {"network": network, "role": role or None, "locality": locality or None,
                                      "limit": int(limit)}) or []
        else:
            rows = [{k: v for k, v in r.items() if k != "localities"} for r in found.rows
                    if (not role or role in r["roles"]) and (not locality or locality in r["localities"])][:int(limit)]
    else:
        rows = ui.fetch(brokers, {"network": network, "role": role or None, "locality": locality or None,
                                  "limit": int(limit)}) or []
    names = glossary.names_in([x for r in rows for x in r["reasons"] or []])
    for r in rows:
        r["reasons"] = [glossary.plain_reason(x, names) for x in r["reasons"] or []]
    ui.table(ui.columns_of(brokers, rows), rows, key="brokers", stem=f"brokers-{network}",
             empty="No broker found with these choices.",
             column_config={"reasons": st.column_config.TextColumn("reasons", width="large"),
                            **{c: st.column_config.Column(c, help=glossary.helptext(c))
                               for c in ("betweenness", "closeness", "core") if c in glossary.TERMS},
                            "roles": st.column_config.Column("roles", help="hub, gatekeeper, pulsetaker: see the "
                                                                            "glossary")})
    if rows:
        with st.expander("Why each counts as a broker"):
            for r in rows:
                st.markdown(f"**{r['name']}** ({r['layer'].replace('_', ' ')}): " + "; ".join(r["reasons"]))

st.subheader("Brokerage roles (Gould & Fernandez)")
st.markdown("How often each actor stands between two others who are not tied: within its own group "
            "(*coordinator*), for two members of another group (*itinerant*), sending from its group "
            "(*representative*), receiving into it (*gatekeeping*; not the same as the broker role "
            "*gatekeeper* above), or between two other groups (*liaison*). The *z* columns say how unusual "
            "each count is: 0 is what chance would give, 2 or more is notably high.")
glossary.link("z-score", "What the z-scores mean (glossary)")
grouping = st.radio("Groups", list(GROUPINGS), format_func=GROUPINGS.get, key="br_grouping", horizontal=True)
roles_query = ui.named_query("brokerage-roles")
rows = ui.fetch(roles_query, {"network": network, "grouping": grouping, "limit": int(limit)}) or []
if rows and all(r.get("coordinator_z") is None for r in rows):
    st.caption("Counts are computed here; their z-scores appear once `kb analyse` has run for this network "
               "and grouping.")
GF = {"coordinator": "coordinator", "itinerant": "itinerant", "representative": "representative",
      "gatekeeper": "gatekeeping (into its group)", "liaison": "liaison"}
gf_config = {}
for col, term in GF.items():
    gf_config[col] = st.column_config.Column(term if col != "gatekeeper" else "gatekeeping", help=glossary.helptext(term))
    gf_config[f"{col}_z"] = st.column_config.Column(f"{term if col != 'gatekeeper' else 'gatekeeping'} z",
                                                    help=f"z-score of the {term} count: "
                                                         + glossary.helptext("z-score"))
ui.table(ui.columns_of(roles_query, rows), rows, key="brokerage", stem=f"brokerage-{network}-{grouping}",
         empty="No actor brokers between others in this network.", column_config=gf_config)
