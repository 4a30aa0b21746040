"""Plain words: the glossary's terms (a one-line explanation for non-specialists and the
technical detail behind it), links to the glossary page, and the brokers' reasons as
`kb analyse` stores them rewritten in plain words (names for ids, one notation: ≥).

Two meanings of "gatekeeper": the broker role (someone who controls the flow between
groups, found by `kb analyse`) and the Gould-Fernandez brokerage count (someone who
passes things from outside into their own group). The UI calls the first a
*gatekeeper* and the second *gatekeeping (into its group)*.
"""

from __future__ import annotations

import re

import streamlit as st

PAGE = "views/glossary.py"

# term: (plain one-line explanation, technical detail)
TERMS: dict[str, tuple[str, str]] = {
    "hub": ("Someone many others name as a contact: a well-known point of reference.",
            "In-degree (times named by others) in the top 10% of the network and at least 3 nominations."),
    "gatekeeper": ("Someone who controls the flow between groups: without them, some people or groups "
                   "would be cut off or much further apart.",
                   "Any of: a cut vertex (removing it disconnects others); a Gould-Fernandez gatekeeping + "
                   "representative z-score ≥ 1.96; betweenness far above what its number of ties predicts "
                   "(a residual ≥ 2 standard deviations). Not the same as the Gould-Fernandez count "
                   "'gatekeeping (into its group)' below."),
    "pulsetaker": ("Someone who reaches many others in few steps and knows what is going on, without "
                   "being a hub themselves.",
                   "Closeness, information centrality or two-step reach in the top 10%, or named by at least "
                   "two hubs; hubs are excluded."),
    "coordinator": ("Passes things between two members of their own group.",
                    "Gould & Fernandez (1989): a → v → b with a, v, b in the same group and no tie a → b."),
    "itinerant": ("Passes things between two members of another group (an outside go-between).",
                  "Gould & Fernandez: a and b in one group, v in another; no tie a → b."),
    "representative": ("Passes things from their own group out to another group.",
                       "Gould & Fernandez: v and a in one group, b in another; no tie a → b."),
    "gatekeeping (into its group)": ("Lets things from another group into their own group.",
                                     "Gould & Fernandez 'gatekeeper': a in another group, v and b in one; no "
                                     "tie a → b. Not the same as the broker role 'gatekeeper' above."),
    "liaison": ("Passes things between two groups, neither of them their own.",
                "Gould & Fernandez: a, v and b in three different groups; no tie a → b."),
    "z-score": ("How unusual a count is: 0 is what chance would give, 2 or more is notably high.",
                "(count - expected) / standard deviation, the expectation from random networks of the same "
                "size and group sizes (Gould & Fernandez 1989); ≥ 1.96 is the 5% level."),
    "betweenness": ("How often someone lies on the shortest route between two others.",
                    "Freeman betweenness: the number of shortest paths between other pairs that pass through "
                    "the actor (Brandes' algorithm), directed ties."),
    "closeness": ("How few steps someone needs to reach everyone else.",
                  "Inverse of the mean shortest-path distance to the others reachable."),
    "cut vertex": ("Someone whose departure would cut some people off from the rest.",
                   "An articulation point of the undirected network."),
    "density": ("How many of the possible ties actually exist: 0 none, 1 everyone tied to everyone.",
                "Ties / possible ties; between layers g and h: ties(g → h) / (n_g × n_h)."),
    "E-I index": ("Whether a group looks outward (+1: all its ties go to other groups) or inward "
                  "(-1: all stay inside).",
                  "Krackhardt & Stern (1988): (external - internal) / (external + internal) ties."),
    "core": ("The tightly knit group at the centre: each of them is tied to many others of the group.",
             "The main k-core: the largest k for which everyone has at least k ties inside the group "
             "(Batagelj & Zaversnik 2003)."),
    "fragility": ("How much of the contact between layers would be lost if the top brokers left their posts.",
                  "Between-layer ties before and after removing the k actors with the highest betweenness."),
    "layer": ("The level someone works at: national bodies, local authority, sectoral services, frontline "
              "units, or residents and community groups.", "The report's five layers of a local innovation "
                                                            "system (Transformers, 5.4, Figure 5)."),
    "synthetic": ("Illustrative data invented to demonstrate the tools, not a fact from a source.",
                  "Rows with synthetic=true: the network study in data/network-study and its three bridges "
                  "to the case base. Hide it with the sidebar's 'Hide synthetic data' (KB_HIDE_SYNTHETIC)."),
    "editors' judgement": ("A reading the editors made where the report is not explicit.",
                           "Said so in the row's notes (e.g. a tie's network type, an evidence level); the "
                           "notes column shows it."),
    "evidence level": ("How strong the evidence is that an innovation works, from 1 (described) to 5 "
                       "(proven at scale).", "The Nesta Standards of Evidence; in this case base always the "
                                             "editors' judgement, explained in the notes."),
    "search score": ("How well an innovation's text matches the words searched: higher is a better match; "
                     "only the order matters.", "Lucene's BM25 relevance score from the full-text index."),
}


