"""Where specbind keeps what it may reuse between runs: formatted text (fmt.py) and compiled
templates (below). Both are optimisations only: a missing, unwritable or damaged cache
changes nothing but speed.

`$SPECBIND_CACHE_DIR`, else `$XDG_CACHE_HOME/specbind`, else `~/.cache/specbind`;
`SPECBIND_NO_CACHE=1` turns every cache off.
"""

from __future__ import annotations

import os
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket


def cache_root() -> Path | None:
    if os.environ.get("SPECBIND_NO_CACHE"):
        return None
    base = os.environ.get("SPECBIND_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "specbind"


class TemplateCache(jinja2.FileSystemBytecodeCache):
    """Jinja's own bytecode cache, kept as Python keeps its bytecode: compiling the templates
    takes about 0.2 s a run, loading them a few milliseconds. Jinja keys an entry by the
    template's path and refuses it when the template's text or Jinja's version changed; an
    entry that cannot be read or written is compiled again."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # noqa: BLE001 - a damaged entry (truncated, not Jinja's): a miss
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            os.makedirs(self.directory, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            pass


def template_cache() -> TemplateCache | None:
    root = cache_root()
    return None if root is None else TemplateCache(str(root / "templates"))
