"""One record's curation view: its values, completeness, "verified by" mark and full
history (who, when, before → after, why). Admins undo a change (itself a change; refused
with the service's message when later changes depend on it) and mark a record verified.
?kind=innovations&id=... picks the record (the Innovations page and the forms link here)."""

import streamlit as st

from kb.services import ServiceError
from kb.services import curation
from ui import auth, forms, history_view
from ui import common as ui

st.title("Record history")
user = auth.current_user()
ui.seed("rec_kind", "kind", "innovations", options=forms.KINDS)
c1, c2 = st.columns([1, 3])
kind = c1.selectbox("What", forms.KINDS, format_func=lambda k: forms.label(k).capitalize(), key="rec_kind")
records = forms.choices(kind)
wanted = ui.param("id")
if wanted and wanted not in records:
    records[wanted] = wanted
ui.seed("rec_id", "id", None, options=list(records))
record_id = c2.selectbox(f"Which {forms.label(kind)}", list(records), index=None, key="rec_id",
                         format_func=lambda i: records.get(i, i), placeholder="Type to search by name")
ui.set_params({"kind": kind, "id": record_id})
if not record_id:
    st.caption("Choose a record to see its history.")
    ui.end_page()

s = ui.settings()
try:
    values, version = curation.fetch(s, ui.get_kb(s), kind, record_id)
except ServiceError as exc:
    st.warning(ui.scrub(str(exc), s))
    ui.end_page()
name = values.get("name") or values.get("title") or record_id
st.header(name)
st.caption(f"{forms.label(kind).capitalize()} `{record_id}` · version {version}")
if str(values.get("synthetic", "")).lower() == "true":
    ui.synthetic_badge(True)
if auth.has_role(user, "editor"):
    st.page_link("views/curate.py", label="Edit this record", icon=":material/edit:",
                 query_params={"kind": kind, "id": record_id})
if kind == "innovations":
    st.page_link("views/innovations.py", label="Its page (origin, spread, people, sources)",
                 icon=":material/lightbulb:", query_params={"innovation": record_id})
history_view.completeness(kind, record_id)
with st.expander("Stored values"):
    st.dataframe([{"field": k, "value": history_view.short(v)} for k, v in values.items() if v not in (None, "")],
                 hide_index=True, key="rec_values")
history_view.history(kind, record_id, user)
