"""Network: a picture of the ties of one network type (the whole network, one locality,
or k steps around an actor), coloured by layer, sized by a score, roles marked; and the
profile of a chosen actor."""

import streamlit as st

from ui import common as ui
from ui import network_picture
from ui import glossary, provenance, sourced
from ui.prefetch import prefetch

SCOPES = {"whole": "Whole network", "locality": "One locality", "actor": "Around an actor"}
DEFAULT_CAP = 300
ROLE_ORDER = ("hub", "gatekeeper", "pulsetaker")
CORE = "__core__"
COLLAPSE_ABOVE = 40  # nodes: above this the core group is drawn as one node unless expanded
PICKER_MOST = 2000  # actors listed to choose from; beyond, a name is typed to find them

settings = ui.settings()
prefetch(["analysis-runs", "facets", ("actors", {"limit": PICKER_MOST + 1})])  # side by side, not one after another
runs = ui.analysis_runs()
st.title("Network")

provenance.note()
glossary.link(label="What hub, gatekeeper, pulsetaker, core and the scores mean (glossary)")
networks = ui.network_choices(settings)
facets = ui.fetch_one("facets") or {}
localities = {x["id"]: x["name"] for x in facets.get("localities", [])}
layers = {x["id"]: x["name"] for x in facets.get("layers", [])}
# Every actor with ties to choose from; on a big knowledge base (more than PICKER_MOST) the ones whose name
# holds the text typed, so the page never reads and sends a list of 100,000 names.
actor_rows = ui.fetch("actors", {"limit": PICKER_MOST + 1}) or []
if len(actor_rows) > PICKER_MOST:
    ui.seed("net_find", "find", "")
    typed = st.text_input("Find an actor (part of a name)", key="net_find",
                          help=f"More than {PICKER_MOST:,} actors have ties: type part of a name to choose one.")
    actor_rows = ui.fetch("actors", {"name": typed.strip(), "limit": 50}) or [] if typed.strip() else []
    if ui.param("actor"):  # the actor in the URL stays choosable
        actor_rows += ui.fetch("actors", {"ids": [ui.param("actor")]}) or []
actors = {r["actor"]: f"{r['name']} ({r['layer'] or '?'})" for r in actor_rows}

ui.seed("net_network", "network", "all", options=networks)
ui.seed("net_scope", "scope", "whole", options=SCOPES)
ui.seed("net_locality", "locality", None, options=localities)
ui.seed("net_actor", "actor", None, options=actors)
ui.seed("net_k", "k", 1, cast=int, options=(1, 2, 3))
CAPS = (10, 25, 50, 100, 200, 300, 500, 1000, 2000, 5000)
ui.seed("net_cap", "cap", DEFAULT_CAP, cast=int, options=CAPS)

c1, c2, c3 = st.columns([1, 1, 1])
network = c1.selectbox("Network type", networks, key="net_network", format_func=ui.network_label)
scope = c2.radio("Show", list(SCOPES), format_func=SCOPES.get, key="net_scope", horizontal=True)
scored = network in runs
score_keys = list(ui.SCORE_CHOICES) if scored else ["degree"]
ui.seed("net_size", "size", "degree", options=score_keys)
if st.session_state.get("net_size") not in score_keys:
    st.session_state["net_size"] = "degree"
score = c3.selectbox("Size by", score_keys, format_func=ui.SCORE_CHOICES.get, key="net_size",
                     help="Scores other than degree come from `kb analyse`." if scored else
                     "Run `kb analyse` to size nodes by betweenness, closeness and other scores.")

c4, c5, c6 = st.columns([2, 1, 1])
locality = None
if scope == "locality":
    locality = c4.selectbox("Locality", list(localities), format_func=localities.get, key="net_locality",
                            placeholder="Choose a locality")
actor = c4.selectbox("Actor (its profile; the centre when showing around an actor)", list(actors),
                     format_func=actors.get, key="net_actor", placeholder="Choose an actor")
k = c5.slider("Steps around the actor", 1, 3, key="net_k", disabled=scope != "actor")
cap = c6.select_slider("Most nodes drawn", CAPS, key="net_cap",
                       help="The top actors by the size score are drawn; a notice says when some are left out.")

