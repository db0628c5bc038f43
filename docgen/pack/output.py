"""Atomic pack output: everything is written into a sibling staging folder first, then swapped in
with renames, so a failed or interrupted build leaves the previous output as it was.

What may be replaced: only a docgen pack (see is_docgen_pack) or an empty folder, and never a
folder that holds the profile, the templates, the working folder, the home folder or the root.

Beside OUT, a build uses `.OUT.lock` (one build at a time, see docgen.pack.lock) and, while it writes:
  .OUT.new-*   the staging folder; the pack marker (.docgen-pack) is its last file
  .OUT.old-*   the previous OUT, moved aside whole by one rename
  .OUT.del-*   an .old (or other leftover) being deleted: renamed first, so a half-deleted
               folder is never mistaken for a pack
A killed build leaves some of these; the next build (recover) puts OUT back in order first: an
.old is restored when OUT is missing (or an empty folder), every other leftover is deleted."""

from __future__ import annotations

import contextvars
import json
import logging
import os
import re
import shutil
import signal
import stat
import sys
import threading
import time
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from ..errors import OutputError
from .lock import pack_lock

MARKER = ".docgen-pack"  # in every pack; written last, so a staging folder with it is complete
MANIFEST = "manifest.json"  # docgen.control.manifest.MANIFEST: a pack with one is rebuilt in place
MARKER_DATA = {"tool": "docgen", "format": 1}
COVERAGE_JSON = "coverage.json"  # docgen.coverage.JSON_NAME, named here to keep this module light
NAME_LIMIT = 150  # characters of one file or folder name (docgen.control keeps document names within)
NAME_BYTES = 255  # bytes of one name in UTF-8: the limit of Linux and macOS file systems
PATH_WARN = 259  # Windows MAX_PATH without the final NUL: Word, Excel and Explorer stop here
_OS_FILES = {".DS_Store", "Thumbs.db", "desktop.ini"}  # what file managers drop into any folder
_log = logging.getLogger("docgen")
_NEW_OLD = re.compile(r"\.old-\d{20}-\d+$")  # an .old named by this version: always a whole folder
Keep = Mapping[str, "str | Path | None"] | None  # what OUT must not hold: {"the profile": path, …}


# ------------------------------------------------------------------------ what may be replaced
def is_docgen_pack(path: Path) -> bool:
    """Whether the folder `path` holds a pack docgen wrote: it has the pack marker; or, as packs
    of docgen before the marker, it holds nothing but the pack layout (the kind folders and
    coverage.json). A later manifest of the pack can be accepted here too."""
    return _has_marker(path) or _layout_only(path)


