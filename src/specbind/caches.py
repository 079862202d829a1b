"""Where specbind keeps what it may reuse between runs: formatted text (fmt.py) and compiled
templates (template_cache.py). Both are optimisations only: a missing, unwritable or damaged
cache changes nothing but speed.

`$SPECBIND_CACHE_DIR`, else `$XDG_CACHE_HOME/specbind`, else `~/.cache/specbind`;
`SPECBIND_NO_CACHE=1` turns every cache off.
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_folder(name: str) -> Path | None:
    """The folder of one cache (`fmt`, `templates`), or None when caches are off."""
    if os.environ.get("SPECBIND_NO_CACHE"):
        return None
    base = os.environ.get("SPECBIND_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "specbind" / name
