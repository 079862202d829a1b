"""Where the templates and the embedded spec live: inside the installed package (wheel), or at
the repository's top level (editable install / source checkout)."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_REPO = _PACKAGE.parent.parent


def _first(*candidates: Path) -> Path:
    for c in candidates:
        if c.exists():
            return c
    return candidates[-1]


def templates_dir() -> Path:
    return _first(_PACKAGE / "templates", _REPO / "templates")


def embedded_spec() -> Path:
    return _first(_PACKAGE / "spec" / "conversations.yaml", _REPO / "spec" / "conversations.yaml")


#: The overlays the embedded fragment is generated with by default (spec/overlays/).
DEFAULT_OVERLAYS = ("sdk-compat.yaml", "openai-runtime.yaml")


def embedded_overlays() -> tuple[Path, ...]:
    root = _first(_PACKAGE / "spec" / "overlays", _REPO / "spec" / "overlays")
    return tuple(root / name for name in DEFAULT_OVERLAYS)
