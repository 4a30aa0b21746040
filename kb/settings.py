"""Connection and tool settings, declared once in the table `SETTINGS`.

Each row names an environment variable, its type, its default and what it means; the
`Settings` object (one attribute per row, the variable's name in lower case), the parsing of
the environment and `.env`, the error for a bad value, `kb settings` and the README's table
of settings are all derived from it. Defaults are written nowhere else: other modules read
them with `default("KB_...")`.

Precedence, highest first: explicit overrides (CLI flags, test fixtures) > the process
environment > a `.env` file in the working directory > the defaults of the table.
An empty value (`KB_ROW_LIMIT=`) is the same as the default.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, make_dataclass, replace
from pathlib import Path
from typing import Any

from dotenv import dotenv_values

from kb.resources import PROJECT_ROOT, default_state_dir

DEFAULT_NETWORK_TYPES = ("work", "social", "innovation", "expertise", "career", "learning", "strategic")

MASK = "••••"
TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


class SettingsError(ValueError):
    """A setting has a value it cannot take (the message names the variable and the value)."""


@dataclass(frozen=True)
class Setting:
    """One setting: its environment variable, type, default and meaning.

    `type` is one of: text, uri (a Neo4j URI), size (a JVM/Neo4j memory size), path,
    integer, number, boolean, list (comma-separated names).
    """

    name: str
    type: str
    default: Any
    help: str
    secret: bool = False
    minimum: float | None = None
    maximum: float | None = None
    above: float | None = None     # a strict lower bound (number > above)

    @property
    def attribute(self) -> str:
        return self.name.lower()

    @property
    def expected(self) -> str:
        """What a value must be, in words ("an integer ≥ 1")."""
        if self.type == "integer":
            if self.minimum is not None and self.maximum is not None:
                return f"an integer from {self.minimum} to {self.maximum}"
            return "an integer" + (f" ≥ {self.minimum}" if self.minimum is not None else "")
        if self.type == "number":
            if self.above is not None:
                return f"a number > {self.above:g}"
            return "a number" + (f" ≥ {self.minimum:g}" if self.minimum is not None else "")
        if self.type == "boolean":
            return "true or false (or 1/0, yes/no, on/off)"
        if self.type == "list":
            return "a comma-separated list of at least one name"
        if self.type == "uri":
            return "a Neo4j URI: neo4j://, neo4j+s://, neo4j+ssc://, bolt://, bolt+s:// or bolt+ssc://"
        if self.type == "size":
            return "a memory size such as 512m or 2g"
        if self.type == "path":
            return "a path"
        return "text"

    # -- values -----------------------------------------------------------------------------
    def parse(self, raw: str) -> Any:
        """The value of the variable's text (from the environment or .env); empty is the default."""
        text = str(raw).strip()
        if not text:
            return self.default
        if self.type == "integer":
            try:
                value = int(text)
            except ValueError:
                raise self.error(raw) from None
        elif self.type == "number":
            try:
                value = float(text)
            except ValueError:
                raise self.error(raw) from None
        elif self.type == "boolean":
            if text.lower() not in TRUE_WORDS | FALSE_WORDS:
                raise self.error(raw)
            value = text.lower() in TRUE_WORDS
        elif self.type == "list":
            value = tuple(part.strip() for part in text.split(",") if part.strip())
        elif self.type == "path":
            value = Path(text).expanduser()
        else:
            value = text if self.type in ("uri", "size") else str(raw)
        return self.check(value, raw)

    def check(self, value: Any, raw: Any = None) -> Any:
        """`value` if this setting can take it (normalised: a path, a tuple, a float), else SettingsError."""
        shown = value if raw is None else raw
        if value is None:
            if self.default is None:
                return None
            raise self.error(shown)
        if isinstance(value, str) and self.type not in ("text", "uri", "size"):
            return self.parse(value)
        if self.type == "integer":
            if isinstance(value, bool) or not isinstance(value, int):
                raise self.error(shown)
        elif self.type == "number":
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
                raise self.error(shown)
            value = float(value)
        elif self.type == "boolean":
            if not isinstance(value, bool):
                raise self.error(shown)
        elif self.type == "list":
            if not isinstance(value, (list, tuple)) or not value or not all(isinstance(v, str) and v for v in value):
                raise self.error(shown)
            value = tuple(value)
        elif self.type == "path":
            if not isinstance(value, os.PathLike):
                raise self.error(shown)
            value = Path(value).expanduser()
        elif self.type == "uri":
            if not isinstance(value, str) or not re.fullmatch(r"(neo4j|bolt)(\+s|\+ssc)?://\S+", value):
                raise self.error(shown)
        elif self.type == "size":
            if not isinstance(value, str) or not re.fullmatch(r"\d+[kKmMgG]?", value):
                raise self.error(shown)
        elif not isinstance(value, str):
            raise self.error(shown)
        if self.type in ("integer", "number"):
            if (self.minimum is not None and value < self.minimum) or \
                    (self.maximum is not None and value > self.maximum) or \
                    (self.above is not None and value <= self.above):
                raise self.error(shown)
        return value

    def error(self, raw: Any) -> SettingsError:
        got = MASK if self.secret else repr(raw if isinstance(raw, str) else plain_setting(raw))
        return SettingsError(f"{self.name} must be {self.expected}, got {got}")

    def show(self, value: Any, mask: bool = True, relative: bool = False) -> str:
        """A value as text for people ("unset", "true", "a,b"); `relative`: a path inside the
        project relative to it (as the README shows defaults)."""
        if value is None:
            return "unset"
        if self.secret and mask:
            return MASK
        if relative and isinstance(value, Path) and value.is_relative_to(PROJECT_ROOT):
            return str(value.relative_to(PROJECT_ROOT))
        plain = plain_setting(value)
        if isinstance(plain, bool):
            return "true" if plain else "false"
        if isinstance(plain, list):
            return ",".join(plain)
        if isinstance(plain, float):
            return f"{plain:g}"
        return str(plain)


