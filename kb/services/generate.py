"""A synthetic knowledge base, for tests, demos and benchmarks (`kb generate`).

Writes the CSV tables of docs/casebase-format.md into a folder: sources, problems,
localities, organisations, people, innovations, adoptions and ties. Everything is
SYNTHETIC (every row has synthetic=true and cites the one source `synthetic_generator`);
all ids start with `syn_`, so a generated load never touches real records.

The structure follows the model of the Transformers report (Young Foundation/NESTA 2008):

- localities of varied size (log-normal; `population` 100 times its people), each facing a few problems;
- actors in five layers: national bodies (shared by all localities, no locality of their
  own), and per locality local authority, sectoral, frontline and community actors, about
  8% organisations and 92% people; people are members of organisations of their locality
  (local authority officers of a council, sectoral managers and frontline staff of
  services, residents of community groups; some also sit on a community group);
- directed ties in the seven network types with a core-periphery structure per locality:
  a dense core of local authority officers and sectoral managers tied in every network,
  strong sectoral-frontline links, a sparse community periphery (one or two ties each,
  mostly to frontline staff), thin links to national bodies and a few cross-locality ties
  between peers; within a block a few hubs draw many more ties (skewed choice);
- innovations with an origin locality, problems that locality faces, a sector, a
  lifecycle stage and a Nesta evidence level (higher in later stages), originators from
  the origin locality and, for implemented ones, adoptions elsewhere (diffusion): more
  and better outcomes with better evidence, preferring localities that face the same
  problem, with an `innovation` tie from an adopter to an originator.

Deterministic: the same parameters and seed give byte-identical files (numpy's PCG64
stream, for a given numpy version). Vectorised with numpy: 100k actors and 1M ties take
a few seconds and a few hundred MB.
"""

from __future__ import annotations

import csv
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from kb.model import ENTITIES, LAYER_ORDER
from kb.synthetic.population import Population, draw_ties, pick, synthetic_ids
from kb.synthetic.world import (ADOPTION_LAMBDA, COM, COMMUNITY_ORG_TYPES, COUNTRIES, FL, LA, LA_ORG_TYPES,
                                LOCALITY_KINDS, MIN_ACTORS_PER_LOCALITY, NAT, NATIONAL_ORG_TYPES, NETWORKS,
                                OUTCOMES, PROBLEMS, ROLES, SEC, SECTORAL_TYPES, SECTORS, SOURCE_ID, STAGE_EVIDENCE_P,
                                STAGE_P, STAGES)

TABLES = ("sources", "problems", "localities", "organisations", "people", "innovations", "adoptions", "ties")
HEADERS = {name: list(ENTITIES[name].column_names) for name in TABLES}
_TAIL = [SOURCE_ID, "", "true", ""]       # source, section, synthetic, notes


@dataclass
class Generated:
    """What `generate` wrote: rows per table, the folder and the seconds it took."""

    out_dir: Path
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

def _write(path: Path, header: list[str], rows) -> int:
    n = 0
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        for chunk in rows:
            writer.writerows(chunk)
            n += len(chunk)
    return n


def _check(localities: int, actors: int, ties: int, innovations: int) -> None:
    if localities < 1:
        raise ValueError("--localities must be at least 1")
    if actors < MIN_ACTORS_PER_LOCALITY * localities + 2:
        raise ValueError(f"--actors must be at least {MIN_ACTORS_PER_LOCALITY} per locality plus 2 national "
                         f"actors ({MIN_ACTORS_PER_LOCALITY * localities + 2} for {localities} localities)")
    if ties < 0 or innovations < 0:
        raise ValueError("--ties and --innovations cannot be negative")
    if ties > actors * 10_000:
        raise ValueError("--ties is too large for this many actors (at most 10,000 per actor)")


