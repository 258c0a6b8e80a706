"""`python -m assertgen`: the same as the `assertgen` command."""

import sys

from assertgen.cli import main

sys.exit(main())
