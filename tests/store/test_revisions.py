"""Opening a current book without Alembic: the files' head is Alembic's head, and Alembic stays unimported."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from sqlalchemy import Engine

from ccm_tui.store.engine import make_engine, sqlite_url
from ccm_tui.store.migrate import head_revision, upgrade
from ccm_tui.store.revisions import MIGRATIONS_DIR, newest_revision, stored_revision
from tests.store.conftest import NOW


def test_the_files_head_is_alembics_head() -> None:
    assert newest_revision() == head_revision()


def test_a_migrated_book_is_at_the_newest_revision(engine: Engine) -> None:
    assert stored_revision(engine) == newest_revision()


def test_an_empty_database_has_no_revision(bare_engine: Engine) -> None:
    assert stored_revision(bare_engine) is None


def test_two_heads_leave_the_answer_to_alembic(tmp_path: Path) -> None:
    scripts = tmp_path / "scripts"
    shutil.copytree(MIGRATIONS_DIR, scripts)
    newest = newest_revision()  # of the shipped files: the answer for `scripts` is kept once read
    (scripts / "versions" / "9998_a.py").write_text(f'revision = "9998"\ndown_revision = "{newest}"\n', encoding="utf-8")
    (scripts / "versions" / "9999_b.py").write_text(f'revision: str = "9999"\ndown_revision = "{newest}"\n', encoding="utf-8")
    assert newest_revision(scripts) is None


def test_a_revision_the_files_do_not_spell_out_is_alembics_to_read(tmp_path: Path) -> None:
    scripts = tmp_path / "scripts"
    shutil.copytree(MIGRATIONS_DIR, scripts)
    (scripts / "versions" / "9999_computed.py").write_text('revision = make_id()\ndown_revision = "0001"\n', encoding="utf-8")
    assert newest_revision(scripts) is None


def test_opening_a_current_book_never_imports_alembic(tmp_path: Path) -> None:
    book = tmp_path / "book.sqlite"
    engine = make_engine(sqlite_url(book))
    upgrade(engine, book, tmp_path / "backups", NOW)
    engine.dispose()
    probe = (
        "import json, sys\n"
        "from datetime import datetime, UTC\n"
        "from pathlib import Path\n"
        "from ccm_tui.store.engine import make_engine, sqlite_url\n"
        "from ccm_tui.store.migrate import upgrade\n"
        f"path = Path({str(book)!r})\n"
        "engine = make_engine(sqlite_url(path))\n"
        "result = upgrade(engine, path, path.parent / 'backups', datetime.now(UTC))\n"
        "print(json.dumps([result.changed, 'alembic' in sys.modules]))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60)
    changed, alembic_imported = json.loads(done.stdout)
    assert not changed
    assert not alembic_imported
