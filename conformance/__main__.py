"""`python -m conformance` is the same as the `coroconf` command."""

import sys

from conformance.cli import main

sys.exit(main())
