"""Deterministic zip writing: fixed timestamps and order, so equal input gives equal bytes."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterable
from typing import BinaryIO


def write_zip(target: BinaryIO, entries: Iterable[tuple[str, bytes]], when: dt.datetime) -> None:
    """Write entries in the given order, each stamped with `when` (local, second precision)."""
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            zf.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)


def restamp(data: bytes, when: dt.datetime) -> bytes:
    """Rewrite a zip package (e.g. one openpyxl saved) with fixed timestamps."""
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        entries = [(n, zf.read(n)) for n in zf.namelist()]
    buf = io.BytesIO()
    write_zip(buf, entries, when)
    return buf.getvalue()
