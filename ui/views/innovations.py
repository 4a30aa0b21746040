"""Innovations: full-text search with facets, a results table with CSV export, and a
detail view per innovation. The URL holds the search and the open innovation, so every
view can be shared (?q=shutters&sector=...&innovation=see_through_shutters)."""

import re

import streamlit as st
from neo4j.exceptions import DriverError, Neo4jError

from kb.services import find as finding
from ui import common as ui
from ui import auth, glossary, provenance, search_text

# Lucene's special characters, escaped in plain searches (the text is a parameter,
# never part of the Cypher).
LUCENE_SPECIAL = re.compile(r'([+\-!(){}\[\]^"~*?:\\/&|])')
LUCENE_WORDS = {"AND", "OR", "NOT", "TO"}


def lucene_query(text: str, advanced: bool) -> str | None:
    """The Lucene query for the words typed: every word must match (as a word or a word
    start); special characters are escaped. With `advanced`, the text is Lucene syntax."""
    text = (text or "").strip()
    if not text:
        return None
    if advanced:
        return text
    clauses = []
    for word in text.split():
        escaped = LUCENE_SPECIAL.sub(r"\\\1", word)
        if word.upper() in LUCENE_WORDS:
            escaped = escaped.lower()
        if len(word) >= 3 and search_text.is_plain_word(word):  # British and American spellings both match
            clauses.append("+(" + " OR ".join(f"{v} OR {v}*" for v in search_text.variants(word)) + ")")
        elif len(word) >= 3:
            clauses.append(f"+({escaped} OR {escaped.lower()}*)")
        else:
            clauses.append(f"+{escaped}")
    return " ".join(clauses)


def by_meaning(text: str, kind: str) -> list | None:
    """The best matches of a need typed in free text (kb find), or None after a message."""
    try:
        return finding.search(ui.settings(), ui.get_kb(), text, kind=kind, limit=100)
    except finding.FindInputError as exc:
        st.warning(str(exc), icon=":material/search_off:")
    except finding.FindFailed as exc:
        st.error(str(exc))
    return None


def open_innovation() -> None:
    chosen = st.session_state.get("inn_open")
    if chosen:
        st.query_params["innovation"] = chosen
    st.session_state["inn_open"] = None


def close_innovation() -> None:
    if "innovation" in st.query_params:
        del st.query_params["innovation"]


