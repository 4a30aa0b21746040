"""`kb change --from R1 --to R2`: how the network changed between two survey rounds (parse,
call kb.services.change, render)."""

from __future__ import annotations

import json
from typing import Optional

import typer

from kb.cli.common import call


def _num(value, digits: int = 3):
    return None if value is None else round(float(value), digits)


def change_text(change) -> str:
    """A change report as text for the terminal."""
    from kb.render import to_table

    d = change.to_dict()
    mark = "  [SYNTHETIC data]" if d["synthetic"] else ""
    out = [f"Network {d['network']} from round {d['from']} to {d['to']}"
           + (f" in {d['locality']}" if d["locality"] else "") + mark,
           f"Actors {d['actors_before']} -> {d['actors_after']}; ties {d['ties_before']} -> {d['ties_after']} "
           f"(gained {d['ties_gained']}, lost {d['ties_lost']})", ""]
    names = lambda items: "; ".join(f"{x['name']} ({x['id']})" for x in items) or "none"  # noqa: E731
    out += [f"Left (no tie in {d['to']}): {names(d['departed'])}",
            f"Arrived (no tie in {d['from']}): {names(d['arrived'])}",
            f"Brokers who left: {names(d['brokers_left'])}", "", "Layer blocks:"]
    blocks = [{**b, "density_before": _num(b["density_before"]), "density_after": _num(b["density_after"]),
               "density_change": _num(b["density_change"])} for b in d["blocks"]]
    out.append(to_table(["from_layer", "to_layer", "ties_before", "ties_after", "gained", "lost",
                         "density_before", "density_after", "density_change"], blocks))
    out += ["", "E-I index per layer:"]
    out.append(to_table(["layer", "n_before", "n_after", "ei_before", "ei_after", "ei_change"],
                        [{**x, **{k: _num(x[k]) for k in ("ei_before", "ei_after", "ei_change")}} for x in d["layers"]]))
    out += ["", "Role changes:"]
    out.append(to_table(["actor", "layer", "role", "change", "left", "arrived"], d["roles"]) if d["roles"] else "  none")
    out += ["", "Carriers between layers (changed):"]
    carriers = [c for c in d["carriers"] if c["status"]]
    out.append(to_table(["layer", "other_layer", "status", "left", "new"], carriers, width=60) if carriers else "  none")
    s = d["similarity"]
    out += [""]
    if s["jaccard"] is None:
        out.append(f"Similarity: fewer than 3 respondents in both rounds ({s['common_respondents']}); not computed")
    else:
        out.append(f"Over the {s['common_respondents']} respondents of both rounds"
                   + ("" if s["same_respondents"] else f" (of {s['respondents_before']} and {s['respondents_after']})")
                   + f": Jaccard {s['jaccard']:.3f}; QAP r = " + ("n/a" if s["qap_r"] is None else f"{s['qap_r']:.3f}")
                   + ("" if s["qap_p"] is None else f", p = {s['qap_p']:.4f}")
                   + f" ({s['permutations']} permutations, seed {s['seed']})")
    return "\n".join(out)


def change_command(from_round: str = typer.Option(..., "--from", metavar="ROUND", help="The earlier survey round."),
                   to_round: str = typer.Option(..., "--to", metavar="ROUND", help="The later survey round."),
                   network: str = typer.Option("all", "--network", "-n",
                                               help="A network type, or `all` (pairs counted once)."),
                   locality: Optional[str] = typer.Option(None, "--locality", help="Only actors of this locality."),
                   permutations: int = typer.Option(1000, "--permutations", help="QAP permutations."),
                   seed: int = typer.Option(0, "--seed", help="Seed of the QAP permutations."),
                   fmt: str = typer.Option("table", "--format", help="table or json.")):
    """How the network changed between two survey rounds: ties per layer block, density, E-I,
    roles, brokers who left, carriers between layers, Jaccard and QAP."""
    from kb.services.change import network_change

    if fmt not in ("table", "json"):
        from kb.cli.common import fail
        fail(f"--format must be table or json, not {fmt!r}", code=2)
    change = call(network_change, from_round, to_round, network, locality, permutations=permutations, seed=seed)
    typer.echo(json.dumps(change.to_dict(), indent=2, default=str) if fmt == "json" else change_text(change))