def generate(out_dir: str | Path, localities: int = 20, actors: int = 2000, ties: int = 20_000,
             innovations: int = 200, seed: int = 42) -> Generated:
    """Write a synthetic knowledge base into `out_dir` (created if needed)."""
    _check(localities, actors, ties, innovations)
    started = time.perf_counter()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    result = Generated(out)
    L = localities
    pop = Population(rng, L, actors)
    ids = pop.ids
    layer_names = LAYER_ORDER

    # -- problems and localities --------------------------------------------------------
    problem_ids = [f"syn_{p[0]}" for p in PROBLEMS]
    loc_ids = synthetic_ids("loc", L)
    n_problems = 2 + rng.binomial(3, 0.4, size=L)
    loc_problems = [np.sort(rng.choice(len(PROBLEMS), size=k, replace=False)) for k in n_problems]
    faces = np.zeros((L, len(PROBLEMS)), dtype=bool)
    for i, ps in enumerate(loc_problems):
        faces[i, ps] = True
    country = rng.integers(0, len(COUNTRIES), size=L)
    region = rng.integers(0, 6, size=L)
    kind = rng.integers(0, len(LOCALITY_KINDS), size=L)
    loc_rows = []
    for i in range(L):
        c, regions = COUNTRIES[country[i]]
        loc_rows.append([loc_ids[i], f"Synthetic locality {i:04d}", c, regions[region[i] % len(regions)],
                         LOCALITY_KINDS[kind[i]], ";".join(problem_ids[p] for p in loc_problems[i]),
                         str(int(pop.loc_people[i]) * 100), "", "", "", "", "", *_TAIL])  # ..., latitude, longitude

    # -- organisations ------------------------------------------------------------------
    o_block = pop.org_block
    o_loc, o_layer = o_block // 5, o_block % 5
    o_sector = rng.integers(0, len(SECTORS), size=pop.n_orgs)
    o_pick = rng.integers(0, 1 << 30, size=pop.n_orgs)
    first_of_block = np.r_[True, o_block[1:] != o_block[:-1]]
    org_rows = []
    for i in range(pop.n_orgs):
        layer, loc = o_layer[i], o_loc[i]
        sector = ""
        if layer == NAT:
            org_type = NATIONAL_ORG_TYPES[o_pick[i] % len(NATIONAL_ORG_TYPES)]
            sector = SECTORS[o_sector[i]] if o_pick[i] % 3 else ""
        elif layer == LA:
            org_type = "local authority" if first_of_block[i] else LA_ORG_TYPES[o_pick[i] % len(LA_ORG_TYPES)]
        elif layer == SEC:
            sector = SECTORS[o_sector[i]]
            org_type = SECTORAL_TYPES[o_sector[i]]
        elif layer == FL:
            sector = SECTORS[o_sector[i]]
            org_type = "frontline team"
        else:
            org_type = COMMUNITY_ORG_TYPES[o_pick[i] % len(COMMUNITY_ORG_TYPES)]
        name = f"{org_type.capitalize()} {ids[i][5:]} (synthetic)"
        org_rows.append([ids[i], name, org_type, layer_names[layer], loc_ids[loc] if loc < L else "", sector, "",
                         *_TAIL])

    # -- people and their organisations -------------------------------------------------
    p_block = pop.ppl_block
    p_loc, p_layer = p_block // 5, p_block % 5
    n_people = pop.n_people
    # Main organisation: same locality; frontline staff half in a service, half in a team;
    # 60% of community members belong to a community group.
    org_layer_for = np.array([NAT, LA, SEC, FL, COM])[p_layer]
    frontline_in_service = (p_layer == FL) & (rng.random(n_people) < 0.5)
    org_layer_for[frontline_in_service] = SEC
    has_org = (p_layer != COM) | (rng.random(n_people) < 0.6)
    main = pick(rng, pop.org_start[p_loc, org_layer_for], pop.org_counts[p_loc, org_layer_for], 1.3)
    has_org &= pop.org_counts[p_loc, org_layer_for] > 0
    # Some staff also sit on a community group of their locality.
    second = pick(rng, pop.org_start[p_loc, COM], pop.org_counts[p_loc, COM], 1.0)
    has_second = (p_layer != COM) & (p_layer != NAT) & (rng.random(n_people) < 0.1) & \
        (pop.org_counts[p_loc, COM] > 0)
    role = rng.integers(0, 1 << 30, size=n_people)
    person_rows = []
    for j in range(n_people):
        i = pop.n_orgs + j
        layer, loc = p_layer[j], p_loc[j]
        roles = ROLES[layer]
        r = roles[role[j] % len(roles)]
        orgs = ids[main[j]] if has_org[j] else ""
        if has_second[j]:
            orgs = f"{orgs};{ids[second[j]]}" if orgs else ids[second[j]]
        person_rows.append([ids[i], f"{r} {ids[i][5:]} (synthetic)", r, layer_names[layer], orgs,
                            loc_ids[loc] if loc < L else "", "", *_TAIL])

    # -- innovations and adoptions (diffusion) --------------------------------------------
    inn_ids = synthetic_ids("inn", innovations)
    loc_w = pop.loc_people / pop.loc_people.sum()
    origin = rng.choice(L, size=innovations, p=loc_w)
    stage = rng.choice(len(STAGES), size=innovations, p=STAGE_P)
    evidence = 1 + rng.binomial(4, np.asarray(STAGE_EVIDENCE_P)[stage])
    sector = rng.integers(0, len(SECTORS), size=innovations)
    year = rng.integers(1995, 2024, size=innovations)
    n_adopt = rng.poisson(np.asarray(ADOPTION_LAMBDA)[stage] * (0.5 + 0.35 * evidence))
    n_adopt = np.minimum(n_adopt, L - 1)
    derived = (rng.random(innovations) < 0.08) & (np.arange(innovations) > 0)
    inn_rows, adoption_rows = [], []
    diff_from, diff_to = [], []
    for k in range(innovations):
        loc = origin[k]
        faced = loc_problems[loc]
        probs = rng.choice(faced, size=min(len(faced), 1 + rng.binomial(2, 0.4)), replace=False)
        # Originators: 1-3 people of the origin locality's local authority, sectoral or frontline layer.
        start = pop.ppl_start[loc, LA]
        span = pop.ppl_counts[loc, LA] + pop.ppl_counts[loc, SEC] + pop.ppl_counts[loc, FL]
        originators = sorted({int(start + x) for x in
                              (span * rng.random(1 + rng.binomial(2, 0.3)) ** 1.5).astype(np.int64)})
        problem_names = " and ".join(PROBLEMS[p][1].lower() for p in probs)
        inn_rows.append([
            inn_ids[k], f"Synthetic {SECTORS[sector[k]]} innovation {inn_ids[k][7:]}",
            f"A synthetic {SECTORS[sector[k]]} innovation from {loc_ids[loc]} addressing {problem_names}.",
            SECTORS[sector[k]], ";".join(problem_ids[p] for p in probs), STAGES[stage[k]], str(evidence[k]),
            "", "", "", "", "", loc_ids[loc], str(year[k]), ";".join(ids[o] for o in originators),
            inn_ids[rng.integers(0, k)] if derived[k] else "", "", "", *_TAIL])
        if n_adopt[k] == 0:
            continue
        # Adopting localities: other places, preferring those that face the same first problem.
        same = np.flatnonzero(faces[:, probs[0]])
        same = same[same != loc]
        chosen: list[int] = []
        for _ in range(4 * int(n_adopt[k])):
            if len(chosen) == n_adopt[k]:
                break
            if len(same) and rng.random() < 0.7:
                cand = int(same[rng.integers(0, len(same))])
            else:
                cand = int((loc + 1 + rng.integers(0, L - 1)) % L)
            if cand not in chosen:
                chosen.append(cand)
        for where in sorted(chosen):
            a_start = pop.ppl_start[where, LA]
            a_span = pop.ppl_counts[where, LA] + pop.ppl_counts[where, SEC]
            adopters = sorted({int(a_start + x) for x in
                               (a_span * rng.random(1 + rng.binomial(1, 0.4)) ** 1.5).astype(np.int64)})
            p_out = np.array([0.12 + 0.08 * evidence[k], 0.25, 0.15, 0.12 - 0.02 * evidence[k], 0.2, 0.1])
            outcome = OUTCOMES[rng.choice(len(OUTCOMES), p=p_out / p_out.sum())]
            adopted = min(2025, int(year[k]) + 1 + int(rng.geometric(0.4)))
            adaptation = "Adapted to local services (synthetic)" if rng.random() < 0.3 else ""
            adoption_rows.append([inn_ids[k], loc_ids[where], str(adopted), outcome, adaptation,
                                  ";".join(ids[a] for a in adopters), "", *_TAIL])
            diff_from.append(adopters[0])
            diff_to.append(originators[0])

    # -- ties -----------------------------------------------------------------------------
    # The adopters' innovation ties to an originator come first (kept when ties allow).
    seeded = (np.array(diff_from, dtype=np.int64), np.array(diff_to, dtype=np.int64),
              np.full(len(diff_from), NETWORKS.index("innovation"), dtype=np.int8),
              np.full(len(diff_from), 3, dtype=np.int8))
    a, b, net, w = draw_ties(rng, pop, ties, seeded)
    has_date = rng.random(ties) < 0.6
    dates = np.where(has_date, rng.integers(2000, 2025, size=ties), 0)

    def tie_lines(chunk: int = 100_000):
        # Ids, network names and numbers never need CSV quoting: format lines directly.
        net_names = list(NETWORKS)
        tail = ",," + ",".join(_TAIL) + "\n"  # round (none), then the provenance
        for s in range(0, ties, chunk):
            e = min(ties, s + chunk)
            yield "".join([f"{ids[x]},{ids[y]},{net_names[n]},{v},{d or ''}{tail}"
                           for x, y, n, v, d in zip(a[s:e].tolist(), b[s:e].tolist(), net[s:e].tolist(),
                                                    w[s:e].tolist(), dates[s:e].tolist())])

    params = f"seed {seed}: {L} localities, {actors} actors, {ties} ties, {innovations} innovations"
    source_rows = [[SOURCE_ID, "Synthetic knowledge base (kb generate)", "localinnovation-kb generator", "", "",
                    "", f"SYNTHETIC data generated by `kb generate` (kb/services/generate.py), {params}. No real place, body "
                    "or person is implied. Core-periphery networks per locality after the five-layer model of "
                    "Transformers (Young Foundation/NESTA 2008): a dense core of local authority officers and "
                    "sectoral managers, a sparse community periphery, thin national and cross-locality links."]]
    problem_rows = [[problem_ids[i], name, desc, *_TAIL] for i, (_, name, desc) in enumerate(PROBLEMS)]
    tables = {"sources": [source_rows], "problems": [problem_rows], "localities": [loc_rows],
              "organisations": [org_rows], "people": [person_rows], "innovations": [inn_rows],
              "adoptions": [adoption_rows]}
    for name, rows in tables.items():
        result.counts[name] = _write(out / f"{name}.csv", HEADERS[name], rows)
    with open(out / "ties.csv", "w", newline="", encoding="utf-8") as f:
        f.write(",".join(HEADERS["ties"]) + "\n")
        f.writelines(tie_lines())
    result.counts["ties"] = ties
    result.seconds = time.perf_counter() - started
    return result
