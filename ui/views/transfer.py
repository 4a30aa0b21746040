"""Transfer finder: which innovations elsewhere could transfer here, ranked by the transfer
assessment (kb/services/transfer.py, docs/transfer.md), why, and who could introduce us to
the people behind them."""

import json

import streamlit as st
from neo4j.exceptions import DriverError, Neo4jError

from kb.services import ServiceError
from kb.services import find as finding
from kb.services import transfer
from ui import common as ui
from ui import network_picture
from ui import dossier, glossary, provenance

NONE = ""


@st.cache_data(show_spinner=False, ttl=600, max_entries=50)
def _find(uri: str, database: str, params_json: str, version: str) -> tuple[list[dict], bool]:
    found = transfer.find_transfers(ui.get_kb(), **json.loads(params_json))
    return found.rows, found.cut


def find(params: dict) -> tuple[list[dict], bool]:
    s = ui.settings()
    try:
        with st.spinner("Assessing the candidates…", show_time=True):
            return _find(s.uri, s.neo4j_database, json.dumps(params, sort_keys=True), ui.data_version())
    except (Neo4jError, DriverError, ServiceError) as exc:
        ui.show_error(exc, "The transfer finder")
        ui.end_page()


def picture(locality: dict | None, row: dict, path: dict | None, actors: list[dict]) -> network_picture.Picture:
    """The case for a transfer: here, the shared problems, the innovation, where it comes
    from and worked, the people behind it, and the chain of ties that could introduce us."""
    p = network_picture.Picture()
    inn = f"innovation:{row['innovation']}"
    p.node(inn, row["name"], title=f"Innovation: {row['name']}", colour=network_picture.KIND_COLOURS["innovation"],
           shape="box", size=20)
    if locality:
        here = f"locality:{locality['id']}"
        p.node(here, locality["name"], title=f"Transfer to: {locality['name']}", colour=network_picture.KIND_COLOURS["locality"],
               shape="ellipse", size=24)
    for name in row["shared_problems"]:
        prob = f"problem:{name}"
        p.node(prob, name, title=f"Shared problem: {name}", colour=network_picture.KIND_COLOURS["problem"], shape="box")
        if locality:
            p.edge(f"locality:{locality['id']}", prob, title="faces", dashes=True)
        p.edge(inn, prob, title="addresses", dashes=True)
    if row["origin"]:
        p.node(f"place:{row['origin']}", row["origin"], title=f"Originated in {row['origin']}",
               colour=network_picture.KIND_COLOURS["locality"], shape="ellipse")
        p.edge(inn, f"place:{row['origin']}", title="originated in")
    for place in row["worked_in"] or []:
        p.node(f"place:{place}", place, title=f"Adopted with success in {place}", colour=network_picture.KIND_COLOURS["locality"],
               shape="ellipse")
        p.edge(inn, f"place:{place}", title="worked in")
    for a in actors:
        p.node(a["actor"], a["name"], title=f"{a['name']} ({a['kind']}, {a['layer']}): {a['involvement']}",
               colour=network_picture.layer_colour(a["layer"]))
        p.edge(a["actor"], inn, title=a["involvement"], colour="#555555")
    if path and path.get("nodes"):
        for n in path["nodes"]:
            p.node(n["id"], n["name"], title=f"{n['name']} ({n['kind']}, {n['layer']})",
                   colour=network_picture.layer_colour(n["layer"]), border="#222222", synthetic=n.get("synthetic", False))
        for step, link in zip(zip(path["nodes"], path["nodes"][1:]), path["links"]):
            # Drawn in the path's order (as the text reads); the tie's own direction is in its tooltip.
            p.edge(step[0]["id"], step[1]["id"], title=path_step(step, link), width=3, colour="#222222",
                   synthetic=link.get("synthetic", False))
        if locality:
            p.edge(f"locality:{locality['id']}", path["nodes"][0]["id"], title="an actor here", width=2,
                   colour="#222222", arrows=False)
    return p


def path_step(step: tuple[dict, dict], link: dict) -> str:
    """One step of an introduction path in words, with the tie's own direction."""
    names = {n["id"]: n["name"] for n in step}
    kind = "membership" if link["type"] == "MEMBER_OF" else f"{link['network']} tie"
    verb = "is a member of" if link["type"] == "MEMBER_OF" else "names"
    return f"{kind}: {names.get(link['source'], link['source'])} {verb} {names.get(link['target'], link['target'])}"