def search_view() -> None:
    st.title("Innovations")
    facets = ui.fetch_one("facets") or {}
    sectors = {x["id"]: x["name"] for x in facets.get("sectors", [])}
    problems = {x["id"]: x["name"] for x in facets.get("problems", [])}
    stage_ids = sorted(facets.get("stages", []),
                       key=lambda s: list(ui.LIFECYCLE_LABELS).index(s) if s in ui.LIFECYCLE_LABELS else 99)
    levels = [int(x) for x in facets.get("evidence_levels", []) if x is not None]
    localities = {x["id"]: x["name"] for x in facets.get("localities", [])}
    layers = {x["id"]: x["name"] for x in facets.get("layers", [])}

    ui.seed("inn_q", "q", "")
    ui.seed("inn_lucene", "lucene", False, cast=lambda v: v == "1")
    ui.seed("inn_meaning", "meaning", False, cast=lambda v: v == "1")
    ui.seed("inn_sector", "sector", many=True, options=sectors)
    ui.seed("inn_problem", "problem", many=True, options=problems)
    ui.seed("inn_stage", "stage", many=True, options=stage_ids)
    ui.seed("inn_evidence", "evidence", many=True, cast=int, options=levels)
    ui.seed("inn_locality", "locality", many=True, options=localities)
    ui.seed("inn_layer", "layer", many=True, options=layers)

    left, right = st.columns([4, 1], vertical_alignment="bottom")
    text = left.text_input("Search innovations", key="inn_q", placeholder="e.g. shutters, pupils, neighbourhood",
                           help="Searches name, description, outcomes, transferability and preconditions. "
                                "Every word must match (a word or the start of one).")
    meaning = right.checkbox("By meaning", key="inn_meaning",
                             help="Describe a need in your own words ('teenagers keep getting into trouble'): "
                                  "innovations are ranked by what it means, not only by the words they share.")
    advanced = right.checkbox("Lucene syntax", key="inn_lucene", disabled=meaning,
                              help='Use the full-text syntax yourself: AND, OR, NOT, "phrases", wild*cards, fuzzy~')
    f1, f2, f3 = st.columns(3)
    sel_sector = f1.multiselect("Sector", list(sectors), format_func=sectors.get, key="inn_sector")
    sel_problem = f2.multiselect("Problem", list(problems), format_func=problems.get, key="inn_problem")
    sel_stage = f3.multiselect("Lifecycle stage", stage_ids, format_func=lambda s: ui.LIFECYCLE_LABELS.get(s, s),
                               key="inn_stage")
    f4, f5, f6 = st.columns(3)
    sel_evidence = f4.multiselect("Evidence level (Nesta 1-5)", levels, key="inn_evidence")
    sel_locality = f5.multiselect("Locality (originated or adopted there)", list(localities),
                                  format_func=localities.get, key="inn_locality")
    sel_layer = f6.multiselect("Layer of the originators", list(layers), format_func=layers.get, key="inn_layer")
    st.caption("Filters combine with AND; several values within one filter match any of them.")

    ui.set_params({"q": text.strip(), "lucene": "1" if advanced else None, "meaning": "1" if meaning else None,
                   "sector": sel_sector,
                   "problem": sel_problem, "stage": sel_stage, "evidence": sel_evidence,
                   "locality": sel_locality, "layer": sel_layer})

    # Words are bounded; a need described by meaning may be a sentence or two (kb find's own limit).
    trouble = (search_text.problem(text, finding.MAX_CHARS, 100) if meaning else search_text.problem(text))
    if trouble:
        st.warning(trouble, icon=":material/search_off:")
        return
    hits = None
    if meaning and text.strip():
        hits = by_meaning(text, "innovation")
        if hits is None:
            return
    params = {"q": None if meaning else lucene_query(text, advanced), "sectors": sel_sector or None, "problems": sel_problem or None,
              "stages": sel_stage or None, "evidence": sel_evidence or None,
              "localities": sel_locality or None, "layers": sel_layer or None}
    try:
        rows = ui.fetch("innovation-search", params, errors="raise") or []
    except (Neo4jError, DriverError) as exc:
        if "TooComplexToDeterminize" in str(exc) or "automaton" in str(exc).lower():
            st.warning("The search is too complex for the full-text index: use fewer words or wildcards.",
                       icon=":material/search_off:")
            return
        if ui.is_lucene_error(exc):
            st.warning("The search text is not valid full-text (Lucene) syntax"
                       + (": check quotes, brackets and operators, or untick *Lucene syntax* to search "
                          "for the words as typed." if advanced else "."), icon=":material/search_off:")
            return
        ui.show_error(exc, "The search")
        return

    if hits is not None:  # ranked by meaning: the facets filter, the need orders
        scores = {h.id: h.score for h in hits}
        rows = sorted((dict(r, score=scores[r["innovation"]]) for r in rows if r["innovation"] in scores),
                      key=lambda r: -r["score"])
    st.subheader(f"{len(rows)} innovation{'s' if len(rows) != 1 else ''}")
    columns = ["name", "score", "sector", "stage", "evidence_level", "origin", "origin_year", "adoptions",
               "problems", "synthetic", "innovation"]
    if params["q"] is None and hits is None:
        columns.remove("score")
    for r in rows:
        r["stage"] = ui.LIFECYCLE_LABELS.get(r["stage"] or "", r["stage"])  # as the filter names it
    ui.table(columns, rows, key="innovations", stem="innovations",
             empty="No innovation matches. Try fewer words or filters.",
             column_config={"score": st.column_config.NumberColumn("score", help=glossary.helptext("search score"),
                                                                   format="%.2f")})
    if rows:
        names = {r["innovation"]: r["name"] for r in rows}
        st.selectbox("Open an innovation", list(names), index=None, format_func=names.get, key="inn_open",
                     on_change=open_innovation, placeholder="Choose one to see its origin, spread, people and sources")


def fact(label: str, value) -> None:
    if value not in (None, "", []):
        st.markdown(f"**{label}:** {value}")