def plain_setting(value: Any) -> Any:
    """A value as JSON-ready Python."""
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, tuple):
        return list(value)
    return value


# The table. Defaults live here and only here.
SETTINGS: tuple[Setting, ...] = (
    # Connection.
    Setting("NEO4J_URI", "uri", None,
            "The Neo4j server to use (`neo4j://`, `neo4j+s://`, `bolt://`, ...); unset: the local "
            "server that `kb db start` runs."),
    Setting("NEO4J_USER", "text", "neo4j", "User name for `NEO4J_URI`."),
    Setting("NEO4J_PASSWORD", "text", None,
            "Password for `NEO4J_URI`; unset for the local server, whose password `kb db start` "
            "generates and keeps in `KB_STATE_DIR` (`kb db password --show`).", secret=True),
    Setting("NEO4J_DATABASE", "text", "neo4j", "The database on the server."),
    # The local server (no Docker): where its state lives, its Bolt port and memory bounds.
    Setting("KB_STATE_DIR", "path", default_state_dir(),
            "Folder of the local server's state (configuration, data, logs, pid, jars). Default: `.kb` "
            "in a source checkout; installed from the wheel, the user's data folder "
            "(`~/.local/share/localinnovation-kb` on Linux)."),
    Setting("KB_NEO4J_LIB", "path", None,
            "Folder of the Neo4j server jars, checked against `neo4j/jars.lock` (`kb db fetch`; `make setup` "
            "fetches them); unset: `neo4j-lib` in `KB_STATE_DIR`."),
    Setting("KB_NEO4J_PORT", "integer", 7687, "Bolt port of the local server (on 127.0.0.1).",
            minimum=1, maximum=65535),
    Setting("KB_NEO4J_HEAP", "size", "1g", "Heap of the local server (JVM -Xms and -Xmx)."),
    Setting("KB_NEO4J_PAGECACHE", "size", "256m", "Page cache of the local server."),
    # Where `kb db fetch` gets the server jars.
    Setting("KB_NEO4J_MIRROR", "text", None,
            "A Maven repository to fetch the Neo4j jars from (a company mirror); unset: Maven Central."),
    Setting("KB_NEO4J_CACHE", "path", None,
            "The download cache of the Neo4j jars, shared by clones; unset: "
            "`~/.cache/localinnovation-kb/maven`."),
    # Read-only query limits (Cypher console, `kb query`).
    Setting("KB_QUERY_TIMEOUT", "number", 10.0,
            "Seconds a query of `kb query` or the Cypher console may run.", above=0),
    Setting("KB_ROW_LIMIT", "integer", 1000,
            "Rows at most that `kb query` and the Cypher console return.", minimum=1),
    Setting("KB_STALE_RUN_ACTORS", "integer", 20_000,
            "From this many actors, the named queries that can read `kb analyse`'s stored results "
            "(brokerage-roles, layer-links, weak-layer-links, fragility) answer from the network's last run "
            "even when data changed since, saying it is stale (counting live would be too slow), and without "
            "any run brokerage-roles, layer-links and weak-layer-links say so at once instead of counting; "
            "`0`: never.",
            minimum=0),
    Setting("KB_RESULT_MAX_BYTES", "integer", 50_000_000,
            "Bytes of values at most (text as UTF-8, numbers as 8) that `kb query` and the Cypher console "
            "fetch; a bigger result is cut there and says so.", minimum=1),
    # Loading (kb/store/writer.py).
    Setting("KB_LOAD_TRANSACTION_ROWS", "integer", 100_000,
            "Loads of up to this many rows are one transaction; bigger ones are staged in committed "
            "chunks. `0`: always one transaction (about 3 KB of server heap per tie row).", minimum=0),
    Setting("KB_LOAD_CHUNK_ROWS", "integer", 10_000,
            "Rows per write statement (and per committed chunk of a staged load).", minimum=1),
    Setting("KB_BULK_SUGGEST_ROWS", "integer", 200_000,
            "`kb load` of more rows than this into an empty local database suggests `kb load --bulk` "
            "(Neo4j's offline importer). `0`: never suggest.", minimum=0),
    Setting("KB_NETWORK_TYPES", "list", DEFAULT_NETWORK_TYPES,
            "Network types a tie may have (the report's study mapped seven)."),
    Setting("KB_ROLE_THRESHOLDS", "path", None,
            "A file of role thresholds (YAML, JSON or TOML) for `kb analyse`, as `--thresholds FILE`; "
            "unset: the defaults of docs/analytics.md."),
    # Privacy: people pseudonymised at load (a stable keyed hash; the key stays outside the database).
    Setting("KB_PSEUDONYMISE", "boolean", False,
            "Pseudonymise people at every load (as `kb load --pseudonymise`)."),
    Setting("KB_PSEUDONYM_KEY", "text", None,
            "Key of the pseudonyms (at least 16 characters); keep it outside the database.", secret=True),
    Setting("KB_PSEUDONYM_KEY_FILE", "path", None,
            "A file holding the pseudonym key (used instead of `KB_PSEUDONYM_KEY` when it is not empty)."),
    # Backups: an optional keyed signature (HMAC-SHA256 of the manifest).
    Setting("KB_BACKUP_KEY", "text", None,
            "Key that signs `kb backup` archives (at least 16 characters); when set, `kb restore` refuses "
            "archives not signed with it.", secret=True),
    Setting("KB_BACKUP_KEY_FILE", "path", None,
            "A file holding the backup key (used instead of `KB_BACKUP_KEY` when it is not empty)."),
    # The UI: writes (the import page) are off unless enabled and a password is set.
    Setting("KB_UI_ALLOW_WRITES", "boolean", False,
            "Enable the UI's import page (it also needs `KB_UI_PASSWORD`)."),
    Setting("KB_UI_PASSWORD", "text", None, "Password of the UI's import page.", secret=True),
    # Curation (docs/curation.md): users and roles, sign-in, sessions.
    Setting("KB_UI_OPEN_VIEWING", "boolean", True,
            "Viewers need no sign-in: the UI's reading pages are open (`false`: everyone signs in)."),
    Setting("KB_UI_SESSION_MINUTES", "integer", 60,
            "Minutes a UI sign-in lasts without use before it expires.", minimum=1),
    Setting("KB_UI_MAP_TILES", "boolean", False,
            "The Overview's map of localities fetches map tiles from the internet (`false`: an offline drawing "
            "of longitude and latitude that needs no network)."),
    Setting("KB_HIDE_SYNTHETIC", "boolean", False,
            "The UI starts with synthetic (illustrative) data hidden: its pages then show only sourced data "
            "(the sidebar toggle changes it per session)."),
    Setting("KB_UI_PLAN_AHEAD", "boolean", True,
            "The server plans the pages' queries ahead (EXPLAIN only: nothing runs): `kb db start` (a server "
            "just started, with data), `kb ui` and `kb demo` before the UI is served, and the UI in the "
            "background after each load or analysis run, so no first view waits for the planning."),
    Setting("KB_UI_WARM_UP", "boolean", True,
            "`kb ui` and `kb demo` run each reading page once in a background process right after the UI "
            "starts (ui/warm.py: reads only, nobody signed in), so the first visitor of a page does not wait "
            "for the server's first run of its queries; it prints \"Warmed up the pages: ...\" when done."),
)

