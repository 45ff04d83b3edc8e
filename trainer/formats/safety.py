"""Defences against hostile files: bounded zip and zstd reading, safe names, guarded SQLite.

Every failure raises `ImportFormatError` naming the file and the member, row or note.
"""

from __future__ import annotations

import re
import sqlite3
import stat
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any, cast

import zstandard

from trainer.errors import ImportRefusedError, TrainerError

MAX_MEMBERS = 200_000
MAX_MEMBER_BYTES = 2 * 1024**3  # one decompressed member
MAX_TOTAL_BYTES = 8 * 1024**3  # a whole package
MAX_RATIO = 1000  # declared size / compressed size
MAX_FIELD_CHARS = 1_000_000
SQLITE_MAGIC = b"SQLite format 3\x00"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_SAFE_NAME = re.compile(r"^[^\x00-\x1f\x7f/\\:*?\"<>|]{1,200}$")
_CHUNK = 1 << 20


class ImportFormatError(ImportRefusedError):
    """A file could not be imported; the message names the file and where."""

    def __init__(self, file: str | Path, where: str, message: str) -> None:
        self.file = str(file)
        self.where = where
        self.detail = message
        place = f"{self.file}: {where}" if where else self.file
        super().__init__(f"{place}: {message}")


# What a reader raises on input it did not expect (never a traceback: one line with the place).
INPUT_ERRORS = (
    OverflowError, RecursionError, TypeError, AssertionError, StopIteration, ValueError, KeyError,
    IndexError, AttributeError, UnicodeError, ArithmeticError,
)  # fmt: skip


@contextmanager
def reading(file: str | Path, where: str = "") -> Iterator[None]:
    """Turn an unexpected error while reading `file` into an `ImportFormatError` naming it.

    Readers check what they read and raise `ImportFormatError` themselves; this is the net
    under them, so hostile input gives one line (file, place, reason), never a traceback."""
    try:
        yield
    except TrainerError:
        raise
    except RecursionError:
        raise ImportFormatError(file, where, "nested too deeply") from None
    except INPUT_ERRORS as exc:
        reason = str(exc)[:200] or type(exc).__name__
        raise ImportFormatError(file, where, f"unreadable ({type(exc).__name__}: {reason})") from None


@dataclass(frozen=True)
class Limits:
    """Caps applied while reading a package (tests lower them)."""

    members: int = MAX_MEMBERS
    member_bytes: int = MAX_MEMBER_BYTES
    total_bytes: int = MAX_TOTAL_BYTES
    ratio: int = MAX_RATIO
    field_chars: int = MAX_FIELD_CHARS


def safe_media_name(name: str) -> str | None:
    """`name` when it is a single harmless file name, else None."""
    if not _SAFE_NAME.match(name) or name in {".", ".."} or name.startswith(".") or name != name.strip():
        return None
    if PurePosixPath(name).name != name:
        return None
    return name


def inside(folder: Path, name: str) -> Path:
    """`folder/name`, checked component by component to stay inside `folder`."""
    base = folder.resolve()
    target = (base / name).resolve()
    if target.parent != base or target.parts[: len(base.parts)] != base.parts:
        raise ImportRefusedError(f"media name '{name}' leaves the media folder")
    return target


