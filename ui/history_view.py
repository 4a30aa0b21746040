"""A record's history, completeness and "verified by" mark, drawn for the record page;
admins get an Undo per change (with a reason) and a Verify button. Everything is read and
written through kb.services.curation."""

from __future__ import annotations

import json

import streamlit as st

from kb.services import ServiceError
from kb.services import access, curation
from ui import auth
from ui import common as ui

OPS = {"create": "created", "update": "edited", "undo": "undid a change", "load": "loaded (kb load)",
       "verify": "marked verified"}


def short(value) -> str:
    if value in (None, ""):
        return "(empty)"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 120 else text[:117] + "…"


def differences(change: curation.Change) -> list[dict]:
    """The fields a change touched: before → after."""
    before, after = change.before or {}, change.after or {}
    names = [n for n in dict.fromkeys([*after, *before]) if before.get(n) not in (None, "") or
             after.get(n) not in (None, "")]
    names = [n for n in names if before.get(n) != after.get(n)]
    return [{"field": n, "before": short(before.get(n)), "after": short(after.get(n))} for n in names]


def when(at: str) -> str:
    return str(at).replace("T", " ")[:19]


def verified_mark(kind: str, record_id: str) -> None:
    """Who verified the record, when, and whether it changed since."""
    s = ui.settings()
    try:
        marks = curation.marks(s, ui.get_kb(s), kind, record_id)
    except ServiceError as exc:
        st.caption(ui.scrub(str(exc), s))
        return
    if not marks.get("verified_by"):
        st.caption("Not verified yet (an admin can mark it verified).")
        return
    at = marks.get("verified_version")
    st.success(f"Verified by **{marks['verified_by']}** on {when(marks.get('verified_at') or '')}"
               + (f" (version {at})" if at is not None else ""), icon=":material/verified:")
    if at is not None and marks.get("version", 0) > int(at):
        st.caption(f"Changed since it was verified: now version {marks['version']}.")
    if marks.get("editors_judgement"):
        st.caption(f"Editors' judgement: {marks.get('editors_note') or ''}")


def completeness(kind: str, record_id: str) -> None:
    s = ui.settings()
    try:
        c = curation.completeness(s, ui.get_kb(s), kind, record_id)
    except ServiceError as exc:
        st.caption(ui.scrub(str(exc), s))
        return
    left, right = st.columns([1, 3])
    left.metric("Completeness", f"{c.score:.0%}", help="The share of the fields that matter for transfer "
                "that are filled (docs/curation.md gives the formula).")
    right.markdown("**Filled:** " + (", ".join(f.replace("_", " ") for f in c.filled) or "none"))
    right.markdown("**Missing:** " + (", ".join(f.replace("_", " ") for f in c.missing) or "nothing"))


def do_undo(change_id: str) -> None:
    s = ui.settings()
    reason = (st.session_state.get(f"undo_reason_{change_id}") or "").strip()
    try:
        if not reason:
            raise ValueError("Say why you undo this change (the reason box).")
        done = curation.undo(s, ui.get_kb(s), auth.current_user(s), change_id, reason)
    except ValueError as exc:
        st.session_state["hist_message"] = ("error", change_id, str(exc))
        return
    except (access.AccessDenied, ServiceError) as exc:
        st.session_state["hist_message"] = ("error", change_id, ui.scrub(str(exc), s))
        return
    st.cache_data.clear()
    st.session_state["hist_message"] = ("success", change_id, f"Undone: the record is back as it was before "
                                        f"that change (version {done.version}).")


def do_verify(kind: str, record_id: str) -> None:
    s = ui.settings()
    reason = (st.session_state.get("verify_reason") or "").strip() or "checked against the sources"
    try:
        curation.verify(s, ui.get_kb(s), auth.current_user(s), kind, record_id, reason)
    except (access.AccessDenied, ServiceError) as exc:
        st.session_state["hist_message"] = ("error", "verify", ui.scrub(str(exc), s))
        return
    st.cache_data.clear()
    st.session_state["hist_message"] = ("success", "verify", "Marked verified.")


def message_for(where: str) -> None:
    held = st.session_state.get("hist_message")
    if held and held[1] == where:
        (st.error if held[0] == "error" else st.success)(held[2])


def history(kind: str, record_id: str, user: access.User | None) -> None:
    s = ui.settings()
    try:
        changes = curation.history(s, ui.get_kb(s), record_id)
    except ServiceError as exc:
        st.error(ui.scrub(str(exc), s))
        return
    verified_mark(kind, record_id)
    admin = auth.has_role(user, "admin")
    if admin:
        with st.popover("Mark verified", icon=":material/verified:"):
            st.text_input("What you checked", key="verify_reason", placeholder="checked against the sources")
            st.button("Mark verified", on_click=do_verify, args=(kind, record_id), key="verify_do", type="primary")
        message_for("verify")
    st.subheader(f"History ({len(changes)} change{'s' if len(changes) != 1 else ''})")
    if not changes:
        st.caption("No change recorded for this record yet.")
    for change in changes:
        with st.container(border=True, key=f"change_{change.id}"):
            head = f"**{when(change.at)}** · **{change.user}** {OPS.get(change.op, change.op)} · version {change.version}"
            if change.undoes:
                head += f" · undoes `{change.undoes}`"
            st.markdown(head)
            if change.reason:
                st.markdown(f"Reason: {change.reason}")
            rows = differences(change)
            if rows and change.op not in ("verify", "load"):
                st.dataframe(rows, hide_index=True, key=f"change_rows_{change.id}",
                             column_config={"field": "field", "before": "before", "after": "after"})
            if admin and change.op not in ("verify", "load"):
                c1, c2 = st.columns([4, 1], vertical_alignment="bottom")
                c1.text_input("Reason for the undo", key=f"undo_reason_{change.id}",
                              placeholder="e.g. the edit contradicts the source")
                c2.button("Undo", key=f"undo_{change.id}", on_click=do_undo, args=(change.id,),
                          icon=":material/undo:")
            message_for(change.id)
