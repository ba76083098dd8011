"""``python -m psi``: runs the psi-ps program installed with the package."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def _program() -> Path:
    # The wheel installs psi-ps twice: on PATH (the scripts directory) and
    # here, inside the package, so this always finds the one of this install.
    return Path(__file__).resolve().parent / "_bin" / "psi-ps"


def main() -> None:
    program = _program()
    if not os.access(program, os.X_OK):
        sys.stderr.write(
            f"psi: the psi-ps program is missing from this installation "
            f"(expected {program}); reinstall psi\n"
        )
        sys.exit(127)
    # With a standard stream closed (`python -m psi >&-`) Python sets it to
    # None; psi-ps then finds descriptor 1 closed and reports the write
    # error itself, as ps does.
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()
    os.execv(program, ["psi-ps", *sys.argv[1:]])


if __name__ == "__main__":
    main()
