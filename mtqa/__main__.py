"""python -m mtqa: the command line."""

import sys

from mtqa.cli import main

sys.exit(main())
