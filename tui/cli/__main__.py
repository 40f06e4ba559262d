"""``python -m tui.cli``: the ``paperdeck`` command."""

import sys

from . import main

sys.exit(main())
