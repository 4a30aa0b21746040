"""Survey rounds, for editors (docs/surveys.md): create a round, draw its roster, issue
the private links (shown once), watch the response rate per layer and organisation, and
close the round into ties. It calls kb.services.surveys as `kb survey` does. For signed-in
editors and admins (ui/auth.py); and, the older way, behind the admin password when
KB_UI_ALLOW_WRITES is true and KB_UI_PASSWORD is set."""

import datetime as dt
import shutil
import tempfile
from pathlib import Path

import streamlit as st
from neo4j.exceptions import DriverError, Neo4jError

from kb.services import ServiceError
from kb.services.surveys import (add_roster, close_round, create_round, issue_tokens, list_rounds, localities,
                                 people_of, round_status)
from ui import auth, common as ui

settings = ui.settings()
st.title("Survey rounds")
acting = auth.writes_gate(settings, "editor", "srv",
                          "Running survey rounds needs the editor role: sign in as an editor.")

kb = ui.get_kb(settings)


def problems_table(exc: ServiceError, key: str) -> None:
    st.error(ui.scrub(str(exc), settings))
    if getattr(exc, "problems", None):
        ui.table(["file", "row", "column", "problem"],
                 [{"file": Path(p.file).name if p.file else "", "row": p.row, "column": p.column,
                   "problem": p.message} for p in exc.problems], key=key, stem="survey-problems")


def attempt(action, *args, key: str, **kwargs):
    """Run a service; show its refusal (with located problems) instead of a traceback."""
    try:
        return action(settings, kb, *args, **kwargs)
    except ServiceError as exc:
        problems_table(exc, key)
    except (Neo4jError, DriverError) as exc:
        ui.show_error(exc, "The survey action")
    return None


with st.expander("New round", expanded=not list_rounds(settings, kb)):
    places = {x["id"]: x["name"] for x in localities(settings, kb)}
    with st.form("srv_new"):
        locality = st.selectbox("Locality", list(places), format_func=lambda x: f"{places[x]} ({x})",
                                key="srv_locality")
        date = st.date_input("Date of the round (the ties' date)", value=dt.date.today(), key="srv_date")
        round_id = st.text_input("Round id (optional; default locality-date)", key="srv_round_id")
        config = st.file_uploader("Questions and scale (optional YAML/JSON; default: the seven networks, how often "
                                  "1-4)", type=["yaml", "yml", "json"], key="srv_config")
        create = st.form_submit_button("Create the round", type="primary", key="srv_create")
    if create and locality:
        folder = Path(tempfile.mkdtemp(prefix="kb-survey-config-"))
        try:
            path = None
            if config is not None:
                path = folder / ("config.json" if config.name.lower().endswith(".json") else "config.yaml")
                path.write_bytes(config.getvalue())
            made = attempt(create_round, locality, date.isoformat(), round_id=round_id.strip() or None,
                           config=path, user=acting, key="srv_create_problems")
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        if made:
            st.session_state["srv_round"] = made["id"]
            st.success(f"Created survey round {made['id']}.")

rounds = list_rounds(settings, kb)
if not rounds:
    st.info("No survey rounds yet: create one above.")
    ui.end_page()
ids = [r["round"] for r in rounds]
chosen = st.selectbox("Round", ids, key="srv_round",
                      format_func=lambda x: next(f"{r['round']} · {r['locality']} · {r['date']} · {r['status']}"
                                                 for r in rounds if r["round"] == x))
status = attempt(round_status, chosen, key="srv_status_problems")
if status is None:
    ui.end_page()
current = status.round
is_open = current["status"] == "open"
with st.expander("Questions and scale"):
    for q in current["questions"]:
        st.markdown(f"**{q['network']}** — {q['text']}")
    st.caption("Scale: " + "; ".join(f"{s['value']} = {s['label']}" for s in current["scale"]))

