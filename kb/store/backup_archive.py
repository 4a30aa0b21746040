"""Reading a backup archive safely: member names, sizes, checksums and the signature are
checked while streaming, before anything is decoded, and every decoded line's shape is
checked before anything is written.

* Only the members a backup holds (``manifest.json``, ``nodes.jsonl``,
  ``relationships.jsonl``, and ``signature.json`` when signed) are accepted; an unknown,
  absolute, ``..``, duplicate or non-regular member refuses the archive.
* Each data member is streamed (1 MiB at a time) to a private temporary file while its
  bytes are counted and hashed; it is refused as soon as it exceeds the size the manifest
  gives it, so a small archive that inflates to gigabytes is never held in memory nor
  written out whole.
* The signature (``signature.json``) is an HMAC-SHA256, keyed with KB_BACKUP_KEY, of the
  manifest's bytes; the manifest holds every data member's sha256 and size, so a valid
  signature proves that the whole archive is as the holder of the key wrote it. With a key,
  an unsigned or wrongly signed archive is refused; without one the signature is not
  checked (and the result says so).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import tarfile
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Iterator

from kb.store.backup_values import BackupError, check_row

FORMAT = "localinnovation-kb-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SIGNATURE = "signature.json"
NODES = "nodes.jsonl"
RELATIONSHIPS = "relationships.jsonl"
MEMBERS = (NODES, RELATIONSHIPS)
KNOWN = (MANIFEST, SIGNATURE, *MEMBERS)
SIGNATURE_ALGORITHM = "hmac-sha256"
MAX_SMALL_MEMBER_BYTES = 1 << 20  # the manifest and the signature
BLOCK = 1 << 20


def sign(key: bytes, manifest: bytes) -> bytes:
    """The signature member for a manifest's bytes."""
    digest = hmac.new(key, manifest, hashlib.sha256).hexdigest()
    return (json.dumps({"algorithm": SIGNATURE_ALGORITHM, "manifest_hmac": digest}, indent=2) + "\n").encode()


@dataclass
class Archive:
    """A checked archive: its manifest, whether its signature was checked, and its data
    members in a temporary folder (removed when the archive is closed or collected)."""

    manifest: dict
    signature: str                    # "verified", "not checked" (signed, no key) or "unsigned"
    folder: tempfile.TemporaryDirectory = field(repr=False)

    def rows(self, member: str) -> Iterator[tuple[str, dict]]:
        """The member's rows, each checked for its shape, with where it is ("member line N")."""
        with open(Path(self.folder.name) / member, "rb") as f:
            for number, raw in enumerate(f, start=1):
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    raise BackupError(f"{member} line {number}: not valid UTF-8 (byte {exc.start})") from None
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except (json.JSONDecodeError, RecursionError) as exc:
                    raise BackupError(f"{member} line {number}: not JSON "
                                      f"({getattr(exc, 'msg', 'nested too deeply')})") from None
                where = f"{member} line {number}"
                yield where, check_row(row, member == NODES, where)

    def close(self) -> None:
        self.folder.cleanup()


def _check_name(path: Path, name: str, seen: set[str]) -> None:
    pure = PurePosixPath(name)
    if pure.is_absolute() or name.startswith(("/", "\\")) or ".." in pure.parts or "\\" in name:
        raise BackupError(f"{path}: member {name!r} has an absolute or '..' path; not a kb backup (refused)")
    if name not in KNOWN:
        raise BackupError(f"{path}: unknown member {name!r} (a kb backup holds only {', '.join(KNOWN)}); "
                          "refused")
    if name in seen:
        raise BackupError(f"{path}: member {name!r} appears twice; refused")
    seen.add(name)


def _copy(path: Path, name: str, source: IO[bytes], limit: int, out: IO[bytes] | None) -> tuple[str, int, bytes]:
    """Stream a member: (sha256, bytes, content when no `out`), refusing beyond `limit` bytes."""
    h, n, kept = hashlib.sha256(), 0, []
    while True:
        block = source.read(BLOCK)
        if not block:
            break
        n += len(block)
        if n > limit:
            raise BackupError(f"{path}: member {name} is bigger than the {limit} bytes "
                              f"{'the manifest gives it' if out is not None else 'allowed'}; the archive was "
                              "altered or damaged; nothing was restored")
        h.update(block)
        if out is None:
            kept.append(block)
        else:
            out.write(block)
    return h.hexdigest(), n, b"".join(kept)


