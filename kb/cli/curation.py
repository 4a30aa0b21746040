"""`kb edit`, `kb history`, `kb undo`, `kb verify`, `kb attention`, `kb completeness`: the
curation services (kb/services/curation.py) from the command line, as the operator
(kb.services.access.cli_user: the login name, as admin)."""

from __future__ import annotations

import json
from typing import Optional

import typer

from kb.cli.common import call, fail

FORMAT_HELP = "table or json."


def _format(fmt: str) -> str:
    if fmt not in ("table", "json"):
        fail(f"--format must be table or json, not {fmt!r}.", code=2)
    return fmt


def _pairs(assignments: list[str]) -> dict[str, str]:
    values = {}
    for item in assignments:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            fail(f"--set takes field=value, not {item!r}.", code=2)
        values[name.strip()] = value
    return values


def change_line(c) -> str:
    label, what = "fields", ", ".join(c.fields_changed()) if c.op in ("update", "undo") else ""
    if c.op == "load":
        label, what = "files", ", ".join(c.after.get("files", []))
    extra = f" (undoes {c.undoes})" if c.undoes else ""
    return (f"{c.at}  v{c.version:<3} {c.op:<7} {c.user:<12} {c.id}{extra}"
            + (f"\n    {label}: {what}" if what else "") + (f"\n    reason: {c.reason}" if c.reason else ""))


def edit_command(kind: str = typer.Argument(..., help="The record's table: innovations, problems, people, ..."),
                 record_id: str = typer.Argument(..., help="Its id (an adoption: INNOVATION:LOCALITY)."),
                 assignments: list[str] = typer.Option([], "--set", help="field=value (lists joined with ';'); "
                                                                          "repeat for more fields."),
                 reason: str = typer.Option(..., "--reason", help="What was changed and why."),
                 source: Optional[str] = typer.Option(None, "--source", help="The source of the new values ..."),
                 section: Optional[str] = typer.Option(None, "--section", help="... and the section they are in."),
                 judgement: Optional[str] = typer.Option(None, "--editors-judgement",
                                                         help="Instead of a source: a note on the editors' judgement."),
                 create: bool = typer.Option(False, "--create", help="Add a new record instead of editing one."),
                 fmt: str = typer.Option("table", "--format", help=FORMAT_HELP)):
    """Edit one record through the same service as the UI's forms: the loader's checks, a
    reason and provenance required, recorded in the history."""
    from kb.model import ENTITIES
    from kb.services.access import cli_user
    from kb.services.curation import Provenance, fetch, save

    _format(fmt)
    values = _pairs(assignments)
    if kind in ENTITIES:
        for name, part in zip(ENTITIES[kind].key, record_id.split(":")):
            values.setdefault(name, part)
    provenance = Provenance(source=source, section=section, editors_judgement=judgement is not None, note=judgement)
    version = None if create else call(fetch, kind, record_id)[1]
    result = call(save, cli_user(), kind, values, reason=reason, provenance=provenance, expected_version=version)
    if fmt == "json":
        typer.echo(json.dumps({"record_id": result.record_id, "version": result.version,
                               "change": result.change.as_dict()}, indent=2))
    else:
        typer.echo(f"Saved {kind} {result.record_id!r} as version {result.version} (change {result.change.id}).")
    if result.embedding_note:
        typer.echo(result.embedding_note, err=True)


def history_command(record_id: str = typer.Argument(..., help="The record's id."),
                    fmt: str = typer.Option("table", "--format", help=FORMAT_HELP)):
    """Every change to one record, newest first: who, when, what, why (loads included)."""
    from kb.services.curation import history

    _format(fmt)
    changes = call(history, record_id)
    if fmt == "json":
        typer.echo(json.dumps([c.as_dict() for c in changes], indent=2))
        return
    if not changes:
        typer.echo(f"No recorded changes to {record_id!r}.")
    for c in changes:
        typer.echo(change_line(c))


def undo_command(change_id: str = typer.Argument(..., help="The change to undo (from `kb history`)."),
                 reason: str = typer.Option(..., "--reason", help="Why it is undone."),
                 fmt: str = typer.Option("table", "--format", help=FORMAT_HELP)):
    """Undo one change (refused while later changes to the record depend on it)."""
    from kb.services.access import cli_user
    from kb.services.curation import undo

    _format(fmt)
    change = call(undo, cli_user(), change_id, reason)
    if fmt == "json":
        typer.echo(json.dumps(change.as_dict(), indent=2))
    else:
        typer.echo(f"Undid {change_id}: {change.kind} {change.record_id!r} is now version {change.version} "
                   f"(change {change.id}).")


def verify_command(kind: str = typer.Argument(..., help="The record's table."),
                   record_id: str = typer.Argument(..., help="Its id."),
                   reason: str = typer.Option(..., "--reason", help="What was checked, against what."),
                   fmt: str = typer.Option("table", "--format", help=FORMAT_HELP)):
    """Mark a record "verified by" you (recorded in its history)."""
    from kb.services.access import cli_user
    from kb.services.curation import verify

    _format(fmt)
    change = call(verify, cli_user(), kind, record_id, reason)
    if fmt == "json":
        typer.echo(json.dumps(change.as_dict(), indent=2))
    else:
        typer.echo(f"Verified {kind} {record_id!r} by {change.user} at version {change.version}.")


def attention_command(fmt: str = typer.Option("table", "--format", help=FORMAT_HELP),
                      limit: int = typer.Option(500, "--limit", min=1, help="Rows at most.")):
    """What most needs attention: missing evidence, missing sources, orphan organisations,
    people with no ties."""
    from kb.render import to_table
    from kb.services.curation import attention

    _format(fmt)
    items = call(attention, limit=limit)
    rows = [{"kind": i.kind, "id": i.record_id, "name": i.name, "problem": i.problem} for i in items]
    typer.echo(json.dumps(rows, indent=2) if fmt == "json" else
               (to_table(["kind", "id", "name", "problem"], rows) if rows else "Nothing needs attention."))


def completeness_command(kind: str = typer.Argument(..., help="innovations or case_studies (or any table)."),
                         record_id: str = typer.Argument(..., help="Its id."),
                         fmt: str = typer.Option("table", "--format", help=FORMAT_HELP)):
    """The completeness score of one record: which fields that matter for transfer are filled
    (docs/curation.md gives the formula)."""
    from kb.services.curation import completeness

    _format(fmt)
    c = call(completeness, kind, record_id)
    if fmt == "json":
        typer.echo(json.dumps({"score": c.score, "filled": c.filled, "missing": c.missing}, indent=2))
    else:
        typer.echo(f"Completeness {c.percent}% ({len(c.filled)} of {len(c.filled) + len(c.missing)} fields)")
        typer.echo("Filled: " + (", ".join(c.filled) or "none"))
        typer.echo("Missing: " + (", ".join(c.missing) or "none"))
