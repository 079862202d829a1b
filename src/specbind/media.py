"""Media types that carry a sequence of items (OpenAPI 3.2's sequential media types)."""

from __future__ import annotations

from . import ir

_JSONL = frozenset({"application/jsonl", "application/x-ndjson", "application/x-jsonlines", "application/jsonlines"})


def sequential(media: str) -> ir.StreamFormat | None:
    """The stream format of a media type (`multipart` for multipart/mixed), None if it is not sequential."""
    base = media.split(";")[0].strip().lower()
    if base == "text/event-stream":
        return "sse"
    if base in _JSONL:
        return "jsonl"
    if base == "application/json-seq" or base.endswith("+json-seq"):
        return "json-seq"
    if base == "multipart/mixed":
        return "multipart"
    return None


def is_json_media(media: str) -> bool:
    base = media.split(";")[0].strip().lower()
    return base == "application/json" or base.endswith("+json")