ARRANGEMENTS = {"free": "free (by ties)", "layers": "by layer (one band per layer, national at the top)"}
ui.seed("net_arrange", "arrange", "free", options=ARRANGEMENTS)
arrange = st.radio("Arrange", list(ARRANGEMENTS), format_func=ARRANGEMENTS.get, key="net_arrange", horizontal=True,
                   help="By layer: each actor is held in its layer's band and placed sideways by its ties, so the "
                        "ties within and between layers can be read at a glance.")

if actor:  # the profile's reads do not depend on the picture's: started now, side by side with it
    prefetch([("actor-profile", {"actor": actor, "network": network}), ("actor-ties", {"actor": actor, "network": network})])
ui.set_params({"arrange": arrange if arrange != "free" else None,
               "network": network if network != "all" else None, "scope": scope if scope != "whole" else None,
               "locality": locality, "actor": actor, "k": k if scope == "actor" and k != 1 else None,
               "size": score if score != "degree" else None, "cap": cap if cap != DEFAULT_CAP else None})

if not runs:
    st.caption("Roles (hub, gatekeeper, pulsetaker) appear once `kb analyse` has run.")
elif not scored:
    ui.analytics_notice(runs, network)
else:
    st.caption(f"Scores and roles of `kb analyse` ({runs[network]['computed_at']}): {ui.run_choices(runs[network])}.")
# Synthetic data hidden: roles over sourced ties only (the stored run counts synthetic ties too).
mine = None
if scored and provenance.hidden():
    found = sourced.roles(network, runs[network])
    sourced.caption(found)
    mine = None if found.too_big else sourced.by_actor(found)
    if score != "degree":
        st.caption(f"Node sizes ({ui.SCORE_CHOICES[score]}) come from the stored run, which counts synthetic ties; "
                   "size by degree to count sourced ties only.")

ids = None
ready = True
if scope == "locality" and not locality:
    st.info("Choose a locality to draw its actors' ties.", icon=":material/place:")
    ready = False
if scope == "actor":
    if not actor:
        st.info("Choose an actor to draw the ties around it.", icon=":material/person:")
        ready = False
    else:
        seen, frontier = {actor}, {actor}
        for _ in range(k):
            found = {r["actor"] for r in ui.fetch("network-neighbours", {"ids": sorted(frontier), "network": network})}
            frontier = found - seen
            seen |= frontier
            if not frontier:
                break
        ids = sorted(seen)

