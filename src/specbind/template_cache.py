"""Compiled templates kept in the cache folder (caches.py) between runs."""

from __future__ import annotations

import os

import jinja2
from jinja2.bccache import Bucket

from .caches import cache_folder


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
    folder = cache_folder("templates")
    return None if folder is None else TemplateCache(str(folder))
