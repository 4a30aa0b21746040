"""A respondent's survey form, reached only by their private link (`?token=...`); the
app shows a token visitor this page alone, without the navigation (ui/app.py). It shows
the respondent's own answers and nothing else of the knowledge base: the round's
questions, the roster to name from, and a way to add someone not listed. Answers are
saved (and resumed) and submitted through kb.services.survey_answers."""

import streamlit as st
from neo4j.exceptions import DriverError, Neo4jError

from kb.model import LAYERS
from kb.services.survey_answers import (RoundClosed, SurveyLinkRefused, SurveyProblems, open_form,
                                        save_answers)
from ui import common as ui

settings = ui.settings()
token = st.query_params.get("token")
st.title("Network survey")
try:
    form = open_form(settings, ui.get_kb(settings), token)
except SurveyLinkRefused as exc:
    st.error(str(exc))
    ui.end_page()
except (Neo4jError, DriverError):
    st.error("The survey cannot be reached just now; please try again in a few minutes.")
    ui.end_page()

scale = {s["value"]: s["label"] for s in form.round["scale"]}
questions = form.round["questions"]
state_key = f"svy_{form.respondent}"
if state_key not in st.session_state:          # the saved answers, once per visit: resumed
    saved = form.answers
    st.session_state[state_key] = {"others": [dict(o) for o in saved["others"]]}
    for q in questions:
        network = q["network"]
        chosen = [p for p, values in saved["named"].items() if network in values]
        chosen += [f"new:{n}" for n, o in enumerate(saved["others"]) if network in o["answers"]]
        st.session_state[f"svy_pick_{network}"] = chosen
        for person in chosen:
            value = (saved["named"].get(person) or {}).get(network) if not person.startswith("new:") else \
                saved["others"][int(person[4:])]["answers"].get(network)
            st.session_state[f"svy_how_{network}_{person}"] = value
work = st.session_state[state_key]
people = {r["person"]: f"{r['name']} · {', '.join(r['organisations']) or r['layer']}" for r in form.roster}
people.update({f"new:{n}": f"{o['name']} · not listed" for n, o in enumerate(work["others"])})

st.markdown(f"Hello **{form.name}**. This is the network survey of {form.round.get('locality_name') or form.round['locality']} "
            f"({form.round['date']}). For each question, name the people you go to and say how often. Your "
            "answers are seen only by the survey's editors; nobody on the list can see them. You can save and "
            "come back to this link later.")
if form.submitted:
    st.info("Your answers are submitted. You can still change them until the round closes.")

for n, q in enumerate(questions, start=1):
    network = q["network"]
    with st.container(border=True, key=f"svy_q_{network}"):
        st.markdown(f"**{n}. {q['text']}**")
        picked = st.multiselect("People (type to search the list)", list(people), format_func=people.get,
                                key=f"svy_pick_{network}", placeholder="Type a name")
        for person in picked:
            st.segmented_control(f"How often — {people[person].split(' · ')[0]}", list(scale),
                                 format_func=scale.get, key=f"svy_how_{network}_{person}")

with st.expander("Someone not on the list?"):
    with st.form("svy_other", clear_on_submit=True):
        name = st.text_input("Their name", key="svy_other_name")
        orgs = {o["id"]: o["name"] for o in form.organisations}
        organisation = st.selectbox("Their organisation", ["", *orgs], key="svy_other_org",
                                    format_func=lambda x: orgs.get(x, "(none of these / not known)"))
        layer = st.selectbox("Where they work", ["", *LAYERS], key="svy_other_layer",
                             format_func=lambda x: LAYERS.get(x, "(choose)"))
        added = st.form_submit_button("Add to the list")
    if added:
        if not name.strip() or not layer:
            st.error("Give their name and where they work, then add them again.")
        else:
            work["others"].append({"name": " ".join(name.split()), "organisation": organisation, "layer": layer,
                                   "answers": {}})
            st.rerun()
    for o in work["others"]:
        st.caption(f"Added: {o['name']} ({LAYERS[o['layer']]}) — name them under the questions above.")


def collect() -> tuple[dict, list[str]]:
    """The answers as the form shows them, and the people still without an answer to 'how often'."""
    named: dict[str, dict] = {}
    others = [{**o, "answers": {}} for o in work["others"]]
    missing = []
    for q in questions:
        network = q["network"]
        for person in st.session_state.get(f"svy_pick_{network}") or []:
            value = st.session_state.get(f"svy_how_{network}_{person}")
            if value is None:
                missing.append(f"{people[person].split(' · ')[0]} ({network})")
            elif person.startswith("new:"):
                others[int(person[4:])]["answers"][network] = value
            else:
                named.setdefault(person, {})[network] = value
    return {"named": named, "others": [o for o in others if o["answers"]]}, missing


def send(submit: bool) -> tuple[str, str]:
    """Save (or submit) what the form shows; (kind, message) to show until the next save."""
    answers, missing = collect()
    if missing:
        return "warning", "Say how often for: " + "; ".join(missing) + ". Nothing was saved."
    try:
        save_answers(settings, ui.get_kb(settings), token, answers, submit=submit)
    except SurveyProblems as exc:
        return "error", str(exc) + " " + "; ".join(f"{p.column}: {p.message}" for p in exc.problems)
    except (SurveyLinkRefused, RoundClosed) as exc:
        return "error", str(exc)
    except (Neo4jError, DriverError):
        return "error", "Your answers could not be saved just now; please try again in a few minutes."
    return "success", ("Thank you: your answers are submitted. You can change them until the round closes."
                       if submit else "Saved. Open your link again at any time to carry on.")


c1, c2 = st.columns(2)
if c1.button("Save and continue later", key="svy_save", use_container_width=True):
    st.session_state["svy_feedback"] = send(False)
if c2.button("Submit my answers", key="svy_submit", type="primary", use_container_width=True):
    st.session_state["svy_feedback"] = send(True)
if st.session_state.get("svy_feedback"):
    kind, message = st.session_state["svy_feedback"]
    getattr(st, kind)(message)
