"""`kb find`: problems and innovations for a need typed in free text; `kb embed`: (re)compute
the embeddings that search uses (a load keeps them fresh by itself)."""

from __future__ import annotations

from typing import Optional

import typer

from kb.cli.common import cli_settings, connect, fail, fail_with


def find(text: str = typer.Argument(..., help="The need, in your own words (at most 500 characters)."),
         kind: Optional[str] = typer.Option(None, "--kind", help="problem, innovation or element (default: all)."),
         limit: int = typer.Option(10, "--limit", help="Rows returned."),
         fmt: str = typer.Option("table", "--format", help="table, csv or json (an array of row objects).")):
    """Rank problems and innovations by what a need means and the words it shares with them.

    score = 0.9 x cosine similarity of the embeddings + 0.1 x full-text score relative to
    the best match (docs/search.md); `meaning` and `text` are the two parts.
    """
    from kb.render import to_csv, to_json, to_table
    from kb.services.find import COLUMNS, FindFailed, FindInputError, check_text, kinds_of, search

    if fmt not in ("table", "csv", "json"):
        fail(f"--format must be table, csv or json, not {fmt!r}", code=2)
    try:
        check_text(text)  # refused before connecting
        kinds_of(kind)
    except FindInputError as exc:
        fail_with(exc)
    settings = cli_settings()
    with connect(settings) as kb:
        try:
            rows = [f.row() for f in search(settings, kb, text, kind=kind, limit=limit)]
        except (FindInputError, FindFailed) as exc:
            fail_with(exc)
    if fmt == "json":
        typer.echo(to_json(rows))
    elif fmt == "csv":
        typer.echo(to_csv(COLUMNS, rows), nl=False)
    else:
        typer.echo(to_table(COLUMNS, rows))


def embed(kind: Optional[str] = typer.Option(None, "--kind", help="problem, innovation or element (default: all)."),
          everything: bool = typer.Option(False, "--all", help="Re-embed every node, not only the changed ones.")):
    """Compute the embeddings `kb find` uses for nodes that have none or whose text changed."""
    from kb.services.find import FindFailed, FindInputError, refresh

    settings = cli_settings()
    with connect(settings) as kb:
        try:
            result = refresh(settings, kb, kind, everything=everything)
        except (FindInputError, FindFailed) as exc:
            fail_with(exc)
    typer.echo(", ".join(f"{name}: {result.embedded[name]} of {n} embedded" for name, n in result.seen.items()))