def path_words(path: dict) -> tuple[str, list[str]]:
    """The chain of names (a synthetic step marked) and the synthetic steps in words."""
    nodes, links = path["nodes"], path["links"]
    text = nodes[0]["name"] + ("" if not nodes[0].get("synthetic") else f" ({provenance.BADGE})")
    invented = []
    for step, link in zip(zip(nodes, nodes[1:]), links):
        mark = " ⇢⚗ " if link.get("synthetic") else " → "
        text += mark + step[1]["name"] + (f" ({provenance.BADGE})" if step[1].get("synthetic") else "")
        if link.get("synthetic"):
            invented.append(path_step(step, link))
    return text, invented


st.title("Transfer finder")
st.markdown("Innovations from elsewhere that address the same problems, with evidence that they worked, "
            "not yet adopted here, and who could introduce you to the people behind them.")
provenance.note()
glossary.link("evidence level", "What evidence level and 'synthetic' mean (glossary)")

facets = ui.fetch_one("facets") or {}
localities = {x["id"]: x["name"] for x in facets.get("localities", [])}
problems = {x["id"]: x["name"] for x in facets.get("problems", [])}
sectors = {x["id"]: x["name"] for x in facets.get("sector_terms", [])}  # the vocabulary: "education" holds "local government / education"

ui.seed("tf_locality", "locality", NONE, options=[NONE, *localities])
ui.seed("tf_problem", "problem", NONE, options=[NONE, *problems])
ui.seed("tf_sector", "sector", NONE, options=[NONE, *sectors])
ui.seed("tf_evidence", "min_evidence", 0, cast=int, options=range(0, 6))
ui.seed("tf_hops", "max_hops", 6, cast=int, options=range(1, 7))
ui.seed("tf_unevidenced", "unevidenced", False, cast=lambda v: v == "true", options=(True, False))

c1, c2, c3 = st.columns(3)
locality = c1.selectbox("Transfer to a locality", [NONE, *localities], key="tf_locality",
                        format_func=lambda k: localities.get(k, "— any —"),
                        help="Its problems are matched; innovations it already has are left out.")
problem = c2.selectbox("… or address a problem", [NONE, *problems], key="tf_problem",
                       format_func=lambda k: problems.get(k, "— any —"))
sector = c3.selectbox("Sector", [NONE, *sectors], key="tf_sector", format_func=lambda k: sectors.get(k, "— any —"))
ui.seed("tf_need", "need", "")
need = st.text_input("… or describe the need in your own words", key="tf_need",
                     placeholder="e.g. teenagers keep getting into trouble",
                     help="Matched by meaning to the problems in the knowledge base (kb find); the closest one is "
                          "used when no problem is picked above.")
if need.strip() and not problem:
    try:
        closest = finding.search(ui.settings(), ui.get_kb(), need, kind="problem", limit=3)
    except (finding.FindInputError, finding.FindFailed) as exc:
        st.warning(str(exc), icon=":material/search_off:")
        closest = None
    if closest:
        problem = closest[0].id
        problems.setdefault(problem, closest[0].name)
        st.caption("Closest problems to that need: " + "; ".join(f"{f.name} ({f.score:.2f})" for f in closest)
                   + f". Showing innovations for **{closest[0].name}**; pick another above to change it.")
    elif closest is not None:
        st.info("No problem in the knowledge base is close to that need (or its embeddings are not computed: "
                "`kb embed`). Pick a problem above instead.", icon=":material/search_off:")
c4, c5 = st.columns(2)
min_evidence = c4.slider("Minimum evidence level (Nesta 1-5)", 0, 5, key="tf_evidence")
max_hops = c5.slider("Longest introduction path (steps)", 1, 6, key="tf_hops",
                     help="Paths longer than this are not searched. An innovation without an introduction within "
                          "it stays in the list but ranks lower: it gets no introduction points.")
unevidenced = st.checkbox("Also show innovations without an evidence level (flagged)", key="tf_unevidenced")

if not (locality or problem or sector):
    ui.set_params({})
    st.info("Pick a locality or a problem (or a sector) to find innovations that could transfer.",
            icon=":material/move_up:")
    ui.end_page()

rows, cut = find({"locality": locality or None, "problem": problem or None, "sector": sector or None,
                  "min_evidence": min_evidence, "max_hops": max_hops, "include_unevidenced": unevidenced,
                  "include_synthetic": provenance.include()})
if cut:
    st.warning(f"More candidates than the finder assesses ({transfer.MAX_ASSESSED}): narrow by problem, sector or "
               "evidence.", icon=":material/filter_alt:")
