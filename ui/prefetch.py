"""A page's reads started together: each in its own thread, so Neo4j answers them side by side
(it has a core per query) instead of one after another while the page waits.

The reads land in the same cache as ui.common.fetch's (the same arguments, ui.common.read_args),
so the page then fetches them as before, in its own order, and draws them as before: a fetch of a
read still running waits for it (Streamlit computes one cache entry once), and a read that
failed here is simply run again by the page's fetch, which shows its error as always.
"""

from __future__ import annotations

import threading
from typing import Iterable

from neo4j.exceptions import DriverError, Neo4jError
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from kb.services import ServiceError
from kb.services.queries import QueryError
from ui import common as ui


def prefetch(reads: Iterable[str | tuple[str, dict]]) -> list[threading.Thread]:
    """Start each read (a fixed read's name, or (name, params)) in a thread; not waited for."""
    ctx = get_script_run_ctx()
    started = []
    for read in reads:
        name, params = (read, None) if isinstance(read, str) else read
        try:
            _, args = ui.read_args(name, params)
        except (QueryError, ServiceError):
            continue  # the page's own fetch says what is wrong

        def work(args=args):
            try:
                ui.cached_read(args)
            except (Neo4jError, DriverError, QueryError, ServiceError):
                pass  # the page's fetch runs it again and shows the error

        thread = threading.Thread(target=work, name="kb-prefetch", daemon=True)
        if ctx is not None:
            add_script_run_ctx(thread, ctx)
        thread.start()
        started.append(thread)
    return started