def _has_marker(path: Path) -> bool:
    try:
        data = json.loads((path / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("tool") == "docgen"


def _layout_only(path: Path) -> bool:
    from ..vocab import KINDS

    try:
        entries = list(os.scandir(path))
    except OSError:
        return False
    folders = {KINDS[k].folder for k in KINDS} | {"作废文件", ".docgen"}  # + the archive and docgen's texts
    kinds = 0
    for e in entries:
        if e.name in folders and e.is_dir(follow_symlinks=False):
            kinds += 1
        elif not ((e.name in {COVERAGE_JSON, MANIFEST} or e.name in _OS_FILES) and e.is_file(follow_symlinks=False)):
            return False
    return kinds > 0


def _contains(folder: Path, path: Path) -> bool:
    return path == folder or folder in path.parents


def _absolute(path: str | Path) -> Path:
    return Path(os.path.abspath(path)).resolve()


def refuse_unsafe(out: Path, keep: Keep = None) -> None:
    """Refuse an OUT whose replacement would delete what docgen did not write: the root, a folder
    that holds the home folder, what `keep` names (e.g. {"the profile": path}) or the working folder."""
    target = _absolute(out)
    if target.parent == target:
        raise OutputError(f"{out} is the root of the file system; choose another -o: a new or empty folder")
    try:
        home = _absolute(Path.home())
    except (RuntimeError, KeyError, OSError):
        home = None
    if home is not None and _contains(target, home):
        what = "your home folder" if target == home else "a folder that holds your home folder"
        raise OutputError(f"{out} is {what}; choose another -o: a new or empty folder, e.g. -o {home / 'docgen-pack'}")
    for what, item in (keep or {}).items():
        if item is None:
            continue
        path = _absolute(item)
        if _contains(target, path):
            raise OutputError(
                f"{out} holds {what} {item}, and a build replaces everything in its output folder; "
                f"choose another -o: a new or empty folder, e.g. -o {_suggest(path)}"
            )
    try:
        cwd = _absolute(Path.cwd())
    except OSError:  # the working folder was deleted
        cwd = None
    if cwd is not None and _contains(target, cwd):
        raise OutputError(
            f"{out} is the folder you are working in, or holds it; choose another -o: a new or empty folder, e.g. -o out"
        )


def _suggest(kept: Path) -> Path:
    """A folder beside `kept`, shown relative to the working folder when inside it."""
    path = kept.parent / f"{kept.stem}-pack"
    try:
        return path.relative_to(_absolute(Path.cwd()))
    except (ValueError, OSError):
        return path


def check_target(out: Path, force: bool, keep: Keep = None) -> None:
    """Refuse files, unsafe folders (refuse_unsafe), non-empty folders unless forced, and forced
    replacement of a folder that is not a docgen pack."""
    refuse_unsafe(out, keep)
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out} exists and is not a folder; choose another -o")
    if not out.is_dir():
        return
    names = sorted(p.name for p in out.iterdir())
    if not names:
        return
    if is_docgen_pack(out):
        if not force and not (out / MANIFEST).is_file():
            raise OutputError(f"{out} holds a pack built by an earlier docgen without a manifest; use --force to "
                              "replace it (its documents are copied aside first), or choose another -o")
        return
    shown = ", ".join(names[:3]) + (", …" if len(names) > 3 else "")
    if force:
        raise OutputError(
            f"{out} is not a docgen pack (it holds {shown}), and --force replaces only a pack docgen "
            f"wrote; choose another -o: a new or empty folder"
        )
    raise OutputError(f"{out} exists and is not empty (it holds {shown}); choose another -o: a new or empty folder")


def prepare(out: Path, force: bool, keep: Keep = None) -> None:
    """Before rendering: put OUT in order after a killed build and refuse what write_pack would
    refuse, so a build fails in a moment instead of after rendering."""
    refuse_unsafe(out, keep)
    target = _absolute(out)
    if not target.parent.is_dir():
        return check_target(out, force, keep)
    with pack_lock(target):
        recover(target)
        check_target(out, force, keep)


# ------------------------------------------------------------------------------- writing
@contextmanager
def transaction(out: Path, keep: Keep = None) -> Iterator[Path]:
    """Hold OUT's lock from reading the pack on disk to writing the new one (yields OUT's absolute
    path, recovered after a killed build): a rebuild decides on what it then replaces."""
    refuse_unsafe(out, keep)
    target = _absolute(out)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the folder {target.parent}: {exc.strerror}; choose another -o") from None
    with pack_lock(target):
        recover(target)
        _LOCKED.add(target)
        try:
            yield target
        finally:
            _LOCKED.discard(target)


_LOCKED: set[Path] = set()  # packs this process holds the lock of (inside transaction())


def write_pack(out: Path, files: dict[str, bytes], force: bool, keep: Keep = None) -> None:
    """Write `files` (relative path → bytes) as the whole content of `out`, atomically, with the
    pack marker; one build at a time (docgen.pack.lock); an existing OUT keeps its permissions."""
    if _absolute(out) in _LOCKED:
        return _write_locked(out, _absolute(out), files, force, keep)
    refuse_unsafe(out, keep)
    shown = out
    out = _absolute(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the folder {out.parent}: {exc.strerror}; choose another -o") from None
    with pack_lock(out):
        recover(out)
        _write_locked(shown, out, files, force, keep)


def _write_locked(shown: Path, out: Path, files: dict[str, bytes], force: bool, keep: Keep) -> None:
    """Stage, then swap (the caller holds OUT's lock)."""
    _check_paths(out, files)
    check_target(shown, force, keep)
    staging = _fresh(out, "new")
    try:
        staging.mkdir()  # not tempfile.mkdtemp: its 0700 would become OUT's mode
        _write(staging, files)
        if out.is_dir():
            os.chmod(staging, stat.S_IMODE(out.stat().st_mode))
        _swap(staging, out)
    except OSError as exc:
        _rmtree(staging)
        raise OutputError(f"cannot write the pack next to {out}: {exc.strerror or exc}") from None
    except BaseException:
        _rmtree(staging)
        raise


def _write(staging: Path, files: dict[str, bytes]) -> None:
    for i, (rel, data) in enumerate(files.items()):
        target = staging / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        # No fsync per file: it costs ~0.1 s a file here and guards only against power loss;
        # a killed process is covered by the rename swap below.
        target.write_bytes(data)
        if i == 0:
            _pause("write")
    (staging / MARKER).write_text(json.dumps(MARKER_DATA) + "\n", encoding="utf-8")


def _swap(staging: Path, out: Path) -> None:
    old = None
    with _sigint_deferred() as pending:  # the renames are never left half done by Ctrl-C
        try:
            if out.exists():
                old = _fresh(out, "old")
                os.replace(out, old)
                _pause("swap")
            os.replace(staging, out)
        except OSError as exc:
            if old is not None and not out.exists():
                os.replace(old, out)
            raise OutputError(
                f"cannot replace {out}: {exc.strerror}; close the documents of the pack open in Word, "
                f"Excel or a file manager, and build again"
            ) from None
        _replaced(out)
    _pause("swapped")
    if old is not None:
        _discard(old, out)
    if pending:
        raise KeyboardInterrupt


def _check_paths(out: Path, files: dict[str, bytes]) -> None:
    """Every name fits the file systems, no two paths are one file on Windows or macOS (case,
    Unicode normalisation), and a warning for paths Windows programs cannot open."""
    seen: dict[str, str] = {}
    for rel in [*files, MARKER]:
        parts = rel.split("/")
        for part in parts:
            if part in ("", ".", "..") or len(part) > NAME_LIMIT or len(part.encode("utf-8")) > NAME_BYTES:
                raise OutputError(
                    f"cannot write {rel!r}: a name has 1 to {NAME_LIMIT} characters ({NAME_BYTES} bytes); "
                    f"shorten document_control.prefix (or the title)"
                )
        key = unicodedata.normalize("NFC", rel).casefold()
        if key in seen:
            raise OutputError(f"{seen[key]!r} and {rel!r} would be the same file on Windows; every file of a pack needs its own name")
        seen[key] = rel
    longest = max([*files, MARKER], key=lambda rel: len(str(out / rel).encode("utf-16-le")))
    length = len(str(out / longest).encode("utf-16-le")) // 2
    if length > PATH_WARN:
        _log.warning(
            f"warning: {out / longest} has {length} characters; Windows programs open at most {PATH_WARN}: "
            f"choose a shorter -o (or a shorter document_control.prefix) for a pack to use on Windows"
        )


# ------------------------------------------------------------------------------ recovery
def recover(out: Path) -> None:
    """Put OUT in order after a killed build (call it holding the lock): when OUT is missing or an
    empty folder, restore the newest complete previous pack (.old); delete every other leftover."""
    if not out.parent.is_dir():
        return
    try:
        _recover(out)
    except OSError as exc:
        raise OutputError(f"cannot put {out} back in order after an interrupted build: {exc.strerror or exc}") from None


def _recover(out: Path) -> None:
    leftovers = _leftovers(out)
    olds = sorted((p for kind, p in leftovers if kind == "old"), key=lambda p: p.name, reverse=True)
    restored = None
    if not out.exists() or (out.is_dir() and not out.is_symlink() and not any(out.iterdir())):
        restored = next((p for p in olds if _restorable(p)), None)
        if restored is not None:
            if out.exists():
                out.rmdir()
            os.replace(restored, out)
    for _kind, path in leftovers:
        if path != restored and (_kind != "old" or _ours(path)):
            _discard(path, out)


def _leftovers(out: Path) -> list[tuple[str, Path]]:
    found = []
    prefix = f".{out.name}."
    with os.scandir(out.parent) as it:
        for e in it:
            if e.name.startswith(prefix) and e.is_dir(follow_symlinks=False):
                kind = e.name[len(prefix):].split("-", 1)[0]
                if kind in ("new", "old", "del") and e.name[len(prefix) + len(kind):].startswith("-"):
                    found.append((kind, Path(e.path)))
    return sorted(found, key=lambda kp: kp[1].name)


def _restorable(old: Path) -> bool:
    """Whether an .old is a whole folder, not what a killed delete left: every .old this version
    names is (it is deleted only as .del); one named by docgen before may be half deleted, so it
    counts only with the marker, or with every document its coverage.json names."""
    if _NEW_OLD.search(old.name) or _has_marker(old) or not _ours(old):
        return True
    try:
        next(old.iterdir())
    except StopIteration:
        return True  # OUT was an empty folder
    try:
        documents = json.loads((old / COVERAGE_JSON).read_text(encoding="utf-8"))["documents"]
        return all((old / d["relpath"]).is_file() for d in documents)
    except (OSError, ValueError, KeyError, TypeError):
        return False


def _ours(path: Path) -> bool:
    """Whether a leftover .old holds a pack (or nothing): one docgen may delete. Anything else was
    moved aside by an earlier docgen, whose --force replaced any folder: it is left alone."""
    try:
        empty = not any(path.iterdir())
    except OSError:
        return False
    return empty or is_docgen_pack(path)


def _discard(path: Path, out: Path) -> None:
    """Delete a leftover: renamed to .del first, so that a delete killed midway leaves a name
    that is never restored."""
    if not path.name.startswith(f".{out.name}.del-"):
        gone = _fresh(out, "del")
        try:
            os.replace(path, gone)
            path = gone
        except OSError:
            pass
    _pause("delete")
    _rmtree(path)


def _fresh(out: Path, kind: str) -> Path:
    """A new name beside OUT, `.OUT.<kind>-<time>-<pid>`, sorting by time."""
    while True:
        path = out.parent / f".{out.name}.{kind}-{time.time_ns():020d}-{os.getpid()}"
        if not os.path.lexists(path):
            return path


def _rmtree(path: Path) -> None:
    def retry_writable(func, p, _exc):  # Windows refuses to delete read-only files
        try:
            os.chmod(p, stat.S_IWRITE)
            func(p)
        except OSError:
            pass

    if path.exists():
        shutil.rmtree(path, onerror=retry_writable)


# ------------------------------------------------------------------- Ctrl-C and what it says
_REPLACED: contextvars.ContextVar[list[Path] | None] = contextvars.ContextVar("docgen_replaced", default=None)


@contextmanager
def replaced_folders() -> Iterator[list[Path]]:
    """Collect the output folders write_pack replaces inside the `with` (for the CLI, so that a
    Ctrl-C is reported truly: nothing changed, or OUT already holds the new pack)."""
    found: list[Path] = []
    token = _REPLACED.set(found)
    try:
        yield found
    finally:
        _REPLACED.reset(token)


def _replaced(out: Path) -> None:
    found = _REPLACED.get()
    if found is not None:
        found.append(out)


@contextmanager
def _sigint_deferred() -> Iterator[list[int]]:
    """Hold Ctrl-C back inside the `with`; the caller raises it after (`pending` is not empty).
    Only for the usual handler in the main thread: other handlers are left alone."""
    pending: list[int] = []
    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        yield pending
        return
    signal.signal(signal.SIGINT, lambda signum, frame: pending.append(signum))
    try:
        yield pending
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def _pause(point: str) -> None:
    """Test hook: DOCGEN_TEST_PAUSE=<point>[:seconds] stops a build for a second (or `seconds`) at
    a named point, so that tests/test_kill.py can kill it there. Points: write (after the first
    file of the staging folder), swap (OUT moved aside, the new pack not yet in), swapped (the new
    pack in, the old one not yet deleted), delete (the old one renamed .del, before deleting)."""
    want = os.environ.get("DOCGEN_TEST_PAUSE")
    if want and want.split(":")[0] == point:
        sys.stderr.write(f"docgen: paused at {point}\n")
        sys.stderr.flush()
        time.sleep(float(want.split(":")[1]) if ":" in want else 1.0)
