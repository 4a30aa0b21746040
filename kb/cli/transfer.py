"""`kb assess` (one innovation for one locality) and `kb transfer` (the transfer finder,
ranked by the assessment): parse, call kb.services.transfer, render."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from kb.cli.common import cli_settings, connect, fail, fail_with


def _label(item: dict) -> str:
    marks = [m for m, on in (("editors' judgement", item.get("editors_judgement")),
                             ("SYNTHETIC", item.get("synthetic"))) if on]
    return f" [{', '.join(marks)}]" if marks else ""


def assessment_text(a) -> str:
    """An assessment as text for the terminal."""
    from kb.render import to_table

    out = [a.reason, "", f"Score {a.score:g}: " + ", ".join(f"{k} {v:+g}" for k, v in a.components.items())]
    if a.flags:
        out.append("Flags: " + "; ".join(a.flags))
    exact = "; ".join(p["name"] for p in a.problems["exact"]) or "none"
    out.append(f"Problems matched exactly: {exact}")
    if a.problems["by_meaning"]:
        out.append("By meaning: " + "; ".join(f"{p['name']} ~ {p['like']} ({p['similarity']})"
                                             for p in a.problems["by_meaning"]))
    out += ["", "Where it started and was adopted:"]
    out.append(to_table(["place", "role", "year", "outcome", "similarity", "adaptation"], a.places)
               if a.places else "  (nowhere recorded)")
    out += ["", "Preconditions:"]
    out.append(to_table(["precondition", "kind", "verdict", "fact", "section", "label"],
                        [{**v, "label": _label(v).strip(" []")} for v in a.preconditions], width=90)
               if a.preconditions else "  none recorded (the source is silent)")
    out += ["", "Elements:"]
    out.append(to_table(["element", "kind", "verdict", "why", "others_changed", "label"],
                        [{**e, "others_changed": "; ".join(f"{c['place']}: {c['adaptation']}" for c in e["others_changed"]),
                          "label": _label(e).strip(" []")} for e in a.elements], width=70)
               if a.elements else "  none recorded")
    out += ["", "Introduction paths:"]
    for n, p in enumerate(a.paths, 1):
        out.append(f"  {n}. " + " → ".join(x["name"] for x in p["actors"])
                   + f"  ({p['hops']} step{'s' if p['hops'] != 1 else ''}, cost {p['cost']:g}"
                   + (f", brokers: {', '.join(p['brokers'])}" if p["brokers"] else "")
                   + (", SYNTHETIC ties" if p["synthetic"] else "") + ")")
    if not a.paths:
        out.append("  none found")
    return "\n".join(out)


def assess_command(innovation: str = typer.Argument(..., help="The innovation's id."),
                   locality: str = typer.Argument(..., help="The locality to transfer it to."),
                   max_hops: int = typer.Option(6, "--max-hops", help="Longest introduction path searched (0-6)."),
                   fmt: str = typer.Option("table", "--format", help="table or json."),
                   brief: Optional[str] = typer.Option(None, "--brief",
                                                       help="Write the one-page brief instead: md or html."),
                   output: Optional[Path] = typer.Option(None, "-o", "--output",
                                                         help="With --brief: write it to this file.")):
    """Assess one innovation for one locality: problems, evidence, places, preconditions
    (met / unmet / unknown, with the fact), elements, introduction paths and the score.
    With --brief md|html, the one-page brief that cites every source (docs/transfer.md)."""
    from kb.services.brief import BriefInputError, check_format, make_brief
    from kb.services.transfer import TransferInputError, assess

    if fmt not in ("table", "json"):
        fail(f"--format must be table or json, not {fmt!r}", code=2)
    if output is not None and brief is None:
        fail("-o/--output writes a brief: add --brief md or --brief html", code=2)
    if brief is not None:
        try:
            check_format(brief)
        except BriefInputError as exc:
            fail_with(exc)
    settings = cli_settings()
    with connect(settings) as kb:
        try:
            if brief is not None:
                text = make_brief(kb, innovation, locality, max_hops=max_hops,
                                  timeout=settings.kb_query_timeout).render(brief)
            else:
                result = assess(kb, innovation, locality, max_hops=max_hops, timeout=settings.kb_query_timeout)
        except TransferInputError as exc:
            fail_with(exc)
    if brief is not None:
        if output is None:
            typer.echo(text, nl=False)
            return
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            fail(f"could not write the brief to {output}: {exc.strerror or exc}", code=2)
        typer.echo(f"Wrote the {brief} brief to {output}")
        return
    if fmt == "json":
        typer.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2, default=str))
    else:
        typer.echo(assessment_text(result))


def transfer_command(locality: Optional[str] = typer.Argument(None, help="The locality to transfer to."),
                     problem: Optional[str] = typer.Option(None, help="Or/also a problem id to match."),
                     sector: Optional[str] = typer.Option(None, help="Restrict to a sector id."),
                     min_evidence: int = typer.Option(0, "--min-evidence", help="Minimum Nesta evidence level."),
                     include_unevidenced: bool = typer.Option(False, "--include-unevidenced",
                                                              help="Also list innovations without an evidence "
                                                                   "level (flagged)."),
                     max_hops: int = typer.Option(6, "--max-hops", help="Longest introduction path searched (0-6); "
                                                                         "a candidate without one ranks lower."),
                     limit: int = typer.Option(25, help="Rows."),
                     fmt: str = typer.Option("table", "--format", help="table or json.")):
    """The transfer finder: innovations elsewhere that could transfer here, ranked by the
    assessment, each with the sentence that explains its rank."""
    from kb.render import to_table
    from kb.services.transfer import TransferInputError, find_transfers

    if fmt not in ("table", "json"):
        fail(f"--format must be table or json, not {fmt!r}", code=2)
    settings = cli_settings()
    with connect(settings) as kb:
        try:
            found = find_transfers(kb, locality, problem=problem, sector=sector, min_evidence=min_evidence,
                                   max_hops=max_hops, include_unevidenced=include_unevidenced, limit=limit,
                                   timeout=settings.kb_query_timeout)
        except TransferInputError as exc:
            fail_with(exc)
    if fmt == "json":
        typer.echo(json.dumps(found.rows, ensure_ascii=False, indent=2, default=str))
    else:
        typer.echo(to_table(["rank", "name", "score", "evidence_flag", "unmet", "introduction_hops", "synthetic"],
                            found.rows))
        typer.echo("\nWhy:")
        for r in found.rows:
            typer.echo(f"{r['rank']}. {r['reason']}")
    if found.cut:
        typer.secho("(more candidates than the finder assesses: narrow by problem, sector or evidence)", err=True,
                    fg=typer.colors.YELLOW)
