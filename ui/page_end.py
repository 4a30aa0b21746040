"""Ending a page's run early without losing what ui/app.py draws last on every run."""

from __future__ import annotations

from typing import NoReturn


class PageEnd(Exception):
    """Raised by end_page(): the page has said what it had to and draws nothing more."""


def end_page() -> NoReturn:
    """End this page's run here, as st.stop() would, but let ui/app.py still draw what comes
    last on every run (the "Page drawn in" mark the browser tests and bench.pages wait for;
    st.stop() drops every element after it)."""
    raise PageEnd
