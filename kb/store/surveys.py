"""Survey rounds and respondents in Neo4j (cypher/surveys/): thin reads and writes for
kb.services.surveys. Tokens never reach this module: only their SHA-256 hashes."""

from __future__ import annotations

from kb.store.connection import KnowledgeBase
from kb.store.cypher import statement


def create_round(kb: KnowledgeBase, values: dict, at: str) -> bool:
    """False when a round with this id exists (nothing is changed then)."""
    return bool(kb.write(statement("surveys/round-create"), {"round": values, "at": at})[0]["created"])


def get_round(kb: KnowledgeBase, round_id: str) -> dict | None:
    rows = kb.read(statement("surveys/round"), {"round": round_id})
    return {**rows[0]["round"], "locality_name": rows[0]["locality_name"]} if rows else None


def rounds(kb: KnowledgeBase) -> list[dict]:
    return kb.read(statement("surveys/rounds"))


def locality_exists(kb: KnowledgeBase, locality: str) -> bool:
    return bool(kb.read(statement("surveys/locality"), {"locality": locality})[0]["found"])


def people(kb: KnowledgeBase, *, locality: str | None = None, ids: list[str] | None = None) -> list[dict]:
    return kb.read(statement("surveys/people"), {"locality": locality, "ids": ids})


def organisations(kb: KnowledgeBase) -> list[dict]:
    return kb.read(statement("surveys/organisations"))


def add_to_roster(kb: KnowledgeBase, round_id: str, person_ids: list[str], at: str) -> int:
    rows = kb.write(statement("surveys/roster-add"), {"round": round_id, "people": person_ids, "at": at})
    return int(rows[0]["added"] or 0) if rows else 0


def roster(kb: KnowledgeBase, round_id: str) -> list[dict]:
    return kb.read(statement("surveys/roster"), {"round": round_id})


def set_token_hashes(kb: KnowledgeBase, round_id: str, rows: list[dict], at: str) -> int:
    return int(kb.write(statement("surveys/tokens-set"), {"round": round_id, "rows": rows, "at": at})[0]["issued"])


def respondent_by_hash(kb: KnowledgeBase, token_hash: str) -> dict | None:
    rows = kb.read(statement("surveys/respondent-by-token"), {"hash": token_hash})
    return rows[0] if rows else None


def save_answers(kb: KnowledgeBase, token_hash: str, answers: str, submitted: bool, at: str) -> bool:
    """False when the hash opens nothing or the round is not open."""
    return bool(kb.write(statement("surveys/answers-save"),
                         {"hash": token_hash, "answers": answers, "submitted": submitted, "at": at}))


def import_answers(kb: KnowledgeBase, round_id: str, rows: list[dict], at: str) -> int:
    """Answers by respondent id (a filled-in spreadsheet), all in one transaction; 0 when the round is not open."""
    result = kb.write(statement("surveys/answers-import"), {"round": round_id, "rows": rows, "at": at})
    return int(result[0]["recorded"]) if result else 0


def move_round(kb: KnowledgeBase, round_id: str, from_status: str, to_status: str, extra: dict | None = None) -> bool:
    """Set the round's status to `to_status` if it is `from_status` now (False otherwise)."""
    return bool(kb.write(statement("surveys/round-status-set"),
                         {"round": round_id, "from": from_status, "to": to_status, "extra": extra or {}}))


def localities(kb: KnowledgeBase) -> list[dict]:
    return kb.read(statement("surveys/localities"))


def mark_closed(kb: KnowledgeBase, round_id: str, extra: dict, rows: list[dict]) -> bool:
    """Move a closing round to closed and store the rewritten answers (rows: respondent,
    answers) in the same transaction; False when the round was not closing."""
    return bool(kb.write(statement("surveys/round-closed"), {"round": round_id, "extra": extra, "rows": rows}))
