"""``python -m accordingto``: the command line."""

import sys

from accordingto.cli import main

sys.exit(main())
