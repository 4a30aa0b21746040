"""Analysing the networks: compute the measures and roles of each network type and write
them back as versioned runs. A graph part-way through a staged load is not analysed
(its scores would describe data that is half there) unless that is asked for."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Iterable

from neo4j.exceptions import ServiceUnavailable, SessionExpired

from kb.services import InputError, ServiceError
from kb.services.connection import safe_uri
from kb.services.role_thresholds import ChosenThresholds, choose_thresholds
from kb.settings import Settings
from kb.store.analysis_runs import (ALL_NETWORKS, EVERY_TIE, RunReport, TieScope, compute_network, load_count,
                                    networks_to_analyse, project_networks, read_actor_columns, tie_rounds,
                                    write_run)
from kb.store.connection import KnowledgeBase
from kb.store.writer import InterruptedLoad, interrupted_loads


class AnalysisError(ServiceError):
    """The analysis stopped; runs already finished stay current."""


class PartlyLoaded(AnalysisError):
    """Refused: the graph is part-way through a staged load. Nothing was analysed."""

    def __init__(self, unfinished: list[InterruptedLoad]):
        self.unfinished = list(unfinished)
        super().__init__("Not analysed: the graph is part-way through a load (" +
                         "; ".join(u.describe() for u in self.unfinished) +
                         "). Run that load again to complete it (or pass --allow-partial).")


class UnknownNetwork(AnalysisError, InputError):
    """A network type that is not configured."""


class UnknownRound(AnalysisError, InputError):
    """A survey round no tie carries, a bad date, or both a round and a date."""


def choose_scope(kb: KnowledgeBase, round: str | None = None, as_of: str | None = None) -> TieScope:
    """The ties to analyse: one survey round, the ties as of a date, or (neither) every tie
    with the latest round of each pair (docs/analytics.md, "Change over time")."""
    from loaders.rows import convert

    if round and as_of:
        raise UnknownRound("give a round (--round) or a date (--as-of), not both")
    if as_of:
        try:
            as_of = str(convert(as_of, "date"))
        except ValueError as exc:
            raise UnknownRound(f"--as-of: {exc}") from None
        return TieScope(as_of=as_of)
    if round:
        rounds = [r["round"] for r in tie_rounds(kb)]
        if round not in rounds:
            raise UnknownRound(f"no tie carries the survey round {round!r}; "
                               + (f"rounds: {', '.join(rounds)}" if rounds else "no tie carries a round"))
        return TieScope(round=round)
    return EVERY_TIE


def analyse(settings: Settings, kb: KnowledgeBase, networks: Iterable[str] | None = None, *,
            exact_max_nodes: int = 5000, seed: int = 0, pivots: int = 500, allow_partial: bool = False,
            directed: bool = False, thresholds: ChosenThresholds | None = None,
            on_report: Callable[[RunReport], None] | None = None, round: str | None = None,
            as_of: str | None = None) -> list[RunReport]:
    """Analyse each network (default: every type with ties, then `all`); one report each,
    also handed to `on_report` as soon as its run is current.

    `directed`: path measures (betweenness, closeness, harmonic, 2-step reach) along the
    direction of the ties (default: ties undirected for paths). `thresholds`: the role
    thresholds and their source (default: choose_thresholds, i.e. KB_ROLE_THRESHOLDS or
    the defaults). Both are recorded on every run, as are `pivots` (per component above
    `exact_max_nodes`: fewer is faster, with larger standard errors) and the seed. `round`
    or `as_of`: the ties of one survey round, or as of a date (choose_scope); the run is
    current for that scope only, and the named queries keep reading the default scope's run."""
    chosen = thresholds or choose_thresholds(settings)
    scope = choose_scope(kb, round, as_of)
    unfinished = interrupted_loads(kb)
    if unfinished and not allow_partial:
        raise PartlyLoaded(unfinished)
    networks = list(networks or networks_to_analyse(kb, settings.kb_network_types))
    unknown = [n for n in networks if n not in (*settings.kb_network_types, ALL_NETWORKS)]
    if unknown:
        raise UnknownNetwork(f"unknown network type(s) {', '.join(unknown)}; configured: "
                             f"{', '.join(settings.kb_network_types)} (or all)")

    def stopped(name: str) -> AnalysisError:
        return AnalysisError(f"Neo4j at {safe_uri(settings.uri)} stopped answering while analysing {name!r}; "
                             "the previous results stay current (a run becomes current only when complete). "
                             "Run it again.")

    # Several types of every tie: one read of the ties, split by type (project_networks).
    graphs, loads, shared, columns = {}, None, 0.0, None
    if scope == EVERY_TIE and len(networks) > 1:
        start = time.perf_counter()
        try:
            loads = load_count(kb)  # before the projection (see compute_network)
            graphs = project_networks(kb, networks)
        except (ServiceUnavailable, SessionExpired):
            raise stopped(networks[0]) from None
        shared = time.perf_counter() - start
    if len(networks) > 1:  # what every network's Scores copy about the actors, read once
        start = time.perf_counter()
        try:
            columns = read_actor_columns(kb)
        except (ServiceUnavailable, SessionExpired):
            raise stopped(networks[0]) from None
        shared += time.perf_counter() - start
    reports = []

    def finish(name: str, writing) -> None:
        try:
            report = writing.result()
        except (ServiceUnavailable, SessionExpired):
            raise stopped(name) from None
        reports.append(report)
        if on_report:
            on_report(report)

    # Each network's scores are written while the next one is computed (the server writes,
    # the client computes); reports come in order, each once its run is current.
    with ThreadPoolExecutor(1) as writer:
        pending = None
        for name in networks:
            try:
                computed = compute_network(kb, name, chosen.thresholds, chosen.source, scope,
                                           graph=graphs.pop(name, None), loads=loads, columns=columns,
                                           directed_paths=directed,
                                           betweenness_exact_max_nodes=exact_max_nodes, seed=seed,
                                           pivots=pivots)
            except (ServiceUnavailable, SessionExpired):
                raise stopped(name) from None
            computed.seconds["projection"] += shared  # the shared read counts on the first report
            shared = 0.0
            if pending:
                finish(*pending)
            pending = (name, writer.submit(write_run, kb, computed))
        if pending:
            finish(*pending)
    return reports


__all__ = ["AnalysisError", "PartlyLoaded", "UnknownNetwork", "UnknownRound", "RunReport", "analyse", "choose_scope"]
