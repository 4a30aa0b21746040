"""What every `kb` command shares: the settings, a connection, and failing with a message."""

from __future__ import annotations

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


def analysis_line(report) -> str:
    """One line for an analysed network (`kb analyse`, `kb demo`)."""
    return (f"{report.network:<12} actors {report.actors:>7} ties {report.ties:>8}  hubs {report.hubs:>4} "
            f"gatekeepers {report.gatekeepers:>4} pulsetakers {report.pulsetakers:>4}  "
            f"({report.seconds['projection']:.1f}s read, {report.seconds['computation']:.1f}s compute, "
            f"{report.seconds['write_back']:.1f}s write)")


def serve_ui(port: int, address: str) -> None:
    """Replace this process by the Streamlit app (headless, usage statistics off), so
    stopping `kb ui` or `kb demo` stops the web server too."""
    import os
    import sys

    from kb.resources import ui_app

    args = [sys.executable, "-m", "streamlit", "run", str(ui_app()), "--server.port", str(port),
            "--server.address", address, "--server.headless", "true", "--browser.gatherUsageStats", "false",
            "--global.developmentMode", "false", "--client.toolbarMode", "minimal"]
    typer.echo(f"Serving the knowledge base on http://{address}:{port} (Ctrl+C stops it).")
    sys.stdout.flush()
    os.execv(sys.executable, args)
