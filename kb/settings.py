"""Connection and tool settings.

Precedence, highest first: explicit overrides (CLI flags, test fixtures) > the process
environment > a `.env` file in the working directory > the documented defaults below.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from dotenv import dotenv_values

PROJECT_ROOT = Path(__file__).resolve().parent.parent

DEFAULT_NETWORK_TYPES = ("work", "social", "innovation", "expertise", "career", "learning", "strategic")


def _as_bool(value: str | bool) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    """Every setting has an environment variable of the same name in upper case."""

    # Connection. NEO4J_URI unset means: use the local server that `kb db start` runs.
    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: str | None = field(default=None, repr=False)
    neo4j_database: str = "neo4j"
    # Local server (no Docker): where its state lives, its Bolt port and memory bounds.
    kb_state_dir: Path = PROJECT_ROOT / ".kb"
    kb_neo4j_lib: Path = PROJECT_ROOT / ".kb" / "neo4j-lib"
    kb_neo4j_port: int = 7687
    kb_neo4j_heap: str = "1g"
    kb_neo4j_pagecache: str = "256m"
    # Where `kb db fetch` gets the server jars: a Maven repository (unset: Maven Central), and
    # the download cache shared by clones (unset: ~/.cache/localinnovation-kb/maven).
    kb_neo4j_mirror: str | None = None
    kb_neo4j_cache: Path | None = None
    # Read-only query limits (Cypher console, `kb query`): seconds and rows.
    kb_query_timeout: float = 10.0
    kb_row_limit: int = 1000
    # Loads of up to this many rows are one transaction; bigger ones are staged (kb/store/writer.py).
    # 0: always one transaction (needs about 3 KB of server heap per tie row).
    kb_load_transaction_rows: int = 100_000
    # Rows per UNWIND statement (and per committed chunk of a staged load).
    kb_load_chunk_rows: int = 10_000
    # Network types of ties (the report's study mapped seven; configurable).
    kb_network_types: tuple[str, ...] = DEFAULT_NETWORK_TYPES
    # Privacy: pseudonymise people at load (a stable keyed hash; the key stays outside the DB).
    kb_pseudonymise: bool = False
    kb_pseudonym_key: str | None = field(default=None, repr=False)
    kb_pseudonym_key_file: Path | None = None
    # UI: writes (the import page) are off unless enabled and a password is set.
    kb_ui_allow_writes: bool = False
    kb_ui_password: str | None = field(default=None, repr=False)

    @property
    def uses_local_server(self) -> bool:
        return not self.neo4j_uri

    @property
    def local_uri(self) -> str:
        return f"neo4j://127.0.0.1:{self.kb_neo4j_port}"

    @property
    def uri(self) -> str:
        return self.neo4j_uri or self.local_uri

    @property
    def local_password_file(self) -> Path:
        """The local server's password, generated at its first start (mode 0600)."""
        return Path(self.kb_state_dir) / "neo4j" / "password"

    @property
    def password(self) -> str | None:
        """NEO4J_PASSWORD, or for the local server the password in its password file."""
        if self.neo4j_password is not None or not self.uses_local_server:
            return self.neo4j_password
        try:
            return self.local_password_file.read_text().strip() or None
        except OSError:
            return None

    @property
    def auth(self) -> tuple[str, str] | None:
        password = self.password
        if password is None:
            return None
        return (self.neo4j_user, password)

    def with_overrides(self, **overrides) -> "Settings":
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})


def _convert(name: str, raw: str):
    default = getattr(Settings, name, None)
    if name == "kb_network_types":
        types = tuple(t.strip() for t in raw.split(",") if t.strip())
        if not types:
            raise ValueError("KB_NETWORK_TYPES must list at least one network type")
        return types
    if name in {"kb_state_dir", "kb_neo4j_lib", "kb_pseudonym_key_file", "kb_neo4j_cache"}:
        return Path(raw).expanduser()
    if isinstance(default, bool):
        return _as_bool(raw)
    if isinstance(default, int):
        try:
            number = int(raw)
        except ValueError:
            raise ValueError(f"{name.upper()} must be an integer, got {raw!r}") from None
        if number < (1 if name == "kb_load_chunk_rows" else 0):
            raise ValueError(f"{name.upper()} must be {'positive' if name == 'kb_load_chunk_rows' else 'zero or more'}, "
                             f"got {raw!r}")
        return number
    if isinstance(default, float):
        try:
            return float(raw)
        except ValueError:
            raise ValueError(f"{name.upper()} must be a number, got {raw!r}") from None
    return raw or None


def load_settings(env_file: str | Path | None = ".env", environ: dict | None = None, **overrides) -> Settings:
    """Build Settings from defaults, then `.env`, then the environment, then overrides."""
    environ = os.environ if environ is None else environ
    values: dict = {}
    file_values = dotenv_values(env_file) if env_file and Path(env_file).is_file() else {}
    names = [f for f in Settings.__dataclass_fields__]
    for source in (file_values, environ):
        for name in names:
            raw = source.get(name.upper())
            if raw is not None:
                values[name] = _convert(name, raw)
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Settings(**values)
