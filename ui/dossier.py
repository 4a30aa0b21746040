"""The transfer dossier of one candidate (issue 13): the assessment of kb/services/transfer.py
as the brief of kb/services/brief.py tells it - the score broken down, preconditions met /
unmet / unknown with their facts, elements (travel as they are or need adapting), what
adopters elsewhere changed, outcomes with failures, and up to three introduction paths,
drawn as a small network picture - each line citing its source, editors' judgements (⚖)
and synthetic data (⚗) marked; with the one-page brief to download as Markdown or HTML."""

from __future__ import annotations

import re

import streamlit as st
from neo4j.exceptions import DriverError, Neo4jError

from kb.services import ServiceError
from kb.services.brief import EDITORS_BADGE, SYNTHETIC_BADGE, make_brief
from ui import common as ui
from ui import network_picture

_MD_SPECIAL = re.compile(r"([~$<>|#`])")


def _md(text: str) -> str:
    """Text shown as Markdown: strike-through, maths and HTML characters escaped (** kept)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


@st.cache_data(show_spinner=False, ttl=600, max_entries=50)
def _brief(uri: str, database: str, innovation: str, locality: str, max_hops: int, include_synthetic: bool,
           version: str):
    b = make_brief(ui.get_kb(), innovation, locality, max_hops=max_hops, include_synthetic=include_synthetic,
                   timeout=ui.page_timeout())
    return b, b.markdown(), b.html()


def paths_picture(locality: dict, paths: list[dict]) -> network_picture.Picture:
    """The introduction paths: from the place, through its actors, to the people behind the
    innovation; invented ties and people dashed."""
    p = network_picture.Picture()
    here = f"locality:{locality['id']}"
    p.node(here, locality["name"], title=f"Transfer to: {locality['name']}",
           colour=network_picture.KIND_COLOURS["locality"], shape="ellipse", size=22)
    for n, path in enumerate(paths, 1):
        for a in path["actors"]:
            p.node(a["id"], a["name"], title=f"{a['name']} ({a['kind']}, {a.get('layer') or 'no layer'})"
                   + (f"; known broker: {', '.join(a['roles'])}" if a.get("roles") else ""),
                   colour=network_picture.layer_colour(a.get("layer")), synthetic=bool(a.get("synthetic")),
                   shape="star" if a["name"] in path["brokers"] else "dot")
        p.edge(here, path["actors"][0]["id"], title="an actor here", arrows=False)
        for a, b, link in zip(path["actors"], path["actors"][1:], path["links"]):
            kind = "membership" if link["type"] == "MEMBER_OF" else f"{link['network']} tie"
            p.edge(a["id"], b["id"], title=f"path {n}: {kind} {a['name']} – {b['name']}", width=4 - n,
                   colour="#222222", synthetic=bool(link.get("synthetic")))
    return p


def _item_line(item) -> str:
    marks = "".join(f" `{m}`" for m, on in ((EDITORS_BADGE, item.editors), (SYNTHETIC_BADGE, item.synthetic)) if on)
    cites = " ".join(f"[{n}: {_md(s)}]" if s else f"[{n}]" for n, s in item.cites)
    lead = f"**{_md(item.lead)}**: " if item.lead else ""
    return f"- {lead}{_md(item.text)}" + (f" <small>{cites}</small>" if cites else "") + marks


def show(innovation: str, locality: str, max_hops: int, include_synthetic: bool) -> None:
    """The dossier of `innovation` for `locality`, under the finder's rows."""
    s = ui.settings()
    try:
        with st.spinner("Assessing…", show_time=True):
            brief, md, page = _brief(s.uri, s.neo4j_database, innovation, locality, max_hops, include_synthetic,
                                     ui.data_version())
    except (Neo4jError, DriverError, ServiceError) as exc:
        ui.show_error(exc, "The transfer assessment")
        return
    a = brief.assessment
    st.subheader("Transfer dossier")
    st.markdown(f"Marks: `{EDITORS_BADGE}` = the editors' reading of the source, not stated in it; "
                f"`{SYNTHETIC_BADGE}` = illustrative data invented for the demonstration. [n: section] = source n "
                "in the list at the end, at that section or page.")
    if brief.synthetic:
        st.warning("This dossier includes synthetic data (⚗): illustrative, invented for the demonstration, not "
                   "facts from a source. Do not act on those parts.", icon=":material/science:")
    c1, c2 = st.columns(2)
    stem = f"transfer-brief-{innovation}-{locality}"
    c1.download_button("Download the brief (Markdown)", md, file_name=f"{stem}.md", mime="text/markdown",
                       icon=":material/description:", key="dossier_md")
    c2.download_button("Download the brief (HTML, printable)", page, file_name=f"{stem}.html", mime="text/html",
                       icon=":material/print:", key="dossier_html")

    st.markdown(f"#### Score {a.score:g}, broken down")
    st.markdown("| component | points |\n|---|---|\n"
                + "\n".join(f"| {k.replace('_', ' ')} | {v:+g} |" for k, v in a.components.items())
                + f"\n| **total** | **{a.score:g}** |")
    st.caption(a.reason)
    for section in brief.sections:
        if section.heading == "Introduction paths":
            continue
        st.markdown(f"#### {section.heading}")
        st.markdown("\n".join(_item_line(i) for i in section.items) if section.items else f"- {section.empty}",
                    unsafe_allow_html=True)
    adapted = [p for p in a.places if p["role"] == "adoption" and p.get("adaptation")]
    element_names = {e["element"]: e["name"] or e["element"] for e in a.elements}
    st.markdown("#### Adaptations elsewhere")
    st.markdown("\n".join(f"- **{_md(p['place'])}** changed: {_md(p['adaptation'])}"
                          + (f" (elements: {_md('; '.join(element_names.get(x, x) for x in p['elements']))})"
                             if p["elements"] else "")
                          + (f" `{SYNTHETIC_BADGE}`" if p.get("synthetic") else "") for p in adapted)
                or "- none recorded")

    st.markdown("#### Introduction paths: up to three")
    intro = next(x for x in brief.sections if x.heading == "Introduction paths")
    if not intro.items:
        st.info(f"No chain of ties or memberships of at most {max_hops} steps joins an actor of "
                f"{a.locality['name']} to the people behind this innovation.", icon=":material/link_off:")
    else:
        st.markdown("\n".join(f"{n}. " + _item_line(i)[2:] for n, i in enumerate(intro.items, 1)),
                    unsafe_allow_html=True)
        if any(p["synthetic"] for p in a.paths):
            st.markdown("**Steps drawn dashed (⇢⚗) are invented ties** from the illustrative network study, not "
                        "facts from a source.")
        network_picture.show(paths_picture(a.locality, a.paths), height=360,
                             alt=f"Introduction paths to {a.innovation['name']}")
        network_picture.legend(roles=False, extra={"locality": network_picture.KIND_COLOURS["locality"]},
                               arrows="along each path, in the order it reads",
                               width="thickest: the cheapest path (1), then 2 and 3",
                               ring="an invented (synthetic) actor")
    st.markdown("#### Sources")
    st.markdown("\n".join(f"{r['number']}. {_md(r.get('author') or r.get('publisher') or 'author not recorded')} "
                          f"({_md(r.get('year') or 'no date')}). *{_md(r['title'])}*" for r in brief.references)
                or "- none recorded")