def detail_view(innovation: str) -> None:
    st.button("Back to the search", icon=":material/arrow_back:", on_click=close_innovation)
    row = ui.fetch_one("innovation-detail", {"innovation": innovation})
    if not row:
        st.warning(f"There is no innovation with id {innovation!r}.")
        return
    st.title(row["name"])
    ui.synthetic_badge(row["synthetic"])
    with st.container(horizontal=True):
        st.page_link("views/record.py", label="History, completeness and verification", icon=":material/history:",
                     query_params={"kind": "innovations", "id": innovation})
        if auth.has_role(auth.current_user(), "editor"):
            st.page_link("views/curate.py", label="Edit", icon=":material/edit:",
                         query_params={"kind": "innovations", "id": innovation})
    st.markdown(row["description"] or "")
    badges = [b for b in (row["sector"], ui.LIFECYCLE_LABELS.get(row["stage"] or "", row["stage"]),
                          f"evidence level {row['evidence_level']}" if row["evidence_level"] else None) if b]
    if badges:
        st.markdown(" ".join(f":blue-badge[{b}]" for b in badges))

    left, right = st.columns(2)
    with left:
        st.subheader("Origin")
        fact("Originated in", row["origin"])
        fact("Year", row["origin_year"])
        fact("Derived from", ui.join(d["name"] for d in row["derived_from"]))
        fact("Led to", ui.join(d["name"] for d in row["derivatives"]))
        fact("Case study", ui.join(c["title"] for c in row["case_studies"]))
        fact("Funding", ui.join(f"{f['name']}" + (f" ({f['type']})" if f.get("type") else "") for f in row["funding"]))
        fact("Problems it addresses", ui.join(p["name"] for p in row["problems"]))
    with right:
        st.subheader("What it takes")
        for label, key in (("Outcomes", "outcomes"), ("Resources", "resources"), ("Cost", "cost"),
                           ("Transferability", "transferability"), ("Preconditions", "preconditions")):
            fact(label, row[key])
        if row["notes"]:
            with st.expander("Editors' notes"):
                st.write(row["notes"])

    parts = ui.fetch("innovation-elements", {"innovation": innovation}) or []
    if parts:
        st.subheader("Elements and preconditions")
        st.caption("What it is made of and what it needs to work, each cited. "
                   f"{provenance.JUDGEMENT}: the editors' reading of the source, not stated in it.")
        ui.table(["part", "name", "kind", "description", "travels", "editors_judgement", "synthetic", "source",
                  "section"], parts, key="parts", stem=f"{innovation}-elements-preconditions")

    st.subheader("Adoption timeline")
    diffusion = ui.named_query("diffusion")
    steps = ui.fetch(diffusion, {"innovation": innovation}) or []
    ui.table(list(diffusion.columns), steps, key="diffusion", stem=f"{innovation}-diffusion",
             empty="No origin or adoption recorded.")

    st.subheader("Organisations and people")
    actors = ui.fetch("innovation-actors", {"innovation": innovation}) or []
    ui.table(["name", "kind", "type_or_role", "layer", "involvement", "locality", "organisations", "members"],
             actors, key="actors", stem=f"{innovation}-actors", empty="No organisations or people recorded.")

    st.subheader("Sources")
    sources = ui.fetch("innovation-sources", {"innovation": innovation}) or []
    ui.table(["about", "title", "section", "author", "year"], sources, key="sources",
             stem=f"{innovation}-sources", empty="No sources recorded.")

    st.subheader("Similar innovations")
    similar = ui.named_query("similar-innovations")
    alike = ui.fetch(similar, {"innovation": innovation}) or []
    ui.table(["name", "score", "shared_problems", "same_sector", "same_stage", "text_score"], alike,
             key="similar", stem=f"{innovation}-similar", empty="Nothing similar found.")
    for r in alike[:5]:
        st.page_link("views/innovations.py", label=r["name"], icon=":material/lightbulb:",
                     query_params={"innovation": r["innovation"]})

    st.subheader("Where it could transfer")
    st.caption("Localities facing a problem it addresses that have not adopted it yet.")
    targets = ui.fetch("innovation-transfer-targets", {"innovation": innovation}) or []
    ui.table(["name", "shared_problems", "synthetic"], targets, key="targets", stem=f"{innovation}-targets",
             empty="No other locality in the knowledge base faces the problems it addresses.")
    for t in targets[:8]:
        st.page_link("views/transfer.py", label=f"Transfer to {t['name']}: who could introduce them?",
                     icon=":material/move_up:", query_params={"locality": t["locality"], "innovation": innovation})


chosen = ui.param("innovation")
if chosen:
    detail_view(chosen)
else:
    search_view()
