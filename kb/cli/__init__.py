"""The `kb` command line: the local server, schema, loading, queries, analytics, UI."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from kb.cli.change import change_command
from kb.cli.common import analysis_line, call, cli_settings, fail, fail_with, serve_ui
from kb.cli.db import db_app
from kb.cli.demo import demo
from kb.cli.find import embed as embed_command, find as find_command
from kb.cli.survey import survey_app
from kb.cli.transfer import assess_command, transfer_command
from kb.cli import curation as curation_cli
from kb.cli.users import user_app
from kb.cli.saved import saved_app

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  help="A graph knowledge base of local social innovations and the actors behind them.")
app.add_typer(db_app, name="db")
app.add_typer(survey_app, name="survey")
app.command("find")(find_command)
app.command("embed")(embed_command)
app.command("demo")(demo)
app.command("assess")(assess_command)
app.command("transfer")(transfer_command)
app.add_typer(user_app, name="user")
app.add_typer(saved_app, name="saved")
for _name in ("edit", "history", "undo", "verify", "attention", "completeness"):
    app.command(_name)(getattr(curation_cli, f"{_name}_command"))
app.command("change")(change_command)


@app.command("init")
def init():
    """Apply constraints and indexes from cypher/schema/ (idempotent)."""
    from kb.services.schema import apply_schema

    n = call(apply_schema)
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
                                                          "(default KB_PSEUDONYMISE; key in KB_PSEUDONYM_KEY(_FILE))."),
         bulk: bool = typer.Option(False, "--bulk", help="A first load into the EMPTY local database with Neo4j's "
                                                         "offline importer (stops and restarts the local server).")):
    """Validate everything, then load it all in one transaction (or nothing).

    A load of more than KB_LOAD_TRANSACTION_ROWS rows is staged instead: committed in
    chunks under a load record that stays "in progress" until the last one; if it stops,
    running the same command again completes it. With --bulk, a first load into the empty
    local database is written by Neo4j's offline importer instead (several times faster).
    """
    from kb.services.bulk_load import bulk_load
    from kb.services.loading import load_files

    if bulk:
        result = call(bulk_load, paths, fmt=fmt, encoding=encoding, default_network=network,
                      pseudonymise=pseudonymise, dry_run=dry_run, on_step=lambda text: typer.echo(text, err=True))
    else:
        result = call(load_files, paths, fmt=fmt, encoding=encoding, default_network=network,
                      pseudonymise=pseudonymise, dry_run=dry_run, progress=progress,
                      notice=lambda text: typer.echo(text, err=True))
    if result.dry_run:
        typer.echo(result.would_load())
        return
    for other in result.unfinished:
        typer.echo(f"Note: {other.describe()} did not finish; running that load again completes it.", err=True)
    typer.echo(result.summary.table())
    typer.echo(result.loaded())
    for done in result.completed:
        typer.echo(f"This completes the interrupted load {done}.")
    if result.embedding_note:
        typer.echo(result.embedding_note, err=True)
    if result.history_note:
        typer.echo(result.history_note, err=True)
    if result.changed:
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
    from kb.services.exporting import GRAPHML_FILE, ExportInputError, export as export_kb

    settings = cli_settings()
    if out_dir.exists() and not out_dir.is_dir():
        fail_with(ExportInputError(f"{out_dir} exists and is not a folder."))
    result = call(export_kb, out_dir, graphml=graphml, settings=settings)
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
    from kb.render import to_csv, to_json, to_table
    from kb.services.queries import QueryInputError, bind, limits, list_queries, named_query, \
        parse_params, run_query

    if name is None:
        for q in list_queries():
            params = ", ".join(f"{p.name}={p.default}" for p in q.user_parameters)
            typer.echo(f"{q.name:<26} {q.title}  ({params})")
        return
    if fmt not in ("table", "csv", "json"):
        fail(f"--format must be table, csv or json, not {fmt!r}", code=2)
    settings = cli_settings()
    try:
        given = parse_params(param)
        bind(named_query(name), given)  # a bad name or parameter is refused before connecting
        limits(settings, timeout, limit)
    except QueryInputError as exc:
        fail_with(exc)
    result = call(run_query, name, given, timeout=timeout, row_limit=limit, settings=settings)
    if fmt == "json":
        typer.echo(to_json(result.rows))
    elif fmt == "csv":
        typer.echo(to_csv(result.columns, result.rows), nl=False)
    else:
        typer.echo(to_table(result.columns, result.rows))
    if result.truncated:
        typer.secho(f"({result.result.limit_note})", err=True, fg=typer.colors.YELLOW)
    if result.result.stale:
        typer.secho(f"(stale: {result.result.stale})", err=True, fg=typer.colors.YELLOW)
    if result.result.note:
        typer.secho(f"({result.result.note})", err=True, fg=typer.colors.YELLOW)


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
        fail(str(exc), code=2)
    typer.echo(", ".join(f"{name}.csv: {n}" for name, n in result.counts.items()))
    typer.echo(f"Wrote a synthetic knowledge base to {result.out_dir} in {result.seconds:.1f}s "
               f"(load it with `kb load {result.out_dir}`).")


@app.command("analyse")
def analyse_command(network: Optional[list[str]] = typer.Option(None, "--network", "-n",
                                                                help="Network type(s), or `all`; default every type with ties, then `all`."),
                    exact_max_nodes: int = typer.Option(5000, help="Exact path measures up to this component size; sampled above."),
                    seed: int = typer.Option(0, help="Seed of the sampled estimates."),
                    pivots: int = typer.Option(500, min=2, help="Pivots per component above --exact-max-nodes "
                                                                "(fewer: faster, larger standard errors)."),
                    allow_partial: bool = typer.Option(False, "--allow-partial",
                                                       help="Analyse even while a staged load is unfinished."),
                    directed: bool = typer.Option(False, "--directed",
                                                  help="Path measures along the direction of the ties "
                                                       "(who nominated whom); default: ties undirected."),
                    thresholds: Optional[Path] = typer.Option(None, "--thresholds", metavar="FILE",
                                                              help="Role thresholds (YAML, JSON or TOML; default "
                                                                   "KB_ROLE_THRESHOLDS, else docs/analytics.md's)."),
                    round_id: Optional[str] = typer.Option(None, "--round", metavar="ROUND",
                                                           help="Analyse the ties of one survey round."),
                    as_of: Optional[str] = typer.Option(None, "--as-of", metavar="DATE",
                                                        help="Analyse the ties dated on or before DATE (latest "
                                                             "round of each pair).")):
    """Compute the network measures and roles, and write them back (versioned; one current run per round)."""
    from kb.services.analysis import analyse
    from kb.services.role_thresholds import ThresholdsFileError, choose_thresholds

    def show(report) -> None:
        typer.echo(analysis_line(report) + ("  [directed paths]" if directed else "")
                   + (f"  [{report.scope}]" if report.scope else ""))

    settings = cli_settings()
    try:  # a bad thresholds file is refused before connecting
        chosen = choose_thresholds(settings, thresholds)
    except ThresholdsFileError as exc:
        fail_with(exc)
    if chosen.thresholds.changed():
        typer.echo(f"Role thresholds from {chosen.source}: "
                   + ", ".join(f"{k}={v}" for k, v in chosen.thresholds.changed().items()))
    call(analyse, network, exact_max_nodes=exact_max_nodes, seed=seed, pivots=pivots, allow_partial=allow_partial,
         directed=directed, thresholds=chosen, on_report=show, settings=settings, round=round_id, as_of=as_of)


@app.command("backup")
def backup_command(file: Path = typer.Argument(..., help="Archive to write (.tar.gz, .tgz or .zip).")):
    """Write the whole graph to a portable, checksummed archive (nodes, relationships, manifest)."""
    from kb.services.backups import backup

    result = call(backup, file)
    typer.echo(f"Backed up {result.nodes} nodes and {result.relationships} relationships to {result.path}"
               + (" (signed with KB_BACKUP_KEY)." if result.signed else "."))


@app.command("restore")
def restore_command(file: Path = typer.Argument(..., help="Archive written by `kb backup`.")):
    """Restore an archive into an EMPTY database: checksums first, then all of it in one transaction."""
    from kb.services.backups import SIGNATURE_NOTES, restore

    result = call(restore, file)
    typer.echo(f"Restored {result.nodes} nodes and {result.relationships} relationships from {file}.")
    typer.echo(SIGNATURE_NOTES[result.signature])


@app.command("forget")
def forget_command(person_id: str = typer.Argument(..., help="The id of the person to remove."),
                   real_id: bool = typer.Option(False, "--real-id",
                                                help="Look the id up as it is even when a pseudonym key is "
                                                     "configured (a person loaded without pseudonyms).")):
    """Remove a person, their ties, memberships, scores and stored results (one transaction) and say what went.

    With a pseudonym key configured only the pseudonym of the id is sent to the server.
    """
    from kb.services.forgetting import forget

    result = call(forget, person_id, real_id=real_id)
    for line in result.lines():
        typer.echo(line)


@app.command("ui")
def ui_command(port: int = typer.Option(8501, help="Port of the web app."),
               address: str = typer.Option("127.0.0.1", help="Address to bind (127.0.0.1: this machine only).")):
    """Start the Streamlit app (headless, usage statistics off)."""
    serve_ui(port, address)


@app.command("settings")
def settings_command(fmt: str = typer.Option("table", "--format",
                                             help="table, json (for scripts) or markdown (the README's table).")):
    """Every setting: its environment variable, current value (secrets masked), default and meaning."""
    import json

    from kb.render import describe, markdown_table
    from kb.settings import SETTING_BY_NAME, SettingsError, load_settings_with_sources

    if fmt not in ("table", "json", "markdown"):
        fail(f"--format must be table, json or markdown, got {fmt!r}", code=2)
    if fmt == "markdown":  # the defaults only: the same table whatever the environment
        typer.echo(markdown_table(), nl=False)
        return
    try:
        current, sources = load_settings_with_sources()
    except SettingsError as exc:
        fail(f"Settings: {exc}", code=2)
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
