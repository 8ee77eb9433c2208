"""Textual's stylesheet, parsing each piece of CSS once per process instead of on every screen's first visit.

`App.switch_mode` refreshes the CSS twice on a mode's first visit, and each
refresh reparses every source (app.tcss and each widget's DEFAULT_CSS) in a
fresh stylesheet with an empty cache: measured at 60-70 ms per reparse, so
~130 ms of the first key 2, 3 or 4, and of every app start. The parse of a
source depends only on its text, where it was read from, its rank and scope,
and the CSS variables (the theme): keyed by all of them, the rules are reused.
The rules are never changed after parsing (Textual's own cache hands the same
lists out again), so sharing them is safe; a new theme has new variables, so
a new key.

Pinned to Textual 8.2's `Stylesheet` (its `_parse_rules` and `reparse`).
"""

from __future__ import annotations

from typing import Any

from textual.cache import LRUCache
from textual.css.stylesheet import Stylesheet

# Parsed sources, per variables: a few themes' worth of every widget's CSS.
_PARSED: LRUCache[tuple[Any, ...], list[Any]] = LRUCache(1024)


class ParsedOnceStylesheet(Stylesheet):
    def __init__(self, *, variables: dict[str, str] | None = None) -> None:
        super().__init__(variables=variables)
        self._variables_key = frozenset(self._variables.items())

    def set_variables(self, variables: dict[str, str]) -> None:
        super().set_variables(variables)
        self._variables_key = frozenset(self._variables.items())

    def _parse_rules(
        self,
        css: str,
        read_from: Any,
        is_default_rules: bool = False,
        tie_breaker: int = 0,
        scope: str = "",
    ) -> list[Any]:
        key = (css, read_from, is_default_rules, tie_breaker, scope, self._variables_key)
        rules = _PARSED.get(key)
        if rules is None:
            rules = super()._parse_rules(css, read_from, is_default_rules, tie_breaker, scope)
            if not any(rule.errors for rule in rules):  # a broken source is reported each time, as Textual does
                _PARSED[key] = rules
        return rules

    def reparse(self) -> None:
        """Textual's reparse (a fresh sheet, so an error leaves this one whole), on a sheet that reuses parses."""
        stylesheet = ParsedOnceStylesheet(variables=self._variables)
        for read_from, (css, is_defaults, tie_breaker, scope) in self.source.items():
            stylesheet.add_source(css, read_from=read_from, is_default_css=is_defaults, tie_breaker=tie_breaker, scope=scope)
        try:
            stylesheet.parse()
        except Exception:
            self._invalid_css.update(stylesheet._invalid_css)
            raise
        self._rules = stylesheet.rules
        self._rules_map = None
        self.source = stylesheet.source
        self._require_parse = False
