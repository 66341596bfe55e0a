"""Allow `python -m cifbridge`."""

import sys

from cifbridge.cli import main

sys.exit(main())
