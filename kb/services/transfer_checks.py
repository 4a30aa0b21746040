"""The judgements of a transfer assessment, as pure functions of the facts that
cypher/transfer-assessment.cypher reads (docs/transfer.md gives every rule and weight):
problems matched exactly and by meaning, how alike two places are, each precondition met,
unmet or unknown with the fact behind it, and which elements travel."""

from __future__ import annotations

import numpy as np

from kb.meaning import document, embed
from kb.model import LAYERS

# -- problems by meaning ---------------------------------------------------------------------
# Two problems match by meaning when the cosine of their embeddings (kb/meaning.py, the
# vectors stored on each Problem by every load, as `kb find` uses them) is at least this
# (docs/transfer.md "Problems, by id and by meaning" has the measure behind the choice).
MEANING_THRESHOLD = 0.3


def problem_vector(p: dict) -> np.ndarray | None:
    """A problem's unit vector: the stored one, else computed from its name and description
    as a load computes it (a knowledge base loaded before embeddings existed)."""
    v = p.get("embedding")
    if v is None:
        v = embed([document([p.get("name"), p.get("description")])])[0]
    return None if v is None else np.asarray(v, dtype=float)


def meaning_similarity(a: dict, b: dict) -> float:
    """Cosine of two problems' embeddings (-1..1; 0 when either has no words)."""
    x, y = problem_vector(a), problem_vector(b)
    if x is None or y is None:
        return 0.0
    return float(x @ y / ((np.linalg.norm(x) * np.linalg.norm(y)) or 1.0))


def similar_problems(wanted: list[dict], others: list[dict]) -> set[str]:
    """The ids of `others` whose cosine with any of `wanted` is at least MEANING_THRESHOLD."""
    vw = [v for v in map(problem_vector, wanted) if v is not None]
    if not vw:
        return set()
    keep = [(p["id"], v) for p in others if (v := problem_vector(p)) is not None]
    if not keep:
        return set()
    m = np.array([v for _, v in keep]) @ np.array(vw).T
    return {pid for (pid, _), row in zip(keep, m) if row.max() >= MEANING_THRESHOLD}


def match_problems(addressed: list[dict], faced: list[dict]) -> tuple[list[dict], list[dict]]:
    """The problems the innovation addresses that the place faces (exactly), and for the
    others the closest problem the place faces when they match by meaning."""
    faced_ids = {p["id"] for p in faced}
    exact = [{"id": p["id"], "name": p["name"]} for p in addressed if p["id"] in faced_ids]
    by_meaning = []
    for p in addressed:
        if p["id"] in faced_ids:
            continue
        scored = sorted(((meaning_similarity(p, q), q) for q in faced), key=lambda t: (-t[0], t[1]["id"]))
        if scored and scored[0][0] >= MEANING_THRESHOLD:
            similarity, q = scored[0]
            by_meaning.append({"id": p["id"], "name": p["name"], "like": q["name"], "similarity": round(similarity, 2)})
    return exact, by_meaning


# -- places ----------------------------------------------------------------------------------
def place_similarity(here: dict, there: dict) -> dict:
    """How alike two places are: the mean of the parts both places have data for - same
    country (1/0), same kind of place (1/0), population (smaller / larger) and the problems
    they face (shared / all, Jaccard). `similarity` is None when no part can be compared."""
    parts: dict[str, float] = {}
    if here.get("country") and there.get("country"):
        parts["country"] = float(here["country"].strip().lower() == there["country"].strip().lower())
    if here.get("kind") and there.get("kind"):
        parts["kind"] = float(here["kind"].strip().lower() == there["kind"].strip().lower())
    if here.get("population") and there.get("population"):
        small, big = sorted((here["population"], there["population"]))
        parts["population"] = small / big if big else 1.0
    mine = {p["id"] if isinstance(p, dict) else p for p in here.get("problems") or []}
    theirs = set(there.get("problems") or [])
    if mine and theirs:
        parts["problems"] = len(mine & theirs) / len(mine | theirs)
    similarity = round(sum(parts.values()) / len(parts), 2) if parts else None
    return {"similarity": similarity, "parts": {k: round(v, 2) for k, v in parts.items()}}


# -- preconditions ---------------------------------------------------------------------------
def _same(a: str | None, b: str | None) -> bool:
    return (a or "").strip().lower() == (b or "").strip().lower()


def _type_matches(wanted: str | None, have: str | None) -> bool:
    """An organisation type matches when either names the other ("school" ~ "schools")."""
    if not wanted:
        return True
    w, h = wanted.strip().lower(), (have or "").strip().lower()
    return bool(h) and (w in h or h in w)


def _who(c: dict) -> str:
    parts = []
    if c.get("org_type"):
        parts.append(f"an organisation of type '{c['org_type']}'")
    if c.get("layer"):
        parts.append(f"an actor of the {c['layer']} layer ({LAYERS.get(c['layer'], c['layer']).lower()})")
    return " that is ".join(parts) if len(parts) < 2 else f"{parts[0]} in the {c['layer']} layer"


