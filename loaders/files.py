"""Reading an input file's bytes, bounded: only a regular file, and only up to a size limit.

A path may name a FIFO (reading it waits for a writer forever), a device or a symlink to
one (/dev/zero never ends: reading it runs out of memory), or a file far bigger than a
load can hold. Every reader gets its bytes through `read_bytes`, which opens the path
without blocking, asks the open file (not the name: it cannot change in between) what it
is, and refuses anything but a regular file of at most MAX_FILE_BYTES before it reads.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

# About 7 million ties of CSV; a load of 1M ties (75 MB) took 1.4 GiB of memory
# (docs/benchmarks.md), so a bigger file would not fit anyway. Split bigger loads.
MAX_FILE_BYTES = 512 * 1024 * 1024


class UnreadableFile(Exception):
    """A file (or a sheet of it) that cannot be read at all; `row` when known."""

    def __init__(self, file: str, message: str, row=None):
        self.file, self.row, self.message = file, row, message
        super().__init__(f"{file}: {message}")


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words."""
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def _refusal(path: Path, mode: int) -> str:
    via = " (through a symbolic link)" if path.is_symlink() else ""
    return f"is {kind_of(mode)}{via}, not a regular file: only regular files are read"


def size_message(size: int) -> str:
    return (f"is {size:,} bytes; the limit is {MAX_FILE_BYTES:,} bytes ({MAX_FILE_BYTES // 2**20} MiB): "
            "split it into smaller files")


def check_regular(path: Path) -> None:
    """Raise UnreadableFile unless `path` is (or links to) a regular file within the limit."""
    st = os.stat(path)
    if not stat.S_ISREG(st.st_mode):
        raise UnreadableFile(str(path), _refusal(path, st.st_mode))
    if st.st_size > MAX_FILE_BYTES:
        raise UnreadableFile(str(path), size_message(st.st_size))


def read_bytes(path: Path) -> bytes:
    """The whole content of a regular file of at most MAX_FILE_BYTES; else UnreadableFile."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise UnreadableFile(str(path), _refusal(path, st.st_mode))
        if st.st_size > MAX_FILE_BYTES:
            raise UnreadableFile(str(path), size_message(st.st_size))
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(MAX_FILE_BYTES + 1)  # it may have grown since fstat
    finally:
        os.close(fd)
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableFile(str(path), size_message(len(data)))
    return data
