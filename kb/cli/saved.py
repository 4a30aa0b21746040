"""`kb saved list|show|delete`: the console's saved queries (kb/services/saved_queries.py),
for the operator's login name or, with `--user`, for a UI user (the CLI runs as the
operator, who may act for any user). Saving is done in the UI's console."""

from __future__ import annotations

import json
from typing import Optional

import typer

from kb.cli.common import call

saved_app = typer.Typer(no_args_is_help=True, help="Saved console queries, per user (saved in the UI's console).")
USER = typer.Option(None, "--user", help="Whose saved queries (default: your login name).")
FORMAT = typer.Option("table", "--format", help="table or json.")


def _user(name: Optional[str]):
    from kb.services.access import User, cli_user

    operator = cli_user()
    return User(name.strip(), operator.role) if name and name.strip() else operator


def _what(s) -> str:
    return f"named query {s.query}" if s.query else "own Cypher"


@saved_app.command("list")
def list_command(user: Optional[str] = USER, fmt: str = FORMAT):
    """A user's saved queries, by name."""
    from kb.services.saved_queries import list_saved

    who = _user(user)
    saved = call(list_saved, who)
    if fmt == "json":
        typer.echo(json.dumps([s.as_dict() for s in saved], indent=2, ensure_ascii=False))
        return
    if not saved:
        typer.echo(f"{who.name} has no saved queries (save one in the UI's Cypher console).")
    for s in saved:
        typer.echo(f"{s.name:<32}{_what(s):<40}{s.saved_at}")


@saved_app.command("show")
def show(name: str = typer.Argument(..., help="The saved query's name."), user: Optional[str] = USER,
         fmt: str = FORMAT):
    """One saved query: the named query or Cypher, and its parameters."""
    from kb.services.saved_queries import get

    s = call(get, _user(user), name)
    if fmt == "json":
        typer.echo(json.dumps(s.as_dict(), indent=2, ensure_ascii=False))
        return
    typer.echo(f"{s.name} ({_what(s)}, saved {s.saved_at} by {s.user})")
    if s.text:
        typer.echo(s.text)
    typer.echo(f"parameters: {json.dumps(s.params, ensure_ascii=False)}")
    if s.query:
        args = " ".join(f"--param {k}={','.join(map(str, v)) if isinstance(v, list) else v}"
                        for k, v in s.params.items() if v not in (None, ""))
        typer.echo(f"run it: kb query {s.query} {args}".rstrip())


@saved_app.command("delete")
def delete(name: str = typer.Argument(..., help="The saved query's name."), user: Optional[str] = USER,
           fmt: str = FORMAT):
    """Delete one saved query."""
    from kb.services.saved_queries import delete as delete_saved

    who = _user(user)
    call(delete_saved, who, name)
    if fmt == "json":
        typer.echo(json.dumps({"deleted": name, "user": who.name}))
    else:
        typer.echo(f"Deleted {who.name}'s saved query {name!r}.")
