"""What an open form holds between runs, and saving it: the record and the version it
opened, the loader's problems per field, and a refused save over a newer version with the
differences to merge (keep mine / take theirs per field) before saving again.

Every write is kb.services.curation.save (validation with the loader's rules, provenance,
the audit record, one transaction); this module only calls it and keeps the answer.
"""

from __future__ import annotations

import streamlit as st

from kb.model import ENTITIES
from kb.services import ServiceError
from kb.services import access, curation
from ui import auth, forms
from ui import common as ui

OPEN = "cur_open"  # {"kind", "id" (None: a new record), "version"}


def opened() -> dict | None:
    return st.session_state.get(OPEN)


def state(kind: str, what: str):
    return st.session_state.get(f"cur_{what}_{kind}")


def set_state(kind: str, what: str, value) -> None:
    st.session_state[f"cur_{what}_{kind}"] = value


def clear(kind: str) -> None:
    for what in ("errors", "stale", "failed"):
        set_state(kind, what, None)


def open_record(kind: str, record_id: str | None) -> bool:
    """Fill the form with the stored record (or empty it for a new one) and remember the
    version it opened. False (after a message) when the record cannot be read."""
    record, version, marks = None, None, None
    if record_id:
        s = ui.settings()
        try:
            record, version = curation.fetch(s, ui.get_kb(s), kind, record_id)
            marks = curation.marks(s, ui.get_kb(s), kind, record_id)
        except ServiceError as exc:
            st.error(ui.scrub(str(exc), s))
            return False
    forms.seed(kind, record)
    forms.seed_provenance(kind, record, marks)
    clear(kind)
    st.session_state[OPEN] = {"kind": kind, "id": record_id, "version": version}
    return True


def ensure_open(kind: str, record_id: str | None) -> bool:
    held = opened()
    if held and held["kind"] == kind and held["id"] == record_id:
        return True
    return open_record(kind, record_id)


def problems_by_field(problems) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for p in problems:
        out.setdefault(p.column or "", []).append(str(p.message))
    return out


def save(kind: str) -> None:
    """The form's Save (a callback: it runs before the page is drawn again)."""
    s = ui.settings()
    held = opened() or {"kind": kind, "id": None, "version": None}
    user = auth.current_user(s)
    clear(kind)
    values = forms.values(kind)
    reason = (st.session_state.get(f"p_{kind}_reason") or "").strip()
    if not reason and held["id"] is None:
        reason = f"new {forms.label(kind)}"
    try:
        result = curation.save(s, ui.get_kb(s), user, kind, values, reason=reason,
                               provenance=forms.provenance_of(kind), expected_version=held["version"])
    except curation.RecordProblems as exc:
        set_state(kind, "errors", problems_by_field(exc.problems))
        return
    except curation.StaleVersion as exc:
        set_state(kind, "stale", {"current_version": exc.current_version, "message": ui.scrub(str(exc), s),
                                  "differences": {f: list(d) for f, d in exc.differences.items()}})
        return
    except (access.AccessDenied, ServiceError) as exc:
        set_state(kind, "failed", ui.scrub(str(exc), s))
        return
    st.cache_data.clear()  # the pickers, searches and pages show the new record
    st.session_state[OPEN] = {"kind": kind, "id": result.record_id, "version": result.version}
    st.session_state[f"p_{kind}_reason"] = ""
    if "id" in ENTITIES[kind].column_names:
        st.session_state[forms.key(kind, "id")] = result.record_id
    if "cur_record" in st.session_state:  # the page's record picker now shows the saved record
        st.session_state["cur_record"] = result.record_id
    st.session_state["cur_saved"] = {"kind": kind, "id": result.record_id, "version": result.version,
                                     "created": held["id"] is None}


