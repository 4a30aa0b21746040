"""Provenance you can see: which data is synthetic (illustrative, invented for the
demonstration) and the setting that hides it.

The data carries the flag (`synthetic` on nodes, ties and rows); every page reads it with
its rows and marks it: the `synthetic` column of every table and CSV, a caption above a
table holding synthetic rows, dashed lines and outlines in pictures, and words on a path.
The sidebar's "Hide synthetic data" toggle (default KB_HIDE_SYNTHETIC, kept in the URL as
`hide_synthetic=1`) passes `include_synthetic=false` to every query that reads actors or
ties, so every page shows sourced data only.
"""

from __future__ import annotations

import streamlit as st

from kb.settings import Settings

KEY = "kb_hide_synthetic"
URL_PARAM = "hide_synthetic"
BADGE = "⚗ synthetic"
SOURCED = "sourced"
MEANING = ("synthetic = illustrative data invented for the demonstration (the network study and its "
           "bridges to the case base), not a fact from a source")
# Editors' judgements: the editors' reading of a source, not stated in it (the same mark as
# the transfer dossier and brief, kb/services/brief.py).
JUDGEMENT = "⚖ editors' judgement"
STATED = "stated in the source"
JUDGEMENT_MEANING = ("editors' judgement = the editors' reading of the source where the report is not explicit, "
                     "not a statement of the source; the notes say why")
HIDDEN_NOTE = ("Synthetic data is hidden (sidebar: *Hide synthetic data*): this page shows only data "
               "from the sources.")


def toggle(settings: Settings) -> None:
    """The sidebar toggle, seeded once from the URL, else from KB_HIDE_SYNTHETIC."""
    if KEY not in st.session_state:
        url = st.query_params.get(URL_PARAM)
        st.session_state[KEY] = (bool(settings.kb_hide_synthetic) if url is None
                                 else url.lower() in ("1", "true", "yes", "on"))
    st.sidebar.toggle("Hide synthetic data", key=KEY,
                      help="Synthetic data is illustrative, invented to demonstrate the tools (the network "
                           "study and its bridges to the case base); it is not a fact from a source. "
                           "Hidden, every page shows sourced data only (default: KB_HIDE_SYNTHETIC).")
    if st.session_state[KEY]:
        if st.query_params.get(URL_PARAM) != "1":
            st.query_params[URL_PARAM] = "1"
    elif URL_PARAM in st.query_params:
        del st.query_params[URL_PARAM]


def hidden() -> bool:
    return bool(st.session_state.get(KEY, False))


def include() -> bool:
    """The `include_synthetic` parameter of the queries."""
    return not hidden()


def note() -> None:
    """Say on the page that synthetic data is hidden (nothing when it is shown)."""
    if hidden():
        st.caption(HIDDEN_NOTE)


def is_synthetic(value) -> bool:
    return value is True or (isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0)


def mark_rows(columns: list[str], rows: list[dict]) -> list[dict]:
    """Rows for display: a boolean `synthetic` shown as a badge or 'sourced', a boolean
    `editors_judgement` as its badge or 'stated in the source' (the CSV keeps true/false)."""
    for column, yes, no in (("synthetic", BADGE, SOURCED), ("editors_judgement", JUDGEMENT, STATED)):
        if column in columns:
            rows = [{**r, column: (yes if r[column] else no)} if isinstance(r.get(column), bool)
                    else {**r, column: ""} if r.get(column) is None else r for r in rows]  # unknown: empty
    return rows


def caption(columns: list[str], rows: list[dict]) -> None:
    """A line above a table that holds synthetic rows: how many, and what that means."""
    if "synthetic" in columns:
        n = sum(1 for r in rows if is_synthetic(r.get("synthetic")))
        if n:
            st.caption(f"{BADGE}: {n} of {len(rows)} row{'s' if len(rows) != 1 else ''} hold synthetic data: "
                       "illustrative, invented for the demonstration, not facts from a source.")
    if "editors_judgement" in columns:
        n = sum(1 for r in rows if r.get("editors_judgement") is True)
        if n:
            st.caption(f"{JUDGEMENT}: {n} of {len(rows)} row{'s' if len(rows) != 1 else ''} rest on an editors' "
                       "judgement: the editors' reading of the source where it is not explicit, not a statement "
                       "of the source.")
