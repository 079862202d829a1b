"""specbind: OpenAPI -> typed Python bindings (pydantic v2 models, httpx client, FastAPI stubs)."""

__version__ = "0.1.0"