def merge(kind: str) -> None:
    """Apply the merge choices (take theirs where chosen), then save over the newer version."""
    stale = state(kind, "stale")
    if not stale:
        return
    entity = ENTITIES[kind]
    for name, (_yours, stored) in stale["differences"].items():
        if st.session_state.get(f"merge_{kind}_{name}") == "theirs":
            column = entity.column(name)
            if column is not None and name not in forms.PROVENANCE_COLUMNS:
                st.session_state[forms.key(kind, name)] = forms.to_widget(column, stored)
            elif name in ("source", "section"):
                st.session_state[f"p_{kind}_{name}"] = stored or (None if name == "source" else "")
    held = opened() or {"kind": kind, "id": None}
    st.session_state[OPEN] = {**held, "version": stale["current_version"]}
    save(kind)


def discard(kind: str) -> None:
    """Drop my changes: open the stored record afresh."""
    held = opened()
    if held:
        st.session_state[OPEN] = None
        ensure_open(kind, held["id"])


def show_stale(kind: str) -> None:
    """Someone saved since this form opened: the differences, a choice per field, save again."""
    stale = state(kind, "stale")
    if not stale:
        return
    held = opened() or {}
    message = stale["message"] if stale["message"].startswith("Not saved") else f"Not saved: {stale['message']}"
    st.warning(f"{message} Choose per field which value to keep (you opened version {held.get('version')}; "
               f"the stored record is version {stale['current_version']}), then save again.",
               icon=":material/sync_problem:")
    for name, (yours, stored) in stale["differences"].items():
        c1, c2, c3 = st.columns([2, 3, 3])
        c1.markdown(f"**{name.replace('_', ' ')}**")
        c2.caption("yours")
        c2.text(yours if yours not in (None, "") else "(empty)")
        c3.caption("stored")
        c3.text(stored if stored not in (None, "") else "(empty)")
        st.radio(f"Keep for {name}", ["mine", "theirs"], key=f"merge_{kind}_{name}", horizontal=True,
                 format_func={"mine": "keep mine", "theirs": "take theirs"}.get)
    with st.container(horizontal=True):
        st.button("Save with these choices", on_click=merge, args=(kind,), key=f"merge_save_{kind}", type="primary",
                  icon=":material/merge:")
        st.button("Drop my changes", on_click=discard, args=(kind,), key=f"merge_drop_{kind}")


def render(kind: str) -> None:
    """The form of the open record: errors, the fields (the rest in an expander), the
    provenance block, the reason, Save."""
    held = opened() or {}
    errors = state(kind, "errors") or {}
    failed = state(kind, "failed")
    show_stale(kind)
    if failed:
        st.error(failed, icon=":material/block:")
    if errors:
        st.error(f"Not saved: {sum(map(len, errors.values()))} problem(s) with the values; nothing was written. "
                 "Each is shown under its field.", icon=":material/block:")
        known = {c.name for c in ENTITIES[kind].columns} | {"provenance", "note", "reason"}
        for column, messages in errors.items():
            if column not in known:
                for message in messages:
                    st.error(f"{column + ': ' if column else ''}{message}")
    first, rest = forms.fields(kind)
    editing = held.get("id") is not None
    with st.form(f"form_{kind}", enter_to_submit=False):
        for column in first:
            forms.field(kind, column, errors, locked=editing and column.name in ENTITIES[kind].key)
        more = [c for c in rest if errors.get(c.name)]
        with st.expander(f"More fields ({len(rest)})", expanded=bool(more)):
            for column in rest:
                forms.field(kind, column, errors)
        forms.provenance_block(kind, errors)
        st.text_input("Reason for this change" + (" *" if editing else ""), key=f"p_{kind}_reason",
                      placeholder="e.g. corrected the year from the source" if editing else f"new {forms.label(kind)}")
        for message in errors.get("reason", []):
            st.error(f"reason: {message}", icon=":material/error:")
        st.form_submit_button("Save changes" if editing else f"Add the {forms.label(kind)}", type="primary",
                              on_click=save, args=(kind,), key=f"save_{kind}", icon=":material/save:")
