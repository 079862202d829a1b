"""Hatchling build hook: regenerate on `python -m build` / `pip wheel .`.

    [tool.hatch.build.hooks.specbind]
    jobs = ["default"]          # optional: which [tool.specbind] jobs (default: all)

The no-op path (inputs and files match the manifest) costs a few hashes. Generated folders
are also added as build artifacts, so they ship even when version control ignores them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface
from hatchling.plugin import hookimpl

from .errors import SpecError


class SpecbindBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "specbind"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        from .api import select, sync

        root = Path(self.root)
        jobs = self.config.get("jobs")
        try:
            written = sync(root, list(jobs) if jobs else None)
        except SpecError as exc:
            raise RuntimeError("\n".join(exc.lines())) from None
        for job in select(root, list(jobs) if jobs else None):
            try:
                rel = job.out.resolve().relative_to(root.resolve()).as_posix()
            except ValueError:
                continue  # output outside the project: nothing to ship
            build_data.setdefault("artifacts", []).append(f"/{rel}/**")
            changed = written.get(job.name) or []
            self.app.display_info(
                f"specbind: {rel}: {len(changed)} files regenerated" if changed else f"specbind: {rel}: up to date"
            )


@hookimpl
def hatch_register_build_hook() -> type[BuildHookInterface]:  # type: ignore[type-arg]
    return SpecbindBuildHook
