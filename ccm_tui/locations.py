"""Where ccm keeps things, per platformdirs; folders are made on demand."""

from __future__ import annotations

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
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path