class SafeZip:
    """A zip archive whose members are checked before anything is read."""

    def __init__(self, path: Path, limits: Limits) -> None:
        self.path = path
        self.limits = limits
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise ImportFormatError(path, "", f"not a readable zip archive ({exc})") from None
        infos = self.zip.infolist()
        if len(infos) > limits.members:
            raise ImportFormatError(path, "", f"too many members ({len(infos)} > {limits.members})")
        self.members: dict[str, zipfile.ZipInfo] = {}
        total = 0
        for info in infos:
            self._check(info)
            total += info.file_size
            self.members[info.filename] = info
        if total > limits.total_bytes:
            raise ImportFormatError(path, "", f"declared content too large ({total} bytes)")
        self.read_total = 0

    def _check(self, info: zipfile.ZipInfo) -> None:
        name = info.filename
        mode = info.external_attr >> 16
        if mode and (stat.S_ISLNK(mode) or stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISFIFO(mode)):
            raise ImportFormatError(self.path, f"member '{name}'", "is a link or device, not a file")
        if name.startswith("/") or "\\" in name or ".." in PurePosixPath(name).parts or "/" in name:
            raise ImportFormatError(self.path, f"member '{name}'", "has an unsafe path")
        if info.file_size > self.limits.member_bytes:
            raise ImportFormatError(self.path, f"member '{name}'", f"too large ({info.file_size} bytes)")
        if info.compress_type == zipfile.ZIP_STORED and info.compress_size != info.file_size:
            raise ImportFormatError(
                self.path, f"member '{name}'", "larger than declared (stored sizes differ)"
            )
        if info.compress_size and info.file_size / info.compress_size > self.limits.ratio:
            raise ImportFormatError(self.path, f"member '{name}'", "compression ratio too high (zip bomb?)")

    def __contains__(self, name: str) -> bool:
        return name in self.members

    def read(self, name: str) -> bytes:
        """A member's bytes, read with its declared size as a hard cap."""
        info = self.members.get(name)
        if info is None:
            raise ImportFormatError(self.path, f"member '{name}'", "missing")
        cap = min(info.file_size, self.limits.member_bytes)
        try:
            with self.zip.open(info) as handle:
                data = handle.read(cap + 1)  # zipfile itself stops at the declared size
        except zipfile.BadZipFile as exc:
            if "CRC" in str(exc):  # truncated at the declared size: the checksum of the whole differs
                raise ImportFormatError(
                    self.path, f"member '{name}'", "larger than declared or damaged (checksum mismatch)"
                ) from None
            raise ImportFormatError(self.path, f"member '{name}'", f"corrupt ({exc})") from None
        except (OSError, EOFError, ValueError, zipfile.LargeZipFile) as exc:
            raise ImportFormatError(self.path, f"member '{name}'", f"corrupt ({exc})") from None
        if len(data) > cap:
            raise ImportFormatError(self.path, f"member '{name}'", "larger than declared")
        self._count(name, len(data))
        return data

    def _count(self, name: str, size: int) -> None:
        self.read_total += size
        if self.read_total > self.limits.total_bytes:
            raise ImportFormatError(self.path, f"member '{name}'", "package content too large")

    def extract(self, name: str, target: Path, *, zstd: bool | None = None) -> int:
        """Stream a member to `target` in 1 MiB chunks, zstd-decompressed when it is zstd
        (`zstd=None`: when it starts with the magic; `True`: required; `False`: never).

        Memory stays at a few chunks whatever the member holds. Caps: the declared size for
        the stored bytes; for the decompressed bytes the member cap, `ratio` x the compressed
        size (a small zstd bomb stops at once) and the package total. Returns bytes written."""
        info = self.members.get(name)
        if info is None:
            raise ImportFormatError(self.path, f"member '{name}'", "missing")
        where = f"member '{name}'"
        try:
            with self.zip.open(info) as raw, open(target, "wb") as out:
                head = raw.read(len(ZSTD_MAGIC))
                if zstd is True and head != ZSTD_MAGIC:
                    raise ImportFormatError(self.path, where, "not zstd-compressed")
                if head == ZSTD_MAGIC and zstd is not False:
                    limit = min(self.limits.member_bytes, max(self.limits.ratio * info.file_size, _CHUNK))
                    source: Any = zstandard.ZstdDecompressor().stream_reader(
                        cast(IO[bytes], _Rejoined(head, raw))
                    )
                else:
                    limit = min(info.file_size, self.limits.member_bytes)
                    source = _Rejoined(head, raw)
                written = 0
                while chunk := source.read(_CHUNK):
                    written += len(chunk)
                    if written > limit:
                        raise ImportFormatError(self.path, where, "decompresses past the size cap")
                    self._count(name, len(chunk))
                    out.write(chunk)
        except ImportFormatError:
            raise
        except zipfile.BadZipFile as exc:
            if "CRC" in str(exc):
                raise ImportFormatError(
                    self.path, where, "larger than declared or damaged (checksum mismatch)"
                ) from None
            raise ImportFormatError(self.path, where, f"corrupt ({exc})") from None
        except zstandard.ZstdError as exc:
            raise ImportFormatError(self.path, where, f"corrupt zstd data ({exc})") from None
        except (EOFError, ValueError, zipfile.LargeZipFile) as exc:
            raise ImportFormatError(self.path, where, f"corrupt ({exc})") from None
        return written

    def read_zstd(self, name: str, *, required: bool = False) -> bytes:
        """A member that may be zstd-compressed, decompressed with a bounded stream."""
        data = self.read(name)
        if not data.startswith(ZSTD_MAGIC):
            if required:
                raise ImportFormatError(self.path, f"member '{name}'", "not zstd-compressed")
            return data
        cap = min(self.limits.member_bytes, max(self.limits.ratio * len(data), _CHUNK))
        out = unzstd(data, cap, self.path, name)
        self._count(name, len(out))
        return out

    def close(self) -> None:
        """Close the archive."""
        self.zip.close()


