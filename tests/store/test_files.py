"""The one private-file writer: what each kind of target gets."""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from ccm_tui.errors import StoreError
from ccm_tui.files import (
    UnwritableTarget,
    prepare_folder,
    private_text_files,
    write_private,
)
from ccm_tui.locations import ensure_private_dir

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture
def dev_null(tmp_path: Path) -> Path:
    """/dev/null, or for root a private twin of it (same device numbers) in tmp_path.

    Root may rename over /dev/null: a broken writer under test must never
    replace the machine's own. Anyone else cannot, so gets the real one.
    """
    if not AS_ROOT:
        if not Path("/dev/null").is_char_device():
            pytest.skip("needs /dev/null")
        return Path("/dev/null")
    twin = tmp_path / "devices" / "null"
    twin.parent.mkdir()
    try:
        os.mknod(twin, stat.S_IFCHR | 0o666, os.stat("/dev/null").st_rdev)
        os.close(os.open(twin, os.O_WRONLY))
    except OSError as error:
        pytest.skip(f"cannot make a character device here: {error}")
    return twin


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


class FifoReader:
    """Reads a named pipe in a thread until the writer closes it."""

    def __init__(self, path: Path) -> None:
        self.data = b""
        self._thread = threading.Thread(target=self._read, args=(path,), daemon=True)
        self._thread.start()

    def _read(self, path: Path) -> None:
        with path.open("rb") as pipe:
            self.data = pipe.read()

    def result(self) -> bytes:
        self._thread.join(timeout=30)
        assert not self._thread.is_alive(), "the writer never closed the pipe"
        return self.data


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "pipe"
    os.mkfifo(path, 0o644)
    yield path


def test_a_regular_file_is_replaced_whole_and_private(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    target.write_text("old")
    target.chmod(0o644)

    assert write_private(target, "new") == target

    assert target.read_text() == "new" and mode(target) == 0o600
    assert names(tmp_path) == ["out.md"]  # no temporary file left


def test_chunks_are_streamed(tmp_path: Path) -> None:
    target = tmp_path / "out.ics"
    write_private(target, iter(["BEGIN:", "VCALENDAR\r\n"]))
    assert target.read_bytes() == b"BEGIN:VCALENDAR\r\n"


def test_a_failure_keeps_the_old_file_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    target.write_text("old")

    def chunks() -> Iterator[str]:
        yield "half"
        raise RuntimeError("the book went away")

    with pytest.raises(RuntimeError):
        write_private(target, chunks())
    assert target.read_text() == "old"
    assert names(tmp_path) == ["out.md"]


def test_a_symlink_stays_a_symlink_and_its_target_gets_the_content(tmp_path: Path) -> None:
    real_folder = tmp_path / "real"
    real_folder.mkdir()
    real = real_folder / "agenda.md"
    real.write_text("old")
    link = tmp_path / "latest.md"
    link.symlink_to(real)

    write_private(link, "new")

    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text() == "new" and mode(real) == 0o600
    assert names(tmp_path) == ["latest.md", "real"] and names(real_folder) == ["agenda.md"]


def test_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "latest.md"
    link.symlink_to(tmp_path / "made.md")
    write_private(link, "text")
    assert link.is_symlink() and (tmp_path / "made.md").read_text() == "text"


def test_dev_null_stays_a_character_device(dev_null: Path) -> None:
    before = os.stat(dev_null)
    write_private(dev_null, "thrown away")
    after = os.stat(dev_null)
    assert stat.S_ISCHR(after.st_mode)
    assert (after.st_mode, after.st_uid, after.st_ino, after.st_rdev) == (
        before.st_mode,
        before.st_uid,
        before.st_ino,
        before.st_rdev,
    )


def test_a_symlink_to_a_device_writes_the_device(tmp_path: Path, dev_null: Path) -> None:
    link = tmp_path / "sink"
    link.symlink_to(dev_null)
    write_private(link, "thrown away")
    assert link.is_symlink() and dev_null.is_char_device()
    assert "sink" in names(tmp_path)


@needs_fifo
def test_a_fifo_is_written_in_place(fifo: Path) -> None:
    reader = FifoReader(fifo)
    write_private(fifo, "through the pipe\n")
    assert reader.result() == b"through the pipe\n"
    assert stat.S_ISFIFO(fifo.lstat().st_mode) and mode(fifo) == 0o644  # not replaced, not chmod-ed
    assert names(fifo.parent) == ["pipe"]


@needs_fifo
def test_a_set_of_files_with_a_fifo_among_them(tmp_path: Path, fifo: Path) -> None:
    reader = FifoReader(fifo)
    with private_text_files([tmp_path / "a.csv", fifo]) as (a, pipe):
        a.write("a\n")
        pipe.write("b\n")
    assert reader.result() == b"b\n"
    assert (tmp_path / "a.csv").read_text() == "a\n" and stat.S_ISFIFO(fifo.lstat().st_mode)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: tmp, "is a folder; give a file name"),
        (lambda tmp: tmp / "missing" / "out.md", "does not exist"),
        (lambda tmp: (tmp / "file").write_text("x") and tmp / "file" / "out.md", "Not a directory"),
    ],
    ids=["folder", "missing-folder", "under-a-file"],
)
def test_impossible_targets_are_one_clear_error(tmp_path: Path, make, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UnwritableTarget, match=message) as caught:
        write_private(make(tmp_path), "x")
    # one type, and both kinds of caller catch it: store errors and form values
    assert isinstance(caught.value, StoreError) and isinstance(caught.value, ValueError)


def test_a_socket_is_refused(tmp_path: Path) -> None:
    import socket

    path = tmp_path / "s.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(path))
        with pytest.raises(UnwritableTarget, match="is a socket"):
            write_private(path, "x")
        assert stat.S_ISSOCK(path.lstat().st_mode)
    finally:
        server.close()


def test_prepare_folder_makes_a_private_folder(tmp_path: Path) -> None:
    folder = prepare_folder(tmp_path / "export")
    assert folder.is_dir() and mode(folder) == 0o700


def test_every_folder_made_on_the_way_is_private(tmp_path: Path) -> None:
    old_umask = os.umask(0o022)  # the usual umask, under which mkdir(parents=True) made 0755 parents
    try:
        made = ensure_private_dir(tmp_path / "data" / "ccm" / "backups")
        (tmp_path / "shared").mkdir(mode=0o755)
        ensure_private_dir(tmp_path / "shared" / "ccm")
    finally:
        os.umask(old_umask)
    assert [mode(p) for p in (made, made.parent, made.parent.parent)] == [0o700, 0o700, 0o700]
    assert mode(tmp_path / "shared") == 0o755, "a folder ccm did not make keeps its mode"


@pytest.mark.parametrize(
    ("path", "said"),
    [
        (Path("~nobody-here-at-all/agenda.md"), "no user called 'nobody-here-at-all'"),
        (Path("agenda\x00.md"), "holds a NUL character"),
    ],
)
@pytest.mark.parametrize("write", [lambda path: write_private(path, "x"), prepare_folder], ids=["file", "folder"])
def test_a_path_no_file_system_takes_is_an_unwritable_target(path: Path, said: str, write: object) -> None:
    """expanduser's RuntimeError and the OS's ValueError crashed the export dialogs' workers."""
    with pytest.raises(UnwritableTarget, match=said):
        write(path)  # type: ignore[operator]
