"""Backing up the whole graph to a checksummed archive, and restoring one into an empty
database (all of it or nothing)."""

from __future__ import annotations

from pathlib import Path

from kb.services import InputError, ServiceError
from kb.settings import Settings
from kb.store import backup as store_backup
from kb.store.backup import BackupError, BackupResult, RestoreResult
from kb.store.connection import KnowledgeBase


class BackupFailed(ServiceError):
    """The archive could not be written."""


class BackupRefused(BackupFailed, InputError):
    """The archive's name or kind is not one `kb backup` writes."""


class RestoreRefused(InputError):
    """The archive is damaged, or the database is not empty: nothing was restored."""


def backup(settings: Settings, kb: KnowledgeBase, file: Path | str) -> BackupResult:
    try:
        return store_backup.backup(kb, file)
    except BackupError as exc:
        raise BackupRefused(str(exc)) from None
    except OSError as exc:
        raise BackupFailed(f"Cannot write {file}: {exc.strerror or exc}") from None


def restore(settings: Settings, kb: KnowledgeBase, file: Path | str) -> RestoreResult:
    try:
        return store_backup.restore(kb, file)
    except BackupError as exc:
        raise RestoreRefused(f"Restore refused: {exc}") from None


__all__ = ["BackupFailed", "BackupRefused", "RestoreRefused", "BackupResult", "RestoreResult", "backup", "restore"]
