"""The pages' warm-up: right after `kb ui` (or `kb demo`) starts serving, a background process
runs each reading page once, as a visitor would open it, then exits.

Why: planning ahead (kb.services.queries.plan_all) spares a first view the server's planning,
but not its first *run* of each statement. A server whose Java code has not yet run a page's
reads takes seconds over them where a running one takes a tenth of that: on the bundled case
base, the pages ran in 1-2.3 s on their first view after a start, and in 0.05-0.8 s once each
had run (bench.pages --browser, docs/benchmarks.md). After the warm-up, the first visitor of
each page meets the second figure.

What it runs: every page of the sidebar a viewer has, with the parameters people most often
add (a locality on the Transfer finder and Layers, an innovation's detail and record, two steps
around an actor on the Network page), through Streamlit's own headless runner (AppTest) in a
separate process (AppTest replaces Streamlit's runtime in its process, so it cannot share
the serving one). Reads only: the pages write nothing until someone presses a button, and
nobody is signed in. Its results are thrown away with the process; the app's caches are its
own.

    python -m ui.warm        (what `kb ui` starts; it prints one line when done)

Never fails `kb ui`: a page that fails here is named in that line, and fails the same way for
its visitor. KB_UI_WARM_UP=false turns it off.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from dataclasses import dataclass, field

# The pages' scripts, as ui/app.py names them.
PAGE = {"overview": "views/overview.py", "innovations": "views/innovations.py", "transfer": "views/transfer.py",
        "network": "views/network.py", "brokers": "views/brokers.py", "layers": "views/layers.py",
        "change": "views/change.py", "console": "views/console.py", "glossary": "views/glossary.py",
        "record": "views/record.py"}
# Ends the warm-up early: it is a courtesy to the first visitors, not a job to finish at any cost.
BUDGET_S = 180.0
VIEW_TIMEOUT_S = 120.0


@dataclass
class Report:
    ran: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def line(self) -> str:
        text = f"Warmed up the pages: {len(self.ran)} views ran once in {self.seconds:.1f} s"
        if self.failed:
            text += "; failed: " + "; ".join(f"{v} ({why})" for v, why in self.failed.items())
        if self.skipped:
            text += f"; not reached in {BUDGET_S:.0f} s: " + ", ".join(self.skipped)
        return text + "."


def views(kb) -> list[tuple[str, str, dict]]:
    """(label, page, query parameters) of each view to run once, for the data at hand."""
    from kb.services import queries

    picked = queries.read(kb, "ui/warm-up-examples")[0]
    locality, innovation, actor = picked["locality"], picked["innovation"], picked["actor"]
    out = [(name, page, {}) for name, page in PAGE.items() if name != "record"]
    if locality:
        out += [("transfer for a locality", PAGE["transfer"], {"locality": locality}),
                ("layers for a locality", PAGE["layers"], {"locality": locality})]
        if picked["candidate"]:
            out.append(("transfer for one innovation", PAGE["transfer"],
                        {"locality": locality, "innovation": picked["candidate"]}))
    if innovation:
        out += [("innovation detail", PAGE["innovations"], {"innovation": innovation}),
                ("record history", PAGE["record"], {"kind": "innovations", "id": innovation})]
    if actor:
        out.append(("network around an actor", PAGE["network"],
                    {"scope": "actor", "actor": actor, "k": "2", "size": "betweenness"}))
    out.append(("innovations: a search", PAGE["innovations"], {"q": "community"}))
    return out


def warm_up(kb, *, budget: float = BUDGET_S, view_timeout: float = VIEW_TIMEOUT_S,
            still_wanted=lambda: True) -> Report:
    """Run each view of `views(kb)` once with AppTest (the app reads the knowledge base this
    process's environment names, as `kb ui`'s does). `still_wanted()` false ends it early (the
    app it warms has stopped)."""
    from streamlit.testing.v1 import AppTest

    from kb.resources import ui_app

    quiet()
    report = Report()
    started = time.perf_counter()
    todo = views(kb)
    for n, (label, page, params) in enumerate(todo):
        if time.perf_counter() - started > budget or not still_wanted():
            report.skipped = [v[0] for v in todo[n:]]
            break
        try:
            quiet()  # loggers made since
            at = AppTest.from_file(str(ui_app()), default_timeout=view_timeout)
            at.switch_page(page)
            at.query_params.update(params)
            at.run()
            if at.exception:
                report.failed[label] = str(at.exception[0].value).splitlines()[0][:200]
            else:
                report.ran.append(label)
        except Exception as exc:  # noqa: BLE001 (a view that fails here is named, never a traceback)
            report.failed[label] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"
    report.seconds = time.perf_counter() - started
    return report


def quiet() -> None:
    """Streamlit's loggers at ERROR: its "missing ScriptRunContext" warnings for every element a
    page draws outside a served session mean nothing here and would fill `kb ui`'s output."""
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)


def main() -> int:
    from kb.services.connection import ConnectionFailed, open_kb
    from kb.settings import load_settings

    # Its own reads only (no second plan-ahead from the pages it runs), and none of Streamlit's warnings.
    os.environ["KB_UI_PLAN_AHEAD"] = "false"
    os.environ["STREAMLIT_LOGGER_LEVEL"] = "error"
    parent = os.getppid()
    try:  # the people the app serves come first: this process only takes what they leave of the CPU
        os.nice(10)
    except OSError:
        pass
    try:
        settings = load_settings()
        with open_kb(settings) as kb:
            report = warm_up(kb, still_wanted=lambda: os.getppid() == parent)
    except KeyboardInterrupt:  # Ctrl+C on `kb ui` reaches this process too: it stops with the app, quietly
        return 130
    except (ConnectionFailed, Exception) as exc:  # noqa: BLE001 (never a traceback in `kb ui`'s output; ConnectionFailed: no server)
        print(f"Warm-up of the pages skipped: {type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}",
              flush=True)
        return 0
    print(report.line(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
