"""What every CSV import shares: reading the file as UTF-8 and checking its header."""

from __future__ import annotations

from collections.abc import Sequence

from evac.errors import InvalidInput


class ImportFileError(InvalidInput):
    """The file as a whole cannot be read: nothing is imported."""


def decode_csv(raw: bytes) -> str:
    """The text of a UTF-8 file, with or without a byte order mark."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            f"The file is not UTF-8 text (byte 0x{raw[error.start]:02x} at offset "
            f"{error.start}); save it as 'CSV UTF-8' and try again."
        ) from None


def check_header(
    header: list[str] | None, required: Sequence[str], optional: Sequence[str] = ()
) -> list[str]:
    """The column names, if they are exactly the expected ones (in any order)."""
    expected = ",".join(required)
    if optional:
        expected += f" (and optionally {', '.join(optional)})"
    if not header:
        raise ImportFileError(f"The file is empty; its first line must be: {expected}")
    columns = [name.strip().lstrip("\ufeff") for name in header]
    missing = [name for name in required if name not in columns]
    extra = [name for name in columns if name not in (*required, *optional)]
    repeated = sorted({name for name in columns if columns.count(name) > 1})
    for names, what in ((missing, "missing"), (extra, "unexpected"), (repeated, "repeated")):
        if names:
            raise ImportFileError(
                f"The header has {what} column(s): {', '.join(names) or '(empty)'}; "
                f"expected: {expected}"
            )
    return columns
