"""`kb forget PERSON_ID`: remove one person from the knowledge base (e.g. on request).

In ONE write transaction: the :Person node, every relationship it takes part in (ties
in both directions, memberships, layer, locality, citations, originations, adoptions,
scores), its :Score nodes, its id in innovations' `originators` and adoptions'
`adopters` lists, and its id in the stored results of every analysis run (the carriers of
the layer block table, `block_carrier_ids`), and their survey data: their own :Respondent
records (answers and private link, in every round) are deleted, and other respondents'
answers lose them (named by id, or as someone not listed by the same name, ignoring case
and spacing; after a round closes such a person is named by the id they got); those runs are marked as no longer matching the
data (`forgotten_people`), so the named queries count from the ties until `kb analyse` runs
again. The :Load nodes keep only their per-table counts (no ids), so the
person's provenance trail survives as numbers only. The source files are not touched:
loading them again would bring the person back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from kb.store.analysis_runs import CARRIER_SEPARATOR
from kb.store.connection import KnowledgeBase
from kb.store.cypher import statement


class ForgetError(Exception):
    """No such person (nothing was changed)."""


@dataclass
class ForgetResult:
    person_id: str
    name: str | None
    relationships: dict[str, int] = field(default_factory=dict)
    scores: int = 0
    originator_lists: int = 0
    adopter_lists: int = 0
    analysis_runs: int = 0
    history_records: int = 0
    survey_respondents: int = 0
    survey_answers: int = 0

    def lines(self) -> list[str]:
        who = f"{self.name!r} ({self.person_id})" if self.name else self.person_id
        out = [f"Forgot person {who}."]
        for rel_type, n in sorted(self.relationships.items()):
            out.append(f"  {rel_type:<16}{n:>7}")
        out.append(f"  {'Score nodes':<16}{self.scores:>7}")
        if self.originator_lists or self.adopter_lists:
            out.append(f"  removed from the originators of {self.originator_lists} innovation(s) "
                       f"and the adopters of {self.adopter_lists} adoption(s)")
        if self.analysis_runs:
            out.append(f"  removed from the stored results of {self.analysis_runs} analysis run(s); they no "
                       "longer match the data (the named queries count from the ties) until `kb analyse` runs again")
        if self.history_records:
            out.append(f"  removed from {self.history_records} history record(s) (their id and name)")
        if self.survey_respondents:
            out.append(f"  deleted {self.survey_respondents} survey respondent record(s) (their answers and link)")
        if self.survey_answers:
            out.append(f"  removed from the survey answers of {self.survey_answers} respondent(s) (named, or as "
                       "someone not listed)")
        out.append("  backups made before now still hold the person: delete them, or forget again after a restore")
        return out


def forget_person(kb: KnowledgeBase, person_id: str) -> ForgetResult:
    from kb.store.writer import in_one_transaction

    def work(tx) -> ForgetResult:
        summary = tx.run(statement("admin/forget-person-summary"), id=person_id).single()
        if summary is None:
            other = tx.run(statement("admin/labels-of-id"), id=person_id).single()
            if other is not None:
                raise ForgetError(f"{person_id!r} is not a person (it is a {':'.join(other['labels'])}); "
                                  "nothing was changed")
            raise ForgetError(f"no person with id {person_id!r}; nothing was changed")
        result = ForgetResult(person_id, summary["name"],
                              {r["type"]: r["n"] for r in summary["relationships"]}, summary["scores"])
        mentions = tx.run(statement("admin/forget-person-mentions"), id=person_id).single()
        result.originator_lists, result.adopter_lists = mentions["originators"], mentions["adopters"]
        result.analysis_runs = tx.run(statement("admin/forget-person-in-runs"), id=person_id,
                                      sep=CARRIER_SEPARATOR).single()["runs"]
        changes = tx.run(statement("admin/forget-person-changes"), id=person_id, name=summary["name"]).data()
        rows = [scrub_change(c, person_id, summary["name"]) for c in changes]
        if rows:
            tx.run(statement("admin/forget-person-change-write"), rows=rows).consume()
        result.history_records = len(rows)
        result.survey_answers = forget_in_answers(tx, person_id, summary["name"])
        result.survey_respondents = tx.run(statement("surveys/forget-respondents"), id=person_id).single()["n"]
        tx.run(statement("admin/forget-person"), id=person_id).consume()
        return result

    return in_one_transaction(kb, work)


def forget_in_answers(tx, person_id: str, name: str | None) -> int:
    """Scrub the person from other respondents' survey answers; how many answers changed."""
    key = name_key(name)
    names = sorted(n for n in {key, json.dumps(key)[1:-1], name_key(json.dumps(name or "")[1:-1])} if n)
    rows = []
    for found in tx.run(statement("surveys/forget-answers"), id=person_id, names=names).data():
        scrubbed = scrub_answers(found["answers"], person_id, name)
        if scrubbed is not None:
            rows.append({"respondent": found["respondent"], "answers": scrubbed})
    if rows:
        tx.run(statement("surveys/forget-answers-write"), rows=rows).consume()
    return len(rows)


def name_key(name: str | None) -> str:
    return " ".join(str(name or "").split()).lower()


def scrub_answers(text: str | None, person_id: str, name: str | None) -> str | None:
    """Survey answers (JSON, kb/services/survey_answers.py) without the person: their id
    dropped from the people named, and anyone not listed with their name (ignoring case and
    spacing) or, after the round closed, their id dropped. None when nothing changed."""
    try:
        answers = json.loads(text or "{}")
    except ValueError:
        return None
    if not isinstance(answers, dict):
        return None
    named = answers.get("named") if isinstance(answers.get("named"), dict) else {}
    others = answers.get("others") if isinstance(answers.get("others"), list) else []
    key = name_key(name)
    kept = [o for o in others if not (isinstance(o, dict) and (o.get("person") == person_id
                                                               or (key and name_key(o.get("name")) == key)))]
    if person_id not in named and len(kept) == len(others):
        return None
    answers["named"] = {k: v for k, v in named.items() if k != person_id}
    answers["others"] = kept
    return json.dumps(answers, sort_keys=True)


FORGOTTEN = "[forgotten]"


def scrub_change(change: dict, person_id: str, name: str | None) -> dict:
    """A history record without the person: their own record's values emptied, their id
    dropped from lists (originators, adopters, organisations ...) and any other mention of
    their id or name replaced by FORGOTTEN."""
    words = [w for w in (person_id, name) if w]

    def text(value):
        if value is None:
            return None
        for word in words:
            value = value.replace(word, FORGOTTEN)
        return value

    def values(raw):
        try:
            data = json.loads(raw) if raw else {}
        except ValueError:
            return text(raw)
        if not isinstance(data, dict):
            return text(raw)
        out = {}
        for key, value in data.items():
            if isinstance(value, str) and ";" in value and person_id in value.split(";"):
                value = ";".join(v for v in value.split(";") if v != person_id)
            out[key] = text(value) if isinstance(value, str) else value
        return json.dumps(out)

    own = change["record_id"] == person_id
    return {"id": change["id"], "record_id": FORGOTTEN if own else change["record_id"],
            "before": "{}" if own else values(change["before"]), "after": "{}" if own else values(change["after"]),
            "reason": text(change["reason"]), "note": text(change["note"])}
