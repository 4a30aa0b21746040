"""A form for every entity, made from its columns in kb.model.ENTITIES: vocabulary columns
as select boxes over the model's vocabularies, references as pickers over the records
that exist (typing filters them), numbers and years as text the loader's own rules check,
long texts as text areas. The few fields a typical record needs come first; the rest wait
in an expander. ui/form_state.py keeps what the form holds and saves it.

Values leave the form exactly as in a case-base CSV row (lists joined with ";"), so the
service validates them with the loader's rules and its messages name the form field.
"""

from __future__ import annotations

import re
import unicodedata

import streamlit as st

from kb.model import ENTITIES, LIST_SEPARATOR
from kb.model.entities import (ADOPTION_OUTCOMES, ELEMENT_KINDS, ELEMENT_TRAVELS, LAYER_LINK_QUALITIES, LAYERS,
                               LIFECYCLE_STAGES, PRECONDITION_KINDS, Column)
from kb.services import ServiceError
from kb.services import curation
from ui import common as ui

# The entities with a form, in the order the picker lists them.
KINDS = ("innovations", "elements", "case_studies", "adoptions", "localities", "problems", "organisations",
         "people", "funding", "sources", "preconditions")
LABELS = {"innovations": "innovation", "elements": "element", "case_studies": "case study", "adoptions": "adoption",
          "localities": "locality", "problems": "problem", "organisations": "organisation", "people": "person",
          "funding": "funding instrument", "sources": "source", "preconditions": "precondition"}
# The fields shown first (after the required ones); the others are under "More fields".
FIRST = {
    "innovations": ("name", "description", "problems", "originators", "origin_locality", "origin_year",
                    "evidence_level", "lifecycle_stage", "sector"),
    "elements": ("innovation", "name", "kind", "travels", "description"),
    "case_studies": ("title", "locality", "year", "summary"),
    "adoptions": ("innovation", "locality", "year", "outcome", "adopters"),
    "localities": ("name", "country", "kind", "problems"),
    "problems": ("name", "description"),
    "organisations": ("name", "layer", "org_type", "locality"),
    "people": ("name", "layer", "role", "organisations", "locality"),
    "funding": ("name", "instrument_type", "funder"),
    "sources": ("title", "author", "year", "publisher", "url"),
    "preconditions": ("innovation", "kind", "description"),
}
# Set by the provenance block, never typed as fields.
PROVENANCE_COLUMNS = ("source", "section", "synthetic")
LONG_TEXT = {"description", "summary", "findings", "outcomes", "resources", "transferability", "preconditions",
             "adaptation", "notes", "governance"}
VOCABULARIES = {"layer": tuple(LAYERS), "lifecycle_stage": LIFECYCLE_STAGES, "outcome": ADOPTION_OUTCOMES,
                "quality": LAYER_LINK_QUALITIES, "element_kind": ELEMENT_KINDS, "travels": ELEMENT_TRAVELS,
                "precondition_kind": PRECONDITION_KINDS}
HELP = {"id": "Lower-case letters, digits, '_', '.' or '-'. Left empty, it is made from the name.",
        "evidence_level": "Nesta's standards of evidence, 1 (a logical reason it could work) to 5 (it works "
                          "elsewhere, replicated).",
        "origin_year": "Four digits, e.g. 2009.", "year": "Four digits, e.g. 2009.",
        "population": "A whole number.", "capacities": "Separate several with ';'.",
        "originators": "The organisations and people who started it (type to search).",
        "adopters": "The organisations and people who adopted it (type to search)."}
NO_CHOICE = ""


def label(kind: str) -> str:
    return LABELS.get(kind, kind)


def key(kind: str, column: str) -> str:
    """The widget key of a form field."""
    return f"f_{kind}_{column}"


def fields(kind: str) -> tuple[list[Column], list[Column]]:
    """The form's fields: those shown first (the key, the required ones, then FIRST) and the rest."""
    entity = ENTITIES[kind]
    columns = [c for c in entity.columns if c.name not in PROVENANCE_COLUMNS]
    order = [*entity.key, *(c.name for c in columns if c.required), *FIRST.get(kind, ())]
    first = [entity.column(n) for n in dict.fromkeys(order) if entity.column(n) is not None]
    return first, [c for c in columns if c not in first]


def slug(text: str) -> str:
    """An id made from a name: lower case, accents dropped, words joined by '_'."""
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "_", plain.lower()).strip("_")[:60]


# -- choices for pickers (cached per data version) --------------------------------------------
@st.cache_data(show_spinner=False, ttl=600, max_entries=100)
def _choices(uri: str, database: str, kind: str, version: str) -> dict[str, str]:
    s = ui.settings()
    kinds = ("organisations", "people") if kind == "actors" else (kind,)
    found: dict[str, str] = {}
    for k in kinds:
        found.update({rid: name for rid, name in curation.search_records(s, ui.get_kb(s), k, "", limit=5000)})
    return dict(sorted(found.items(), key=lambda kv: (str(kv[1]).lower(), kv[0])))


def choices(kind: str) -> dict[str, str]:
    """Every record of a kind ("actors": organisations and people) as id -> name."""
    s = ui.settings()
    if kind == "adoptions":  # no name to search by: innovation "in" locality, from a fixed read
        return {r["id"]: r["name"] for r in ui.fetch("adoption-choices") or []}
    try:
        return _choices(s.uri, s.neo4j_database, kind, ui.data_version())
    except ServiceError as exc:
        st.error(ui.scrub(str(exc), s))
        return {}


