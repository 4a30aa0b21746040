"""Backing up the whole graph to a checksummed archive, signed when KB_BACKUP_KEY (or
KB_BACKUP_KEY_FILE) is set, and restoring one into an empty database (all of it or
nothing; with a key, only archives signed with it)."""

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


class BackupKeyError(ValueError):
    """KB_BACKUP_KEY / KB_BACKUP_KEY_FILE set but unusable."""


class RestoreRefused(InputError):
    """The archive is damaged, or the database is not empty: nothing was restored."""


def backup_key(settings: Settings) -> bytes | None:
    """The configured backup key, or None; a key that is set but unusable is refused."""
    key = settings.kb_backup_key
    if settings.kb_backup_key_file:
        try:
            text = Path(settings.kb_backup_key_file).read_text().strip()
        except OSError as exc:
            raise BackupKeyError(f"cannot read the backup key file {settings.kb_backup_key_file}: "
                                 f"{exc.strerror}") from None
        key = text or key
    if not key:
        return None
    if len(key) < 16:
        raise BackupKeyError("the backup key (KB_BACKUP_KEY or the file named by KB_BACKUP_KEY_FILE) must have at "
                             "least 16 characters")
    return key.encode()


def backup(settings: Settings, kb: KnowledgeBase, file: Path | str) -> BackupResult:
    try:
        key = backup_key(settings)
    except BackupKeyError as exc:
        raise BackupRefused(f"{exc}; nothing was written") from None
    try:
        return store_backup.backup(kb, file, key)
    except BackupError as exc:
        raise BackupRefused(str(exc)) from None
    except OSError as exc:
        raise BackupFailed(f"Cannot write {file}: {exc.strerror or exc}") from None


def restore(settings: Settings, kb: KnowledgeBase, file: Path | str) -> RestoreResult:
    """`result.signature` says whether the signature was "verified", "not checked" (a signed
    archive, no key set) or the archive is "unsigned" (no key set)."""
    try:
        return store_backup.restore(kb, file, key=backup_key(settings))
    except BackupKeyError as exc:
        raise RestoreRefused(f"Restore refused: {exc}; nothing was restored") from None
    except BackupError as exc:
        raise RestoreRefused(f"Restore refused: {exc}") from None


SIGNATURE_NOTES = {
    "verified": "The signature was verified with KB_BACKUP_KEY.",
    "not checked": "The archive is signed, but its signature was not checked (KB_BACKUP_KEY is not set).",
    "unsigned": "The archive is not signed; its checksums show it is undamaged, not who wrote it.",
}

__all__ = ["SIGNATURE_NOTES", "backup_key", "BackupFailed", "BackupRefused", "RestoreRefused", "BackupResult", "RestoreResult", "backup", "restore"]
