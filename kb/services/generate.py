"""A synthetic knowledge base, for tests, demos and benchmarks (`kb generate`).

Writes the CSV tables of docs/casebase-format.md into a folder: sources, problems,
localities, organisations, people, innovations, adoptions and ties. Everything is
SYNTHETIC (every row has synthetic=true and cites the one source `synthetic_generator`);
all ids start with `syn_`, so a generated load never touches real records.

The structure follows the model of the Transformers report (Young Foundation/NESTA 2008):

- localities of varied size (log-normal), each facing a few problems;
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

from kb.settings import DEFAULT_NETWORK_TYPES
from kb.model import LAYER_ORDER

SOURCE_ID = "synthetic_generator"
NETWORKS = DEFAULT_NETWORK_TYPES          # work, social, innovation, expertise, career, learning, strategic
NAT, LA, SEC, FL, COM = range(5)           # indices into LAYER_ORDER
MIN_ACTORS_PER_LOCALITY = 12
PROV = ["source", "section", "synthetic", "notes"]
HEADERS = {
    "sources": ["id", "title", "author", "publisher", "year", "url", "notes"],
    "problems": ["id", "name", "description"] + PROV,
    "localities": ["id", "name", "country", "region", "kind", "problems"] + PROV,
    "organisations": ["id", "name", "org_type", "layer", "locality", "sector", "case_study"] + PROV,
    "people": ["id", "name", "role", "layer", "organisations", "locality", "case_study"] + PROV,
    "innovations": ["id", "name", "description", "sector", "problems", "lifecycle_stage", "evidence_level",
                    "outcomes", "resources", "cost", "transferability", "preconditions", "origin_locality",
                    "origin_year", "originators", "derived_from", "funded_by", "case_study"] + PROV,
    "adoptions": ["innovation", "locality", "year", "outcome", "adaptation", "adopters"] + PROV,
    "ties": ["from", "to", "network", "weight", "date"] + PROV,
}
TABLES = tuple(HEADERS)
_TAIL = [SOURCE_ID, "", "true", ""]       # source, section, synthetic, notes

PROBLEMS = (
    ("youth_unemployment", "Youth unemployment", "Young people not in education, employment or training."),
    ("social_isolation", "Social isolation of older people", "Older residents living alone with little contact."),
    ("low_attainment", "Low educational attainment", "Pupils leaving school with few qualifications."),
    ("antisocial_behaviour", "Antisocial behaviour", "Antisocial behaviour in neighbourhoods."),
    ("residents_feel_unsafe", "Residents not feeling safe", "Residents do not feel safe in their neighbourhood."),
    ("vacant_properties", "Vacant properties", "Empty homes and shops that attract vandalism."),
    ("child_obesity", "Child obesity", "Rising obesity among primary school children."),
    ("mental_health", "Poor mental health", "Unmet need for mental health support."),
    ("homelessness", "Homelessness", "Rough sleeping and insecure housing."),
    ("fuel_poverty", "Fuel poverty", "Households unable to heat their homes."),
    ("teenage_pregnancy", "Teenage pregnancy", "High rates of teenage conception."),
    ("substance_misuse", "Substance misuse", "Drug and alcohol misuse."),
    ("low_civic_participation", "Low civic participation", "Residents rarely take part in local decisions."),
    ("public_as_bystanders", "Public as bystanders", "The public is a bystander rather than a partner in services."),
    ("ideas_lost_in_middle_management", "Ideas lost in middle management",
     "Frontline ideas do not reach senior management."),
    ("ideas_not_flowing_between_levels", "Ideas not flowing between levels",
     "Ideas do not move between the layers of the local system."),
    ("long_term_worklessness", "Long-term worklessness", "Adults out of work for years."),
    ("digital_exclusion", "Digital exclusion", "Residents without internet access or skills."),
    ("carers_under_strain", "Carers under strain", "Unpaid carers without support."),
    ("school_exclusions", "School exclusions", "Pupils excluded from school."),
    ("domestic_violence", "Domestic violence", "Domestic abuse that goes unreported."),
    ("poor_housing_conditions", "Poor housing conditions", "Damp, overcrowded or unsafe homes."),
    ("food_poverty", "Food poverty", "Families relying on food banks."),
    ("community_tensions", "Community tensions", "Tensions between groups of residents."),
)
SECTORS = ("education", "health", "community safety", "youth", "housing", "social care", "employment",
           "environment")
SECTORAL_TYPES = ("school", "health service", "police service", "youth service", "housing association",
                  "social care service", "employment service", "environmental service")  # by SECTORS
NATIONAL_ORG_TYPES = ("government department", "national agency", "regional government office",
                      "national foundation")
LA_ORG_TYPES = ("local strategic partnership", "council directorate")
COMMUNITY_ORG_TYPES = ("voluntary group", "residents' association", "community centre", "tenants' association",
                       "student council", "faith group")
ROLES = (
    ("Policy adviser", "Programme manager", "Regional adviser", "Civil servant"),
    ("Director of services", "Head of service", "Innovation lead", "Policy officer", "Strategic partnerships manager",
     "Community engagement officer", "Performance officer"),
    ("Service manager", "Head teacher", "Health service manager", "Police inspector", "Youth service manager",
     "Housing manager"),
    ("Teacher", "Youth worker", "Health visitor", "Police officer", "Social worker", "Housing officer",
     "Community nurse"),
    ("Resident", "Volunteer", "Community group member", "Service user", "Student council member", "Parent"),
)
COUNTRIES = (("UK", ("North East England", "North West England", "London", "Scotland", "Wales", "Midlands")),
             ("UK", ("South West England", "Yorkshire", "East of England", "Northern Ireland", "South East England",
                     "Midlands")),
             ("Netherlands", ("North Holland", "South Holland")), ("Denmark", ("Capital Region",)),
             ("USA", ("Pennsylvania", "Ohio")), ("Canada", ("Ontario", "Quebec")))
LOCALITY_KINDS = ("local authority area", "city", "county", "metropolitan borough")
STAGES = ("identify_problems", "generate_ideas", "develop_proposals", "implement", "evaluate", "diffuse")
STAGE_P = (0.05, 0.10, 0.15, 0.30, 0.20, 0.20)
STAGE_EVIDENCE_P = (0.03, 0.06, 0.12, 0.28, 0.45, 0.62)  # evidence = 1 + binomial(4, p)
ADOPTION_LAMBDA = (0.0, 0.0, 0.0, 0.4, 0.9, 1.6)          # mean adoptions by stage (+ evidence bonus)
OUTCOMES = ("successful", "promising", "mixed", "failed", "ongoing", "unknown")

# Tie categories between people: (share, from layer, to layer, scope, from skew, to skew,
# network weights in NETWORKS order, p of binomial(4, p) for weight 1..5).
# scope: local (same locality), cross (a peer in another locality), nat_out (national ->
# a locality), nat_in (a locality -> national), nat (national <-> national).
# Skew > 1 favours the first actors of a block: hubs.
_ALL = (1, 1, 1, 1, 1, 1, 1)
_CORE = (1.0, 0.8, 1.1, 0.9, 0.7, 0.8, 1.1)
_FRONT = (1.5, 1.0, 0.6, 0.9, 0.3, 0.9, 0.1)
_COMM = (1.0, 1.4, 0.3, 0.4, 0.05, 0.3, 0.05)
_NATNL = (0.6, 0.1, 0.8, 0.8, 0.2, 0.5, 1.5)
_CROSS = (0.3, 0.2, 1.5, 1.0, 0.6, 1.2, 0.6)
PEOPLE_TIES = (
    (0.110, LA, LA, "local", 1.2, 1.8, _CORE, 0.65),
    (0.085, LA, SEC, "local", 1.2, 1.8, _CORE, 0.60),
    (0.085, SEC, LA, "local", 1.2, 1.8, _CORE, 0.60),
    (0.100, SEC, SEC, "local", 1.2, 1.8, _CORE, 0.60),
    (0.075, SEC, FL, "local", 1.2, 1.4, _FRONT, 0.50),
    (0.085, FL, SEC, "local", 1.0, 1.6, _FRONT, 0.50),
    (0.170, FL, FL, "local", 1.0, 1.4, _FRONT, 0.45),
    (0.015, LA, FL, "local", 1.2, 1.2, _FRONT, 0.35),
    (0.015, FL, LA, "local", 1.0, 2.5, _FRONT, 0.35),
    (0.030, FL, COM, "local", 1.0, 1.0, _COMM, 0.30),
    (0.050, COM, FL, "local", 1.0, 1.6, _COMM, 0.30),
    (0.060, COM, COM, "local", 1.0, 1.2, _COMM, 0.30),
    (0.010, COM, LA, "local", 1.0, 4.0, _COMM, 0.25),   # to a gatekeeper (engagement officer)
    (0.005, LA, COM, "local", 4.0, 1.0, _COMM, 0.25),
    (0.005, SEC, COM, "local", 1.5, 1.0, _COMM, 0.25),
    (0.005, COM, SEC, "local", 1.0, 2.0, _COMM, 0.25),
    (0.010, NAT, LA, "nat_out", 1.3, 1.8, _NATNL, 0.40),
    (0.015, LA, NAT, "nat_in", 1.8, 1.5, _NATNL, 0.40),
    (0.005, NAT, SEC, "nat_out", 1.3, 1.8, _NATNL, 0.35),
    (0.005, SEC, NAT, "nat_in", 1.8, 1.5, _NATNL, 0.35),
    (0.005, NAT, NAT, "nat", 1.0, 1.5, _ALL, 0.55),
    (0.010, LA, LA, "cross", 1.8, 1.8, _CROSS, 0.35),
    (0.010, SEC, SEC, "cross", 1.8, 1.8, _CROSS, 0.35),
    (0.003, FL, FL, "cross", 1.5, 1.5, _CROSS, 0.30),
)
_ORG = (1.2, 0.0, 0.8, 0.6, 0.0, 0.4, 1.5)
ORG_TIES = (  # partnerships between organisations
    (0.25, LA, SEC, "local", 1.5, 1.5, _ORG, 0.55),
    (0.20, SEC, LA, "local", 1.5, 1.5, _ORG, 0.55),
    (0.25, SEC, SEC, "local", 1.2, 1.5, _ORG, 0.50),
    (0.10, SEC, FL, "local", 1.2, 1.2, _ORG, 0.50),
    (0.10, COM, LA, "local", 1.0, 1.5, _ORG, 0.30),
    (0.05, NAT, LA, "nat_out", 1.0, 1.5, _ORG, 0.40),
    (0.05, LA, NAT, "nat_in", 1.5, 1.0, _ORG, 0.40),
)
ORG_TIE_SHARE = 0.05


@dataclass
class Generated:
    """What `generate` wrote: rows per table, the folder and the seconds it took."""

    out_dir: Path
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def _allocate(totals: np.ndarray, shares) -> np.ndarray:
    """Split each total into len(shares) integer parts (largest remainder; deterministic)."""
    shares = np.asarray(shares, dtype=float)
    exact = totals[:, None] * (shares / shares.sum())[None, :]
    parts = np.floor(exact).astype(np.int64)
    left = totals - parts.sum(axis=1)
    order = np.argsort(-(exact - parts), axis=1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(shares.size)[None, :].repeat(len(totals), axis=0), axis=1)
    return parts + (ranks < left[:, None])


def _pick(rng, start: np.ndarray, count: np.ndarray, skew: float) -> np.ndarray:
    """One index per row from [start, start + count), favouring the first ones when skew > 1."""
    u = rng.random(len(start))
    if skew != 1.0:
        u = u ** skew
    return start + np.minimum((u * count).astype(np.int64), np.maximum(count - 1, 0))


def _ids(prefix: str, n: int) -> list[str]:
    width = max(4, len(str(max(n - 1, 0))))
    return [f"syn_{prefix}{i:0{width}d}" for i in range(n)]


class _Population:
    """Actors in blocks (locality, layer): organisations and people, contiguous per block.

    Locality index L (one past the real ones) is the national group (layer national only).
    """

    def __init__(self, rng, n_localities: int, n_actors: int):
        L = n_localities
        n_national = max(2, round(0.01 * n_actors))
        local = n_actors - n_national
        weights = rng.lognormal(0.0, 0.6, L)
        sizes = MIN_ACTORS_PER_LOCALITY + _allocate(np.array([local - MIN_ACTORS_PER_LOCALITY * L]), weights)[0]
        orgs = np.maximum(4, np.round(0.08 * sizes).astype(np.int64))
        people = sizes - orgs
        self.org_counts = np.zeros((L + 1, 5), dtype=np.int64)
        self.ppl_counts = np.zeros((L + 1, 5), dtype=np.int64)
        self.org_counts[:L, 1:] = 1 + _allocate(orgs - 4, (0.05, 0.35, 0.25, 0.35))
        self.ppl_counts[:L, 1:] = 1 + _allocate(people - 4, (0.08, 0.12, 0.30, 0.50))
        n_nat_orgs = max(1, n_national // 4)
        self.org_counts[L, NAT] = n_nat_orgs
        self.ppl_counts[L, NAT] = n_national - n_nat_orgs
        self.L = L
        self.n_orgs = int(self.org_counts.sum())
        self.n_people = int(self.ppl_counts.sum())
        assert self.n_orgs + self.n_people == n_actors
        # Block starts in the unified actor index: organisations first, then people.
        self.org_start = (np.cumsum(self.org_counts.ravel()) - self.org_counts.ravel()).reshape(L + 1, 5)
        self.ppl_start = (self.n_orgs + np.cumsum(self.ppl_counts.ravel()) - self.ppl_counts.ravel()).reshape(L + 1, 5)
        blocks = np.arange((L + 1) * 5)
        self.org_block = np.repeat(blocks, self.org_counts.ravel())
        self.ppl_block = np.repeat(blocks, self.ppl_counts.ravel())
        self.loc_people = self.ppl_counts[:L].sum(axis=1)
        self.loc_orgs = self.org_counts[:L].sum(axis=1)
        self.ids = _ids("o", self.n_orgs) + _ids("p", self.n_people)


def _sample_ties(rng, pop: _Population, categories, n: int, kind: str):
    """n candidate ties (from, to, network, weight) drawn by category; invalid ones dropped."""
    L = pop.L
    shares = np.array([c[0] for c in categories])
    if L < 2:  # no other locality to tie to
        shares = np.where([c[3] == "cross" for c in categories], 0.0, shares)
    per = rng.multinomial(n, shares / shares.sum())
    counts, starts = (pop.org_counts, pop.org_start) if kind == "org" else (pop.ppl_counts, pop.ppl_start)
    loc_p = pop.loc_orgs if kind == "org" else pop.loc_people
    loc_p = loc_p / loc_p.sum()
    out = []
    for (share, a_layer, b_layer, scope, a_skew, b_skew, nets, wp), m in zip(categories, per):
        if m == 0:
            continue
        loc = rng.choice(L, size=m, p=loc_p)
        if scope == "local":
            a_loc, b_loc = loc, loc
        elif scope == "cross":
            a_loc, b_loc = loc, (loc + 1 + rng.integers(0, L - 1, size=m)) % L
        elif scope == "nat_out":
            a_loc, b_loc = np.full(m, L), loc
        elif scope == "nat_in":
            a_loc, b_loc = loc, np.full(m, L)
        else:
            a_loc = b_loc = np.full(m, L)
        a_count, b_count = counts[a_loc, a_layer], counts[b_loc, b_layer]
        a = _pick(rng, starts[a_loc, a_layer], a_count, a_skew)
        b = _pick(rng, starts[b_loc, b_layer], b_count, b_skew)
        p = np.asarray(nets, dtype=float)
        net = rng.choice(len(NETWORKS), size=m, p=p / p.sum()).astype(np.int8)
        weight = (1 + rng.binomial(4, wp, size=m)).astype(np.int8)
        ok = (a_count > 0) & (b_count > 0) & (a != b)
        out.append((a[ok], b[ok], net[ok], weight[ok]))
    if not out:
        return (np.empty(0, np.int64),) * 2 + (np.empty(0, np.int8),) * 2
    return tuple(np.concatenate(col) for col in zip(*out))


def _ties(rng, pop: _Population, n_ties: int, seeded: tuple[np.ndarray, ...]):
    """Exactly n_ties distinct (from, to, network) ties, no self-ties; `seeded` ties first."""
    n_actors = pop.n_orgs + pop.n_people
    K = len(NETWORKS)
    cols: list[list[np.ndarray]] = [[c] for c in seeded]
    have = 0
    rounds = 0
    while True:
        # Deduplicate what we have, keeping first occurrences in draw order.
        a, b, net, w = (np.concatenate(c) for c in cols)
        _, first = np.unique((a * n_actors + b) * K + net, return_index=True)
        keep = np.sort(first)
        have = len(keep)
        cols = [[a[keep]], [b[keep]], [net[keep]], [w[keep]]]
        if have >= n_ties:
            break
        rounds += 1
        if rounds > 60:
            raise ValueError(f"could not draw {n_ties} distinct ties among {n_actors} actors (got {have}); "
                             "ask for fewer ties or more actors")
        need = n_ties - have
        batch = int(need * 1.12) + 64
        n_org = int(round(batch * ORG_TIE_SHARE))
        parts = (_sample_ties(rng, pop, PEOPLE_TIES, batch - n_org, "people"),
                 _sample_ties(rng, pop, ORG_TIES, n_org, "org"))
        drawn = [np.concatenate(values) for values in zip(*parts)]
        # Shuffle, so that cutting the last round to size favours no category.
        order = rng.permutation(len(drawn[0]))
        for col, values in zip(cols, drawn):
            col.append(values[order])
    a, b, net, w = (np.concatenate(c)[:n_ties] for c in cols)
    order = np.argsort((a * n_actors + b) * K + net, kind="stable")
    return a[order], b[order], net[order], w[order]


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
    pop = _Population(rng, L, actors)
    ids = pop.ids
    layer_names = LAYER_ORDER

    # -- problems and localities --------------------------------------------------------
    problem_ids = [f"syn_{p[0]}" for p in PROBLEMS]
    loc_ids = _ids("loc", L)
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
                         LOCALITY_KINDS[kind[i]], ";".join(problem_ids[p] for p in loc_problems[i]), *_TAIL])

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
    main = _pick(rng, pop.org_start[p_loc, org_layer_for], pop.org_counts[p_loc, org_layer_for], 1.3)
    has_org &= pop.org_counts[p_loc, org_layer_for] > 0
    # Some staff also sit on a community group of their locality.
    second = _pick(rng, pop.org_start[p_loc, COM], pop.org_counts[p_loc, COM], 1.0)
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
    inn_ids = _ids("inn", innovations)
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
                                  ";".join(ids[a] for a in adopters), *_TAIL])
            diff_from.append(adopters[0])
            diff_to.append(originators[0])

    # -- ties -----------------------------------------------------------------------------
    # The adopters' innovation ties to an originator come first (kept when ties allow).
    seeded = (np.array(diff_from, dtype=np.int64), np.array(diff_to, dtype=np.int64),
              np.full(len(diff_from), NETWORKS.index("innovation"), dtype=np.int8),
              np.full(len(diff_from), 3, dtype=np.int8))
    a, b, net, w = _ties(rng, pop, ties, seeded)
    has_date = rng.random(ties) < 0.6
    dates = np.where(has_date, rng.integers(2000, 2025, size=ties), 0)

    def tie_lines(chunk: int = 100_000):
        # Ids, network names and numbers never need CSV quoting: format lines directly.
        net_names = list(NETWORKS)
        tail = "," + ",".join(_TAIL) + "\n"
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
