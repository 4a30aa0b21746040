"""`kb db`: the local Neo4j server (used when NEO4J_URI is not set)."""

from __future__ import annotations

import typer

from kb.cli.common import cli_settings, connect, fail, plan_pages

db_app = typer.Typer(no_args_is_help=True, help="The local Neo4j server (used when NEO4J_URI is not set).")


@db_app.command("start")
def db_start(timeout: float = typer.Option(180.0, help="Seconds to wait for Bolt to answer.")):
    """Start the local Neo4j server (or reuse the running one). A server just started with data
    in it then plans the pages' queries (KB_UI_PLAN_AHEAD), so the UI's first views are quick."""
    settings = cli_settings()
    if not settings.uses_local_server:
        typer.echo(f"NEO4J_URI is set ({settings.neo4j_uri}); not starting a local server.")
        return
    if start_local(settings, timeout):
        plan_pages(settings, when_empty=False)


def start_local(settings, timeout: float) -> bool:
    """Start the local server (or reuse the running one) and say so; fail with its message.
    True when it was started now (its query plan cache is empty)."""
    from kb.neo4j_server import LocalServer, ServerError

    server = LocalServer.from_settings(settings)
    already = server.state()
    try:
        state = server.start(timeout=timeout)
    except ServerError as exc:
        fail(str(exc))
    verb = "Already running" if already else "Started"
    typer.echo(f"{verb}: Neo4j on {state.uri} (pid {state.pid}, data in {server.home / 'data'})")
    return not already


@db_app.command("stop")
def db_stop(grace: float = typer.Option(60.0, help="Seconds between SIGTERM and SIGKILL.")):
    """Stop the local Neo4j server cleanly."""
    from kb.neo4j_server import LocalServer

    server = LocalServer.from_settings(cli_settings())
    typer.echo("Stopped." if server.stop(grace=grace) else "No local server was running.")


@db_app.command("status")
def db_status():
    """Server version, URI, and node and relationship counts."""
    from kb.neo4j_server import LocalServer

    settings = cli_settings()
    if settings.uses_local_server:
        state = LocalServer.from_settings(settings).state()
        if state is None:
            fail(f"The local server is not running (state folder {settings.kb_state_dir}). "
                  "Start it with `kb db start`.", code=3)
        typer.echo(f"local server pid {state.pid}")
        if state.java:
            typer.echo(f"java {state.java}")
    from kb.services.connection import server_status

    with connect(settings) as kb:
        info, counts = server_status(kb)
    typer.echo(f"{info['name']} {info['version']} {info['edition']}")
    typer.echo(f"uri {settings.uri} database {settings.neo4j_database}")
    typer.echo(f"nodes {counts['nodes']} relationships {counts['relationships']}")


@db_app.command("fetch")
def db_fetch(progress: bool = typer.Option(True, "--progress/--no-progress")):
    """Download the Neo4j server jars listed in neo4j/jars.lock (cached; each checked by sha256)."""
    from kb.neo4j_jars import JarError, fetch

    settings = cli_settings()
    try:
        report = fetch(settings.neo4j_lib_dir, cache_dir=settings.kb_neo4j_cache, mirror=settings.kb_neo4j_mirror,
                       progress=progress)
    except JarError as exc:
        fail(str(exc))
    got = (f"downloaded {len(report.downloaded)} ({report.downloaded_bytes / 2**20:.1f} MiB)"
           if report.downloaded else "nothing to download")
    refetched = f"; fetched again, as the cached copy did not match: {', '.join(report.refetched)}" \
        if report.refetched else ""
    typer.echo(f"Neo4j jars ready in {report.lib_dir}: {report.checked} checked, {got}{refetched}.")


@db_app.command("password")
def db_password(show: bool = typer.Option(False, "--show", help="Print the local server's password."),
                reset: bool = typer.Option(False, "--reset", help="Change it to a new random one.")):
    """The local server's password (for Neo4j Browser or other clients); kb uses it by itself."""
    from kb.neo4j_server import LocalServer, ServerError

    settings = cli_settings()
    if not settings.uses_local_server:
        fail("NEO4J_URI is set: the password is NEO4J_PASSWORD, not the local server's.")
    server = LocalServer.from_settings(settings)
    if reset:
        try:
            server.reset_password()
        except ServerError as exc:
            fail(str(exc))
        typer.echo(f"Password changed; the new one is in {server.password_file}.")
    if show:
        password = server.password()
        if password is None:
            fail(f"No password yet ({server.password_file}): the first `kb db start` sets one.", code=3)
        typer.echo(password)
    if not (show or reset):
        typer.echo(f"user neo4j, password in {server.password_file} (`kb db password --show` prints it)")
