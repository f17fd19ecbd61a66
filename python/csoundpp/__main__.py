"""``python -m csoundpp``: the csoundpp command line (render, play, check, info).

Without arguments it renders the bundled example (csoundpp/examples/chord.csd) to a WAV
file here and reports what was made; ``python -m csoundpp x.csd -o x.flac`` renders
another file. ``python -m csoundpp --help`` lists the commands.
"""
from __future__ import annotations

import sys

from ._cli import main as _main


def main(argv: "list[str] | None" = None) -> int:
    return _main(argv)


if __name__ == "__main__":
    sys.exit(main())