if provenance.hidden():  # synthetic innovations left out (introductions were looked for over sourced ties only)
    rows = [r for r in rows if not r.get("innovation_synthetic")]

st.subheader(f"{len(rows)} innovation{'s' if len(rows) != 1 else ''} that could transfer"
             + (f" to {localities[locality]}" if locality else ""))
ui.table(["rank", "name", "score", "reason", "evidence_flag", "unmet", "synthetic", "editors_judgement", "origin",
          "worked_in",
          "introduction_path", "introduction_hops", "innovation"], rows, key="transfer",
         stem=f"transferable-{locality or problem or sector}",
         empty="Nothing found: no innovation elsewhere addresses these problems, or every one is already here.")

names = {r["innovation"]: r["name"] for r in rows}
ui.seed("tf_innovation", "innovation", None, options=list(names))
if st.session_state.get("tf_innovation") not in names:
    st.session_state["tf_innovation"] = None
chosen = st.selectbox("See the case for one innovation", list(names), index=None, format_func=names.get,
                      key="tf_innovation", placeholder="Choose an innovation")
ui.set_params({"locality": locality, "problem": st.session_state.get("tf_problem") or None,
               "need": need.strip() or None, "sector": sector,
               "min_evidence": min_evidence or None, "max_hops": max_hops if max_hops != 6 else None,
               "unevidenced": "true" if unevidenced else None, "innovation": chosen})

if chosen:
    row = next(r for r in rows if r["innovation"] == chosen)
    st.subheader(row["name"])
    st.markdown(f"**Why:** {row['reason']}")
    ui.synthetic_badge(bool(row["synthetic"]))
    if row.get("editors_judgement"):
        st.caption(f"{provenance.JUDGEMENT}: some preconditions or elements behind this assessment are the editors' "
                   "reading of the source, not stated in it (marked in the reason and the dossier).")
    if row["evidence_flag"]:
        st.caption(f"Flagged: {row['evidence_flag']}.")
    if locality:
        st.caption(f"The full assessment is the transfer dossier below (also `kb assess {chosen} {locality}`, "
                   f"and its brief `kb assess {chosen} {locality} --brief html -o brief.html`).")
    path = None
    if locality:
        path = ui.fetch_one("introduction-path", {"locality": locality, "innovation": chosen, "max_hops": max_hops})
        if path and path.get("nodes"):
            chain, invented = path_words(path)
            people = [n["name"] for n in path["nodes"] if n.get("synthetic")]
            if invented or people:
                st.warning(f"Who could introduce you: {chain}", icon=":material/science:")
                st.markdown(f"**This path is synthetic, not a fact from a source.** {len(invented)} of its "
                            f"{len(path['links'])} steps are invented ties (⇢⚗, dashed in the picture)"
                            + (f" and {len(people)} of its actors are invented people or organisations "
                               f"({', '.join(people)})" if people else "")
                            + ": they come from the illustrative network study (data/network-study), made up to "
                            "demonstrate the finder. Do not contact anyone on the strength of it. Invented steps: "
                            + "; ".join(invented) + ".")
            else:
                st.success("Who could introduce you: " + chain, icon=":material/connect_without_contact:")
        else:
            hidden = (" Synthetic data is hidden (sidebar), so only ties, memberships and actors from the sources "
                      "were searched: any path through invented ties is left out.") if provenance.hidden() else ""
            st.info(f"No chain of ties or memberships of at most {max_hops} step{'s' if max_hops != 1 else ''} "
                    f"joins an actor of "
                    f"{localities[locality]} to the people behind this innovation.{hidden}", icon=":material/link_off:")
    else:
        st.caption("Pick a locality to look for an introduction path.")
    actors = ui.fetch("innovation-actors", {"innovation": chosen}) or []
    network_picture.show(picture({"id": locality, "name": localities[locality]} if locality else None, row, path, actors),
               height=480, alt=f"Why {row['name']} could transfer")
    network_picture.legend(roles=False, extra={"innovation": network_picture.KIND_COLOURS["innovation"],
                                      "locality": network_picture.KIND_COLOURS["locality"],
                                      "problem": network_picture.KIND_COLOURS["problem"]},
                           arrows="the introduction path, in the order it reads (each tie's own direction is in "
                                  "its tooltip); from the people to the innovation they originated or adopted",
                           width="thick: the introduction path", ring="an actor on the introduction path")
    st.page_link("views/innovations.py", label=f"Open {row['name']}", icon=":material/lightbulb:",
                 query_params={"innovation": chosen})
    if locality:
        dossier.show(chosen, locality, max_hops, provenance.include())
