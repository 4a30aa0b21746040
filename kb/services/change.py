"""How a place's network changed between two survey rounds: `kb change --from R1 --to R2`
and the UI's Change page. The named query `network-change` (cypher/network-change.cypher)
gives the layer-block part in Cypher; this service adds what Cypher cannot reasonably
compute - roles, E-I, carriers, Jaccard and the QAP permutation test (kb.analytics.change) -
over the same ties (docs/analytics.md, "Change over time")."""

from __future__ import annotations

from dataclasses import dataclass

from kb.analytics.change import QAP_PERMUTATIONS, ChangeReport, compare
from kb.services import InputError
from kb.services.role_thresholds import choose_thresholds
from kb.settings import Settings
from kb.store.analysis_runs import ALL_NETWORKS
from kb.store.connection import KnowledgeBase
from kb.store.rounds import RoundNetwork, round_network, tie_rounds

__all__ = ["NetworkChange", "RoundProblem", "network_change", "survey_rounds"]

MAX_PERMUTATIONS = 100_000


class RoundProblem(InputError):
    """An unknown or repeated round, network type or permutation count."""


@dataclass
class NetworkChange:
    """The change from round `before.round` to `after.round`; `report` holds the tables."""

    before: RoundNetwork
    after: RoundNetwork
    network: str
    locality: str | None
    report: ChangeReport

    @property
    def names(self) -> dict[str, str]:
        return {**self.before.names, **self.after.names}

    @property
    def synthetic(self) -> bool:
        """Does any tie or actor compared come from synthetic (illustrative) data?"""
        return bool(self.before.synthetic_ties or self.after.synthetic_ties
                    or self.before.synthetic_actors or self.after.synthetic_actors)

    def named(self, ids) -> list[dict]:
        return [{"id": i, "name": self.names.get(i, i)} for i in ids]

    def to_dict(self) -> dict:
        """Plain JSON-ready version (`kb change --format json`)."""
        def records(frame):
            return frame.astype(object).where(frame.notna(), None).to_dict(orient="records")

        r = self.report
        return {"from": self.before.round, "to": self.after.round, "network": self.network,
                "locality": self.locality, "synthetic": self.synthetic,
                "actors_before": self.before.graph.n, "actors_after": self.after.graph.n,
                "ties_before": self.before.graph.m, "ties_after": self.after.graph.m,
                "departed": self.named(r.departed), "arrived": self.named(r.arrived),
                "brokers_left": self.named(r.brokers_left),
                "ties_gained": len(r.gained_ties), "ties_lost": len(r.lost_ties),
                "blocks": records(r.blocks), "layers": records(r.layers), "roles": records(r.roles),
                "carriers": records(r.carriers), "similarity": r.similarity}


def survey_rounds(settings: Settings, kb: KnowledgeBase) -> list[dict]:
    """The survey rounds the ties carry, in order (date, then id): round, ties, date."""
    return tie_rounds(kb)


def network_change(settings: Settings, kb: KnowledgeBase, from_round: str, to_round: str,
                   network: str = ALL_NETWORKS, locality: str | None = None, *,
                   permutations: int = QAP_PERMUTATIONS, seed: int = 0) -> NetworkChange:
    """Compare two rounds of one network type (`all`: every type, pairs counted once), over
    the actors of `locality` when given. The role thresholds are `kb analyse`'s
    (KB_ROLE_THRESHOLDS or the defaults); the QAP p-value uses `permutations` seeded
    permutations."""
    known = [r["round"] for r in tie_rounds(kb)]
    for option, value in (("--from", from_round), ("--to", to_round)):
        if value not in known:
            raise RoundProblem(f"{option}: no tie carries the survey round {value!r}; "
                               + (f"rounds: {', '.join(known)}" if known else "no tie carries a round yet"))
    if from_round == to_round:
        raise RoundProblem(f"--from and --to are both {from_round!r}: compare two different rounds")
    if network != ALL_NETWORKS and network not in settings.kb_network_types:
        raise RoundProblem(f"--network: unknown network type {network!r}; configured: "
                           f"{', '.join(settings.kb_network_types)} (or all)")
    if not 0 <= permutations <= MAX_PERMUTATIONS:
        raise RoundProblem(f"--permutations: {permutations} is outside 0 to {MAX_PERMUTATIONS:,}")
    before = round_network(kb, from_round, network, locality)
    after = round_network(kb, to_round, network, locality)
    if before.graph.n == 0 or after.graph.n == 0:
        empty = from_round if before.graph.n == 0 else to_round
        raise RoundProblem(f"round {empty!r} has no ties" + (f" in locality {locality!r}" if locality else ""))
    report = compare(before.graph, after.graph, choose_thresholds(settings).thresholds,
                     respondents=(before.respondents, after.respondents), permutations=permutations, seed=seed)
    return NetworkChange(before, after, network, locality, report)
