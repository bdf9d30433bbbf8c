"""The production settings, with collected static files kept outside the working tree.

`config/settings.py` fixes STATIC_ROOT inside the project; the bench collects into a
temporary folder instead so it never overwrites files another run is serving.
"""

import os
from pathlib import Path

from config.settings import *  # noqa: F403 - these are the settings under test

STATIC_ROOT = Path(os.environ.get("BENCH_STATIC_ROOT", "/tmp/footing-bench-static"))  # noqa: S108