class _Reader:
    """The members of a tar.gz or zip archive: checked names, sizes and streams."""

    def __init__(self, path: Path):
        self.path = path
        self.zip = zipfile.is_zipfile(path)
        self.sizes: dict[str, int] = {}
        seen: set[str] = set()
        self.archive = zipfile.ZipFile(path) if self.zip else tarfile.open(path, "r:*")
        try:
            if self.zip:
                entries = [(i.filename, not i.is_dir(), i.file_size) for i in self.archive.infolist()]
            else:
                self.infos = {}
                entries = []
                for info in self.archive:
                    entries.append((info.name, info.isfile(), info.size))
                    self.infos.setdefault(info.name, info)
            for name, regular, size in entries:
                _check_name(path, name, seen)
                if not regular:
                    raise BackupError(f"{path}: member {name!r} is not a regular file; refused")
                self.sizes[name] = size
        except BaseException:
            self.archive.close()
            raise

    def open(self, name: str) -> IO[bytes]:
        return self.archive.open(name) if self.zip else self.archive.extractfile(self.infos[name])

    def read_small(self, name: str) -> bytes:
        if self.sizes[name] > MAX_SMALL_MEMBER_BYTES:
            raise BackupError(f"{self.path}: member {name} is too large")
        with self.open(name) as f:
            return _copy(self.path, name, f, MAX_SMALL_MEMBER_BYTES, None)[2]

    def close(self) -> None:
        self.archive.close()


def _manifest(path: Path, raw: bytes) -> dict:
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
        raise BackupError(f"{path}: {MANIFEST} is not valid JSON ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path}: {MANIFEST} does not describe a kb backup")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"{path}: backup format version {manifest.get('format_version')!r} "
                          f"is not supported (this kb reads version {FORMAT_VERSION})")
    files = manifest.get("files")
    for member in MEMBERS:
        entry = files.get(member) if isinstance(files, dict) else None
        if not isinstance(entry, dict) or not isinstance(entry.get("sha256"), str) or not entry["sha256"]:
            raise BackupError(f"{path}: {MANIFEST} lists no sha256 for {member}")
        size = entry.get("bytes")
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise BackupError(f"{path}: {MANIFEST} gives no size (bytes) for {member}")
    return manifest


def _check_signature(path: Path, reader: _Reader, manifest_raw: bytes, key: bytes | None) -> str:
    if SIGNATURE not in reader.sizes:
        if key is not None:
            raise BackupError(f"{path}: the archive is not signed, and KB_BACKUP_KEY is set: only archives "
                              "signed with that key are restored (nothing was restored)")
        return "unsigned"
    if key is None:
        return "not checked"
    try:
        signature = json.loads(reader.read_small(SIGNATURE).decode("utf-8"))
        claimed = signature["manifest_hmac"] if signature.get("algorithm") == SIGNATURE_ALGORITHM else None
    except (json.JSONDecodeError, UnicodeDecodeError, AttributeError, KeyError, TypeError):
        claimed = None
    if not isinstance(claimed, str):
        raise BackupError(f"{path}: {SIGNATURE} is not a {SIGNATURE_ALGORITHM} signature; nothing was restored")
    expected = hmac.new(key, manifest_raw, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(claimed, expected):
        raise BackupError(f"{path}: the signature does not match: the archive was changed after it was signed, "
                          "or signed with another key than KB_BACKUP_KEY; nothing was restored")
    return "verified"


def read_archive(path: Path | str, key: bytes | None = None) -> Archive:
    """Open an archive and check it: names, manifest, signature (with a key), then each data
    member's size and sha256 while streaming it to a temporary folder."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such archive")
    folder = tempfile.TemporaryDirectory(prefix="kb-restore-")
    try:
        try:
            reader = _Reader(path)
        except (tarfile.TarError, zipfile.BadZipFile, EOFError, OSError, zlib.error) as exc:
            raise BackupError(f"{path}: not a readable backup archive ({exc})") from None
        try:
            if MANIFEST not in reader.sizes:
                raise BackupError(f"{path}: no {MANIFEST} in the archive; not a kb backup")
            manifest_raw = reader.read_small(MANIFEST)
            manifest = _manifest(path, manifest_raw)
            signature = _check_signature(path, reader, manifest_raw, key)
            for member in MEMBERS:
                entry = manifest["files"][member]
                if member not in reader.sizes:
                    raise BackupError(f"{path}: member {member} is missing from the archive")
                if reader.sizes[member] > entry["bytes"]:
                    raise BackupError(f"{path}: member {member} is {reader.sizes[member]} bytes, the manifest "
                                      f"says {entry['bytes']}; the archive was altered or damaged; nothing was "
                                      "restored")
                with reader.open(member) as source, open(Path(folder.name) / member, "wb") as out:
                    actual, size, _ = _copy(path, member, source, entry["bytes"], out)
                if actual != entry["sha256"] or size != entry["bytes"]:
                    raise BackupError(f"{path}: checksum mismatch for member {member} "
                                      f"(manifest {entry['sha256'][:12]}…, archive {actual[:12]}…); the archive "
                                      "was altered or damaged; nothing was restored")
        except (tarfile.TarError, zipfile.BadZipFile, EOFError, zlib.error) as exc:
            raise BackupError(f"{path}: not a readable backup archive ({exc})") from None
        finally:
            reader.close()
    except BaseException:
        folder.cleanup()
        raise
    return Archive(manifest, signature, folder)


__all__ = ["Archive", "FORMAT", "FORMAT_VERSION", "KNOWN", "MANIFEST", "MEMBERS", "NODES", "RELATIONSHIPS",
           "SIGNATURE", "read_archive", "sign"]
