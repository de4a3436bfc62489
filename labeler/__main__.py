"""`python -m labeler`: the command line (with no arguments, the window)."""

import sys

from labeler.app import main

sys.exit(main())
