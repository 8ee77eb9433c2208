"""Reading CSV files as spreadsheets really write them, one record at a time.

UTF-8 with or without a byte-order mark; comma or semicolon separators
(European spreadsheets write semicolons); quoted cells with line breaks;
blank lines anywhere; lines ending in CR LF, LF, or CR alone (classic Mac
OS, and Excel for Mac's "CSV (Macintosh)"). Records are streamed, never
read into a list, each with the physical line it starts on, so a report can
point at it.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from pathlib import Path

from ccm_tui.domain.imports import normalise_header
from ccm_tui.errors import StoreError

SAMPLE_CHARS = 64 * 1024
_SEPARATORS = ",;"


class UnreadableFile(StoreError):
    """The file is missing, unreadable, or not UTF-8 text."""


def _not_utf8(path: Path) -> UnreadableFile:
    """The error for a file that is not UTF-8, naming the first bad byte and its line.

    The text layer decodes in chunks, so where it failed says little: the
    file is scanned again, in binary and in chunks, for the first bad byte.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    found = ""
    after_cr = False
    with path.open("rb") as raw:
        while chunk := raw.read(SAMPLE_CHARS):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                # error.object is the decoder's few carried-over bytes plus this chunk; those hold no newline
                line += _line_breaks(error.object[: error.start], after_cr)
                found = f" (byte 0x{error.object[error.start : error.start + 1].hex().upper()} at line {line})"
                break
            line += _line_breaks(chunk, after_cr)
            after_cr = chunk.endswith(b"\r")
    return UnreadableFile(f"{path.name} is not UTF-8 text{found}; save it as 'CSV UTF-8' and try again")


def _line_breaks(data: bytes, after_cr: bool) -> int:
    """Line ends in `data` (CR LF, LF or CR); `after_cr`: the bytes before it ended in a CR."""
    count = data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")
    return count - 1 if after_cr and data.startswith(b"\n") else count


class CsvFile:
    """One CSV file, open for reading: `records()` yields (line, cells) for each non-blank record."""

    def __init__(self, path: Path, known_columns: frozenset[str]) -> None:
        self.path = path
        try:
            with path.open("rb") as raw:
                head = raw.read(4)
        except FileNotFoundError:
            raise UnreadableFile(f"{path} does not exist") from None
        except IsADirectoryError:
            raise UnreadableFile(f"{path} is a folder, not a CSV file") from None
        except OSError as error:
            raise UnreadableFile(f"cannot read {path}: {error.strerror or error}") from None
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise UnreadableFile(f"{path.name} is UTF-16 text; save it as 'CSV UTF-8' and try again")
        # utf-8-sig: a BOM, if there is one, is not part of the first header name
        self._handle = path.open(encoding="utf-8-sig", newline="")
        try:
            sample = self._handle.read(SAMPLE_CHARS)
        except UnicodeDecodeError:
            self._handle.close()
            raise _not_utf8(path) from None
        self.delimiter = detect_delimiter(sample, known_columns)
        self._handle.seek(0)

    def records(self) -> Iterator[tuple[int, list[str]]]:
        reader = csv.reader(self._handle, delimiter=self.delimiter, quotechar='"', doublequote=True, strict=False)
        line = 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError:
                raise _not_utf8(self.path) from None
            except csv.Error as error:
                raise UnreadableFile(f"{self.path.name} line {line}: {error}") from None
            if any(cell.strip() for cell in cells):
                yield line, cells
            line = reader.line_num + 1

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> CsvFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def detect_delimiter(sample: str, known_columns: frozenset[str]) -> str:
    """Comma or semicolon: the one that splits the header into known column names.

    csv.Sniffer decides when the header does not (it needs a few rows, and
    guesses wrongly on a lone header line), and counting separators on the
    first line when neither does.
    """
    # newline="": a line ends at CR LF, LF or a lone CR, as the reader sees it
    first = next((line for line in io.StringIO(sample, newline="") if line.strip()), "")
    scores = {}
    for separator in _SEPARATORS:
        try:
            cells = next(csv.reader([first], delimiter=separator), [])
        except csv.Error:  # a header cell whose quotes open a line break: no names to match here
            cells = []
        scores[separator] = len({normalise_header(c) for c in cells} & known_columns)
    if scores[","] != scores[";"]:
        return max(scores, key=lambda s: scores[s])
    try:
        # the Sniffer splits its sample at LF only
        unified = sample.replace("\r\n", "\n").replace("\r", "\n")
        return csv.Sniffer().sniff(unified, delimiters=_SEPARATORS).delimiter
    except csv.Error:
        return ";" if first.count(";") > first.count(",") else ","
