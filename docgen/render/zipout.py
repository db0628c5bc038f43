"""Deterministic zip writing: fixed timestamps and order, so equal input gives equal bytes."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable
from typing import BinaryIO

_CORE_DATES = re.compile(r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def write_zip(target: BinaryIO, entries: Iterable[tuple[str, bytes]], when: dt.datetime) -> None:
    """Write entries in the given order, each stamped with `when` (local, second precision)."""
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            zf.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)


def zip_bytes(entries: Iterable[tuple[str, bytes]], when: dt.datetime) -> bytes:
    """`write_zip` into memory."""
    buf = io.BytesIO()
    write_zip(buf, entries, when)
    return buf.getvalue()


def restamp(data: bytes, when: dt.datetime, core_dates: bool = False) -> bytes:
    """Rewrite a zip package (e.g. one openpyxl saved) with fixed timestamps; with `core_dates`,
    also set the created/modified dates of docProps/core.xml to `when`."""
    iso = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    entries = []
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            blob = zf.read(name)
            if core_dates and name == "docProps/core.xml":
                blob = _CORE_DATES.sub(lambda m: m.group(1) + iso + m.group(3), blob.decode("utf-8")).encode("utf-8")
            entries.append((name, blob))
    return zip_bytes(entries, when)