# -- between the CSV text of a value and what its widget holds --------------------------------
def to_widget(column: Column, text: str | None):
    text = "" if text is None else str(text)
    if column.type == "bool":
        return text.strip().lower() in ("true", "1", "yes")
    if column.type == "list" and column.refers_to:
        return [v.strip() for v in text.split(LIST_SEPARATOR) if v.strip()]
    if column.vocabulary or column.refers_to:
        return text.strip() or None if column.refers_to else text.strip()
    return text


def from_widget(column: Column, value) -> str:
    if column.type == "bool":
        return "true" if value else ""
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(str(v) for v in value)
    return "" if value is None else str(value).strip()


def values(kind: str) -> dict[str, str]:
    """What the form holds, as the text of a CSV row (an empty id made from the name)."""
    first, rest = fields(kind)
    out = {c.name: from_widget(c, st.session_state.get(key(kind, c.name))) for c in (*first, *rest)}
    if "id" in out and not out["id"]:
        out["id"] = slug(out.get("name") or out.get("title") or "")
    return out


def seed(kind: str, record: dict[str, str] | None) -> None:
    """Put a record's values (None: an empty form) into the form's widgets."""
    first, rest = fields(kind)
    for c in (*first, *rest):
        st.session_state[key(kind, c.name)] = to_widget(c, (record or {}).get(c.name))


# -- drawing -------------------------------------------------------------------------------------
def field(kind: str, column: Column, errors: dict[str, list[str]], *, locked: bool = False) -> None:
    """One field's widget, and under it what the loader said about its value."""
    k = key(kind, column.name)
    name = column.name.replace("_", " ")
    title = name.capitalize() + (" *" if column.required and column.name != "id" else "")
    help_text = HELP.get(column.name)
    if column.refers_to:
        options = choices(column.refers_to)
        held = st.session_state.get(k)
        for v in (held if isinstance(held, list) else [held] if held else []):
            options.setdefault(v, v)  # a stored id that is gone still shows (and the loader names it)
        if column.type == "list":
            st.multiselect(title, list(options), format_func=lambda i: f"{options.get(i, i)}", key=k,
                           help=help_text or f"Type to search the {column.refers_to.replace('_', ' ')}.",
                           placeholder="Type to search", disabled=locked)
        else:
            st.selectbox(title, list(options), index=None, format_func=lambda i: f"{options.get(i, i)}", key=k,
                         help=help_text or f"Type to search the {column.refers_to.replace('_', ' ')}.",
                         placeholder="Type to search", disabled=locked)
    elif column.vocabulary:
        vocab = VOCABULARIES.get(column.vocabulary, ())
        held = st.session_state.get(k)
        options = [NO_CHOICE, *vocab, *([held] if held and held not in vocab else [])]
        names = {**{v: v.replace("_", " ") for v in vocab}, **(LAYERS if column.vocabulary == "layer" else {}),
                 **(ui.LIFECYCLE_LABELS if column.vocabulary == "lifecycle_stage" else {}), NO_CHOICE: "—"}
        st.selectbox(title, options, format_func=lambda v: names.get(v, v), key=k, help=help_text, disabled=locked)
    elif column.type == "bool":
        st.checkbox(title, key=k, help=help_text, disabled=locked)
    elif column.name in LONG_TEXT:
        st.text_area(title, key=k, help=help_text, height=90, disabled=locked)
    else:
        st.text_input(title, key=k, help=help_text, disabled=locked,
                      placeholder="made from the name" if column.name == "id" else None)
    for message in errors.get(column.name, []):
        st.error(f"{name}: {message}", icon=":material/error:")


def provenance_block(kind: str, errors: dict[str, list[str]]) -> None:
    """Where the record's facts come from: a source and its section, or the editors'
    judgement with a note saying why."""
    st.markdown("**Where this comes from** (required)")
    st.radio("Evidence", ["source", "judgement"], key=f"p_{kind}_mode", horizontal=True,
             format_func=lambda m: {"source": "A source and its section",
                                    "judgement": "Editors' judgement"}[m], label_visibility="collapsed")
    c1, c2 = st.columns(2)
    sources = choices("sources")
    held = st.session_state.get(f"p_{kind}_source")
    if held:
        sources.setdefault(held, held)
    c1.selectbox("Source", list(sources), index=None, format_func=lambda i: sources.get(i, i),
                 key=f"p_{kind}_source", placeholder="Type to search the sources")
    c2.text_input("Section or page", key=f"p_{kind}_section", placeholder="e.g. 4.2, p. 31")
    st.text_input("Editors' judgement: why (when there is no source)", key=f"p_{kind}_note")
    for column in ("source", "section", "note", "provenance", "synthetic"):
        for message in errors.get(column, []):
            st.error(f"{column}: {message}", icon=":material/error:")


def provenance_of(kind: str) -> curation.Provenance:
    if st.session_state.get(f"p_{kind}_mode") == "judgement":
        return curation.Provenance(editors_judgement=True, note=(st.session_state.get(f"p_{kind}_note") or "").strip()
                                   or None)
    return curation.Provenance(source=st.session_state.get(f"p_{kind}_source") or None,
                               section=(st.session_state.get(f"p_{kind}_section") or "").strip() or None)


def seed_provenance(kind: str, record: dict[str, str] | None, marks: dict | None = None) -> None:
    """The provenance block as stored: the record's source and section, or the editors'
    judgement and its note (from the record's marks)."""
    record, marks = record or {}, marks or {}
    judged = bool(marks.get("editors_judgement")) or str(record.get("editors_judgement", "")).lower() == "true"
    st.session_state[f"p_{kind}_mode"] = "judgement" if judged and not record.get("source") else "source"
    st.session_state[f"p_{kind}_source"] = record.get("source") or None
    st.session_state[f"p_{kind}_section"] = record.get("section") or ""
    st.session_state[f"p_{kind}_note"] = marks.get("editors_note") or ""
    st.session_state[f"p_{kind}_reason"] = ""