SETTING_BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}
_BY_ATTRIBUTE: dict[str, Setting] = {s.attribute: s for s in SETTINGS}


def default(name: str) -> Any:
    """The default of the setting `name` (its environment variable, e.g. "KB_LOAD_CHUNK_ROWS")."""
    return SETTING_BY_NAME[name].default


# -- the Settings object ----------------------------------------------------------------------
def _post_init(self) -> None:
    for setting in SETTINGS:
        value = getattr(self, setting.attribute)
        checked = setting.check(value)
        if checked is not value:
            object.__setattr__(self, setting.attribute, checked)


def _uses_local_server(self) -> bool:
    return not self.neo4j_uri


def _local_uri(self) -> str:
    return f"neo4j://127.0.0.1:{self.kb_neo4j_port}"


def _uri(self) -> str:
    return self.neo4j_uri or self.local_uri


def _neo4j_lib_dir(self) -> Path:
    """KB_NEO4J_LIB, or `neo4j-lib` in the state folder."""
    return Path(self.kb_neo4j_lib or Path(self.kb_state_dir) / "neo4j-lib")


def _local_password_file(self) -> Path:
    """The local server's password, generated at its first start (mode 0600)."""
    return Path(self.kb_state_dir) / "neo4j" / "password"


def _password(self) -> str | None:
    """NEO4J_PASSWORD, or for the local server the password in its password file."""
    if self.neo4j_password is not None or not self.uses_local_server:
        return self.neo4j_password
    try:
        return self.local_password_file.read_text().strip() or None
    except OSError:
        return None


