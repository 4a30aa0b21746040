"""Users and roles: who may read, edit and administer the knowledge base.

Three roles, each with the rights of those before it: viewer (reads), editor (adds and
edits records), admin (also imports files, manages users and undoes anyone's change).
Passwords are stored only as argon2id hashes (argon2-cffi: salted, with its default cost
parameters), on the :User node; never in clear.

Brute force is slowed per user name and per address: after FREE_FAILURES failed sign-ins
against either, the next attempt is refused for 2^(n - FREE_FAILURES) seconds (at most
MAX_BACKOFF_SECONDS) from the last failure, without checking the password. The counts are
kept in the graph (:SignInBackoff {key: "user:NAME" | "address:ADDR"}), so every UI
process shares them and a restart does not reset them; a successful sign-in clears both.

The CLI runs as the operator of the machine (`cli_user()`: the login name, as admin): who
can run `kb` can read the database password anyway.
"""

from __future__ import annotations

import datetime as _dt
import getpass
from dataclasses import dataclass

from kb.services import InputError, ServiceError
from kb.settings import Settings
from kb.store import users as store
from kb.store.connection import KnowledgeBase

ROLES = ("viewer", "editor", "admin")
FREE_FAILURES = 3
MAX_BACKOFF_SECONDS = 300
MIN_PASSWORD_CHARS = 8
_DOING = {"viewer": "Reading", "editor": "Editing", "admin": "This"}  # what a role allows, for messages


@dataclass(frozen=True)
class User:
    name: str
    role: str

    def can(self, role: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role)


class AccessDenied(ServiceError):
    """The user (or nobody signed in) lacks the role an action needs."""

    usage = True


class SignInRefused(ServiceError):
    """Wrong name or password, or too many failures: `retry_after` seconds to wait (0: none)."""

    usage = True

    def __init__(self, message: str, retry_after: float = 0.0):
        self.retry_after = retry_after
        super().__init__(message)


class UserError(InputError):
    """A user that does not exist or already does, a role that is not one, a weak password."""


def require(user: User | None, role: str) -> User:
    """The user, when they hold `role` (or a higher one); else AccessDenied, e.g. "Editing
    needs the editor role; you are signed in as a viewer." """
    what = _DOING.get(role, "This")
    if user is None:
        raise AccessDenied(f"{what} needs the {role} role; you are not signed in.")
    if user.role not in ROLES or not user.can(role):
        raise AccessDenied(f"{what} needs the {role} role; you are signed in as {_a(user.role)}.")
    return user


def _a(role: str) -> str:
    return ("an " if role[:1] in "aeiou" else "a ") + role


def cli_user() -> User:
    """The CLI runs as the operator: the login name, as admin."""
    try:
        name = getpass.getuser()
    except Exception:  # no login name in some containers
        name = "operator"
    return User(name, "admin")


def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    return role


def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > 64 or any(c.isspace() or not c.isprintable() for c in name):
        raise UserError("a user name is 1 to 64 characters without spaces")
    return name


def add_user(settings: Settings, kb: KnowledgeBase, name: str, role: str, password: str) -> User:
    name, role = _check_name(name), _check_role(role)
    if len(password or "") < MIN_PASSWORD_CHARS:
        raise UserError(f"a password needs at least {MIN_PASSWORD_CHARS} characters")
    created = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    if not store.add(kb, name, role, _hasher().hash(password), created):
        raise UserError(f"there is already a user {name!r}; nothing was changed")
    return User(name, role)


def list_users(settings: Settings, kb: KnowledgeBase) -> list[User]:
    return [User(r["name"], r["role"]) for r in store.all_users(kb)]


def set_role(settings: Settings, kb: KnowledgeBase, name: str, role: str) -> User:
    if not store.set_role(kb, name, _check_role(role)):
        raise UserError(f"no user {name!r}; nothing was changed")
    return User(name, role)


def set_password(settings: Settings, kb: KnowledgeBase, name: str, password: str) -> None:
    if len(password or "") < MIN_PASSWORD_CHARS:
        raise UserError(f"a password needs at least {MIN_PASSWORD_CHARS} characters")
    if not store.set_password_hash(kb, name, _hasher().hash(password)):
        raise UserError(f"no user {name!r}; nothing was changed")


def remove_user(settings: Settings, kb: KnowledgeBase, name: str) -> int:
    """Remove the user and their saved queries (how many is returned); their past changes keep their name."""
    saved = store.remove(kb, name)
    if saved is None:
        raise UserError(f"no user {name!r}; nothing was changed")
    return saved


def backoff_seconds(failures: int) -> float:
    """Seconds to wait after `failures` failed sign-ins (0 for the first FREE_FAILURES)."""
    if failures < FREE_FAILURES:
        return 0.0
    return float(min(2 ** (failures - FREE_FAILURES), MAX_BACKOFF_SECONDS))


def authenticate(settings: Settings, kb: KnowledgeBase, name: str, password: str, address: str = "local") -> User:
    """The user, when the name and password match and no back-off is running; else SignInRefused."""
    from argon2.exceptions import InvalidHashError, VerificationError

    keys = [f"user:{name}", f"address:{address}"]
    wait = max((backoff_seconds(n) - since for n, since in store.failures(kb, keys).values()), default=0.0)
    if wait > 0:
        raise SignInRefused(f"Too many failed sign-ins; try again in {int(wait) + 1} s.", retry_after=wait)
    row = store.get(kb, name)
    hasher = _hasher()
    try:
        # Without such a user, a hash is still checked, so a missing name takes as long.
        hasher.verify(row["password_hash"] if row else _dummy_hash(), password or "")
        ok = row is not None and row["role"] in ROLES
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok:
        store.fail(kb, keys)
        failures = max(n for n, _ in store.failures(kb, keys).values())
        raise SignInRefused("Wrong user name or password.", retry_after=backoff_seconds(failures))
    store.clear(kb, keys)
    if hasher.check_needs_rehash(row["password_hash"]):
        store.set_password_hash(kb, name, hasher.hash(password))
    return User(row["name"], row["role"])


_DUMMY: list[str] = []


def _dummy_hash() -> str:
    if not _DUMMY:
        _DUMMY.append(_hasher().hash("not a password of anyone"))
    return _DUMMY[0]


__all__ = ["ROLES", "User", "AccessDenied", "SignInRefused", "UserError", "require", "cli_user", "add_user",
           "list_users", "set_role", "set_password", "remove_user", "authenticate", "backoff_seconds"]
