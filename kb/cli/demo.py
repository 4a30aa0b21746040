"""`kb demo`: what `make demo` does, in one command that also works installed from the wheel.

It starts the local server (unless NEO4J_URI names another), applies the schema, loads the
bundled case base and network study (the `data/` kb ships with), analyses every network and
serves the UI. Each step is idempotent, so running it again brings the same knowledge base
back up.
"""

from __future__ import annotations

import typer

from kb.cli.common import analysis_line, cli_settings, connect, fail_with, serve_ui
from kb.cli.db import start_local


def demo(no_ui: bool = typer.Option(False, "--no-ui", help="Stop after the analysis; do not serve the UI "
                                                           "(for scripts and tests)."),
         port: int = typer.Option(8501, help="Port of the web app."),
         address: str = typer.Option("127.0.0.1", help="Address the web app binds (127.0.0.1: this machine only)."),
         timeout: float = typer.Option(180.0, help="Seconds to wait for the local server's Bolt to answer.")):
    """Start Neo4j, apply the schema, load the bundled case base, analyse it and serve the UI."""
    from kb.resources import data_dir
    from kb.services import ServiceError
    from kb.services.analysis import analyse
    from kb.services.connection import safe_uri
    from kb.services.loading import load_files
    from kb.services.schema import apply_schema

    settings = cli_settings()
    if settings.uses_local_server:
        start_local(settings, timeout)
    else:
        typer.echo(f"NEO4J_URI is set: using Neo4j at {safe_uri(settings.uri)}.")
    bundled = data_dir()
    with connect(settings) as kb:
        try:
            typer.echo(f"Schema applied: {apply_schema(settings, kb)} statements.")
            result = load_files(settings, kb, [bundled])
            typer.echo(f"The bundled case base and network study ({bundled}): "
                       + ", ".join(f"{n} {name}" for name, n in result.counts.items()) + ".")
            typer.echo(result.loaded())
            analyse(settings, kb, on_report=lambda report: typer.echo(analysis_line(report)))
        except ServiceError as exc:
            fail_with(exc)
    if no_ui:
        typer.echo("Ready. Ask it with `kb query` (the list of named queries), or serve the UI with `kb ui`.")
        return
    serve_ui(port, address)
