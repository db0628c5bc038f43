"""One build at a time per output folder: a lock file `.OUT.lock` beside OUT, locked with the
operating system's file locks (fcntl.flock on Linux/macOS, msvcrt.locking on Windows).

The operating system drops the lock when its process ends, however it ends, so the lock of a
killed build is taken over by the next one; the file itself, which names the holder's process
for the waiting build's message, is removed when the lock is let go (or by the next build)."""

from __future__ import annotations

import errno
import os
import socket
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import OutputError

WAIT_SECONDS = 10.0  # how long a build waits for another build of the same OUT
_POLL = 0.05
_REGION = 1 << 20  # Windows locks a byte range and refuses reads in it: lock one far past the text


def lock_path(out: Path) -> Path:
    return out.parent / f".{out.name}.lock"


@contextmanager
def pack_lock(out: Path, wait: float | None = None) -> Iterator[None]:
    """Hold the lock of `out` (an absolute path whose parent exists) for the `with` body; wait up
    to `wait` seconds (WAIT_SECONDS) for another build that holds it, then raise OutputError."""
    path = lock_path(out)
    deadline = time.monotonic() + (WAIT_SECONDS if wait is None else wait)
    while True:
        fd = _open(path)
        state = _try_lock(fd)
        if state == "locked" and _same_file(fd, path):
            break
        os.close(fd)  # held by another build, or a file its holder removed meanwhile: open afresh
        if state == "locked":
            continue
        if state == "unsupported":  # e.g. some network file systems: build without the lock
            try:
                yield
            finally:
                _remove(path)
            return
        if time.monotonic() >= deadline:
            raise OutputError(
                f"another docgen build ({_holder(path)}) is writing {out}; wait for it to finish and "
                f"build again, or choose another -o"
            )
        time.sleep(_POLL)
    try:
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)  # Windows moved to the locked byte
        os.write(fd, f"{os.getpid()} {socket.gethostname()}\n".encode())
        yield
    finally:
        _release(fd, path)


def _open(path: Path) -> int:
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o666)
    except OSError as exc:
        raise OutputError(f"cannot create the lock file {path}: {exc.strerror}; choose another -o") from None


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError:  # Windows: a waiting build holds it open, and removes it later
        pass


def _holder(path: Path) -> str:
    try:
        pid, _, host = path.read_text(encoding="utf-8").strip().partition(" ")
    except (OSError, UnicodeDecodeError):
        pid, host = "", ""
    if not pid.isdigit():
        return f"lock file {path}"
    here = host in ("", socket.gethostname())
    return f"process {pid}" + ("" if here else f" on {host}")


if sys.platform == "win32":  # pragma: no cover - Windows
    import msvcrt

    def _try_lock(fd: int) -> str:
        os.lseek(fd, _REGION, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError as exc:
            return "busy" if exc.errno in (errno.EACCES, errno.EDEADLK) else "unsupported"
        return "locked"

    def _same_file(fd: int, path: Path) -> bool:
        return True  # Windows cannot remove a file another process holds open: no stale name

    def _release(fd: int, path: Path) -> None:
        try:
            os.lseek(fd, _REGION, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        finally:
            os.close(fd)
        _remove(path)  # after closing: Windows removes no open file

else:
    import fcntl

    def _try_lock(fd: int) -> str:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            return "busy" if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES) else "unsupported"
        return "locked"

    def _same_file(fd: int, path: Path) -> bool:
        """Whether the locked file is still the one at `path` (the holder before us may have
        removed it while we waited, and a third build created a new one)."""
        try:
            st = os.stat(path)
        except FileNotFoundError:
            return False
        mine = os.fstat(fd)
        return (st.st_dev, st.st_ino) == (mine.st_dev, mine.st_ino)

    def _release(fd: int, path: Path) -> None:
        _remove(path)  # while still locked, so that no other build locks this file and loses it
        os.close(fd)