if ready:
    nodes = ui.fetch("network-actors", {"network": network, "locality": locality, "ids": ids, "score": score,
                                        "limit": int(cap)}) or []
    total = nodes[0]["total"] if nodes else 0
    if total > len(nodes):
        st.warning(f"Showing the top {len(nodes)} of {total} actors by {ui.SCORE_CHOICES[score]}: the picture "
                   f"is capped at {int(cap)} nodes. Raise *Most nodes drawn* or narrow the view to see the rest.",
                   icon=":material/filter_alt:")
    if mine is not None:
        for n in nodes:
            n["roles"] = mine.get(n["actor"], {}).get("roles", [])
    kept = [n["actor"] for n in nodes]
    ties = ui.fetch("network-ties", {"ids": kept, "network": network}) or [] if kept else []
    st.caption(f"{len(nodes)} actors and {len(ties)} tied pairs drawn ({ui.network_label(network)}).")
    if scope == "actor" and actor and actor not in kept:
        st.caption("The chosen actor itself is outside the cap.")
    core = [n for n in nodes if n.get("core") and n["actor"] != actor]
    collapse = False
    if len(nodes) > COLLAPSE_ABOVE and len(core) > 2:
        collapse = not st.toggle(f"Expand the core group ({len(core)} actors)", key="net_expand",
                                 help="The core group (the main k-core: everyone tied to at least k others of "
                                      "the group) is drawn as one node so the rest stays readable.")
    members = {n["actor"] for n in core} if collapse else set()
    size = network_picture.scale([n["size"] for n in nodes])
    picture = network_picture.Picture()
    bands = {layer: n for n, layer in enumerate(layers)} if arrange == "layers" else {}
    if bands:
        picture.bands = {n: layers[layer] for layer, n in bands.items()}
    if collapse:
        picture.node(CORE, f"Core group ({len(core)})", size=46, shape="dot", colour="#cfcfcf", border="#111111",
                     title=f"The core group: {len(core)} actors tied closely to one another (the main k-core):\n"
                           + "\n".join(n["name"] for n in core[:40]),
                     synthetic=all(n.get("synthetic") for n in core))
    for n in nodes:
        if n["actor"] in members:
            continue
        roles = [r for r in ROLE_ORDER if r in (n["roles"] or [])]
        shape = network_picture.ROLE_SHAPES[roles[0]] if roles else "dot"
        title = "\n".join(x for x in (
            n["name"], f"{n['kind']}, layer: {layers.get(n['layer'], n['layer'])}",
            f"organisation: {n['organisation']}" if n["organisation"] else "",
            f"ties: {n['degree']}", f"{ui.SCORE_CHOICES[score]}: {round(n['size'], 3)}",
            f"roles: {', '.join(roles)}" if roles else "") if x)
        picture.node(n["actor"], n["name"], title=title, colour=network_picture.layer_colour(n["layer"]), shape=shape,
                     size=size(n["size"]), border="#111111" if n["actor"] == actor else None,
                     synthetic=n.get("synthetic", False),
                     band=bands.get(n["layer"], len(bands)) if bands else None)
    merged: dict[tuple, dict] = {}
    for t in ties:
        ends = tuple(CORE if x in members else x for x in (t["source"], t["target"]))
        if ends[0] == ends[1]:
            continue
        m = merged.setdefault(ends, {"networks": set(), "weight": 0, "synthetic": False, "ties": 0})
        m["networks"] |= set(t["networks"])
        m["weight"] += t["weight"] or 0
        m["synthetic"] = m["synthetic"] or bool(t.get("synthetic"))
        m["ties"] += 1
    for (a, b), m in merged.items():
        picture.edge(a, b, title=f"{', '.join(sorted(m['networks']))} (weight {m['weight']:g}"
                                 + (f", {m['ties']} actors' ties" if m["ties"] > 1 else "") + ")",
                     width=min(1 + 0.6 * (len(m["networks"]) - 1), 4), synthetic=m["synthetic"])
    if nodes:
        network_picture.show(picture, height=620, alt=f"Ties of the {network} network")
        network_picture.legend(layers, size=f"{ui.SCORE_CHOICES[score]} (larger = higher)",
                               width="how many network types the tie appears in (1 to 7)",
                               ring="the chosen actor" + ("; grey: the core group as one node" if collapse else ""),
                               bands="one band per layer, named at its left (national at the top)" if bands else None)
    else:
        st.info("No actor has ties of this network type here.", icon=":material/info:")

if actor:
    profile = ui.fetch_one("actor-profile", {"actor": actor, "network": network})
    if profile and mine is not None:  # the sourced roles and scores, not the stored run's
        own = mine.get(actor, {})
        profile.update(roles=own.get("roles", []), reasons=own.get("reasons", []),
                       **{m: own.get(m) for m in ("in_degree", "betweenness", "constraint", "coreness")})
    if profile:
        st.divider()
        st.subheader(f"Profile: {profile['name']}")
        ui.synthetic_badge(profile["synthetic"])
        left, right = st.columns(2)
        with left:
            st.markdown(f"**{profile['kind'].capitalize()}**"
                        + (f", {profile['type_or_role']}" if profile["type_or_role"] else "")
                        + f" · layer: {layers.get(profile['layer'], profile['layer'])}")
            for label, key in (("Located in", "localities"), ("Member of", "organisations"),
                               ("Members", "members"), ("Innovations", "innovations")):
                if profile[key]:
                    st.markdown(f"**{label}:** {ui.join(profile[key])}")
            if profile["source"]:
                st.caption(f"Source: {profile['source']}" + (f", {profile['section']}" if profile["section"] else ""))
        with right:
            if profile["roles"]:
                st.markdown("**Roles:** " + ", ".join(profile["roles"]))
                names = glossary.names_in(profile["reasons"])
                for reason in profile["reasons"]:
                    st.markdown(f"- {glossary.plain_reason(reason, names)}")
            elif scored:
                st.markdown(f"No broker role in the {network} network.")
            if scored:
                m = st.columns(4)
                m[0].metric("In-degree", profile["in_degree"])
                m[1].metric("Betweenness", None if profile["betweenness"] is None else round(profile["betweenness"], 1))
                m[2].metric("Constraint", profile["constraint"])
                m[3].metric("Core number", profile["coreness"])
        st.markdown("**Ties**")
        actor_ties = ui.fetch("actor-ties", {"actor": actor, "network": network}) or []
        ui.table(["direction", "name", "layer", "network", "weight", "date", "synthetic"], actor_ties, key="actor_ties",
                 stem=f"{actor}-ties", empty="No ties of this network type.")