if is_open:
    st.subheader("Roster")
    everyone = people_of(settings, kb, current["locality"])
    on_roster = {r["person"] for r in status.roster}
    names = {p["person"]: f"{p['name']} ({p['layer']}; {', '.join(p['organisations']) or 'no organisation'})"
             for p in everyone}
    c1, c2 = st.columns(2)
    picked = c1.multiselect("Add people of the locality", [p for p in names if p not in on_roster],
                            format_func=names.get, key="srv_people")
    roster_csv = c2.file_uploader("…or a CSV with a `person` column of ids", type=["csv"], key="srv_roster_csv")
    if st.button("Add to the roster", key="srv_add", disabled=not (picked or roster_csv)):
        folder = Path(tempfile.mkdtemp(prefix="kb-roster-"))
        try:
            path = None
            if roster_csv is not None:
                path = folder / "roster.csv"
                path.write_bytes(roster_csv.getvalue())
            added = attempt(add_roster, chosen, people=picked, csv_path=path, user=acting, key="srv_roster_problems")
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        if added is not None:
            st.session_state["srv_note"] = f"Added {added} respondent(s)."
            st.rerun()
    if st.session_state.get("srv_note"):
        st.success(st.session_state.pop("srv_note"))

    st.subheader("Private links")
    st.caption("Each link is shown only once: the knowledge base keeps a hash of it, never the link. Send each "
               "respondent their own link now; a lost link can be replaced (the old one then stops working).")
    base = str(st.context.url or "").split("?")[0].rsplit("/", 1)[0] or "http://127.0.0.1:8501"
    lc1, lc2 = st.columns(2)
    if lc1.button("Issue links to respondents without one", key="srv_issue", type="primary"):
        links = attempt(issue_tokens, chosen, user=acting, key="srv_issue_problems")
        st.session_state["srv_links"] = [{"person": x.person, "name": x.name, "link": x.link(base)}
                                         for x in links or []]
    lost = lc2.selectbox("Replace the link of", ["", *sorted(on_roster)], key="srv_reissue_person")
    if lost and lc2.button("Replace this link", key="srv_reissue"):
        links = attempt(issue_tokens, chosen, people=[lost], reissue=True, user=acting,
                        key="srv_reissue_problems")
        st.session_state["srv_links"] = [{"person": x.person, "name": x.name, "link": x.link(base)}
                                         for x in links or []]
    shown = st.session_state.get("srv_links")
    if shown is not None:
        if shown:
            st.warning("Copy these links now: they are not shown again.")
            st.dataframe(shown, hide_index=True, key="srv_links_table",
                         column_config={"link": st.column_config.TextColumn("link", width="large")})
            ui.downloads(["person", "name", "link"], shown, "survey-links", key="srv_links_dl")
        else:
            st.info("Everyone on the roster has a link already.")
        if st.button("I have sent them: hide the links", key="srv_hide_links"):
            st.session_state.pop("srv_links", None)
            st.rerun()


@st.fragment(run_every=5 if is_open else None)
def response_rate() -> None:
    live = attempt(round_status, chosen, key="srv_live_problems")
    if live is None:
        return
    st.subheader("Response rate")
    m1, m2, m3 = st.columns(3)
    m1.metric("Respondents", live.respondents)
    m2.metric("Started", live.started)
    m3.metric("Submitted", f"{live.submitted} ({live.rate:.0%})")
    columns = ["respondents", "started", "submitted", "rate"]
    st.markdown("**Per layer**")
    ui.table(["layer", *columns], live.by_layer, key="srv_by_layer", stem="response-rate-by-layer")
    st.markdown("**Per organisation**")
    ui.table(["organisation", *columns], live.by_organisation, key="srv_by_org", stem="response-rate-by-organisation")
    with st.expander("Roster (who has a link, started, submitted; never their answers)"):
        ui.table(["name", "layer", "organisations", "link_issued", "started", "submitted"], live.roster,
                 key="srv_roster_table", stem="survey-roster")


response_rate()

if is_open:
    st.subheader("Close the round")
    st.caption("Closing refuses any further answers and writes the submitted answers as ties, dated "
               f"{current['date']} and tagged with the round, in one audited load"
               + (" (people pseudonymised)." if settings.kb_pseudonymise else "."))
    sure = st.checkbox("Yes, close this round now", key="srv_close_sure")
    if st.button("Close the round", key="srv_close", disabled=not sure):
        done = attempt(close_round, chosen, key="srv_close_problems",
                       user=(acting or "ui-password"))
        if done is not None:
            st.cache_data.clear()
            st.session_state["srv_closed"] = (f"Closed {chosen}: {done.ties} tie(s), {done.new_people} new "
                                              "people" + (f", load {done.load_id}." if done.load_id else "."))
            st.rerun()
else:
    st.success(st.session_state.pop("srv_closed", None) or
               f"This round is closed: {current.get('ties', 0)} tie(s) dated {current['date']} and tagged "
               f"{current['id']}" + (f", load {current['load_id']}." if current.get("load_id") else "."))
