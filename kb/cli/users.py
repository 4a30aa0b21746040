"""`kb user add|list|remove|role|password`: the UI's users and their roles
(kb/services/access.py). A password is read from a prompt (typed twice, not shown), from
`--password-file`, or from standard input when it is not a terminal; never from the command
line, where other users of the machine could read it."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from kb.cli.common import call, fail

user_app = typer.Typer(no_args_is_help=True, help="The UI's users and their roles (viewer, editor, admin).")


def read_password(password_file: Optional[Path]) -> str:
    if password_file is not None:
        try:
            text = password_file.read_text(encoding="utf-8")
        except OSError as exc:
            fail(f"Cannot read the password file {password_file}: {exc.strerror}.", code=2)
        return text.rstrip("\r\n")
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


@user_app.command("add")
def add(name: str = typer.Argument(..., help="The user's name (no spaces)."),
        role: str = typer.Option(..., "--role", help="viewer, editor or admin."),
        password_file: Optional[Path] = typer.Option(None, "--password-file",
                                                     help="Read the password from this file (else a prompt, or "
                                                          "standard input).")):
    """Add a user; the password is stored only as a salted argon2 hash."""
    from kb.services.access import add_user

    user = call(add_user, name, role, read_password(password_file))
    typer.echo(f"Added user {user.name!r} ({user.role}).")


@user_app.command("list")
def list_command(fmt: str = typer.Option("table", "--format", help="table or json.")):
    """Every user and role."""
    from kb.services.access import list_users

    users = call(list_users)
    if fmt == "json":
        typer.echo(json.dumps([{"name": u.name, "role": u.role} for u in users], indent=2))
        return
    if not users:
        typer.echo("No users yet: add one with `kb user add NAME --role admin`.")
    for u in users:
        typer.echo(f"{u.name:<24}{u.role}")


@user_app.command("remove")
def remove(name: str = typer.Argument(..., help="The user to remove (their past changes keep their name).")):
    """Remove a user and their saved console queries."""
    from kb.services.access import remove_user

    saved = call(remove_user, name)
    typer.echo(f"Removed user {name!r} and {saved} saved quer{'y' if saved == 1 else 'ies'}.")


@user_app.command("role")
def role(name: str = typer.Argument(...), new_role: str = typer.Argument(..., help="viewer, editor or admin.")):
    """Change a user's role."""
    from kb.services.access import set_role

    user = call(set_role, name, new_role)
    typer.echo(f"User {user.name!r} is now {user.role}.")


@user_app.command("password")
def password(name: str = typer.Argument(...),
             password_file: Optional[Path] = typer.Option(None, "--password-file",
                                                          help="Read the new password from this file.")):
    """Set a user's new password."""
    from kb.services.access import set_password

    call(set_password, name, read_password(password_file))
    typer.echo(f"Password of {name!r} changed.")
