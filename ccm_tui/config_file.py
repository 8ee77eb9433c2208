"""Writing one setting into the user's config.toml, keeping the rest of the file as written.

Only a regular file is replaced (never through a symbolic link or over a
folder), atomically: the new text goes to a private temporary file beside
it, is flushed, then renamed over the old one. The file stays 0600.
"""

from __future__ import annotations

import json
import os
import re
import stat
import tempfile
import tomllib
from pathlib import Path

from ccm_tui import locations
from ccm_tui.config import ConfigError
from ccm_tui.files import fsync_folder


def config_path(env: dict[str, str]) -> Path:
    """The config file this ccm reads: CCM_CONFIG, else the user's (as __main__ finds it)."""
    return Path(env["CCM_CONFIG"]) if env.get("CCM_CONFIG") else locations.config_file()


def _toml_string(value: str) -> str:
    # A JSON string is a TOML basic string (the same escapes); no raw control character survives.
    return json.dumps(value, ensure_ascii=False)


def write_setting(path: Path, key: str, value: str) -> None:
    """Set `key = "value"` in the config file: its line replaced where it is, else added at the end."""
    if not re.fullmatch(r"[a-z_]+", key):
        raise ValueError(f"not a setting name: {key!r}")
    text = ""
    try:
        info = path.lstat()
    except FileNotFoundError:
        info = None
    if info is not None:
        if not stat.S_ISREG(info.st_mode):
            raise ConfigError(f"{path} is not a regular file; ccm writes only a regular config file")
        text = path.read_text(encoding="utf-8")
    line = f"{key} = {_toml_string(value)}"
    pattern = re.compile(rf"^[ \t]*{key}[ \t]*=.*$", re.MULTILINE)
    table = re.search(r"^[ \t]*\[", text, re.MULTILINE)  # [keys], [[views]]: a top-level setting goes above them
    if pattern.search(text[: table.start()] if table else text):
        text = pattern.sub(lambda _match: line, text, count=1)
    elif table:
        text = f"{text[: table.start()]}{line}\n{text[table.start() :]}"
    else:
        text = f"{text}{'' if not text or text.endswith(chr(10)) else chr(10)}{line}\n"
    try:
        if tomllib.loads(text).get(key) != value:
            raise ConfigError(f"{path}: could not set {key} (is it inside a table?); set it by hand")
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: {error}") from None
    if info is None:
        locations.ensure_private_dir(path.parent)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)  # 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    fsync_folder(path.parent)
