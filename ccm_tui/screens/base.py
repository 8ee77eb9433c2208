"""What every ccm screen reads from the app: services, settings, formatter.

The app opens the book in a worker after the first frame; a screen that
needs data registers `when_services(callback)` and is called as soon as the
book is open (at once if it already is).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.dom import DOMNode

if TYPE_CHECKING:
    from ccm_tui.config import Settings
    from ccm_tui.formatting import Formatter
    from ccm_tui.services import Services


class ServicesMixin:
    app: Any

    @property
    def services(self) -> Services | None:
        return self.app.services

    @property
    def app_settings(self) -> Settings:
        return self.app.settings

    @property
    def app_formatter(self) -> Formatter:
        return self.app.formatter

    def when_services(self, callback: Callable[[], object]) -> None:
        if self.app.services is not None:
            callback()
            return

        def ready(services: object) -> None:
            if services is not None:
                callback()

        assert isinstance(self, DOMNode)
        self.watch(self.app, "services", ready, init=False)
