"""Your keys: config.toml's [keys] read, checked against every binding, and reported with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from ccm_tui.__main__ import main
from ccm_tui.app import CcmApp
from ccm_tui.config import ConfigError, keys_line, load_settings
from ccm_tui.screens.keymap import KeymapError, _own_bindings, _owners, catalogue, check_keymap, normal_key

ENV = {"TZ": "UTC", "LANG": "en_US.UTF-8"}


def settings_of(tmp_path: Path, text: str) -> dict[str, str]:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return dict(load_settings(path, ENV).keys)


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("", {}),
        ('[keys]\n"book.new" = "N"\n', {"book.new": "N"}),
        ('[keys]\nbook.new = "N"\n', {"book.new": "N"}),  # a dotted key: a nested table in TOML, one id here
        ('[keys.book]\nnew = "N"\nedit = "ctrl+e"\n', {"book.new": "N", "book.edit": "ctrl+e"}),
        ('[keys]\n"app.help" = ["f1", "?"]\n', {"app.help": "f1,?"}),
        ('locale = "en_GB"\nkeys = { "book.new" = "N" }\n', {"book.new": "N"}),
    ],
)
def test_keys_are_read_however_toml_writes_them(tmp_path: Path, text: str, keys: dict[str, str]) -> None:
    assert settings_of(tmp_path, text) == keys


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('locale = "en_GB"\n[keys]\n"book.new" = 3\n', 3),
        ('[keys]\n"book.new" = "N"\n\n[keys.calendar]\nnext = []\n', 5),
        ('keys = "N"\n', 1),
    ],
)
def test_a_key_that_is_not_text_is_reported_at_its_line(tmp_path: Path, text: str, line: int) -> None:
    with pytest.raises(ConfigError, match=rf"config\.toml, line {line}: keys"):
        settings_of(tmp_path, text)


TEXT = """locale = "en_GB"

[keys]
"book.new" = "N"   # quoted
calendar.next = "ctrl+n"
app . help = ["f1", "?"]

[[views]]
name = "mine"

[keys.checklist]
done = "d"
"""


@pytest.mark.parametrize(
    ("binding_id", "line"),
    [("book.new", 4), ("calendar.next", 5), ("app.help", 6), ("checklist.done", 12), ("book.edit", 3), ("", 3)],
)
def test_each_entry_is_found_at_its_line(binding_id: str, line: int) -> None:
    assert keys_line(TEXT, binding_id) == line  # an id not written there: the [keys] header


@pytest.mark.parametrize(
    ("key", "normal"),
    [
        ("n", "n"),
        ("N", "N"),
        ("?", "question_mark"),
        ("/", "slash"),
        ("shift+k", "K"),
        ("ctrl+n", "ctrl+n"),
        ("f2", "f2"),
        ("enter", "enter"),
        ("ctrl+shift+up", "ctrl+shift+up"),
        ("question_mark", "question_mark"),
        ("ctrl+]", "ctrl+right_square_bracket"),
    ],
)
def test_keys_are_named_as_textual_names_them(key: str, normal: str) -> None:
    assert normal_key(key) == normal


@pytest.mark.parametrize("key", ["", " ", "ctrl+", "cmd+n", "ctrl+ctrl+n", "enterr", "f2+ctrl", "\t"])
def test_a_key_no_terminal_sends_is_refused(key: str) -> None:
    with pytest.raises(ValueError, match="key"):
        normal_key(key)


@pytest.mark.parametrize(
    ("keymap", "culprit", "says"),
    [
        ({"book.nwe": "N"}, "book.nwe", "no key's id"),
        ({"book.new": "ctrl+"}, "book.new", "is not a key"),
        ({"book.new": "e"}, "book.new", "already book.edit's key"),  # the book's own two keys
        ({"book.edit": "N", "book.new": "N"}, "book.edit", "already book.new's key"),  # two remapped onto one
        ({"app.help": "s"}, "app.help", r"already (book\.sort|calendar\.to_schedule|activation\.reschedule)'s key"),
        ({"book.open": "t"}, "book.open", "already book.log_time's key"),  # the book's list vs the book
    ],
)
def test_a_keymap_that_cannot_be_used_names_the_entry(keymap: dict[str, str], culprit: str, says: str) -> None:
    with pytest.raises(KeymapError, match=says) as caught:
        check_keymap(keymap, CcmApp)
    assert caught.value.binding_id == culprit


@pytest.mark.parametrize(
    "keymap",
    [
        {"book.new": "N", "book.edit": "n"},  # a swap is no clash
        {"app.help": "f1,?"},
        {"form.save": "ctrl+w"},  # in a dialog, the keys that work everywhere do not count (q is a letter there)
        {"calendar.next": "n,J"},
        {"customer.edit": "t", "customer.log_time": "T"},
    ],
)
def test_a_keymap_without_clashes_is_taken_with_textuals_names(keymap: dict[str, str]) -> None:
    taken = check_keymap(keymap, CcmApp)
    assert set(taken) == set(keymap)


def test_every_binding_of_ours_has_an_id_and_ccm_keys_lists_it(capsys: pytest.CaptureFixture[str]) -> None:
    missing = [f"{o.__name__}: {b.key} {b.action}" for o in dict.fromkeys(_owners(CcmApp)) for b in _own_bindings(o) if not b.id]
    assert missing == [], "give each binding an id= (namespaced: book.*, calendar.*, app.*), for [keys]"
    assert main(["keys"], {**ENV, "CCM_CONFIG": "/nonexistent/config.toml"}) == 0
    listed = {line.split()[0] for line in capsys.readouterr().out.splitlines()[1:]}
    assert listed == {entry.id for entry in catalogue(CcmApp)}
    assert {"app.help", "book.new", "calendar.next", "checklist.done", "customer.edit", "form.save"} <= listed


def test_a_clash_stops_the_app_with_one_line_naming_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config.toml"
    config.write_text('ccm_name = "Alex"\n\n[keys]\n"book.sort" = "S"\n"book.new" = "e"\n', encoding="utf-8")
    env = {**ENV, "CCM_CONFIG": str(config), "XDG_DATA_HOME": str(tmp_path / "data")}
    assert main(["--demo"], env) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f'ccm: {config}, line 5: keys: book.new = "e": e is already book.edit\'s key')


def test_a_setting_written_by_ccm_goes_above_the_keys_table(tmp_path: Path) -> None:
    """The first start writes ccm_name; appended after [keys] it would have been a key's id."""
    from ccm_tui.config_file import write_setting

    config = tmp_path / "config.toml"
    config.write_text('locale = "en_GB"\n\n[keys]\n"book.new" = "N"\n', encoding="utf-8")
    write_setting(config, "ccm_name", "Alex Morgan")
    settings = load_settings(config, ENV)
    assert (settings.ccm_name, dict(settings.keys)) == ("Alex Morgan", {"book.new": "N"})
