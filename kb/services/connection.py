"""Opening the knowledge base: one connection, with clear messages when it cannot be had
(nothing answers, the credentials are refused, the settings are not valid), never echoing
a credential. Shared by the CLI and the UI."""

from __future__ import annotations

import re

from neo4j.exceptions import AuthError, ConfigurationError, ServiceUnavailable, SessionExpired

from kb.services import ServiceError
from kb.settings import Settings
from kb.store.connection import KnowledgeBase


class ConnectionFailed(ServiceError):
    """No usable connection to Neo4j (the message says why and what to do)."""


def safe_uri(uri: str) -> str:
    """The URI without any user:password@ part."""
    return re.sub(r"(?<=://)[^/@]*@", "", uri)


def scrub(text: str, settings: Settings) -> str:
    """Text fit to show: no password, no credentials inside URIs."""
    text = re.sub(r"(\w+://)[^/@\s]*@", r"\1", str(text))
    for secret in (settings.password, settings.kb_ui_password):
        if secret:
            text = text.replace(secret, "***")
    return text


def unreachable_message(settings: Settings) -> str:
    hint = "start the local server with `kb db start`" if settings.uses_local_server else \
        "check NEO4J_URI and that the server is running"
    return f"Neo4j is not reachable at {safe_uri(settings.uri)}: {hint}."


def credentials_message(settings: Settings) -> str:
    return (f"Neo4j at {safe_uri(settings.uri)} refused the credentials for user {settings.neo4j_user!r}: "
            "check NEO4J_USER and NEO4J_PASSWORD.")


def connect(settings: Settings) -> KnowledgeBase:
    """A connection (the driver); nothing is asked of the server yet."""
    try:
        return KnowledgeBase.connect(settings)
    except (ConfigurationError, ValueError) as exc:
        raise ConnectionFailed("The Neo4j connection settings are not valid (NEO4J_URI, NEO4J_USER, "
                               f"NEO4J_PASSWORD): {scrub(str(exc), settings)}") from None


def verify(settings: Settings, kb: KnowledgeBase) -> None:
    """Fails at once (ConnectionFailed) when nothing answers or the credentials are refused."""
    try:
        kb.driver.verify_connectivity()
    except (ServiceUnavailable, SessionExpired):
        raise ConnectionFailed(unreachable_message(settings)) from None
    except AuthError:
        raise ConnectionFailed(credentials_message(settings)) from None
    except ConfigurationError as exc:
        raise ConnectionFailed("The Neo4j connection settings are not valid (NEO4J_URI, NEO4J_USER, "
                               f"NEO4J_PASSWORD): {scrub(str(exc), settings)}") from None


def open_kb(settings: Settings) -> KnowledgeBase:
    """A connection that answered (close it, or use it in a `with` block)."""
    kb = connect(settings)
    try:
        verify(settings, kb)
    except ConnectionFailed:
        kb.close()
        raise
    return kb


def server_status(kb: KnowledgeBase) -> tuple[dict[str, str], dict[str, int]]:
    """The server's name, version and edition, and the node and relationship counts."""
    return kb.server_info(), kb.counts()
