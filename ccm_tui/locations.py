"""Where ccm keeps things, per platformdirs; folders are made on demand, 0700."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_config_path, user_data_path

APP_NAME = "ccm"


def data_dir() -> Path:
    return user_data_path(APP_NAME, appauthor=False)


def config_dir() -> Path:
    return user_config_path(APP_NAME, appauthor=False)


def config_file() -> Path:
    return config_dir() / "config.toml"


def default_database() -> Path:
    return data_dir() / "book.sqlite"


def demo_database() -> Path:
    """The demo book lives apart from the user's, so --demo never touches it."""
    return data_dir() / "demo.sqlite"


def backups_dir() -> Path:
    return data_dir() / "backups"


def user_checklists_dir() -> Path:
    return config_dir() / "checklists"


def ensure_private_dir(path: Path) -> Path:
    """`path`, made if missing; every folder made on the way is 0700.

    `mkdir(parents=True)` would make the missing parents 0755 (the data
    folder, when the backups folder is the first thing ccm makes).
    """
    missing: list[Path] = []
    folder = path
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            continue  # made meanwhile by another ccm; its own mode stands
        os.chmod(folder, 0o700)  # mkdir's mode passes through the umask
    if not path.is_dir():
        raise NotADirectoryError(f"{path} is not a folder")
    return path
