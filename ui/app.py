"""The Streamlit app of the local innovation knowledge base: `kb ui` runs it.

    streamlit run ui/app.py     (what `kb ui` does, headless, on 127.0.0.1)

Every page reads Neo4j through the cached KnowledgeBase in READ transactions. Writes go
through kb.services and need a signed-in user with the role (ui/auth.py): editors get the
Add or edit and Needs attention pages, admins also Import and Undo. The old shared-password
Import page (KB_UI_ALLOW_WRITES and KB_UI_PASSWORD) still exists for everyone when both are
set.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode
from pathlib import Path

import streamlit as st

from ui import auth
from ui import common as ui
from ui import provenance

# A local favicon: without one, each page's Material icon would be fetched from Google as the favicon.
FAVICON = Path(__file__).with_name("favicon.png")
st.set_page_config(page_title="Local innovation knowledge base", layout="wide",
                   page_icon=str(FAVICON) if FAVICON.is_file() else None)

settings = ui.settings()
if "token" in st.query_params:
    # A survey respondent's private link: their own form alone, without the navigation,
    # the sidebar or anything else of the knowledge base (ui/views/survey.py).
    st.html("<style>[data-testid='stSidebar'], [data-testid='stSidebarCollapsedControl'] "
            "{display: none !important}</style>")
    try:
        st.navigation([st.Page("views/survey.py", title="Network survey", default=True)],
                      position="hidden").run()
    except ui.PageEnd:
        pass
    st.stop()
user = auth.current_user(settings)
pages = [
    st.Page("views/overview.py", title="Overview", icon=":material/home:", url_path="overview", default=True),
    st.Page("views/innovations.py", title="Innovations", icon=":material/lightbulb:", url_path="innovations"),
    st.Page("views/transfer.py", title="Transfer finder", icon=":material/move_up:", url_path="transfer"),
    st.Page("views/network.py", title="Network", icon=":material/hub:", url_path="network"),
    st.Page("views/brokers.py", title="Brokers", icon=":material/handshake:", url_path="brokers"),
    st.Page("views/layers.py", title="Layers", icon=":material/layers:", url_path="layers"),
    st.Page("views/change.py", title="Change", icon=":material/compare_arrows:", url_path="change"),
    st.Page("views/console.py", title="Cypher console", icon=":material/terminal:", url_path="console"),
    st.Page("views/glossary.py", title="Glossary", icon=":material/menu_book:", url_path="glossary"),
    st.Page("views/record.py", title="Record history", icon=":material/history:", url_path="record"),
]
if auth.has_role(user, "editor"):
    pages += [st.Page("views/curate.py", title="Add or edit", icon=":material/edit_note:", url_path="curate"),
              st.Page("views/attention.py", title="Needs attention", icon=":material/flag:", url_path="attention")]
if ui.import_enabled(settings) or auth.has_role(user, "admin"):
    pages.append(st.Page("views/import_data.py", title="Import", icon=":material/upload:", url_path="import"))
if auth.has_role(user, "editor") or ui.import_enabled(settings):
    pages.append(st.Page("views/survey_admin.py", title="Survey rounds", icon=":material/how_to_reg:",
                         url_path="survey-admin"))
if not auth.can_view(settings):  # KB_UI_OPEN_VIEWING=false and nobody signed in
    pages = [st.Page(auth.closed_page, title="Sign in", icon=":material/login:", url_path="sign-in", default=True)]

page = st.navigation(pages, expanded=True)  # every page listed, none behind "View more"
auth.sidebar(settings)
with st.sidebar:
    st.caption(f"Neo4j {ui.safe_uri(settings.uri)} · database `{settings.neo4j_database}`")
provenance.toggle(settings)
# A print view of any page: printing hides the sidebar, toolbar, widgets' chrome and download
# buttons; ?print=1 shows the page that way on screen too.
PRINT_RULES = ('[data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"], '
               '[data-testid="stStatusWidget"], [data-testid="stDownloadButton"], [data-testid="stSidebarCollapsedControl"] '
               '{display: none !important} [data-testid="stMainBlockContainer"] {padding-top: 1rem; max-width: 100%}')
st.html(f"<style>@media print {{ {PRINT_RULES} }}"
        + (f" {PRINT_RULES}" if st.query_params.get("print") == "1" else "") + "</style>")
with st.sidebar:
    here = urlencode([*[(k, v) for k in st.query_params if k != "print" for v in st.query_params.get_all(k)],
                      ("print", "1")])
    st.markdown(f"[Print view](?{here}) · [Glossary](glossary)", help="The page without the sidebar, ready to "
                "print or save as PDF (your browser's Print).")
started = time.perf_counter()
try:
    ui.refresh_data_version()
    page.run()
except ui.PageEnd:  # a page that ended early (ui.end_page) still gets its drawn mark
    pass
finally:
    # Last on every run (also after ui.end_page; not after st.stop): how long the page took, in a keyed container
    # the browser tests wait for.
    runs = st.session_state["_kb_runs"] = st.session_state.get("_kb_runs", 0) + 1
    with st.sidebar.container(key=f"kb_drawn_{runs}"):
        st.caption(f"Page drawn in {time.perf_counter() - started:.2f} s")
