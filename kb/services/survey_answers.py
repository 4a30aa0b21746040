"""Answering a survey round: a respondent's private link opens their own form and
nothing else; answers are checked against the round's roster, questions and scale, saved
(resumable) and submitted; closing the round turns them into ties (docs/surveys.md).

Answers, stored as JSON on the respondent:

    {"named": {"<person id>": {"<network>": <scale value>, ...}, ...},
     "others": [{"name": "...", "organisation": "<organisation id or empty>",
                 "layer": "<layer>", "answers": {"<network>": <scale value>}}]}
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
from dataclasses import dataclass, field

from kb.model import LAYERS, Problem
from kb.services import InputError
from kb.settings import Settings
from kb.store import surveys as store
from kb.store.connection import KnowledgeBase

MAX_OTHERS = 50
MAX_NAME = 200
REFUSED = ("This link does not open a survey. It may be mistyped or replaced by a newer link, or its round may "
           "be closed. Ask the person who sent it to you for a new link.")


class SurveyLinkRefused(InputError):
    """A token that opens nothing: guessed, altered, replaced or of a closed round (one message for all)."""

    def __init__(self):
        super().__init__(REFUSED)


class RoundClosed(InputError):
    """Answers sent after the round closed."""


class SurveyProblems(InputError):
    """Answers (or a roster, or a spreadsheet) with problems, each located; nothing was saved."""

    def __init__(self, problems: list[Problem], message: str | None = None):
        self.problems = list(problems)
        super().__init__(message or f"Answers refused: {len(self.problems)} problem(s); nothing was saved.")


@dataclass
class Form:
    """What a respondent's link shows: their round, the roster to name from, their own answers."""

    respondent: str
    person: str
    name: str
    round: dict                 # id, locality, date, questions, scale (no one else's data)
    roster: list[dict]          # person, name, layer, organisations (everyone but the respondent)
    organisations: list[dict]   # id, name, layer: for someone not listed
    answers: dict
    submitted: bool
    problems: list[Problem] = field(default_factory=list)


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def survey_source_id(round_id: str) -> str:
    return f"survey-{round_id}"


def parse_answers(text: str | None) -> dict:
    try:
        answers = json.loads(text or "{}")
    except ValueError:
        answers = {}
    answers = answers if isinstance(answers, dict) else {}
    return {"named": answers.get("named") or {}, "others": answers.get("others") or []}


def _round_view(found: dict) -> dict:
    keep = ("id", "locality", "locality_name", "date", "status")
    return {**{k: found.get(k) for k in keep}, "questions": json.loads(found["questions"]),
            "scale": json.loads(found["scale"])}


def _open(kb: KnowledgeBase, token: str | None) -> dict:
    if not isinstance(token, str) or not re.fullmatch(r"[A-Za-z0-9_\-]{20,100}", token):
        raise SurveyLinkRefused()
    found = store.respondent_by_hash(kb, token_hash(token))
    if not found or found["round"]["status"] != "open":
        raise SurveyLinkRefused()
    return found


def open_form(settings: Settings, kb: KnowledgeBase, token: str | None) -> Form:
    """The respondent's own form; SurveyLinkRefused (the same message) for a guessed,
    altered or replaced token and for a round that is not open."""
    found = _open(kb, token)
    view = _round_view(found["round"])
    roster = [{k: r[k] for k in ("person", "name", "layer")} | {"organisations": [o["name"] for o in r["organisations"]]}
              for r in store.roster(kb, view["id"]) if r["person"] != found["person"]]
    return Form(found["respondent"], found["person"], found["name"], view, roster, store.organisations(kb),
                parse_answers(found["answers"]), bool(found["submitted"]))


