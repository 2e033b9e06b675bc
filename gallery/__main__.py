"""`python -m gallery` keeps working: the CLI lives in the composition root, server/."""

from __future__ import annotations

import sys

from server.cli import main

if __name__ == "__main__":
    sys.exit(main())
