"""One cold start, in a fresh process: `paint_child.py ccm|bare` prints JSON.

The clock starts on the first line, before textual or ccm is imported, so
imports count. `ccm` is started through the CLI's own `main()` (so settings,
the book location and every import the CLI does are counted) with `App.run`
made headless at 120x40; `bare` is an App with a Header, a DataTable of 100
in-memory rows and a Footer.

A frame is stamped when the app hands it to the driver (`App._display`,
called once the compositor has rendered the update; headless, the bytes go
nowhere). Stamping there, rather than in the auto-pilot after
`pilot.pause()`, keeps Pilot's idle wait (at least 20 ms) out of the figure.
  app_run:     `App.run` entered: imports done and the app built.
  first_paint: the first frame.
  data_shown:  the first frame with rows in the table.
  maxrss_kib:  peak resident memory, KiB: VmHWM from /proc/self/status on
               Linux, since ru_maxrss after fork+exec also counts the parent's
               peak (a parent that seeded the book makes every child look 145 MiB).
"""

import time

T0 = time.perf_counter()

import json  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402

from textual.app import App, ComposeResult  # noqa: E402
from textual.widgets import DataTable, Footer, Header  # noqa: E402

SIZE = (120, 40)
stamps: dict[str, float] = {}


def stamp_frames(app: App[object], has_rows) -> None:  # type: ignore[no-untyped-def]
    stamps["app_run"] = time.perf_counter() - T0
    display = app._display

    def stamped(screen, renderable) -> None:  # type: ignore[no-untyped-def]
        display(screen, renderable)
        if renderable is None:
            return
        now = time.perf_counter() - T0
        stamps.setdefault("first_paint", now)
        if "data_shown" not in stamps and has_rows(screen):
            stamps["data_shown"] = now

    app._display = stamped  # type: ignore[method-assign]


async def probe(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    while "data_shown" not in stamps:
        await pilot.pause(0.01)
    pilot.app.exit()


class BareApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Customer", "Account", "Rgn", "CCM", "Next event (site time)", "Hours", "Flags")
        table.add_rows(
            (f"Customer {i}", f"NA-{100000 + i}", "NA", "Alex Morgan", "Mon 23 Nov, 09:00 EST", "1.5/8", "") for i in range(100)
        )
        table.focus()


def run_bare() -> None:
    app = BareApp()
    stamp_frames(app, lambda screen: bool(screen.query(DataTable) and screen.query_one(DataTable).row_count))
    app.run(headless=True, size=SIZE, auto_pilot=probe)


def run_ccm() -> None:
    from ccm_tui import __main__ as cli

    run = App.run

    def headless_run(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        from ccm_tui.widgets.customer_table import CustomerTable

        stamp_frames(self, lambda screen: any(t.loaded for t in screen.query(CustomerTable)))
        return run(self, headless=True, size=SIZE, auto_pilot=probe)

    App.run = headless_run  # type: ignore[method-assign]
    code = cli.main([])  # the book, clock and config come from the env (book.ccm_env)
    if code:
        sys.exit(code)


def peak_rss_kib() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


if __name__ == "__main__":
    {"bare": run_bare, "ccm": run_ccm}[sys.argv[1]]()
    stamps["maxrss_kib"] = peak_rss_kib()
    print(json.dumps(stamps))
