"""Subcommands, one module per feature.

Each feature module has `register(parsers: Parsers) -> None`, which adds its
subcommands (or its formats under `export` / `import`) and sets
`handler=function(ctx, args) -> int` on each. Modules are imported at parse
time, so they import nothing heavy at the top: handlers import the ORM and
the services inside themselves.
"""
