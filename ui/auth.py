"""Who is using the app: sign-in and sign-out in the sidebar, the signed-in user kept in
the session with an expiry, and the role checks of the pages.

Passwords are checked by kb.services.access.authenticate (argon2 hashes in the graph, a
back-off per user and per address); this module only keeps the resulting User in
st.session_state for KB_UI_SESSION_MINUTES after the last page drawn (then it signs the
user out and says so). With KB_UI_OPEN_VIEWING (default true) nobody needs to sign in to
read; without it every page but the sign-in asks to sign in first.
"""

from __future__ import annotations

import hmac

import time

import streamlit as st

from kb.services import ServiceError
from kb.services import access
from kb.settings import Settings
from ui import common as ui

KEY = "kb_user"
MESSAGE = "kb_auth_message"
WHAT_ROLES_DO = {"viewer": "reads", "editor": "reads, adds and edits records",
                 "admin": "also imports files, undoes changes and marks records verified"}


def session_minutes(s: Settings) -> int:
    return int(getattr(s, "kb_ui_session_minutes", 60) or 60)


def open_viewing(s: Settings) -> bool:
    return bool(getattr(s, "kb_ui_open_viewing", True))


def current_user(s: Settings | None = None) -> access.User | None:
    """The signed-in user, or None (signed out, or the session has expired: then the next
    sign-in form says so). Each page drawn keeps the session alive for another
    KB_UI_SESSION_MINUTES."""
    s = s or ui.settings()
    held = st.session_state.get(KEY)
    if not held:
        return None
    now = time.time()
    if now > held["expires"]:
        del st.session_state[KEY]
        st.session_state[MESSAGE] = ("info", f"Your session expired after {session_minutes(s)} minutes without "
                                             "activity: sign in again.")
        return None
    held["expires"] = now + session_minutes(s) * 60
    return access.User(held["name"], held["role"])


def has_role(user: access.User | None, role: str) -> bool:
    """Does this user hold the role (a higher role includes the lower ones)? Checked by the
    service's own rule, so the UI and the services never disagree."""
    try:
        access.require(user, role)
    except access.AccessDenied:
        return False
    return True


def can_view(s: Settings | None = None) -> bool:
    s = s or ui.settings()
    return open_viewing(s) or current_user(s) is not None


def require(role: str) -> access.User:
    """The signed-in user when they hold the role; otherwise the service's refusal on the
    page (what role is needed, how to get it) and the page stops."""
    user = current_user()
    try:
        return access.require(user, role)
    except access.AccessDenied as exc:
        st.warning(f"{exc} " + ("Sign in in the sidebar." if user is None else
                                "Ask an admin for the role (`kb user role NAME ROLE`)."), icon=":material/lock:")
        ui.end_page()


def address() -> str:
    """The address the request came from, for the per-address back-off."""
    try:
        return st.context.ip_address or "local"
    except Exception:  # noqa: BLE001 - AppTest and older servers have no address
        return "local"


def _sign_in() -> None:
    s = ui.settings()
    name = (st.session_state.get("auth_name") or "").strip()
    password = st.session_state.get("auth_password") or ""
    st.session_state["auth_password"] = ""
    if not name or not password:
        st.session_state[MESSAGE] = ("error", "Type your user name and password.")
        return
    try:
        user = access.authenticate(s, ui.get_kb(s), name, password, address())
    except access.SignInRefused as exc:
        text, wait = ui.scrub(str(exc), s), getattr(exc, "retry_after", 0) or 0
        if wait > 0 and "again" not in text:  # the back-off: say how long to wait
            text += f" Wait {int(wait) + 1} s before the next try."
        st.session_state[MESSAGE] = ("error", text)
        return
    except ServiceError as exc:
        st.session_state[MESSAGE] = ("error", ui.scrub(str(exc), s))
        return
    st.session_state[KEY] = {"name": user.name, "role": user.role,
                             "expires": time.time() + session_minutes(s) * 60}
    st.session_state[MESSAGE] = None


def sign_out() -> None:
    st.session_state.pop(KEY, None)
    st.session_state[MESSAGE] = ("info", "Signed out.")


def show_message(where=st) -> None:
    message = st.session_state.get(MESSAGE)
    if message:
        kind, text = message
        (where.error if kind == "error" else where.info)(text)


def sign_in_form(where=None) -> None:
    """The sign-in form (in the sidebar by default)."""
    where = where or st.sidebar
    with where.form("kb_sign_in", clear_on_submit=False, border=True):
        st.markdown("**Sign in**")
        st.text_input("User name", key="auth_name", autocomplete="username")
        st.text_input("Password", type="password", key="auth_password", autocomplete="current-password")
        st.form_submit_button("Sign in", on_click=_sign_in, key="auth_submit", icon=":material/login:")
    show_message(where)


def sidebar(s: Settings) -> access.User | None:
    """Who is signed in (and a sign-out button), or the sign-in form."""
    user = current_user(s)
    if user is None:
        sign_in_form()
        if open_viewing(s):
            st.sidebar.caption("You can read without signing in; editors and admins sign in to change records.")
    else:
        st.sidebar.markdown(f"Signed in as **{user.name}** ({user.role}: {WHAT_ROLES_DO.get(user.role, '')})")
        st.sidebar.button("Sign out", on_click=sign_out, key="auth_sign_out", icon=":material/logout:")
    return user


def closed_page() -> None:
    """Instead of any page, when viewing is closed (KB_UI_OPEN_VIEWING=false) and nobody
    is signed in."""
    st.title("Sign in")
    st.info("This knowledge base is open to signed-in users only (KB_UI_OPEN_VIEWING is false): sign in "
            "in the sidebar to read it.", icon=":material/lock:")


def writes_gate(s: Settings, role: str, key: str, refusal: str) -> access.User | None:
    """Who may write on a page of the older kind (Import, Survey rounds): a signed-in user
    holding `role` (returned), or, when KB_UI_ALLOW_WRITES is true and KB_UI_PASSWORD is set,
    anyone who types that shared password (None is returned: the services then record the
    page's own name). Anyone else sees `refusal` or the password form, and the page stops."""
    user = current_user(s)
    if has_role(user, role):
        return user
    if not ui.import_enabled(s):
        st.error(refusal)
        ui.end_page()

    def check_password() -> None:
        typed = st.session_state.get(f"{key}_password") or ""
        ok = hmac.compare_digest(typed.encode("utf-8"), (s.kb_ui_password or "").encode("utf-8"))
        st.session_state[f"{key}_ok"] = ok
        st.session_state[f"{key}_password"] = ""
        st.session_state[f"{key}_denied"] = not ok

    if not st.session_state.get(f"{key}_ok"):
        with st.form(f"{key}_login"):
            st.text_input("Password", type="password", key=f"{key}_password")
            st.form_submit_button("Unlock", on_click=check_password, key=f"{key}_unlock")
        if st.session_state.get(f"{key}_denied"):
            st.error("Wrong password.")
        ui.end_page()
    return None
