"""Running a named query (cypher/*.cypher) the one way `kb query` and the UI run it.

Some named queries can read the results `kb analyse` stored (brokerage-roles,
layer-links, weak-layer-links, fragility) instead of counting everything live, but only
while the network's current analysis run still matches the data. kb decides that once
(kb.store.analysis_runs.stored_run_is_current) and passes it as the parameter `stored`,
which the user does not set (kb.store.cypher.COMPUTED_PARAMETERS).
"""

from __future__ import annotations

from typing import Any

from kb.store.analysis_runs import stored_run_is_current
from kb.store.connection import KnowledgeBase, ReadResult
from kb.store.cypher import NamedQuery


def computed_parameters(kb: KnowledgeBase, named: NamedQuery, parameters: dict[str, Any]) -> dict[str, Any]:
    """`parameters` (already bound: named.bind(...)) with the ones kb computes filled in:
    `stored`, when the query declares it, for the query's `network` (false without one)."""
    out = dict(parameters)
    if any(p.name == "stored" for p in named.parameters):
        network = out.get("network")
        out["stored"] = bool(network) and stored_run_is_current(kb, network)
    return out


def run_named(kb: KnowledgeBase, named: NamedQuery, parameters: dict[str, Any] | None = None, *,
              timeout: float, row_limit: int, byte_limit: int | None = None) -> ReadResult:
    """Run a named query read-only (KnowledgeBase.read_limited) with its parameters bound
    (`parameters` as named.bind returns them, or None for the defaults) and the computed
    ones filled in; a `stored` given by the caller is replaced. The text is the project's
    own (reviewed, its parameters typed), so it is not held to the analyst-text rules of
    kb.store.console_guard; the allow-list of commands and procedures still applies."""
    bound = named.bind() if parameters is None else parameters
    return kb.read_limited(named.text, computed_parameters(kb, named, bound), timeout=timeout, row_limit=row_limit,
                           byte_limit=byte_limit, analyst=False)
