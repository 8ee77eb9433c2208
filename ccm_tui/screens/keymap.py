"""Your keys: config.toml's `[keys]` checked against every binding, before the app starts.

Every binding a user may remap has a stable id, namespaced by where it
works ("book.new", "calendar.next", "app.help"). Textual's keymap
(`App.set_keymap`) puts the keys named in `[keys]` in place of a binding's
own. Checked first, so a mistake is one line naming the file and line:
an id no binding has, a key Textual could never send, or a clash — two
bindings that work at the same time given one key, where at least one of
the two was remapped (the screen's own keys, the lists and fields on it,
and, under any screen but a dialog, the keys that work everywhere).
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import Keys, _character_to_key, key_to_character
from textual.screen import ModalScreen, Screen

MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
_NAMED_KEYS = frozenset(key.value for key in Keys if "+" not in key.value) | {"enter", "space", "tab", "backspace"}


@dataclass(frozen=True)
class KeyEntry:
    """One remappable binding, as `ccm keys` and the checks see it."""

    id: str
    keys: tuple[str, ...]  # its own keys, Textual's names ("question_mark")
    description: str  # as the footer and `?` say it: "New", "Next/prev"
    owner: type[DOMNode]


class KeymapError(ValueError):
    """A [keys] entry that cannot be used: the binding id and what is wrong."""

    def __init__(self, binding_id: str, problem: str) -> None:
        super().__init__(f"keys: {problem}")
        self.binding_id = binding_id
        self.problem = problem


def normal_key(text: str) -> str:
    """One key as Textual names it ("?" -> "question_mark", "shift+k" -> "K"); ValueError if it is none."""
    key = text.strip()
    if not key:
        raise ValueError("an empty key")
    if len(key) == 1:
        if not key.isprintable() or key == " ":
            raise ValueError(f"{text!r} is not a key")
        return _character_to_key(key)  # Textual's own naming, as set_keymap applies it
    *mods, base = key.split("+")
    if not base or any(mod not in MODIFIERS for mod in mods) or len(set(mods)) != len(mods):
        raise ValueError(f"{text!r} is not a key")
    if len(base) == 1:
        if mods == ["shift"] and base.isalpha():
            return base.upper()  # a terminal sends shift+k as "K"
        base = _character_to_key(base)
    elif base not in _NAMED_KEYS and key_to_character(base) is None:
        raise ValueError(f"{text!r} is not a key")
    return "+".join([*mods, base])


def normal_keys(text: str) -> tuple[str, ...]:
    """Comma-separated keys, each as Textual names it."""
    return tuple(normal_key(part) for part in text.split(","))


def key_text(keys: tuple[str, ...]) -> str:
    """As [keys] may name them: a character as itself ("?", "]"), any other key by its name ("enter", "ctrl+s")."""
    return ", ".join(c if (c := key_to_character(key)) and c.isprintable() and not c.isspace() else key for key in keys)


# -- every binding with an id --------------------------------------------------------------


def _owners(app_class: type[DOMNode]) -> Iterator[type[DOMNode]]:
    yield app_class
    import ccm_tui.screens
    import ccm_tui.widgets

    for package in (ccm_tui.screens, ccm_tui.widgets):
        for module_info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            module = importlib.import_module(module_info.name)
            for value in vars(module).values():
                ours = isinstance(value, type) and issubclass(value, DOMNode) and value.__module__ == module.__name__
                if ours and "BINDINGS" in vars(value):
                    yield value


def _own_bindings(owner: type[DOMNode]) -> Iterator[Binding]:
    for binding in vars(owner).get("BINDINGS", ()):
        if isinstance(binding, Binding):
            yield binding


def catalogue(app_class: type[DOMNode]) -> list[KeyEntry]:
    """Every binding with an id, once per id (twins share an id: `a` add, and its footer-less twin)."""
    entries: dict[str, KeyEntry] = {}
    for owner in dict.fromkeys(_owners(app_class)):
        for binding in _own_bindings(owner):
            if binding.id and binding.id not in entries:
                keys = tuple(key.strip() for key in binding.key.split(","))
                entries[binding.id] = KeyEntry(binding.id, keys, binding.description, owner)
    return sorted(entries.values(), key=lambda entry: entry.id)


def _scopes(app_class: type[DOMNode], owners: list[type[DOMNode]]) -> list[set[type[DOMNode]]]:
    """The owners whose keys work at the same time: a screen with the widgets its module composes, and
    under a screen that is not a dialog the app's keys. A widget no screen module names is a scope of its own."""
    widgets = {owner for owner in owners if not issubclass(owner, Screen) and owner is not app_class}
    placed: set[type[DOMNode]] = set()
    scopes = []
    for owner in owners:
        if not issubclass(owner, Screen):
            continue
        module = vars(sys.modules[owner.__module__]).values()
        scope = {owner, *(w for w in widgets if w in module)}
        placed |= scope
        scopes.append(scope if issubclass(owner, ModalScreen) else scope | {app_class})
    scopes += [{widget, app_class} for widget in widgets - placed]
    return scopes


def check_keymap(keymap: Mapping[str, str], app_class: type[DOMNode]) -> Mapping[str, str]:
    """The keymap with Textual's key names, or KeymapError naming the first entry that cannot be used."""
    if not keymap:
        return MappingProxyType({})
    owners = list(dict.fromkeys(_owners(app_class)))
    entries = {entry.id: entry for entry in catalogue(app_class)}
    normal: dict[str, str] = {}
    for binding_id, text in keymap.items():
        if binding_id not in entries:
            raise KeymapError(binding_id, f"{binding_id!r} is no key's id (`ccm keys` lists them)")
        try:
            normal[binding_id] = ",".join(normal_keys(text))
        except ValueError as error:
            raise KeymapError(
                binding_id, f'{binding_id} = "{text}": {error} (keys look like "n", "N", "ctrl+n", "f2", "question_mark")'
            ) from None
    for scope in _scopes(app_class, owners):
        _check_scope(scope, app_class, normal, entries)
    return MappingProxyType(normal)


def _check_scope(
    scope: set[type[DOMNode]], app_class: type[DOMNode], normal: Mapping[str, str], entries: Mapping[str, KeyEntry]
) -> None:
    users: dict[str, str] = {}  # key -> the id that has it
    for owner in scope:
        for binding in _own_bindings(owner):
            binding_id = binding.id or f"(no id) {binding.action}"
            keys = normal[binding_id].split(",") if binding_id in normal else [k.strip() for k in binding.key.split(",")]
            for key in keys:
                other = users.setdefault(key, binding_id)
                if other != binding_id and (other in normal or binding_id in normal):
                    remapped, kept = (binding_id, other) if binding_id in normal else (other, binding_id)
                    what = entries[kept].description if kept in entries else kept
                    raise KeymapError(
                        remapped,
                        f'{remapped} = "{normal[remapped]}": {key_text((key,))} is already {kept}\'s key ({what}) '
                        "where both work; give one of them another key",
                    )
