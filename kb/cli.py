"""The `kb` command line: the local server, schema, loading, queries, analytics, UI."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from kb.settings import load_settings

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  help="A graph knowledge base of local social innovations and the actors behind them.")
db_app = typer.Typer(no_args_is_help=True, help="The local Neo4j server (used when NEO4J_URI is not set).")
app.add_typer(db_app, name="db")


def _fail(message: str, code: int = 1) -> None:
    typer.secho(message, fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


def _settings():
    try:
        return load_settings()
    except ValueError as exc:
        _fail(f"Settings: {exc}")


def _connect(settings=None):
    """Connect, with a clear message when nothing answers (never echoing credentials)."""
    from neo4j.exceptions import AuthError, ServiceUnavailable

    from kb.store.connection import KnowledgeBase

    settings = settings or _settings()
    kb = KnowledgeBase.connect(settings)
    try:
        kb.driver.verify_connectivity()
    except ServiceUnavailable:
        kb.close()
        hint = "start the local server with `kb db start`" if settings.uses_local_server else \
            "check NEO4J_URI and that the server is running"
        _fail(f"Neo4j is not reachable at {settings.uri}: {hint}.")
    except AuthError:
        kb.close()
        _fail(f"Neo4j at {settings.uri} refused the credentials for user {settings.neo4j_user!r}: "
              "check NEO4J_USER and NEO4J_PASSWORD.")
    return kb


def _pseudonym_of(settings, person_id: str) -> str | None:
    from loaders.pseudonymise import PseudonymKeyError, pseudonym, read_key

    try:
        return pseudonym(read_key(settings.kb_pseudonym_key, settings.kb_pseudonym_key_file), person_id)
    except PseudonymKeyError:
        return None


@db_app.command("start")
def db_start(timeout: float = typer.Option(180.0, help="Seconds to wait for Bolt to answer.")):
    """Start the local Neo4j server (or reuse the running one)."""
    from kb.neo4j_server import LocalServer, ServerError

    settings = _settings()
    if not settings.uses_local_server:
        typer.echo(f"NEO4J_URI is set ({settings.neo4j_uri}); not starting a local server.")
        return
    server = LocalServer.from_settings(settings)
    already = server.state()
    try:
        state = server.start(timeout=timeout)
    except ServerError as exc:
        _fail(str(exc))
    verb = "Already running" if already else "Started"
    typer.echo(f"{verb}: Neo4j on {state.uri} (pid {state.pid}, data in {server.home / 'data'})")


@db_app.command("stop")
def db_stop(grace: float = typer.Option(60.0, help="Seconds between SIGTERM and SIGKILL.")):
    """Stop the local Neo4j server cleanly."""
    from kb.neo4j_server import LocalServer

    server = LocalServer.from_settings(_settings())
    typer.echo("Stopped." if server.stop(grace=grace) else "No local server was running.")


@db_app.command("status")
def db_status():
    """Server version, URI, and node and relationship counts."""
    from kb.neo4j_server import LocalServer

    settings = _settings()
    if settings.uses_local_server:
        state = LocalServer.from_settings(settings).state()
        if state is None:
            _fail(f"The local server is not running (state folder {settings.kb_state_dir}). "
                  "Start it with `kb db start`.", code=3)
        typer.echo(f"local server pid {state.pid}")
        if state.java:
            typer.echo(f"java {state.java}")
    with _connect(settings) as kb:
        info = kb.server_info()
        counts = kb.counts()
    typer.echo(f"{info['name']} {info['version']} {info['edition']}")
    typer.echo(f"uri {settings.uri} database {settings.neo4j_database}")
    typer.echo(f"nodes {counts['nodes']} relationships {counts['relationships']}")


@db_app.command("fetch")
def db_fetch(progress: bool = typer.Option(True, "--progress/--no-progress")):
    """Download the Neo4j server jars listed in neo4j/jars.lock (cached; each checked by sha256)."""
    from kb.neo4j_jars import JarError, fetch

    settings = _settings()
    try:
        report = fetch(settings.kb_neo4j_lib, cache_dir=settings.kb_neo4j_cache, mirror=settings.kb_neo4j_mirror,
                       progress=progress)
    except JarError as exc:
        _fail(str(exc))
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

    settings = _settings()
    if not settings.uses_local_server:
        _fail("NEO4J_URI is set: the password is NEO4J_PASSWORD, not the local server's.")
    server = LocalServer.from_settings(settings)
    if reset:
        try:
            server.reset_password()
        except ServerError as exc:
            _fail(str(exc))
        typer.echo(f"Password changed; the new one is in {server.password_file}.")
    if show:
        password = server.password()
        if password is None:
            _fail(f"No password yet ({server.password_file}): the first `kb db start` sets one.", code=3)
        typer.echo(password)
    if not (show or reset):
        typer.echo(f"user neo4j, password in {server.password_file} (`kb db password --show` prints it)")


@app.command("init")
def init():
    """Apply constraints and indexes from cypher/schema/ (idempotent)."""
    from kb.store.schema import apply_schema

    with _connect() as kb:
        n = apply_schema(kb)
    typer.echo(f"Schema applied: {n} statements.")


@app.command("load")
def load(paths: list[Path] = typer.Argument(..., help="Files or folders to load."),
         dry_run: bool = typer.Option(False, "--dry-run", help="Validate only; write nothing."),
         fmt: Optional[str] = typer.Option(None, "--format",
                                           help="table, survey, kumu, document, graphml or gexf (default: detect)."),
         encoding: str = typer.Option("utf-8-sig", help="Text encoding of CSV/JSON/YAML files."),
         network: str = typer.Option("work", help="Network type for GraphML/GEXF edges that name none."),
         progress: Optional[bool] = typer.Option(None, "--progress/--no-progress"),
         pseudonymise: Optional[bool] = typer.Option(None, "--pseudonymise/--no-pseudonymise",
                                                     help="Replace people's ids and names by keyed pseudonyms "
                                                          "(default KB_PSEUDONYMISE; key in KB_PSEUDONYM_KEY(_FILE)).")):
    """Validate everything, then load it all in one transaction (or nothing).

    A load of more than KB_LOAD_TRANSACTION_ROWS rows is staged instead: committed in
    chunks under a load record that stays "in progress" until the last one; if it stops,
    running the same command again completes it.
    """
    from neo4j.exceptions import ServiceUnavailable, SessionExpired, TransientError

    from loaders import LoadRefused, read_paths, validate
    from kb.store.writer import LoadInProgress, LoadInterrupted, interrupted_loads, known_ids, write_batch

    settings = _settings()
    try:
        batch = read_paths(paths, fmt=fmt, encoding=encoding, default_network=network)
    except (ValueError, LookupError) as exc:
        _fail(str(exc), code=2)
    key = None
    if pseudonymise if pseudonymise is not None else settings.kb_pseudonymise:
        from loaders.pseudonymise import PseudonymKeyError, read_key

        try:
            key = read_key(settings.kb_pseudonym_key, settings.kb_pseudonym_key_file)
        except PseudonymKeyError as exc:
            _fail(str(exc), code=2)
    with _connect(settings) as kb:
        if key is not None:
            from loaders.pseudonymise import pseudonymise as pseudonymise_people

            lookup = known_ids(kb)
            pseudonymise_people(batch, key, lambda ids: lookup("actors", ids))
        try:
            clean = validate(batch, settings.kb_network_types, known_ids(kb))
        except LoadRefused as exc:
            for problem in exc.problems:
                typer.echo(str(problem), err=True)
            _fail(f"Load refused: {len(exc.problems)} problem(s); nothing was written.", code=2)
        except (ServiceUnavailable, SessionExpired):
            _fail(f"Neo4j at {settings.uri} stopped answering while the load was checked; "
                  "nothing was written. Run the same command again once it is back.")
        if dry_run:
            typer.echo("Dry run: valid. Would load " +
                       ", ".join(f"{n} {name}" for name, n in clean.count().items()) + ".")
            return
        for other in interrupted_loads(kb):
            typer.echo(f"Note: {other.describe()} did not finish; running that load again completes it.",
                       err=True)
        try:
            summary = write_batch(kb, clean, settings.kb_network_types, progress=progress,
                                  transaction_rows=settings.kb_load_transaction_rows,
                                  chunk=settings.kb_load_chunk_rows)
        except LoadInProgress as exc:
            _fail(str(exc))
        except LoadInterrupted as exc:
            _fail(f"Neo4j at {settings.uri}: {exc}")
        except (ServiceUnavailable, SessionExpired):
            _fail(f"Neo4j at {settings.uri} stopped answering during the load; nothing was written "
                  "(a load is one transaction). Run the same command again once it is back.")
        except TransientError as exc:
            if "MemoryPoolOutOfMemoryError" not in (exc.code or ""):
                raise
            _fail("The load is too big for one transaction in the server's memory; nothing was written. "
                  "Give Neo4j more heap (KB_NEO4J_HEAP for the local server) or lower "
                  "KB_LOAD_TRANSACTION_ROWS so that it is staged.")
    typer.echo(summary.table())
    how = " in committed chunks (staged)" if summary.staged else ""
    typer.echo(f"Loaded {len(clean.files)} file(s) as load {summary.load_id}{how}.")
    for done in summary.completed:
        typer.echo(f"This completes the interrupted load {done}.")
    if summary.changed:
        typer.echo("The data changed: run `kb analyse` to bring the stored scores, roles and layer tables up to "
                   "date (until then the named queries count from the ties, slower on a big knowledge base).")


@app.command("export")
def export(out_dir: Path = typer.Argument(..., help="Folder to write into (created if needed; files of "
                                                    "the same names are replaced)."),
           graphml: bool = typer.Option(True, "--graphml/--no-graphml",
                                        help="Also write network.graphml (actors and ties, for Gephi).")):
    """Write the knowledge base back out as the CSV tables of docs/casebase-format.md (and GraphML).

    Text cells a spreadsheet would run as a formula (starting with = + - @) are written with
    a leading single quote; `kb load` strips it again, so the files load back exactly.
    """
    from kb.store.exporter import GRAPHML_FILE, export_kb

    if out_dir.exists() and not out_dir.is_dir():
        _fail(f"{out_dir} exists and is not a folder.", code=2)
    with _connect() as kb:
        try:
            result = export_kb(kb, out_dir, graphml=graphml)
        except OSError as exc:
            _fail(f"Cannot write to {out_dir}: {exc.strerror or exc}")
    typer.echo(", ".join(f"{name}: {n}" for name, n in result.counts.items() if name != GRAPHML_FILE))
    if graphml:
        typer.echo(f"{GRAPHML_FILE}: {result.counts[GRAPHML_FILE]} actors, {result.graph_edges} ties")
    typer.echo(f"Exported to {result.out_dir} in {result.seconds:.1f}s. Load the tables back with "
               f"`kb load {result.out_dir}/*.csv` ({GRAPHML_FILE} repeats the actors and ties for Gephi).")


@app.command("query")
def query(name: Optional[str] = typer.Argument(None, help="A named query from cypher/ (omit to list them)."),
          param: list[str] = typer.Option([], "--param", "-p", help="key=value (repeatable)."),
          fmt: str = typer.Option("table", "--format", help="table, csv or json (an array of row objects)."),
          timeout: Optional[float] = typer.Option(None, help="Seconds (default KB_QUERY_TIMEOUT)."),
          limit: Optional[int] = typer.Option(None, help="Rows (default KB_ROW_LIMIT).")):
    """Run a named query from cypher/ in a READ transaction."""
    from neo4j.exceptions import ClientError

    from kb.store.cypher import QueryError, list_queries, load_query
    from kb.store.named_queries import run_named
    from kb.render import to_csv, to_json, to_table

    if name is None:
        for q in list_queries():
            params = ", ".join(f"{p.name}={p.default}" for p in q.parameters)
            typer.echo(f"{q.name:<26} {q.title}  ({params})")
        return
    if fmt not in ("table", "csv", "json"):
        _fail(f"--format must be table, csv or json, not {fmt!r}", code=2)
    settings = _settings()
    try:
        named = load_query(name)
        given = {}
        for item in param:
            if "=" not in item:
                raise QueryError(f"--param {item!r} must look like key=value")
            key, value = item.split("=", 1)
            given[key.strip()] = value
        parameters = named.bind(given)
    except QueryError as exc:
        _fail(str(exc), code=2)
    with _connect(settings) as kb:
        try:
            result = run_named(kb, named, parameters, timeout=timeout or settings.kb_query_timeout,
                               row_limit=limit or settings.kb_row_limit)
        except ClientError as exc:
            _fail(f"Query {name!r} failed: {exc.message}")
    if fmt == "json":
        typer.echo(to_json(result.rows))
    elif fmt == "csv":
        typer.echo(to_csv(result.columns, result.rows), nl=False)
    else:
        typer.echo(to_table(result.columns, result.rows))
    if result.truncated:
        typer.secho(f"(truncated at {result.row_limit} rows)", err=True, fg=typer.colors.YELLOW)


@app.command("generate")
def generate(out_dir: Path = typer.Argument(..., help="Folder to write the CSV tables into (created if needed)."),
             localities: int = typer.Option(20, help="Localities (each faces a few problems)."),
             actors: int = typer.Option(2000, help="Organisations and people, in all five layers."),
             ties: int = typer.Option(20_000, help="Directed ties across the seven default network types."),
             innovations: int = typer.Option(200, help="Innovations (with adoptions elsewhere)."),
             seed: int = typer.Option(42, help="Random seed: the same seed gives byte-identical files.")):
    """Write a SYNTHETIC knowledge base (CSV tables, every row synthetic=true) for demos and benchmarks."""
    from kb.services.generate import generate as generate_kb

    try:
        result = generate_kb(out_dir, localities=localities, actors=actors, ties=ties,
                             innovations=innovations, seed=seed)
    except ValueError as exc:
        _fail(str(exc), code=2)
    typer.echo(", ".join(f"{name}.csv: {n}" for name, n in result.counts.items()))
    typer.echo(f"Wrote a synthetic knowledge base to {result.out_dir} in {result.seconds:.1f}s "
               f"(load it with `kb load {result.out_dir}`).")


@app.command("analyse")
def analyse_command(network: Optional[list[str]] = typer.Option(None, "--network", "-n",
                                                                help="Network type(s), or `all`; default every type with ties, then `all`."),
                    exact_max_nodes: int = typer.Option(5000, help="Exact path measures up to this component size; sampled above."),
                    seed: int = typer.Option(0, help="Seed of the sampled estimates."),
                    allow_partial: bool = typer.Option(False, "--allow-partial",
                                                       help="Analyse even while a staged load is unfinished.")):
    """Compute the network measures and roles, and write them back (versioned)."""
    from neo4j.exceptions import ServiceUnavailable, SessionExpired

    from kb.store.analysis_runs import analyse_network, networks_to_analyse
    from kb.store.writer import interrupted_loads

    settings = _settings()
    with _connect(settings) as kb:
        unfinished = interrupted_loads(kb)
        if unfinished and not allow_partial:
            _fail("Not analysed: the graph is part-way through a load (" +
                  "; ".join(u.describe() for u in unfinished) +
                  "). Run that load again to complete it (or pass --allow-partial).")
        networks = network or networks_to_analyse(kb, settings.kb_network_types)
        unknown = [n for n in networks if n not in (*settings.kb_network_types, "all")]
        if unknown:
            _fail(f"unknown network type(s) {', '.join(unknown)}; configured: "
                  f"{', '.join(settings.kb_network_types)} (or all)", code=2)
        for name in networks:
            try:
                report = analyse_network(kb, name, betweenness_exact_max_nodes=exact_max_nodes, seed=seed)
            except (ServiceUnavailable, SessionExpired):
                _fail(f"Neo4j at {settings.uri} stopped answering while analysing {name!r}; the previous "
                      "results stay current (a run becomes current only when complete). Run it again.")
            typer.echo(f"{name:<12} actors {report.actors:>7} ties {report.ties:>8}  hubs {report.hubs:>4} "
                       f"gatekeepers {report.gatekeepers:>4} pulsetakers {report.pulsetakers:>4}  "
                       f"({report.seconds['projection']:.1f}s read, {report.seconds['computation']:.1f}s compute, "
                       f"{report.seconds['write_back']:.1f}s write)")


@app.command("backup")
def backup_command(file: Path = typer.Argument(..., help="Archive to write (.tar.gz, .tgz or .zip).")):
    """Write the whole graph to a portable, checksummed archive (nodes, relationships, manifest)."""
    from kb.store.backup import BackupError, backup

    with _connect() as kb:
        try:
            result = backup(kb, file)
        except BackupError as exc:
            _fail(str(exc), code=2)
        except OSError as exc:
            _fail(f"Cannot write {file}: {exc.strerror or exc}")
    typer.echo(f"Backed up {result.nodes} nodes and {result.relationships} relationships to {result.path}.")


@app.command("restore")
def restore_command(file: Path = typer.Argument(..., help="Archive written by `kb backup`.")):
    """Restore an archive into an EMPTY database: checksums first, then all of it in one transaction."""
    from kb.store.backup import BackupError, restore

    with _connect() as kb:
        try:
            result = restore(kb, file)
        except BackupError as exc:
            _fail(f"Restore refused: {exc}", code=2)
    typer.echo(f"Restored {result.nodes} nodes and {result.relationships} relationships from {file}.")


@app.command("forget")
def forget_command(person_id: str = typer.Argument(..., help="The id of the person to remove.")):
    """Remove a person, their ties, memberships and scores (one transaction) and say what went."""
    from kb.store.forget import ForgetError, forget_person

    settings = _settings()
    with _connect(settings) as kb:
        try:
            result = forget_person(kb, person_id)
        except ForgetError as exc:
            # With pseudonymised people the real id maps to the stored pseudonym.
            alias = _pseudonym_of(settings, person_id)
            if alias is None or "no person" not in str(exc):
                _fail(str(exc), code=2)
            try:
                result = forget_person(kb, alias)
            except ForgetError:
                _fail(str(exc), code=2)
    for line in result.lines():
        typer.echo(line)


@app.command("ui")
def ui_command(port: int = typer.Option(8501, help="Port of the web app."),
               address: str = typer.Option("127.0.0.1", help="Address to bind (127.0.0.1: this machine only).")):
    """Start the Streamlit app (headless, usage statistics off)."""
    import os

    from kb.settings import PROJECT_ROOT

    app_file = PROJECT_ROOT / "ui" / "app.py"
    args = [sys.executable, "-m", "streamlit", "run", str(app_file), "--server.port", str(port),
            "--server.address", address, "--server.headless", "true", "--browser.gatherUsageStats", "false",
            "--global.developmentMode", "false", "--client.toolbarMode", "minimal"]
    typer.echo(f"Serving the knowledge base on http://{address}:{port} (Ctrl+C stops it).")
    sys.stdout.flush()
    # Streamlit replaces this process, so stopping `kb ui` stops the server too.
    os.execv(sys.executable, args)


@app.command("settings")
def settings_command(fmt: str = typer.Option("table", "--format",
                                             help="table, json (for scripts) or markdown (the README's table).")):
    """Every setting: its environment variable, current value (secrets masked), default and meaning."""
    import json

    from kb.settings import SETTING_BY_NAME, SettingsError, describe, load_settings_with_sources, markdown_table

    if fmt not in ("table", "json", "markdown"):
        _fail(f"--format must be table, json or markdown, got {fmt!r}", code=2)
    if fmt == "markdown":  # the defaults only: the same table whatever the environment
        typer.echo(markdown_table(), nl=False)
        return
    try:
        current, sources = load_settings_with_sources()
    except SettingsError as exc:
        _fail(f"Settings: {exc}")
    rows = describe(current, sources)
    if fmt == "json":
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:  # a block per setting: the value and where it came from, then its meaning
        setting = SETTING_BY_NAME[row["variable"]]
        value = setting.show(getattr(current, setting.attribute))
        origin = "default" if row["source"] == "default" else \
            f"from {'the environment' if row['source'] == 'environment' else row['source']}; " \
            f"default {setting.show(setting.default, mask=False)}"
        typer.echo(f"{setting.name} = {value}  ({origin})")
        typer.echo(f"    {setting.help}")


def main() -> None:  # pragma: no cover - console entry
    app()


if __name__ == "__main__":  # pragma: no cover
    app()
