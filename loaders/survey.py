"""Network survey edge lists: one row per nomination ("who do you go to for new ideas?").

Columns: `respondent`, `network` (a network type) or `question` (the question's text,
mapped to a network type by its words), `contact` (the person named), `strength`
(optional number), `date` (optional), plus the provenance columns. Each row becomes a
directed tie respondent -> contact. Both must be known actors (in this load or already
in the knowledge base).
"""

from __future__ import annotations

from kb.model import LoadBatch, Origin, PROVENANCE
from loaders.rows import make_record
from loaders.tables import Sheet, check_header

COLUMNS = ("respondent", "network", "question", "contact", "strength", "date", *PROVENANCE)

# Stephenson's network types and the words their survey questions use.
QUESTION_WORDS = (
    ("innovation", ("new idea", "ideas", "innovat", "kick around")),
    ("expertise", ("advice", "expert", "technical")),
    ("career", ("career", "future", "mentor")),
    ("learning", ("learn", "improve", "process")),
    ("strategic", ("strateg", "direction", "decision")),
    ("social", ("social", "check in", "friend", "lunch")),
    ("work", ("work", "daily", "information", "day-to-day")),
)


def is_survey(header: list[str]) -> bool:
    names = {h.strip().lower() for h in header}
    return {"respondent", "contact"} <= names


def network_for_question(question: str) -> str | None:
    text = question.lower()
    for network, words in QUESTION_WORDS:
        if any(w in text for w in words):
            return network
    return None


def load_survey_sheet(sheet: Sheet, batch: LoadBatch) -> None:
    sheet.header = [h.strip().lower() for h in sheet.header]
    sheet.rows = [(i, {k.strip().lower(): v for k, v in row.items() if k is not None}) for i, row in sheet.rows]
    if not check_header(sheet, COLUMNS, ("respondent", "contact"), batch):
        return
    if "network" not in sheet.header and "question" not in sheet.header:
        batch.problem(sheet.file, 1, "network", "a survey needs a `network` or a `question` column")
        return
    for index, row in sheet.rows:
        network = str(row.get("network") or "").strip()
        if not network and str(row.get("question") or "").strip():
            network = network_for_question(str(row["question"])) or ""
            if not network:
                batch.problem(sheet.file, index, "question",
                              f"cannot tell the network type of question {str(row['question'])[:80]!r}; "
                              "add a `network` column")
                continue
        tie = {"from": row.get("respondent"), "to": row.get("contact"), "network": network,
               "weight": row.get("strength"), "date": row.get("date")}
        tie.update({k: row[k] for k in PROVENANCE if k in row})
        make_record("ties", tie, Origin(sheet.file, index), batch)