def check(c: dict, place: dict) -> tuple[str, str]:
    """(verdict, the fact behind it) of one precondition against a locality's profile.
    Unmet only when the place's own recorded fact contradicts the condition; when the
    knowledge base records nothing either way, unknown."""
    name, kind = place["name"], c.get("kind")
    if kind in ("support", "partner"):
        for k in place.get("kinds") or []:
            if (not c.get("layer") or k.get("layer") == c["layer"]) and _type_matches(c.get("org_type"), k.get("org_type")):
                what = ", ".join(x for x in (k.get("layer") and f"{k['layer']} layer", k.get("org_type")) if x)
                return "met", f"{k['example']} ({what}) is an actor of {name}" + (
                    f", one of {k['count']} such" if k["count"] > 1 else "")
        return "unknown", (f"no {_who(c)} is recorded in {name} ({place.get('actors', 0)} actors recorded); "
                           "the knowledge base may be incomplete")
    if kind == "funding":
        for f in place.get("funding") or []:
            if _type_matches(c.get("instrument_type"), f.get("type")):
                return "met", f"{f['name']} ({f.get('type')}) {f['how']} in {name}"
        return "unknown", f"no funding of type '{c.get('instrument_type')}' is recorded for {name}"
    if kind == "population":
        low, high = c.get("population_min"), c.get("population_max")
        band = f"{low or 0:,}-{high:,}" if high is not None else f"at least {low:,}"
        if place.get("population") is None:
            return "unknown", f"the population of {name} is not recorded (needs {band})"
        ok = (low is None or place["population"] >= low) and (high is None or place["population"] <= high)
        return ("met" if ok else "unmet"), f"{name} has a population of {place['population']:,} (needs {band})"
    if kind in ("place_kind", "country", "legal_system"):
        field = {"place_kind": "kind", "country": "country", "legal_system": "legal_system"}[kind]
        wanted = c.get(kind)
        what = {"place_kind": "kind of place", "country": "country", "legal_system": "legal system"}[kind]
        if not place.get(field):
            return "unknown", f"the {what} of {name} is not recorded (needs {wanted})"
        if _same(place[field], wanted):
            return "met", f"{name}'s {what} is {place[field]}"
        return "unmet", f"{name}'s {what} is {place[field]}, not {wanted}"
    if kind == "capacity":
        for have in place.get("capacities") or []:
            if _type_matches(c.get("capacity"), have):
                return "met", f"{name} records the capacity '{have}'"
        return "unknown", f"the capacity '{c.get('capacity')}' is not recorded for {name}"
    if kind == "problem":
        for p in place.get("problems") or []:
            if p["id"] == c.get("problem"):
                return "met", f"{name} faces {p['name']}"
        return "unknown", f"{name} is not recorded as facing {c.get('problem')}"
    return "unknown", f"no check for a precondition of kind {kind!r}"


def verdicts(preconditions: list[dict], place: dict) -> list[dict]:
    out = []
    for c in preconditions:
        verdict, fact = check(c, place)
        out.append({"precondition": c["id"], "kind": c.get("kind"), "description": c.get("description"),
                    "element": c.get("element"), "verdict": verdict, "fact": fact,
                    "editors_judgement": bool(c.get("editors_judgement")), "synthetic": bool(c.get("synthetic")),
                    "source": c.get("source"), "section": c.get("section")})
    return out


def elements_travel(elements: list[dict], checked: list[dict], places: list[dict]) -> list[dict]:
    """Each element: travels as it is, needs adapting, or unknown, and why; with what the
    adopters that used it changed (their adaptation)."""
    out = []
    for e in elements:
        unmet = [v["precondition"] for v in checked if v["element"] == e["id"] and v["verdict"] == "unmet"]
        changed = [{"place": p["name"], "adaptation": p["adaptation"]} for p in places
                   if p["role"] == "adoption" and e["id"] in (p.get("elements") or []) and p.get("adaptation")]
        if unmet:
            verdict, why = "adapt", "unmet here: " + ", ".join(unmet)
        elif e.get("travels") == "adapt":
            verdict, why = "adapt", e.get("transferability") or "recorded as needing adaptation"
        elif e.get("travels") == "as_is":
            verdict, why = "as_is", e.get("transferability") or "recorded as travelling as it is"
        else:
            verdict, why = "unknown", e.get("transferability") or "the source does not say"
        out.append({"element": e["id"], "name": e.get("name"), "kind": e.get("kind"), "verdict": verdict, "why": why,
                    "others_changed": changed, "editors_judgement": bool(e.get("editors_judgement")),
                    "synthetic": bool(e.get("synthetic")), "source": e.get("source"), "section": e.get("section")})
    return out