def scale_value(raw, scale_values: set, field_name: str, where: str, problems: list[Problem], row=None):
    """A scale value (None for blank / 0: not named in that network)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        number = float(raw) if not isinstance(raw, bool) else math.nan
    except (TypeError, ValueError):
        number = math.nan
    if number == 0:
        return None
    if number not in scale_values:
        shown = ", ".join(f"{v:g}" for v in sorted(scale_values))
        problems.append(Problem(where, row, field_name, f"{raw!r} is not on the round's scale ({shown})"))
        return None
    return int(number) if number.is_integer() else number


def check_answers(answers: dict, round_view: dict, roster_ids: set[str], self_person: str,
                  organisations: list[dict], where: str = "answers") -> tuple[dict, list[Problem]]:
    """Clean answers (blank values dropped) and the problems found, each located by field."""
    problems: list[Problem] = []
    networks = [q["network"] for q in round_view["questions"]]
    scale = {float(s["value"]) for s in round_view["scale"]}
    org_ids = {o["id"] for o in organisations}
    if not isinstance(answers, dict):
        return {"named": {}, "others": []}, [Problem(where, None, None, "expected the answers as a mapping")]
    named: dict[str, dict] = {}
    for person, values in (answers.get("named") or {}).items():
        if person == self_person:
            problems.append(Problem(where, None, f"named.{person}", "you cannot name yourself"))
            continue
        if person not in roster_ids:
            problems.append(Problem(where, None, f"named.{person}", "is not on this round's roster"))
            continue
        clean = {}
        for network, raw in (values or {}).items():
            if network not in networks:
                problems.append(Problem(where, None, f"named.{person}.{network}", "is not a question of this round"))
                continue
            value = scale_value(raw, scale, f"named.{person}.{network}", where, problems)
            if value is not None:
                clean[network] = value
        if clean:
            named[person] = clean
    others = []
    listed = answers.get("others") or []
    if len(listed) > MAX_OTHERS:
        problems.append(Problem(where, None, "others", f"at most {MAX_OTHERS} people not listed"))
        listed = listed[:MAX_OTHERS]
    for n, other in enumerate(listed, start=1):
        at = f"others[{n}]"
        if not isinstance(other, dict):
            problems.append(Problem(where, n, at, "expected name, organisation, layer and answers"))
            continue
        name = " ".join(str(other.get("name") or "").split())
        organisation = str(other.get("organisation") or "").strip()
        layer = str(other.get("layer") or "").strip()
        clean = {}
        for network, raw in (other.get("answers") or {}).items():
            if network not in networks:
                problems.append(Problem(where, n, f"{at}.{network}", "is not a question of this round"))
                continue
            value = scale_value(raw, scale, f"{at}.{network}", where, problems, n)
            if value is not None:
                clean[network] = value
        if not name and not organisation and not clean:
            continue  # an empty row
        if not name:
            problems.append(Problem(where, n, f"{at}.name", "the person's name is missing"))
        elif len(name) > MAX_NAME:
            problems.append(Problem(where, n, f"{at}.name", f"longer than {MAX_NAME} characters"))
        if layer not in LAYERS:
            problems.append(Problem(where, n, f"{at}.layer", f"{layer or '(blank)'!r} is not a layer "
                                    f"(one of {', '.join(LAYERS)})"))
        if organisation and organisation not in org_ids:
            problems.append(Problem(where, n, f"{at}.organisation",
                                    f"no organisation {organisation!r} in the knowledge base; choose one from the "
                                    "list or leave it blank"))
        if not clean:
            problems.append(Problem(where, n, f"{at}.answers", f"say how often for at least one question "
                                    f"({', '.join(networks)})"))
        others.append({"name": name, "organisation": organisation, "layer": layer, "answers": clean})
    return {"named": named, "others": others}, problems


def save_answers(settings: Settings, kb: KnowledgeBase, token: str | None, answers: dict, *,
                 submit: bool = False) -> dict:
    """Save the respondent's answers (all of them, replacing what was saved), checked
    first; `submit` marks them final (they still change until the round closes). Returns
    the clean answers. SurveyLinkRefused for a token that opens nothing, RoundClosed once
    the round is closed (or closing), SurveyProblems for bad answers (nothing saved)."""
    if not isinstance(token, str) or not re.fullmatch(r"[A-Za-z0-9_\-]{20,100}", token):
        raise SurveyLinkRefused()
    found = store.respondent_by_hash(kb, token_hash(token))
    if not found:
        raise SurveyLinkRefused()
    view = _round_view(found["round"])
    if view["status"] != "open":
        raise RoundClosed(f"Survey round {view['id']} has closed: answers are no longer accepted, and nothing "
                          "was saved. Thank you for taking part.")
    roster = {r["person"] for r in store.roster(kb, view["id"])}
    clean, problems = check_answers(answers, view, roster, found["person"], store.organisations(kb))
    if problems:
        raise SurveyProblems(problems)
    if not store.save_answers(kb, token_hash(token), json.dumps(clean, sort_keys=True), bool(submit), now()):
        raise RoundClosed(f"Survey round {view['id']} closed while you answered: answers are no longer accepted, "
                          "and nothing was saved.")
    return clean


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:40] or "person"


def ties_of_round(found: dict, answered: list[tuple[dict, dict]], taken_ids) -> tuple[list[dict], list[dict]]:
    """The ties (rows of the `ties` table) and new people (rows of `people`) of a round's
    submitted answers. `taken_ids(ids)` says which of these ids already exist; a new
    person's id is `<name>-<round>` (and a number when taken). The same name and
    organisation named by several respondents is one new person."""
    questions = [q["network"] for q in found["questions"]]
    source = survey_source_id(found["id"])
    base = {"date": found["date"], "round": found["id"], "source": source}
    ties, people, new_ids = [], [], {}
    wanted = {}
    for _, answers in answered:
        for other in answers["others"]:
            key = (other["name"].lower(), other["organisation"])
            wanted.setdefault(key, other)
    candidates = {key: f"{_slug(o['name'])}-{found['id']}" for key, o in wanted.items()}
    taken = set(taken_ids(set(candidates.values()))) if candidates else set()
    used: set[str] = set()
    for key, other in wanted.items():
        person_id, n = candidates[key], 1
        while person_id in taken or person_id in used:
            n += 1
            person_id = f"{candidates[key]}-{n}"
        used.add(person_id)
        new_ids[key] = person_id
        people.append({"id": person_id, "name": other["name"], "layer": other["layer"],
                       "organisations": other["organisation"], "locality": found["locality"], "source": source,
                       "section": "someone not listed",
                       "notes": f"Named in survey round {found['id']} (not on its roster)."})
    for respondent, answers in answered:
        me = respondent["person"]
        targets = [(person, values) for person, values in sorted(answers["named"].items())]
        targets += [(new_ids[(o["name"].lower(), o["organisation"])], o["answers"]) for o in answers["others"]]
        for person, values in targets:
            for network in questions:
                if network in values:
                    ties.append({"from": me, "to": person, "network": network, "weight": values[network],
                                 "section": f"question: {network}", **base})
    return ties, people
