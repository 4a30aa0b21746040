"""Roles when synthetic data is hidden: computed over sourced actors and ties only
(kb.services.sourced_roles), never the stored run's, which counts synthetic ties too."""

from __future__ import annotations

import streamlit as st
from neo4j.exceptions import DriverError, Neo4jError

from kb.services import ServiceError
from kb.services.sourced_roles import MAX_TIES, SourcedRoles, sourced_roles
from ui import common as ui

FEW_TIES = 30  # below this the caption says the roles say little


@st.cache_data(show_spinner=False, ttl=600, max_entries=20)
def _roles(uri: str, database: str, network: str, directed: bool, version: str) -> SourcedRoles:
    return sourced_roles(ui.settings(), ui.get_kb(), network, directed=directed, timeout=ui.page_timeout())


def roles(network: str, run: dict | None) -> SourcedRoles:
    """The roles of `network` over sourced data (cached per data version), with the stored
    run's choice of directed paths."""
    s = ui.settings()
    try:
        with st.spinner("Computing roles over sourced ties only…", show_time=True):
            return _roles(s.uri, s.neo4j_database, network, bool((run or {}).get("directed_paths")),
                          ui.data_version())
    except (Neo4jError, DriverError, ServiceError) as exc:
        ui.show_error(exc, "Computing roles over sourced ties")
        ui.end_page()


def by_actor(found: SourcedRoles) -> dict[str, dict]:
    return {r["actor"]: r for r in found.rows}


def caption(found: SourcedRoles) -> None:
    """Say where the roles shown come from."""
    if found.too_big:
        st.warning(f"Roles shown come from the stored `kb analyse` run, which includes synthetic ties: the "
                   f"sourced network has {found.ties:,} ties, more than this page recomputes ({MAX_TIES:,}). "
                   "Synthetic actors are hidden, but their ties still shaped these roles.", icon=":material/science:")
    else:
        st.caption(f"Synthetic data hidden: roles and scores computed now over the {found.ties:,} sourced ties "
                   f"among {found.actors:,} actors only (the stored `kb analyse` run includes synthetic ties), "
                   f"with {'default role thresholds' if found.thresholds_from == 'defaults' else 'role thresholds from ' + found.thresholds_from}."
                   + (f" So few ties say little about roles: when actors score alike, every one of them is in the "
                      f"top tenth." if found.ties < FEW_TIES else ""))
