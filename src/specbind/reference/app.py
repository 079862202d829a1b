"""Build the reference app for a flavor: `openai` (mounted at /v1) or `azure` (/openai/v1,
reads x-ms-user-isolation-key)."""

from __future__ import annotations

import importlib
from typing import Any

from .service import ConversationsStore
from .store import Store

FLAVORS = {"openai": ("conversations", "/v1"), "azure": ("conversations_azure", "/openai/v1")}


def create_reference_app(db: str = ":memory:", flavor: str = "openai") -> Any:
    package, prefix = FLAVORS[flavor]
    models = importlib.import_module(f"specbind._vendor.{package}.models")
    server = importlib.import_module(f"specbind._vendor.{package}.server")
    service = ConversationsStore(Store(db), models, server)
    return server.create_app(service, prefix=prefix)
