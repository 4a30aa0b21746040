"""The console's saved queries (kb/services/saved_queries.py): a signed-in user saves the
current query under a name, opens one of their saved queries (it runs at once) or deletes
it; each user sees only their own. Signed out, the page's URL is the bookmark."""

from __future__ import annotations

import json

import streamlit as st

from kb.services import ServiceError
from kb.services import saved_queries as service
from ui import auth
from ui import common as ui

OPENED = "con_saved_opened"   # a message after opening or deleting
AUTORUN = "con_autorun"       # the console runs the opened query once


def _open(user, name: str, own: str, named_keys) -> None:
    s = ui.settings()
    try:
        saved = service.get(s, ui.get_kb(s), user, name)
    except ServiceError as exc:
        st.session_state[OPENED] = ("error", ui.scrub(str(exc), s))
        return
    if saved.query:
        st.session_state["con_query"] = saved.query
        for param, key in named_keys(saved.query):
            if param in saved.params:
                st.session_state[key] = saved.params[param]
    else:
        st.session_state["con_query"] = own
        st.session_state["con_text"] = st.session_state["con_text_saved"] = saved.text
        text = json.dumps(saved.params, ensure_ascii=False, default=str)
        st.session_state["con_params_text"] = st.session_state["con_params_saved"] = text
    st.session_state[AUTORUN] = True
    st.session_state[OPENED] = ("info", f"Opened your saved query {saved.name!r}.")


def _delete(user, name: str) -> None:
    s = ui.settings()
    try:
        service.delete(s, ui.get_kb(s), user, name)
    except ServiceError as exc:
        st.session_state[OPENED] = ("error", ui.scrub(str(exc), s))
        return
    st.session_state[OPENED] = ("info", f"Deleted your saved query {name!r}.")


def show(current: dict, own: str, named_keys) -> None:
    """`current`: the query on the page ({"query": name} or {"text": cypher}, and "params");
    `named_keys(query)`: (parameter, widget key) pairs of a named query's form fields."""
    user = auth.current_user()
    st.subheader("Your saved queries")
    if user is None:
        st.caption("Sign in (sidebar) to save queries under names of your own. Signed out, this page's address "
                   "is the bookmark: it holds the query and its parameters, and opening it runs the query.")
        return
    message = st.session_state.pop(OPENED, None)
    if message:
        (st.error if message[0] == "error" else st.info)(message[1])
    s = ui.settings()
    with st.form("con_save_form", border=False):
        name = st.text_input("Save the query above (as last run) as", key="con_save_name",
                             max_chars=service.MAX_NAME_CHARS,
                             placeholder="a name of your own", help="Saves the query and parameters as last run (or "
                             "picked). Only you see your saved queries; saving under a name you used already "
                             "replaces that saved query.")
        if st.form_submit_button("Save query", icon=":material/bookmark_add:", key="con_save"):
            try:
                saved = service.save(s, ui.get_kb(s), user, name, **current)
            except ServiceError as exc:
                st.error(ui.scrub(str(exc), s))
            else:
                st.success(f"Saved as {saved.name!r}.")
    try:
        mine = service.list_saved(s, ui.get_kb(s), user)
    except ServiceError as exc:
        st.error(ui.scrub(str(exc), s))
        return
    if not mine:
        st.caption(f"No saved queries yet for {user.name}.")
        return
    by_name = {q.name: q for q in mine}
    pick = st.selectbox(f"{user.name}'s saved queries ({len(mine)})", list(by_name), key="con_saved_pick",
                        format_func=lambda n: f"{n} — " + (f"named query {by_name[n].query}" if by_name[n].query
                                                           else "own Cypher") + f", saved {by_name[n].saved_at}")
    left, right = st.columns(2)
    left.button("Open and run", key="con_saved_open", icon=":material/open_in_browser:",
                on_click=_open, args=(user, pick, own, named_keys))
    right.button("Delete", key="con_saved_delete", icon=":material/delete:", on_click=_delete, args=(user, pick))