def link(term: str | None = None, label: str | None = None) -> None:
    """A link to the glossary (at one term)."""
    st.page_link(PAGE, label=label or (f"What is a {term}? (glossary)" if term else "Glossary: what the terms mean"),
                 icon=":material/menu_book:", query_params={"term": term} if term else None)


def helptext(term: str) -> str:
    plain, detail = TERMS[term]
    return f"{plain} ({detail})"


def names_in(reasons: list[str]) -> dict[str, str]:
    """The names of the actors whose ids these reasons mention (read for those ids only, never
    every actor: 100,000 names on a big knowledge base)."""
    from ui import common as ui

    words = sorted({w for text in reasons for w in re.findall(r"[\w.\-]+", text or "")})
    if not words:
        return {}
    return {r["actor"]: r["name"] for r in ui.fetch("actors", {"include_synthetic": True, "ids": words}) or []}


def plain_reason(text: str, names: dict[str, str]) -> str:
    """A reason as `kb analyse` stores it, in plain words: names for ids, ≥ for >=."""
    def name(m: re.Match) -> str:
        return ", ".join(names.get(x.strip(), x.strip()) for x in m.group(1).split(","))

    role, _, rest = text.partition(": ")
    parts = []
    for piece in rest.split("; "):
        p = piece
        m = re.match(r"in-degree (\S+): top (\S+)% \(cut-off (\S+)\) and >= (\d+) nominations", p)
        if m:
            p = (f"named by {m[1]} others: among the top {m[2]}% (cut-off {m[3]}), and named at least {m[4]} times")
        m = re.match(r"cut vertex: removing it cuts (\d+) actors? off the rest of its component", piece)
        if m:
            p = f"the only link for {m[1]} actor{'s' if m[1] != '1' else ''}: without them they are cut off"
        m = re.match(r"gatekeeper\+representative brokerage z (\S+) >= (\S+)", piece)
        if m:
            p = (f"passes things into and out of its group far more often than chance (z-score {m[1]}; "
                 f"≥ {m[2]} is notable)")
        m = re.match(r"betweenness (\S+) is (\S+) sd above what degree (\S+) predicts(?: \(>= (\S+)\))?", piece)
        if m:
            p = (f"lies on many more routes between others ({m[1]}) than someone with {m[3]} ties usually does "
                 f"({m[2]} standard deviations above{'; ≥ ' + m[4] + ' counts' if m[4] else ''})")
        m = re.match(r"(.+) (\S+), top (\S+)% \(threshold (\S+)\)", piece)
        if m and p == piece:
            p = f"{m[1]} {m[2]}: among the top {m[3]}% (cut-off {m[4]})"
        m = re.match(r"nominated by (\d+) hubs \((.*)\)", piece)
        if m:
            p = f"named by {m[1]} hubs ({re.sub(r'([^,()]+)', lambda x: names.get(x[1].strip(), x[1].strip()), m[2]).replace(',', ', ').replace('  ', ' ')})"
        parts.append(p.replace(">=", "≥").replace("<=", "≤"))
    return f"{role}: " + "; ".join(parts) if rest else text.replace(">=", "≥").replace("<=", "≤")
