"""`work`: Textual's worker decorator, described by the method's name alone.

Textual describes each worker it starts (for its devtools) by calling
`repr()` on every argument, on the main thread, as the worker starts. The
calendar hands its workers what it already holds (a day's hundred events,
a month's counts) so that they can be shown again without a read: their
repr cost more than drawing them (a `n` or `p` repr'd a day of events).
Here the description is the method's name; everything else is Textual's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import textual

if TYPE_CHECKING:
    from textual import work as work
else:

    def work(method: Callable[..., Any] | None = None, /, **options: Any) -> Any:
        def decorator(function: Callable[..., Any]) -> Any:
            return textual.work(function, **{"description": function.__name__, **options})

        return decorator if method is None else decorator(method)
