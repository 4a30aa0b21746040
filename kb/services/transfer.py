"""Assessing whether an innovation could transfer to a locality, and the transfer finder
that ranks candidates by that assessment (docs/transfer.md).

`assess` reads the facts in one query (the named query `transfer-assessment`: the
innovation, its elements and preconditions, the places it started and was adopted in, the
locality's profile, the candidate introduction chains with broker roles), then judges in
Python (kb/services/transfer_checks.py): problems matched exactly and by meaning, evidence,
outcomes where adopted (failures included) weighted by how alike those places are to the
target, each precondition met / unmet / unknown with its fact, which elements travel, and up
to three introduction paths (kb.analytics.paths). Every part of the score is kept, so the
ranking can be told in one sentence (`Assessment.reason`).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import asdict, dataclass, field

from kb.analytics.paths import MEMBERSHIP_COST, Link, cheapest_paths, tie_cost
from kb.services import InputError
from kb.services.transfer_checks import (elements_travel, match_problems, place_similarity, similar_problems,
                                         verdicts)
from kb.store.connection import KnowledgeBase
from kb.store.cypher import load_query, statement

# The weights of the score (docs/transfer.md "The score").
PER_EXACT_PROBLEM = 3.0
PER_MEANING_PROBLEM = 1.0
PER_EVIDENCE_LEVEL = 1.0
OUTCOME_POINTS = {"successful": 2.0, "promising": 1.0, "mixed": 0.0, "ongoing": 0.0, "unknown": 0.0, "failed": -2.0}
PLACES_WEIGHT = 2.0
PER_MET = 0.5
PER_UNMET = -4.0
INTRODUCTION_WEIGHT = 3.0
MAX_PATHS = 3
MAX_HOPS = 6
# The finder assesses at most this many candidates (the first by problems matched, evidence
# and successful adoptions); a bigger knowledge base is cut there, and says so.
MAX_ASSESSED = 60
BROKER_ROLES = ("hub", "gatekeeper", "pulsetaker")


# How a reason names a precondition the editors read into the source (the mark of
# kb/services/brief.py and the UI).
EDITORS_MARK = "⚖ editors' judgement"


class TransferInputError(InputError):
    """No such innovation or locality, or a finder without anything to match."""


@dataclass
class Assessment:
    innovation: dict
    locality: dict
    problems: dict
    evidence: dict
    places: list[dict]
    preconditions: list[dict]
    elements: list[dict]
    paths: list[dict]
    components: dict[str, float]
    score: float
    reason: str
    synthetic: bool
    flags: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def _year(date) -> int | None:
    text = str(date or "")[:4]
    return int(text) if text.isdigit() else None


def _paths(chains: list[dict]) -> list[dict]:
    """Up to MAX_PATHS cheapest distinct introduction paths out of the candidate chains."""
    if not chains:
        return []
    this_year = _dt.date.today().year
    names, links, starts, ends, details = {}, [], set(), set(), {}
    for chain in chains:
        nodes = chain["nodes"]
        for n in nodes:
            names[n["id"]] = n
        starts.add(nodes[0]["id"])
        ends.add(nodes[-1]["id"])
        for link in chain["links"]:
            cost = MEMBERSHIP_COST if link["type"] == "MEMBER_OF" else tie_cost(link["weight"], _year(link["date"]), this_year)
            links.append(Link(link["source"], link["target"], cost))
            pair = frozenset((link["source"], link["target"]))
            if pair not in details or cost < details[pair][0]:
                details[pair] = (cost, link)
    brokers = {i for i, n in names.items() if set(n["roles"]) & set(BROKER_ROLES)}
    out = []
    for ids, cost in cheapest_paths(links, starts, ends, brokers, k=MAX_PATHS):
        steps = [details[frozenset(pair)][1] for pair in zip(ids, ids[1:])]
        out.append({"actors": [names[a] for a in ids], "hops": len(ids) - 1, "cost": cost,
                    "brokers": [names[a]["name"] for a in ids if a in brokers],
                    "links": [{"type": s["type"], "network": s["network"], "weight": s["weight"], "date": s["date"],
                               "source": s["source"], "target": s["target"], "synthetic": s["synthetic"],
                               "cited": s.get("cited"), "section": s.get("section")} for s in steps],
                    "synthetic": any(s["synthetic"] for s in steps) or any(names[a].get("synthetic") for a in ids)})
    return out


def _outcomes(places: list[dict], target: dict) -> tuple[list[dict], float, float]:
    """Each place with its similarity to the target; the outcome points (weighted by
    similarity) and the best similarity."""
    out, points, best, best_place = [], 0.0, None, None
    for p in places:
        sim = place_similarity(target, p)
        weight = 0.5 + 0.5 * (sim["similarity"] if sim["similarity"] is not None else 0.0)
        gained = OUTCOME_POINTS.get(p.get("outcome") or "unknown", 0.0) * weight if p["role"] == "adoption" else 0.0
        points += gained
        if sim["similarity"] is not None and (best is None or sim["similarity"] > best):
            best, best_place = sim["similarity"], p["name"]
        out.append({"place": p["name"], "locality": p["id"], "role": p["role"], "year": p.get("year"),
                    "outcome": p.get("outcome") if p["role"] == "adoption" else None,
                    "adaptation": p.get("adaptation"), "elements": p.get("elements") or [],
                    "similarity": sim["similarity"], "similarity_parts": sim["parts"], "points": round(gained, 2),
                    "synthetic": p.get("synthetic", False), "source": p.get("source"),
                    "section": p.get("section")})
    return out, points, best or 0.0, best_place


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _reason(a: dict) -> str:
    c, parts = a["components"], []
    if a["problems"]["exact"]:
        parts.append(f"addresses {'; '.join(p['name'] for p in a['problems']['exact'])} (+{c['problems_exact']:g})")
    if a["problems"]["by_meaning"]:
        parts.append("by meaning " + "; ".join(f"{p['name']} ~ {p['like']}" for p in a["problems"]["by_meaning"])
                     + f" (+{c['problems_meaning']:g})")
    level = a["evidence"]["level"]
    parts.append(f"evidence level {level} (+{c['evidence']:g})" if level else "no evidence level recorded (+0)")
    adopted = [p for p in a["places"] if p["role"] == "adoption"]
    if adopted:
        parts.append("adopted in " + ", ".join(f"{p['place']} ({p['outcome'] or 'unknown'})" for p in adopted)
                     + f" ({c['outcomes']:+.1f})")
    if c["places"]:
        parts.append(f"the place where it has been most like {a['locality']['name']} is "
                     f"{a['evidence']['most_similar_place']} (similarity {a['evidence']['best_similarity']:.2f}, "
                     f"+{c['places']:.1f})")
    met = [v for v in a["preconditions"] if v["verdict"] == "met"]
    unknown = [v for v in a["preconditions"] if v["verdict"] == "unknown"]
    if met or unknown:
        judged = sum(1 for v in met + unknown if v.get("editors_judgement"))
        parts.append(f"{_plural(len(met), 'precondition')} met, {len(unknown)} unknown (+{c['preconditions_met']:g})"
                     + (f" ({judged} of them {EDITORS_MARK}s, not stated in the source)" if judged else ""))
    if a["paths"]:
        best = a["paths"][0]
        parts.append(f"introduction in {_plural(best['hops'], 'step')} via "
                     + " → ".join(x["name"] for x in best["actors"]) + f" (+{c['introduction']:.1f})")
    else:
        parts.append(f"no introduction within {_plural(a['max_hops'], 'step')} (+0)")
    text = f"{a['innovation']['name']}: score {a['score']:.1f} - " + ", ".join(parts)
    unmet = [v for v in a["preconditions"] if v["verdict"] == "unmet"]
    if unmet:
        text += "; ranked lower because unmet: " + "; ".join(
            f"{v['description'].rstrip('.')} ({v['fact']}" + (f"; {EDITORS_MARK})" if v.get("editors_judgement") else ")")
            for v in unmet) + f" ({c['preconditions_unmet']:g})"
    return text + "."


def assess_facts(facts: dict, max_hops: int = MAX_HOPS, include_synthetic: bool = True) -> Assessment:
    """The assessment from the row of the named query `transfer-assessment`. Without
    `include_synthetic`, introductions are looked for over sourced actors and ties only."""
    inn, here = facts["innovation"], facts["locality"]
    chains = facts["chains"] if include_synthetic else [
        c for c in facts["chains"]
        if not any(x.get("synthetic") for x in c["nodes"]) and not any(x.get("synthetic") for x in c["links"])]
    paths = _paths(chains)
    exact, by_meaning = match_problems(inn["problems"], here["problems"])
    places, outcome_points, best, best_place = _outcomes(facts["places"], here)
    checked = verdicts(facts["preconditions"], here)
    elements = elements_travel(facts["elements"], checked, facts["places"])
    level = inn.get("evidence_level")
    n_met = sum(v["verdict"] == "met" for v in checked)
    n_unmet = sum(v["verdict"] == "unmet" for v in checked)
    components = {
        "problems_exact": PER_EXACT_PROBLEM * len(exact),
        "problems_meaning": PER_MEANING_PROBLEM * len(by_meaning),
        "evidence": PER_EVIDENCE_LEVEL * (level or 0),
        "outcomes": round(outcome_points, 2),
        "places": round(PLACES_WEIGHT * best, 2),
        "preconditions_met": PER_MET * n_met,
        "preconditions_unmet": PER_UNMET * n_unmet,
        "introduction": round(INTRODUCTION_WEIGHT / paths[0]["cost"], 2) if paths else 0.0,
    }
    flags = []
    if level is None:
        flags.append("no evidence level recorded")
    if inn["here"]:
        flags.append(f"already originated or adopted in {here['name']}")
    synthetic = bool(inn["synthetic"] or here["synthetic"] or any(v["synthetic"] for v in checked))
    if synthetic:
        flags.append("includes synthetic (illustrative) data")
    a = {"innovation": {k: inn.get(k) for k in ("id", "name", "evidence_level", "synthetic", "transferability",
                                                 "source", "section")},
         "locality": {k: here.get(k) for k in ("id", "name", "country", "kind", "population", "synthetic",
                                               "source", "section")},
         "problems": {"exact": exact, "by_meaning": by_meaning},
         "evidence": {"level": level, "best_similarity": round(best, 2), "most_similar_place": best_place,
                      "failures": [p["place"] for p in places if p["outcome"] == "failed"]},
         "places": places, "preconditions": checked, "elements": elements, "paths": paths,
         "components": components, "score": round(sum(components.values()), 2), "max_hops": max_hops}
    reason = _reason(a)
    a.pop("max_hops")
    return Assessment(**a, reason=reason, synthetic=synthetic, flags=flags)


def _known(kb: KnowledgeBase, innovation: str, locality: str) -> None:
    row = kb.read(statement("transfer/known"), {"innovation": innovation, "locality": locality})[0]
    missing = [f"no {what} {value!r}" for what, value in (("innovation", innovation), ("locality", locality))
               if not row[what]]
    if missing:
        raise TransferInputError("There is " + " and ".join(missing) + " in the knowledge base.")


def _check_hops(max_hops: int) -> None:
    if not isinstance(max_hops, int) or not 0 <= max_hops <= MAX_HOPS:
        raise TransferInputError(f"the longest introduction path must be 0 to {MAX_HOPS} steps, not {max_hops!r}")


def assess(kb: KnowledgeBase, innovation: str, locality: str, *, max_hops: int = MAX_HOPS,
           timeout: float | None = None, include_synthetic: bool = True) -> Assessment:
    """Assess one innovation for one locality (TransferInputError when either is unknown)."""
    _check_hops(max_hops)
    q = load_query("transfer-assessment")
    rows = kb.read(q.text, {"innovation": innovation, "locality": locality, "max_hops": max_hops}, timeout=timeout)
    if not rows:
        _known(kb, innovation, locality)
        raise TransferInputError(f"Nothing to assess for {innovation!r} in {locality!r}.")
    return assess_facts(rows[0], max_hops, include_synthetic)


@dataclass
class TransferFinding:
    rows: list[dict]
    assessments: list[Assessment]
    cut: bool = False  # more candidates than MAX_ASSESSED


def problems_to_match(kb: KnowledgeBase, locality: str | None, problem: str | None) -> list[str]:
    """The locality's problems (and `problem`), with every problem like one of them by meaning."""
    row = kb.read(statement("transfer/problems"), {"locality": locality})[0]
    if locality and not row["locality_known"]:
        raise TransferInputError(f"There is no locality {locality!r} in the knowledge base.")
    wanted = set(row["faced"]) | ({problem} if problem else set())
    by_id = {p["id"]: p for p in row["problems"]}
    if problem and problem not in by_id:
        raise TransferInputError(f"There is no problem {problem!r} in the knowledge base.")
    like = similar_problems([by_id[w] for w in wanted if w in by_id],
                            [p for p in row["problems"] if p["id"] not in wanted])
    return sorted(wanted | like)


