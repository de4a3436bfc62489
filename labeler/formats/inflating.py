"""Bounds on what compressed input may grow to, so a small file cannot fill the memory."""

from __future__ import annotations

import zlib

RATIO = 200
"""How many times its size a compressed file may grow. Real exports grow 20 to 150 times (a
DocBin's token arrays are mostly zeros); zlib's most is about 1,000 times."""

FLOOR = 64 * 1024 * 1024
"""What any compressed file may grow to, however small it is."""

_CHUNK = 1024 * 1024


class TooLarge(ValueError):
    """Compressed data that would grow past the limit; says how far it got."""


def expansion_limit(size: int) -> int:
    """The most bytes `size` bytes of compressed input may grow to."""
    return max(FLOOR, RATIO * size)


def check_zlib(data: bytes, limit: int | None = None) -> int:
    """The size zlib data inflates to, counted a chunk at a time without keeping the output.

    TooLarge when it would pass `limit` (by default, `expansion_limit(len(data))`);
    zlib.error when it is not zlib data or is cut short.
    """
    limit = expansion_limit(len(data)) if limit is None else limit
    inflater = zlib.decompressobj()
    total = 0
    pending = data
    while pending:
        total += len(inflater.decompress(pending, _CHUNK))
        if total > limit:
            raise TooLarge(
                f"it would grow past {limit // (1024 * 1024):,} MB when decompressed "
                f"({len(data):,} bytes compressed); refused as a likely decompression bomb"
            )
        pending = inflater.unconsumed_tail
        if inflater.eof:
            break
    total += len(inflater.flush())
    if not inflater.eof:
        raise zlib.error("the compressed data is cut short")
    return total


_DECLARATIONS = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)


def xml_declares_entities(data: bytes) -> bool:
    """Whether XML bytes hold a document type declaration or an entity declaration: the way
    to entity expansion bombs and external entities, and never part of UIMA XMI."""
    upper = data.upper()
    return any(marker in upper for marker in _DECLARATIONS)


def _u16(buf: bytes, at: int) -> int:
    return int.from_bytes(buf[at : at + 2], "little")


def _u32(buf: bytes, at: int) -> int:
    return int.from_bytes(buf[at : at + 4], "little")


def _field(buf: bytes, table: int, index: int) -> int | None:
    """Where field `index` of a flatbuffer table is, or None when the table leaves it out."""
    vtable = table - int.from_bytes(buf[table : table + 4], "little", signed=True)
    if 4 + 2 * index >= _u16(buf, vtable):
        return None
    offset = _u16(buf, vtable + 4 + 2 * index)
    return table + offset if offset else None


def _compressed_batch(buf: bytes, batch: int) -> bool:
    return _field(buf, batch, 3) is not None  # RecordBatch.compression


def arrow_message_compressed(metadata: bytes) -> bool:
    """Whether an Arrow IPC message's body is compressed (LZ4 or ZSTD), read from its
    flatbuffer header (Message.fbs) without decompressing anything."""
    message = _u32(metadata, 0)
    kind_at, header_at = _field(metadata, message, 1), _field(metadata, message, 2)
    if kind_at is None or header_at is None:
        return False
    header = header_at + _u32(metadata, header_at)
    kind = metadata[kind_at]
    if kind == 3:  # RecordBatch
        return _compressed_batch(metadata, header)
    if kind == 2:  # DictionaryBatch: its data is a RecordBatch
        data_at = _field(metadata, header, 1)
        return data_at is not None and _compressed_batch(
            metadata, data_at + _u32(metadata, data_at)
        )
    return False
