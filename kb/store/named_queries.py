"""Running a named query (cypher/*.cypher) the one way `kb query` and the UI run it.

Some named queries can read the results `kb analyse` stored (brokerage-roles,
layer-links, weak-layer-links, fragility) instead of counting everything live, but only
while the network's current analysis run still matches the data. kb decides that once
(kb.store.analysis_runs.stored_run_is_current) and passes it as the parameter `stored`,
which the user does not set (kb.store.cypher.COMPUTED_PARAMETERS).

On a large knowledge base (at least `stale_actors` actors in the run: KB_STALE_RUN_ACTORS)
counting live takes seconds to minutes, so a run that no longer matches the data (a load
finished or is running since) is still used, and the result says so (ReadResult.stale).

Without any run of the network (NamedQuery.analysis, from the `// analysis:` header):
a query that answers only from a run (`required`: brokers, outside-core, core-clique,
fragility) has no rows, and the result says why (ReadResult.note) without running it; one
that would count live instead (`optional`) does so, except on a knowledge base of at least
`stale_actors` actors for the whole network (no locality), where the live count takes
seconds to minutes: it answers at once with no rows and a note saying so (`live=true`
still counts).
"""

from __future__ import annotations

from typing import Any

from kb.store.analysis_runs import run_state
from kb.store.connection import KnowledgeBase, ReadResult
from kb.store.cypher import NamedQuery, statement


def stale_run(kb: KnowledgeBase, network: str, stale_actors: int, state: dict | None = None) -> str | None:
    """When the network's current run covers at least `stale_actors` actors (0: never), what
    to tell the user about answering from it although the data changed since; else None.
    `state`: run_state(kb, network) when already read."""
    if not stale_actors:
        return None
    row = state if state is not None else run_state(kb, network)
    if row["actors"] is None or row["actors"] < stale_actors:
        return None
    return (f"answered from the analysis run of {row['computed_at']} ({network}), which no longer matches the "
            "data (a load ran since, or is running); run `kb analyse` for a current answer, or pass live=true")


def no_run(kb: KnowledgeBase, named: NamedQuery, parameters: dict[str, Any], stale_actors: int = 0,
           state: dict | None = None) -> str | None:
    """Why the query is not run at all (no analysis run of its network to answer from), or None."""
    network = parameters.get("network")
    if named.analysis not in ("required", "optional") or not network:
        return None
    if named.analysis == "optional" and (parameters.get("live") or parameters.get("locality") or not stale_actors
                                         or parameters.get("include_synthetic") is False):
        return None
    if (state if state is not None else run_state(kb, network))["computed_at"] is not None:
        return None
    hint = f"run `kb analyse --network {network}`"
    if named.analysis == "required":
        return f"no rows: the {network!r} network has not been analysed yet ({hint})"
    actors = kb.read(statement("analysis/actor-count"))[0]["actors"]
    if actors < stale_actors:
        return None
    return (f"no rows: the {network!r} network has not been analysed yet, and counting it live over "
            f"{actors:,} actors takes long ({hint}, or pass live=true to count now)")


def computed_parameters(kb: KnowledgeBase, named: NamedQuery, parameters: dict[str, Any],
                        stale_actors: int = 0, state: dict | None = None) -> dict[str, Any]:
    """`parameters` (already bound: named.bind(...)) with the ones kb computes filled in:
    `stored`, when the query declares it, for the query's `network` (false without one).
    With `stale_actors`, a stale run of at least that many actors is used too; the reason
    is then in the key "_stale" (not a query parameter: run_named takes it out). `state`:
    run_state(kb, network) when already read (one round trip for all of this)."""
    out = dict(parameters)
    if any(p.name == "stored" for p in named.parameters):
        network = out.get("network")
        if network and state is None:
            state = run_state(kb, network)
        out["stored"] = bool(network) and bool(state["matches"])
        if network and not out["stored"] and not out.get("live"):
            reason = stale_run(kb, network, stale_actors, state)
            if reason:
                out["stored"], out["_stale"] = True, reason
    return out


def run_named(kb: KnowledgeBase, named: NamedQuery, parameters: dict[str, Any] | None = None, *,
              timeout: float, row_limit: int, byte_limit: int | None = None, stale_actors: int = 0) -> ReadResult:
    """Run a named query read-only (KnowledgeBase.read_limited) with its parameters bound
    (`parameters` as named.bind returns them, or None for the defaults) and the computed
    ones filled in; a `stored` given by the caller is replaced. With `stale_actors`
    (KB_STALE_RUN_ACTORS) a stale run of a large knowledge base answers, and
    ReadResult.stale says so; without any run, see no_run (ReadResult.note). The text is
    the project's own (reviewed, its parameters typed), so it is not held to the
    analyst-text rules of kb.store.console_guard; the allow-list of commands and procedures
    still applies."""
    bound = named.bind() if parameters is None else parameters
    state = run_state(kb, bound["network"]) if named.analysis and bound.get("network") else None
    why = no_run(kb, named, bound, stale_actors, state)
    if why:
        return ReadResult(columns=list(named.columns), rows=[], row_limit=row_limit, byte_limit=byte_limit, note=why)
    computed = computed_parameters(kb, named, bound, stale_actors, state)
    stale = computed.pop("_stale", None)
    result = kb.read_limited(named.text, computed, timeout=timeout, row_limit=row_limit, byte_limit=byte_limit,
                             analyst=False)
    result.stale = stale
    return result