def find_transfers(kb: KnowledgeBase, locality: str | None = None, *, problem: str | None = None,
                   sector: str | None = None, min_evidence: int = 0, max_hops: int = MAX_HOPS,
                   include_unevidenced: bool = False, limit: int = 25, timeout: float | None = None,
                   include_synthetic: bool = True) -> TransferFinding:
    """Innovations elsewhere that could transfer to `locality` (or address `problem`, or are
    in `sector`), ranked by the assessment; unevidenced ones only when asked for, flagged."""
    if not (locality or problem or sector):
        raise TransferInputError("Give a locality, a problem or a sector to find innovations that could transfer.")
    _check_hops(max_hops)
    problems = problems_to_match(kb, locality, problem) if (locality or problem) else []
    if (locality or problem) and not problems:
        return TransferFinding([], [])
    candidates = kb.read(statement("transfer/candidates"), {
        "locality": locality, "problems": problems, "sector": sector, "min_evidence": min_evidence,
        "unevidenced": include_unevidenced, "limit": MAX_ASSESSED + 1}, timeout=timeout)
    cut = len(candidates) > MAX_ASSESSED
    assessments = []
    for c in candidates[:MAX_ASSESSED]:
        if locality:
            assessments.append(assess(kb, c["innovation"], locality, max_hops=max_hops, timeout=timeout,
                                      include_synthetic=include_synthetic))
    if not locality:  # a problem or a sector only: no place to assess against
        rows = [{"rank": n + 1, "innovation": c["innovation"], "name": c["name"], "score": None,
                 "evidence_level": c["evidence_level"],
                 "evidence_flag": "" if c["evidence_level"] is not None else "no evidence level recorded",
                 "reason": (f"addresses {', '.join(c['matched'])}" if c["matched"] else f"in sector {sector}")
                           + (f"; evidence level {c['evidence_level']}" if c["evidence_level"] else
                              "; no evidence level recorded"),
                 "shared_problems": c["matched"], "origin": None, "worked_in": [],
                 "unmet": [], "introduction_path": [], "introduction_hops": None,
                 "synthetic": bool(c.get("synthetic")), "innovation_synthetic": bool(c.get("synthetic")),
                 "editors_judgement": None}
                for n, c in enumerate(candidates[:limit])]
        return TransferFinding(rows, [], cut)
    assessments.sort(key=lambda a: (-a.score, a.innovation["name"]))
    rows = []
    for n, a in enumerate(assessments[:limit]):
        best = a.paths[0] if a.paths else None
        rows.append({"rank": n + 1, "innovation": a.innovation["id"], "name": a.innovation["name"], "score": a.score,
                     "evidence_level": a.evidence["level"],
                     "evidence_flag": "" if a.evidence["level"] is not None else "no evidence level recorded",
                     "reason": a.reason,
                     "shared_problems": [p["name"] for p in a.problems["exact"]],
                     "origin": next((p["place"] for p in a.places if p["role"] == "origin"), None),
                     "worked_in": [p["place"] for p in a.places if p["outcome"] in ("successful", "promising")],
                     "unmet": [v["precondition"] for v in a.preconditions if v["verdict"] == "unmet"],
                     "introduction_path": [x["name"] for x in best["actors"]] if best else [],
                     "introduction_hops": best["hops"] if best else None,
                     "path_synthetic": bool(best and best["synthetic"]),
                     "innovation_synthetic": bool(a.innovation["synthetic"]),
                     "editors_judgement": any(x.get("editors_judgement") for x in (*a.preconditions, *a.elements)),
                     "synthetic": bool(a.synthetic or (best and best["synthetic"]))})
    return TransferFinding(rows, assessments[:limit], cut)
