"""`kb survey ...`: network survey rounds (docs/surveys.md). Parse, call
kb.services.surveys (and survey_forms for the offline spreadsheet), render."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from kb.cli.common import call, fail

survey_app = typer.Typer(no_args_is_help=True, help="Network survey rounds: create a round, its roster and private "
                                                    "links, watch the response rate, close it into ties.")
DEFAULT_BASE_URL = "http://127.0.0.1:8501"


def _format(fmt: str) -> str:
    if fmt not in ("table", "json"):
        fail(f"--format must be table or json, not {fmt!r}", code=2)
    return fmt


def _json(value) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))


@survey_app.command("create")
def create(locality: str = typer.Argument(..., help="The locality's id."),
           date: str = typer.Argument(..., help="The round's date, YYYY-MM-DD (the ties' date)."),
           round_id: Optional[str] = typer.Option(None, "--id", help="The round's id (default LOCALITY-DATE)."),
           config: Optional[Path] = typer.Option(None, "--config", help="YAML/JSON file with `questions` and "
                                                                         "`scale` (default: the seven networks, "
                                                                         "how often 1-4)."),
           fmt: str = typer.Option("table", "--format", help="table or json.")):
    """Create an open survey round."""
    from kb.services.access import cli_user
    from kb.services.surveys import create_round

    _format(fmt)
    found = call(create_round, locality, date, round_id=round_id, config=config, user=cli_user())
    if fmt == "json":
        return _json(found)
    typer.echo(f"Created survey round {found['id']} ({found['locality_name']}, {found['date']}).")
    for q in found["questions"]:
        typer.echo(f"  {q['network']:<11} {q['text']}")
    typer.echo("  scale: " + ", ".join(f"{s['value']} = {s['label']}" for s in found["scale"]))


@survey_app.command("roster")
def roster(round_id: str = typer.Argument(..., help="The round's id."),
           locality: bool = typer.Option(False, "--locality", help="Everyone of the round's locality."),
           person: list[str] = typer.Option([], "--person", help="A person's id (repeat)."),
           csv_path: Optional[Path] = typer.Option(None, "--csv", help="A CSV with a `person` column of ids."),
           fmt: str = typer.Option("table", "--format", help="table or json.")):
    """Add respondents to a round's roster (people of the knowledge base)."""
    from kb.services.access import cli_user
    from kb.services.surveys import add_roster

    _format(fmt)
    added = call(add_roster, round_id, locality=locality, people=person, csv_path=csv_path, user=cli_user())
    _json({"round": round_id, "added": added}) if fmt == "json" else typer.echo(
        f"Added {added} respondent(s) to {round_id}.")


@survey_app.command("tokens")
def tokens(round_id: str = typer.Argument(..., help="The round's id."),
           person: list[str] = typer.Option([], "--person", help="Only these respondents (repeat)."),
           reissue: bool = typer.Option(False, "--reissue", help="Replace existing links too (the old ones stop "
                                                                   "working)."),
           base_url: str = typer.Option(DEFAULT_BASE_URL, "--base-url", help="Where respondents reach `kb ui`."),
           fmt: str = typer.Option("table", "--format", help="table or json.")):
    """Issue private links to respondents who have none. Each link is shown ONCE: only a
    hash of its token is stored, so send them now (a lost link needs --reissue)."""
    from kb.render import to_table
    from kb.services.access import cli_user
    from kb.services.surveys import issue_tokens

    _format(fmt)
    links = call(issue_tokens, round_id, people=person or None, reissue=reissue, user=cli_user())
    rows = [{"person": x.person, "name": x.name, "link": x.link(base_url)} for x in links]
    if fmt == "json":
        return _json(rows)
    if not rows:
        typer.echo("Everyone on the roster has a link already (use --reissue to replace them).")
        return
    typer.echo(to_table(["person", "name", "link"], rows, width=120))
    typer.secho("These links are shown only now: only their hashes are stored.", err=True, fg=typer.colors.YELLOW)


@survey_app.command("status")
def status(round_id: str = typer.Argument(..., help="The round's id."),
           fmt: str = typer.Option("table", "--format", help="table or json.")):
    """The response rate, per layer and per organisation (nobody's answers)."""
    from kb.render import to_table
    from kb.services.surveys import round_status

    _format(fmt)
    result = call(round_status, round_id)
    if fmt == "json":
        return _json(result.as_dict())
    r = result.round
    typer.echo(f"Round {r['id']} ({r['locality_name']}, {r['date']}): {r['status']}. "
               f"{result.submitted} of {result.respondents} submitted ({result.rate:.0%}), {result.started} started.")
    columns = ["respondents", "started", "submitted", "rate"]
    typer.echo(to_table(["layer", *columns], result.by_layer))
    typer.echo(to_table(["organisation", *columns], result.by_organisation))


@survey_app.command("close")
def close(round_id: str = typer.Argument(..., help="The round's id."),
          pseudonymise: Optional[bool] = typer.Option(None, "--pseudonymise/--no-pseudonymise",
                                                      help="Default KB_PSEUDONYMISE."),
          fmt: str = typer.Option("table", "--format", help="table or json.")):
    """Close the round: refuse further answers and write the submitted answers as ties
    (dated, tagged with the round) in one audited load."""
    from dataclasses import asdict

    from kb.services.access import cli_user
    from kb.services.surveys import close_round

    _format(fmt)
    result = call(close_round, round_id, pseudonymise=pseudonymise, user=cli_user())
    if fmt == "json":
        return _json(asdict(result))
    typer.echo(f"Closed {round_id}: {result.ties} tie(s), {result.new_people} new people"
               + (f", load {result.load_id}." if result.load_id else " (no answers were submitted)."))


@survey_app.command("list")
def list_command(fmt: str = typer.Option("table", "--format", help="table or json.")):
    """Every survey round."""
    from kb.render import to_table
    from kb.services.surveys import list_rounds

    _format(fmt)
    rows = call(list_rounds)
    if fmt == "json":
        return _json(rows)
    typer.echo(to_table(["round", "locality", "date", "status", "respondents", "submitted", "load_id"], rows)
               if rows else "No survey rounds yet (`kb survey create`).")


@survey_app.command("export-form")
def export_form_command(round_id: str = typer.Argument(..., help="The round's id."),
                        out: Path = typer.Argument(..., help="The .xlsx file to write."),
                        fmt: str = typer.Option("table", "--format", help="table or json.")):
    """Write the round's form as a spreadsheet to fill in offline: instructions, the
    roster, and one sheet per respondent (no links or tokens in it)."""
    from kb.services.survey_forms import export_form

    _format(fmt)
    sheets = call(export_form, round_id, out)
    _json({"round": round_id, "file": str(out), "sheets": sheets}) if fmt == "json" else typer.echo(
        f"Wrote {out}: {sheets} respondent sheet(s).")


@survey_app.command("import")
def import_command(round_id: str = typer.Argument(..., help="The round's id."),
                   file: Path = typer.Argument(..., help="A filled-in form (.xlsx) from `kb survey export-form`."),
                   fmt: str = typer.Option("table", "--format", help="table or json.")):
    """Record the answers of a filled-in spreadsheet, as the web form does (submitted);
    every problem is located by sheet, row and column, and then nothing is recorded."""
    from kb.services.survey_forms import import_form

    _format(fmt)
    recorded = call(import_form, round_id, file)
    _json({"round": round_id, "recorded": recorded}) if fmt == "json" else typer.echo(
        f"Recorded the answers of {len(recorded)} respondent(s): {', '.join(recorded) or 'none'}.")
