"""What most needs attention (kb attention): innovations and case studies without evidence
or sources, organisations tied to nothing, people with no ties. Each row links to its
record's history and, for editors, to its form."""

import streamlit as st

from kb.services import ServiceError
from kb.services import curation
from ui import auth, forms
from ui import common as ui

st.title("Needs attention")
user = auth.require("editor")
s = ui.settings()


@st.cache_data(show_spinner=False, ttl=600, max_entries=20)
def items(uri: str, database: str, version: str) -> list[dict]:
    return [{"kind": i.kind, "record_id": i.record_id, "name": i.name, "problem": i.problem}
            for i in curation.attention(ui.settings(), ui.get_kb())]


try:
    rows = items(s.uri, s.neo4j_database, ui.data_version())
except ServiceError as exc:
    st.error(ui.scrub(str(exc), s))
    ui.end_page()
st.caption(f"{len(rows)} record{'s' if len(rows) != 1 else ''} to look at: missing evidence, missing sources, "
           "orphan organisations and people with no ties.")
ui.table(["kind", "name", "problem", "record_id"], rows, key="attention", stem="needs-attention",
         empty="Nothing needs attention.")
if rows:
    labels = {(r["kind"], r["record_id"]): f"{r['name'] or r['record_id']} ({forms.label(r['kind'])}): {r['problem']}"
              for r in rows}
    chosen = st.selectbox("Open one", list(labels), index=None, format_func=labels.get, key="att_open",
                          placeholder="Choose a record to fix")
    if chosen:
        kind, record_id = chosen
        with st.container(horizontal=True):
            st.page_link("views/curate.py", label="Edit it", icon=":material/edit:",
                         query_params={"kind": kind, "id": record_id})
            st.page_link("views/record.py", label="Its history", icon=":material/history:",
                         query_params={"kind": kind, "id": record_id})