class _Rejoined:
    """A stream whose first bytes were already read: `head`, then the rest of `raw`."""

    def __init__(self, head: bytes, raw: Any) -> None:
        self.head = head
        self.raw = raw

    def read(self, size: int = -1) -> bytes:
        if self.head:
            data, self.head = self.head, b""
            if size < 0 or size > len(data):
                data += self.raw.read(-1 if size < 0 else size - len(data))
            return data
        return bytes(self.raw.read(size))


def unzstd(data: bytes, cap: int, file: Path | str, member: str) -> bytes:
    """Decompress zstd by streaming (no content size needed) and stop past `cap` bytes."""
    parts: list[bytes] = []
    size = 0
    try:
        with zstandard.ZstdDecompressor().stream_reader(data) as reader:
            while True:
                chunk = reader.read(_CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > cap:
                    raise ImportFormatError(file, f"member '{member}'", "decompresses past the size cap")
                parts.append(chunk)
    except zstandard.ZstdError as exc:
        raise ImportFormatError(file, f"member '{member}'", f"corrupt zstd data ({exc})") from None
    return b"".join(parts)


def _unicase(a: str, b: str) -> int:
    x, y = a.casefold(), b.casefold()
    return (x > y) - (x < y)


def open_sqlite(path: Path, file: Path | str, member: str) -> sqlite3.Connection:
    """Open an extracted collection read-only, untrusted, after an integrity check."""
    with path.open("rb") as handle:
        if handle.read(16) != SQLITE_MAGIC:
            raise ImportFormatError(file, f"member '{member}'", "is not an SQLite database")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
        conn.text_factory = bytes
        conn.execute("PRAGMA trusted_schema=OFF")
        conn.execute("PRAGMA query_only=ON")
        conn.create_collation("unicase", _unicase)
        hidden = hidden_column(conn)
        if hidden:
            conn.close()
            raise ImportFormatError(
                file, f"member '{member}'", f"has a generated or hidden column ({hidden})"
            )
        result = conn.execute("PRAGMA quick_check").fetchone()
    except sqlite3.Error as exc:
        raise ImportFormatError(file, f"member '{member}'", f"corrupt database ({exc})") from None
    if not result or result[0] != b"ok":
        conn.close()
        raise ImportFormatError(file, f"member '{member}'", "database fails its integrity check")
    return conn


def hidden_column(conn: sqlite3.Connection) -> str | None:
    """`table.column` of the first generated or hidden column of any table, or None.

    Such columns are refused before anything is read: reading them runs the file's own
    expressions (`hex(zeroblob(...))` took minutes and gigabytes)."""
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for raw in tables:
        table = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
        quoted = table.replace('"', '""')
        for row in conn.execute(f'PRAGMA table_xinfo("{quoted}")'):
            if row[6]:  # 1 hidden (virtual table), 2 generated virtual, 3 generated stored
                name = row[1].decode("utf-8", "replace") if isinstance(row[1], bytes) else str(row[1])
                return f"{table[:60]}.{name[:60]}"
    return None


def decode(raw: object, file: Path | str, where: str, limits: Limits) -> str:
    """Bytes (or text) from an untrusted database as text; invalid UTF-8 and huge fields refused."""
    if raw is None:
        return ""
    if isinstance(raw, str):
        text = raw
    elif isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ImportFormatError(file, where, f"invalid UTF-8 at byte {exc.start}") from None
    else:
        text = str(raw)
    if len(text) > limits.field_chars:
        raise ImportFormatError(file, where, f"field too large ({len(text)} characters)")
    return text
