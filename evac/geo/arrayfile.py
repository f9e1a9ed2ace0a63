"""A file of named numpy arrays that every process maps instead of loading.

Mapped read-only, the arrays live once in the operating system's page cache,
however many workers read them, and opening the file costs a checksum, not a
parse. The file is written beside its final name and renamed into place, so a
reader sees either no file or a whole one; a file that is cut short, damaged,
or was made from other data (its ``stamp`` differs) reads as missing.
"""

from __future__ import annotations

import json
import logging
import mmap
import os
import struct
import tempfile
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

logger = logging.getLogger(__name__)

MAGIC = b"EVAC-ARRAYS\n\x00\x00\x00\x01"
_LENGTH = struct.Struct("<Q")
_ALIGN = 64


def write_arrays(path: Path, arrays: Mapping[str, np.ndarray], stamp: dict[str, Any]) -> None:
    """Write ``arrays`` to ``path`` atomically, labelled with ``stamp``."""
    layout, offset = [], 0
    for name, array in arrays.items():
        offset = _aligned(offset)
        layout.append(
            {"name": name, "dtype": array.dtype.str, "shape": array.shape, "offset": offset}
        )
        offset += array.nbytes
    data = bytearray(offset)
    for entry, array in zip(layout, arrays.values(), strict=True):
        start = entry["offset"]
        data[start : start + array.nbytes] = np.ascontiguousarray(array).tobytes()
    header = {"stamp": stamp, "arrays": layout, "size": len(data), "crc32": zlib.crc32(data)}
    encoded = json.dumps(header, sort_keys=True).encode()
    prefix = MAGIC + _LENGTH.pack(len(encoded)) + encoded
    padding = bytes(_aligned(len(prefix)) - len(prefix))
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        with os.fdopen(handle, "wb") as output:
            output.write(prefix + padding)
            output.write(data)
            output.flush()
            os.fsync(output.fileno())
        Path(partial).chmod(0o644)
        Path(partial).replace(path)
    finally:
        Path(partial).unlink(missing_ok=True)


def read_arrays(path: Path, stamp: dict[str, Any]) -> dict[str, np.ndarray] | None:
    """The arrays of ``path``, mapped read-only; None if it is missing, damaged or stale."""
    try:
        with path.open("rb") as handle:
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except (FileNotFoundError, ValueError):  # ValueError: an empty file cannot be mapped
        return None
    header, data_start = _header(mapped)
    problem = _problem(mapped, header, data_start, stamp)
    if problem:
        logger.info("ignoring %s: %s", path, problem)
        return None
    try:
        return {entry["name"]: _view(mapped, data_start, entry) for entry in header["arrays"]}
    except (KeyError, TypeError, ValueError) as error:
        logger.info("ignoring %s: a bad array list (%s)", path, error)
        return None


def _view(mapped: mmap.mmap, data_start: int, entry: dict[str, Any]) -> np.ndarray:
    """One array of the file, read-only, its memory the file's own pages."""
    return np.ndarray(
        tuple(entry["shape"]),
        dtype=np.dtype(entry["dtype"]),
        buffer=mapped,
        offset=data_start + entry["offset"],
    )


def _header(mapped: mmap.mmap) -> tuple[dict[str, Any], int]:
    """The file's header and where its data starts; an empty header if unreadable."""
    start = len(MAGIC) + _LENGTH.size
    if len(mapped) < start or mapped[: len(MAGIC)] != MAGIC:
        return {}, 0
    (length,) = _LENGTH.unpack(mapped[len(MAGIC) : start])
    try:
        header = json.loads(mapped[start : start + length])
    except ValueError:
        return {}, 0
    return (header, _aligned(start + length)) if isinstance(header, dict) else ({}, 0)


def _problem(
    mapped: mmap.mmap, header: dict[str, Any], data_start: int, stamp: dict[str, Any]
) -> str:
    """Why the mapped file cannot be used, or "" when it can."""
    if not header:
        return "not an array file"
    if header.get("stamp") != stamp:
        return f"made from other data ({header.get('stamp')}, wanted {stamp})"
    if len(mapped) != data_start + header.get("size", -1):
        return "cut short or overlong"
    # zlib lets other threads run while it reads the file (and so fills the page cache).
    if zlib.crc32(memoryview(mapped)[data_start:]) != header.get("crc32"):
        return "damaged (checksum)"
    return ""


def _aligned(offset: int) -> int:
    return -(-offset // _ALIGN) * _ALIGN
