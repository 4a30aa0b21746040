"""Network survey rounds (docs/surveys.md): create a round, draw its roster, issue the
respondents' private links, watch the response rate, and close it, which writes the
round's ties as one audited load through kb.services.loading.

A round (:SurveyRound) has a locality, a date, its questions (one per network type) and
a scale. Each respondent (:Respondent) is a person of the knowledge base; their private
link carries a token made by `secrets.token_urlsafe(32)`, shown once and stored only as
its SHA-256 hash. Answering is kb/services/survey_answers.py; the offline spreadsheet is
kb/services/survey_forms.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import secrets
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from kb.model import ENTITIES, ID_PATTERN, Problem
from kb.services import InputError, ServiceError
from kb.services.access import User, require
from kb.services.loading import LoadProblems, load_files, pseudonym_key
from kb.services.survey_answers import (SurveyProblems, now, parse_answers, token_hash, survey_source_id,
                                        ties_of_round)
from kb.services.survey_config import read_config, DEFAULT_QUESTIONS, DEFAULT_SCALE  # noqa: F401
from kb.settings import Settings
from kb.store import surveys as store
from kb.store.connection import KnowledgeBase
from kb.store.known_ids import known_ids
from loaders.pseudonymise import pseudonym

PSEUDONYM = re.compile(r"p-[0-9a-f]{16}")


class SurveyError(InputError):
    """A round that does not exist, is in the wrong state, or an option that cannot be used."""


@dataclass
class IssuedLink:
    """A respondent's private link, shown once: only the token's hash is stored."""

    respondent: str
    person: str
    name: str
    token: str

    def link(self, base_url: str) -> str:
        return f"{base_url.rstrip('/')}/?token={self.token}"


@dataclass
class RoundStatus:
    round: dict
    respondents: int
    started: int
    submitted: int
    by_layer: list[dict] = field(default_factory=list)
    by_organisation: list[dict] = field(default_factory=list)
    roster: list[dict] = field(default_factory=list)     # without anyone's answers

    @property
    def rate(self) -> float:
        return self.submitted / self.respondents if self.respondents else 0.0

    def as_dict(self) -> dict:
        return {"round": self.round, "respondents": self.respondents, "started": self.started,
                "submitted": self.submitted, "rate": round(self.rate, 3), "by_layer": self.by_layer,
                "by_organisation": self.by_organisation, "roster": self.roster}


@dataclass
class CloseResult:
    round: str
    ties: int
    new_people: int
    load_id: str | None
    pseudonymised: int = 0


def check_editor(user: User | str | None) -> None:
    """When a user is given (a kb.services.access.User), they must be an editor (or admin);
    AccessDenied otherwise. The CLI acts as access.cli_user() (an admin); a plain name (the
    UI's password mode) is only recorded as who closed the round."""
    if isinstance(user, User):
        require(user, "editor")


def stored_ids(settings: Settings, kb: KnowledgeBase, ids: list[str]) -> dict[str, str]:
    """Each id given (a roster's, --person) -> the id the person is stored under: with a
    pseudonym key configured, the pseudonym of a real id when a person has it (as `kb load
    --pseudonymise` stored them), else the id as given (a pseudonym, or a person loaded
    without pseudonyms)."""
    if not (settings.kb_pseudonym_key or settings.kb_pseudonym_key_file):
        return {i: i for i in ids}
    key = pseudonym_key(settings)
    alias = {i: i if PSEUDONYM.fullmatch(i) else pseudonym(key, i) for i in ids}
    found = {p["person"] for p in store.people(kb, ids=sorted(set(alias.values())))}
    return {i: a if a in found else i for i, a in alias.items()}


def get_round(kb: KnowledgeBase, round_id: str) -> dict:
    found = store.get_round(kb, round_id)
    if not found:
        raise SurveyError(f"No survey round {round_id!r}; `kb survey list` shows the rounds.")
    found["questions"] = json.loads(found["questions"])
    found["scale"] = json.loads(found["scale"])
    return found


def list_rounds(settings: Settings, kb: KnowledgeBase) -> list[dict]:
    return store.rounds(kb)


def localities(settings: Settings, kb: KnowledgeBase) -> list[dict]:
    """Where a round can be run: every locality (id, name)."""
    return store.localities(kb)


def people_of(settings: Settings, kb: KnowledgeBase, locality: str) -> list[dict]:
    """The people of a locality (person, name, layer, organisations), to pick a roster from."""
    return store.people(kb, locality=locality)


def create_round(settings: Settings, kb: KnowledgeBase, locality: str, date: str, *, round_id: str | None = None,
                 config: str | Path | None = None, user: User | None = None) -> dict:
    """A new open round of the locality on the date (YYYY-MM-DD); questions and scale from
    the config file (YAML or JSON) or the defaults. Refused when the id is taken."""
    check_editor(user)
    try:
        day = dt.date.fromisoformat(str(date).strip())
    except ValueError:
        raise SurveyError(f"date: {date!r} is not a date (YYYY-MM-DD)") from None
    round_id = (round_id or f"{locality}-{day.isoformat()}").strip()
    if not ID_PATTERN.match(round_id):
        raise SurveyError(f"round: {round_id!r} is not a valid id (lower-case letters, digits, '_', '.', '-')")
    questions, scale = read_config(config, settings.kb_network_types)
    if not store.locality_exists(kb, locality):
        raise SurveyError(f"locality: no locality {locality!r} in the knowledge base")
    values = {"id": round_id, "locality": locality, "date": day.isoformat(),
              "questions": json.dumps(questions), "scale": json.dumps(scale)}
    if not store.create_round(kb, values, now()):
        raise SurveyError(f"round: a survey round {round_id!r} exists already; give another id with --id")
    return get_round(kb, round_id)


def open_round(kb: KnowledgeBase, round_id: str) -> dict:
    found = get_round(kb, round_id)
    if found["status"] != "open":
        raise SurveyError(f"Survey round {round_id} is {found['status']}; its roster and links cannot change.")
    return found


def read_roster_csv(path: str | Path) -> tuple[list[tuple[str, int]], list[Problem]]:
    """Person ids (with their rows) from a CSV with a `person` column; problems located as
    file:row:column."""
    file = str(path)
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = [h.strip().lower() for h in (reader.fieldnames or [])]
            if "person" not in header:
                return [], [Problem(file, 1, "person", "a roster needs a `person` column (the people's ids)")]
            column = (reader.fieldnames or [])[header.index("person")]
            ids, problems, seen = [], [], {}
            for row in reader:
                row_number = reader.line_num
                person = (row.get(column) or "").strip()
                if not person:
                    problems.append(Problem(file, row_number, "person", "empty; give the person's id"))
                elif person in seen:
                    problems.append(Problem(file, row_number, "person",
                                            f"{person!r} is listed twice (first on row {seen[person]})"))
                else:
                    seen[person] = row_number
                    ids.append(person)
            return [(p, seen[p]) for p in ids], problems
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        return [], [Problem(file, None, None, f"cannot be read: {getattr(exc, 'strerror', None) or exc}")]


def add_roster(settings: Settings, kb: KnowledgeBase, round_id: str, *, locality: bool = False,
               people: list[str] | None = None, csv_path: str | Path | None = None, user: User | None = None) -> int:
    """Add respondents: the people of the round's locality, people by id, or the ids of a
    CSV's `person` column. Unknown ids refuse the whole roster (located). Returns how many
    were added (people already on the roster are kept as they are)."""
    check_editor(user)
    found = open_round(kb, round_id)
    ids: list[str] = list(people or [])
    problems: list[Problem] = []
    origin = {person: Problem("--person", None, None, "") for person in ids}
    if csv_path is not None:
        from_csv, problems = read_roster_csv(csv_path)
        for person, row in from_csv:
            origin.setdefault(person, Problem(str(csv_path), row, "person", ""))
        ids += [person for person, _ in from_csv]
    if locality:
        ids += [p["person"] for p in store.people(kb, locality=found["locality"])]
    if not ids and not problems:
        raise SurveyError("No people for the roster: give --locality, --person ids or --csv.")
    stored = stored_ids(settings, kb, list(dict.fromkeys(ids)))
    for given, as_stored in stored.items():
        if given in origin and as_stored != given:
            origin.setdefault(as_stored, origin[given])
    ids = [stored[person] for person in ids]
    known = {p["person"] for p in store.people(kb, ids=sorted(set(ids)))}
    for person in dict.fromkeys(ids):
        if person not in known:
            where = origin.get(person, Problem("--person", None, None, ""))
            problems.append(Problem(where.file, where.row, where.column, f"no person {person!r} in the knowledge base"))
    if problems:
        raise SurveyProblems(problems, f"Roster refused: {len(problems)} problem(s); nobody was added.")
    return store.add_to_roster(kb, round_id, list(dict.fromkeys(ids)), now())


def issue_tokens(settings: Settings, kb: KnowledgeBase, round_id: str, *, people: list[str] | None = None,
                 reissue: bool = False, user: User | None = None) -> list[IssuedLink]:
    """New private links for the respondents who have none (or, with `reissue`, for the
    given people or everyone, replacing their old links). The tokens are returned once;
    only their SHA-256 hashes are stored."""
    check_editor(user)
    open_round(kb, round_id)
    roster = store.roster(kb, round_id)
    if people:
        people = list(stored_ids(settings, kb, list(people)).values())
        unknown = sorted(set(people) - {r["person"] for r in roster})
        if unknown:
            raise SurveyError(f"Not on the roster of {round_id}: {', '.join(unknown)}")
        roster = [r for r in roster if r["person"] in people]
    chosen = [r for r in roster if reissue or not r["link_issued"]]
    links = [IssuedLink(r["respondent"], r["person"], r["name"], secrets.token_urlsafe(32)) for r in chosen]
    if links:
        store.set_token_hashes(kb, round_id, [{"respondent": x.respondent, "hash": token_hash(x.token)}
                                              for x in links], now())
    return links


def _rate_rows(groups: dict[str, list[dict]], key: str) -> list[dict]:
    rows = []
    for name, members in sorted(groups.items()):
        submitted = sum(1 for m in members if m["submitted"])
        rows.append({key: name, "respondents": len(members), "started": sum(1 for m in members if m["started"]),
                     "submitted": submitted, "rate": round(submitted / len(members), 3)})
    return rows


def round_status(settings: Settings, kb: KnowledgeBase, round_id: str) -> RoundStatus:
    """The response rate of the round, per layer and per organisation (a person in two
    organisations counts in both); the roster without anyone's answers."""
    found = get_round(kb, round_id)
    roster = store.roster(kb, round_id)
    by_layer: dict[str, list[dict]] = {}
    by_org: dict[str, list[dict]] = {}
    for r in roster:
        by_layer.setdefault(r["layer"] or "(no layer)", []).append(r)
        for org in r["organisations"] or [{"name": "(no organisation)"}]:
            by_org.setdefault(org["name"], []).append(r)
    shown = [{k: r[k] for k in ("respondent", "person", "name", "layer", "link_issued", "started", "submitted")}
             | {"organisations": "; ".join(o["name"] for o in r["organisations"])} for r in roster]
    return RoundStatus(found, len(roster), sum(1 for r in roster if r["started"]),
                       sum(1 for r in roster if r["submitted"]), _rate_rows(by_layer, "layer"),
                       _rate_rows(by_org, "organisation"), shown)


def _write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def close_round(settings: Settings, kb: KnowledgeBase, round_id: str, *, pseudonymise: bool | None = None,
                user: User | str | None = None) -> CloseResult:
    """Close the round: no answers are accepted after this. The submitted answers become
    ties (respondent -> named person, one per question answered, weight from the scale,
    dated with the round's date and tagged with its id) and the people not listed become
    new people; all of it is written as ONE load through kb.services.loading (validated,
    pseudonymised when configured, audited by its :Load record). If the load is refused
    the round stays open and nothing is written. The answers kept on the respondents then
    hold no name of anyone not listed: a submitted one names the person by the id they got
    (a pseudonym when people are pseudonymised), an unsubmitted one loses the name.
    `user`: an editor (a User), or the name recorded with the load."""
    check_editor(user)
    by = user.name if isinstance(user, User) else user
    found = get_round(kb, round_id)
    if found["status"] != "open":
        raise SurveyError(f"Survey round {round_id} is {found['status']} already"
                          + (f" (load {found['load_id']})." if found.get("load_id") else "."))
    if not store.move_round(kb, round_id, "open", "closing"):
        raise SurveyError(f"Survey round {round_id} is being closed by someone else; try again shortly.")
    try:
        result, answers = _write_round(settings, kb, found, pseudonymise, by)
    except BaseException:
        store.move_round(kb, round_id, "closing", "open")
        raise
    store.mark_closed(kb, round_id, {"closed_at": now(), "load_id": result.load_id, "ties": result.ties,
                                     "new_people": result.new_people}, answers)
    return result


def _write_round(settings: Settings, kb: KnowledgeBase, found: dict, pseudonymise: bool | None,
                 user: str | None) -> tuple[CloseResult, list[dict]]:
    roster = store.roster(kb, found["id"])
    answered = [(r, parse_answers(r["answers"])) for r in roster if r["submitted"]]
    lookup = known_ids(kb)
    ties, people = ties_of_round(found, answered, lambda ids: lookup("actors", ids))
    if not ties:
        return CloseResult(found["id"], 0, 0, None), _answers_at_close(roster, {})
    folder = Path(tempfile.mkdtemp(prefix="kb-survey-")) / f"survey-round-{found['id']}"
    folder.mkdir()
    try:
        source = {"id": survey_source_id(found["id"]), "year": found["date"][:4],
                  "title": f"Network survey round {found['id']} ({found['locality_name']}, {found['date']})",
                  "notes": "Answers collected with kb survey (docs/surveys.md)."}
        _write_csv(folder / "sources.csv", list(ENTITIES["sources"].column_names), [source])
        if people:
            _write_csv(folder / "people.csv", list(ENTITIES["people"].column_names), people)
        _write_csv(folder / "ties.csv", list(ENTITIES["ties"].column_names), ties)
        try:
            loaded = load_files(settings, kb, [folder], fmt="table", pseudonymise=pseudonymise, progress=False,
                                user=user)
        except LoadProblems as exc:
            raise SurveyProblems(exc.problems, f"The round's ties were refused ({len(exc.problems)} problem(s)); "
                                 "nothing was written and the round stays open.") from None
    finally:
        shutil.rmtree(folder.parent, ignore_errors=True)
    key = pseudonym_key(settings) if loaded.pseudonymised else None
    ids = {(p["name"].lower(), p["organisations"]): pseudonym(key, p["id"]) if key else p["id"] for p in people}
    return (CloseResult(found["id"], len(ties), len(people), loaded.load_id, loaded.pseudonymised),
            _answers_at_close(roster, ids))


def _answers_at_close(roster: list[dict], ids: dict) -> list[dict]:
    """The respondents' answers to keep once the round is closed: anyone not listed named
    by the id they got (submitted answers) or by nothing (unsubmitted ones), never by name."""
    rows = []
    for r in roster:
        answers = parse_answers(r["answers"])
        if not answers["others"]:
            continue
        others = []
        for other in answers["others"]:
            kept = {k: other.get(k) for k in ("organisation", "layer", "answers")}
            person = ids.get((str(other.get("name") or "").lower(), other.get("organisation"))) \
                if r["submitted"] else None
            others.append({"person": person, **kept} if person else kept)
        rows.append({"respondent": r["respondent"], "answers": json.dumps({**answers, "others": others},
                                                                          sort_keys=True)})
    return rows


__all__ = ["SurveyError", "SurveyProblems", "IssuedLink", "RoundStatus", "CloseResult", "create_round",
           "add_roster", "issue_tokens", "round_status", "close_round", "list_rounds", "get_round",
           "read_roster_csv", "localities", "people_of", "ServiceError"]
