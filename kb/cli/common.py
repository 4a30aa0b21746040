"""What every `kb` command shares: the settings, a connection, and failing with a message."""

from __future__ import annotations

import sys

import typer

from kb.settings import load_settings


def fail(message: str, code: int = 1) -> None:
    typer.secho(message, fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


def cli_settings():
    try:
        return load_settings()
    except ValueError as exc:  # a setting's value is the user's input: exit 2, as for bad options
        fail(f"Settings: {exc}", code=2)


def connect(settings=None):
    """An answering connection, or a clear message (never echoing credentials)."""
    from kb.services.connection import ConnectionFailed, open_kb

    try:
        return open_kb(settings or cli_settings())
    except ConnectionFailed as exc:
        fail(str(exc))


def fail_with(exc) -> None:
    """A service's refusal or failure: its message (and, for a refused load, every located
    problem first); exit 2 when the input was at fault."""
    for problem in getattr(exc, "problems", ()):
        typer.echo(str(problem), err=True)
    fail(str(exc), code=2 if exc.usage else 1)


def call(service, *args, settings=None, **kwargs):
    """Run a use case as every command does: `service(settings, kb, *args, **kwargs)` on an
    answering connection; a refusal or failure (ServiceError) ends the command with its message."""
    from kb.services import ServiceError

    settings = settings or cli_settings()
    with connect(settings) as kb:
        try:
            return service(settings, kb, *args, **kwargs)
        except ServiceError as exc:
            fail_with(exc)


def plan_pages(settings, *, when_empty: bool = True) -> None:
    """Have the server plan every page's queries now (EXPLAIN only, nothing runs), saying so,
    so the first view of each page after a server start does not wait for the planning
    (seconds per long statement). Quick when the plans are already cached. Skipped with
    KB_UI_PLAN_AHEAD=false, and (unless `when_empty`) when the database holds nothing yet:
    the server plans again after the first load anyway. Never fails the command."""
    import os
    import time

    from neo4j.exceptions import DriverError, Neo4jError

    from kb.services import ServiceError
    from kb.services.connection import ConnectionFailed, open_kb
    from kb.services.connection import server_status
    from kb.services.queries import plan_all

    if not getattr(settings, "kb_ui_plan_ahead", True):
        return
    try:
        with open_kb(settings) as kb:
            if not when_empty and not server_status(kb)[1]["nodes"]:
                return
            typer.echo("Planning the pages' queries on the server (EXPLAIN only), so the first views are quick ...")
            sys.stdout.flush()
            started = time.perf_counter()
            made = plan_all(kb, workers=min(4, os.cpu_count() or 1))
            # The app then knows the server has planned for this data (it plans again after a load or a run).
            os.environ[PLANNED_FOR] = data_version(kb)
    except (ConnectionFailed, ServiceError, Neo4jError, DriverError) as exc:
        typer.echo(f"Could not plan the pages' queries ahead ({type(exc).__name__}); each page plans its own.")
        return
    typer.echo(f"Planned {made} statements in {time.perf_counter() - started:.1f} s.")


# Set by plan_pages for the app `kb ui` then serves: the data version (ui/data-version) the server's plans are for.
PLANNED_FOR = "KB_UI_PLANNED_FOR"


def data_version(kb) -> str:
    """The data version as the app keys its caches by it (ui.common.refresh_data_version)."""
    import json

    from kb.services import queries

    return json.dumps(queries.read(kb, "ui/data-version")[0], sort_keys=True, default=str)


def analysis_line(report) -> str:
    """One line for an analysed network (`kb analyse`, `kb demo`)."""
    return (f"{report.network:<12} actors {report.actors:>7} ties {report.ties:>8}  hubs {report.hubs:>4} "
            f"gatekeepers {report.gatekeepers:>4} pulsetakers {report.pulsetakers:>4}  "
            f"({report.seconds['projection']:.1f}s read, {report.seconds['computation']:.1f}s compute, "
            f"{report.seconds['write_back']:.1f}s write)")


def streamlit_args(port: int, address: str) -> list[str]:
    """The arguments `kb ui` runs ui/serve.py with (after `python -m ui.serve`): the app, headless,
    no usage statistics, and no file watching (a served app's code does not change under it;
    watching costs every new session a walk over the loaded modules)."""
    from kb.resources import ui_app

    return ["run", str(ui_app()), "--server.port", str(port), "--server.address", address,
            "--server.headless", "true", "--browser.gatherUsageStats", "false", "--global.developmentMode", "false",
            "--client.toolbarMode", "minimal", "--server.fileWatcherType", "none"]


def start_warm_up(settings):
    """Start the pages' warm-up (ui/warm.py) in a background process that outlives this one's
    exec into the app (its output goes to this command's), unless KB_UI_WARM_UP=false; the
    process, or None."""
    import subprocess

    if not getattr(settings, "kb_ui_warm_up", True):
        return None
    typer.echo("Warming up the pages in the background (each reading page runs once) ...")
    sys.stdout.flush()
    return subprocess.Popen([sys.executable, "-m", "ui.warm"], stdin=subprocess.DEVNULL)


def serve_ui(port: int, address: str) -> None:
    """Replace this process by the Streamlit app (headless, usage statistics off), so
    stopping `kb ui` or `kb demo` stops the web server too. First the server plans the
    pages' queries (quick when it has them already), and the app's modules are imported
    before Streamlit serves (ui/serve.py), so no first view waits for either."""
    import os

    settings = cli_settings()
    plan_pages(settings, when_empty=False)
    start_warm_up(settings)
    # ui.serve imports the app's modules before it runs Streamlit in the same process.
    args = [sys.executable, "-m", "ui.serve", *streamlit_args(port, address)]
    typer.echo(f"Serving the knowledge base on http://{address}:{port} (Ctrl+C stops it).")
    sys.stdout.flush()
    os.execv(sys.executable, args)