def _auth(self) -> tuple[str, str] | None:
    password = self.password
    if password is None:
        return None
    return (self.neo4j_user, password)


def _with_overrides(self, **overrides) -> "Settings":
    return replace(self, **{k: v for k, v in overrides.items() if v is not None})


_TYPES = {"text": str, "uri": str, "size": str, "path": Path, "integer": int, "number": float,
          "boolean": bool, "list": tuple}

Settings = make_dataclass(
    "Settings",
    [(s.attribute, _TYPES[s.type] | None if s.default is None else _TYPES[s.type],
      field(default=s.default, repr=not s.secret)) for s in SETTINGS],
    frozen=True,
    namespace={
        "__doc__": "Every setting of the table SETTINGS: the attribute is its environment variable in lower case.",
        "__module__": __name__,
        "__post_init__": _post_init,
        "uses_local_server": property(_uses_local_server),
        "local_uri": property(_local_uri),
        "uri": property(_uri),
        "neo4j_lib_dir": property(_neo4j_lib_dir),
        "local_password_file": property(_local_password_file),
        "password": property(_password),
        "auth": property(_auth),
        "with_overrides": _with_overrides,
    },
)


# -- loading ----------------------------------------------------------------------------------
def load_settings_with_sources(env_file: str | Path | None = ".env", environ: dict | None = None,
                               **overrides) -> tuple[Settings, dict[str, str]]:
    """Settings as `load_settings` builds them, and where each came from (by variable name):
    "default", the .env file's path, "environment" or "override"."""
    environ = os.environ if environ is None else environ
    values: dict = {}
    sources = {s.name: "default" for s in SETTINGS}
    env_path = Path(env_file) if env_file else None
    file_values = dotenv_values(env_path) if env_path and env_path.is_file() else {}
    for source, label, where in ((file_values, str(env_path), f"in {env_path}"),
                                 (environ, "environment", "in the environment")):
        for setting in SETTINGS:
            raw = source.get(setting.name)
            if raw is None:
                continue
            try:
                values[setting.attribute] = setting.parse(raw)
            except SettingsError as exc:
                raise SettingsError(f"{exc} ({where})") from None
            sources[setting.name] = label
    for key, value in overrides.items():
        if value is None:
            continue
        if key not in _BY_ATTRIBUTE:
            raise TypeError(f"load_settings() got an unknown setting {key!r}")
        values[key] = _BY_ATTRIBUTE[key].check(value)
        sources[_BY_ATTRIBUTE[key].name] = "override"
    return Settings(**values), sources


def load_settings(env_file: str | Path | None = ".env", environ: dict | None = None, **overrides) -> Settings:
    """Build Settings from defaults, then `.env`, then the environment, then overrides."""
    return load_settings_with_sources(env_file, environ, **overrides)[0]
