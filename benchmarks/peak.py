"""A `ccm` child's own peak memory: VmHWM, read by the child itself as it exits, plus its own children's.

An export of a large book writes its second half in a process of its own
(services/export_half.py): that process's peak is added, as the wait4 figure
of the ccm process's children. That one may count the ccm process's size at
the moment it started the other (see below), so the sum is an upper bound.

wait4's ru_maxrss is not it: a child started from a benchmark process that had
grown (it seeded the book, or ran the app, in-process) reports the parent's
size, since the kernel keeps that figure across fork and exec. VmHWM belongs
to the process image, which exec makes anew.
"""

from __future__ import annotations

import sys
from pathlib import Path

# argv[1]: where to write the peak (KiB); the rest: ccm's own arguments
_WRAPPER = """
import resource, sys
from ccm_tui.__main__ import main
peak_file, sys.argv = sys.argv[1], ["ccm", *sys.argv[2:]]
try:
    code = main(sys.argv[1:])
finally:
    with open("/proc/self/status", encoding="ascii") as status:
        kib = int(next(line.split()[1] for line in status if line.startswith("VmHWM:")))
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # 0 when it started none
    with open(peak_file, "w", encoding="ascii") as out:
        out.write(str(kib + children))
sys.exit(code)
"""


def ccm_argv(peak_file: Path, *args: str) -> list[str]:
    """`ccm ARGS` as a fresh interpreter that leaves its peak resident KiB in `peak_file`."""
    return [sys.executable, "-c", _WRAPPER, str(peak_file), *args]


def read_kib(peak_file: Path) -> int:
    """The peak the child left: its own and its children's, added."""
    return int(peak_file.read_text(encoding="ascii"))
