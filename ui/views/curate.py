"""Add or edit a record of any entity (editors and admins): choose the kind, then a new
record or an existing one by search; the form validates with the loader's rules and
saves through kb.services.curation with provenance, a reason and the audit record.
?kind=innovations&id=... opens a record for editing (the record page links here)."""

import streamlit as st

from ui import auth, form_state, forms
from ui import common as ui

NEW = ""

st.title("Add or edit")
user = auth.require("editor")


def changed_record() -> None:
    kind = st.session_state["cur_kind"]
    form_state.open_record(kind, st.session_state.get("cur_record") or None)


def changed_kind() -> None:
    st.session_state["cur_record"] = NEW
    changed_record()


ui.seed("cur_kind", "kind", "innovations", options=forms.KINDS)
kind = st.selectbox("What", forms.KINDS, format_func=lambda k: forms.label(k).capitalize(), key="cur_kind",
                    on_change=changed_kind)
records = forms.choices(kind)
wanted = ui.param("id")
if wanted and wanted not in records:
    records[wanted] = wanted
ui.seed("cur_record", "id", NEW, options=[NEW, *records])
record_id = st.selectbox(f"A new {forms.label(kind)}, or one to edit", [NEW, *records], key="cur_record",
                         format_func=lambda i: f"— a new {forms.label(kind)} —" if i == NEW else records.get(i, i),
                         on_change=changed_record, help="Type to search the records by name.") or None
ui.set_params({"kind": kind, "id": record_id})

if not form_state.ensure_open(kind, record_id):
    ui.end_page()
saved = st.session_state.pop("cur_saved", None)
if saved and saved["kind"] == kind:
    st.success(f"{'Added' if saved['created'] else 'Saved'} {forms.label(kind)} `{saved['id']}` "
               f"(version {saved['version']}).", icon=":material/check:")
    st.page_link("views/record.py", label="See its history and completeness", icon=":material/history:",
                 query_params={"kind": kind, "id": saved["id"]})
held = form_state.opened() or {}
if held.get("id"):
    st.caption(f"Editing `{held['id']}`, version {held.get('version')} as opened. Saving over a newer version is "
               "refused and shows what changed.")
    st.page_link("views/record.py", label="History, completeness and undo", icon=":material/history:",
                 query_params={"kind": kind, "id": held["id"]})
else:
    st.caption("Fields marked * are required; the rest can wait. Every record says where it comes from.")
form_state.render(kind)
