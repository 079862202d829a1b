"""Phase 3c, the answers of an operation: its success answer (status, type, media type, or a
stream of items) and its error schemas. A mixin of ``operations.OperationBuilder``."""

from __future__ import annotations

from typing import Any

from . import ir
from .bodies import first_of_each_kind, media_kind
from .media import sequential
from .normalize import Normalized
from .resolve import Parts
from .schemas import SchemaBuilder
from .streams import StreamPlanner


class Answers:
    n: Normalized
    sb: SchemaBuilder
    streams: StreamPlanner
    #: Per operation, while it is built: the first sequential answer (its own method, or a
    #: `_stream` twin when a whole answer is offered too).
    stream: ir.Stream | None
    error_types: dict[str, int]
    error_schemas: list[tuple[Any, str]]

    def content(self, container: Any) -> list[tuple[str, Any]]:
        raise NotImplementedError

    def resolve(self, node: Any) -> Any:
        raise NotImplementedError

    def response(self, op: dict[str, Any], at: Parts, base: str) -> tuple[int, str | None, str, str]:
        """(status, type, kind, media type) of the success answer. The server answers the first
        declared 2xx code; several codes with different JSON schemas give a union. A sequential
        media type (``streams``) is read item by item: the method streams it when nothing else
        is offered, else a `_stream` twin does."""
        responses: dict[Any, Any] = op["responses"] if isinstance(op.get("responses"), dict) else {}
        codes = sorted(str(k) for k in responses if str(k)[:1] == "2" and (str(k).isdigit() or str(k).upper() == "2XX"))
        status = next((int(c) for c in codes if c.isdigit()), 200)
        types: list[str] = []
        kind, media = "none", ""
        self.stream = None
        for code in codes:
            raw = responses.get(code, responses.get(int(code)) if code.isdigit() else None)
            offered = self.content(raw)
            plain: list[str] = []
            for m, entry in offered:
                where = at + ("responses", code, "content", m)
                if "itemSchema" in entry and sequential(m) is None:
                    self.sb.warn(
                        where + ("itemSchema",),
                        f"{m} is not a sequential media type (text/event-stream, JSON Lines, JSON text "
                        "sequences, multipart/mixed): its `itemSchema` is ignored, the answer is read whole",
                    )
                if sequential(m) is None or media_kind(m) == "json":
                    plain.append(m)
                elif self.stream is None:
                    hint = base + ("Event" if sequential(m) == "sse" else "Item")
                    self.stream = self.streams.plan(m, entry, where, hint)
                    if self.stream is None:
                        plain.append(m)  # nothing types one item: read whole
            by_kind = {media_kind(m): (m, b) for m, b in reversed(offered) if m in plain}
            if "json" in by_kind:
                m, entry = by_kind["json"]
                info = self.sb.type_of(
                    entry.get("schema"), at + ("responses", code, "content", m, "schema"), base + "Response"
                )
                if kind in ("none", "json"):
                    kind, media = "json", m
                    if info.annotation() not in types:
                        types.append(info.annotation())
            elif plain and kind == "none":
                kind, media = ("text" if media_kind(plain[0]) == "text" else "bytes"), plain[0]
        if kind == "none" and self.stream is not None:
            return status, self.stream.item, "stream", self.stream.media
        if kind in ("text", "bytes"):
            return status, "str" if kind == "text" else "bytes", kind, media
        if not types:
            return status, None, "none", ""
        return status, " | ".join(types) if len(types) > 1 else types[0], "json", media

    def errors(self, op: dict[str, Any], at: Parts, base: str) -> tuple[tuple[str, str], ...]:
        """(status key, type) for each declared error answer with a JSON schema."""
        responses: dict[Any, Any] = op["responses"] if isinstance(op.get("responses"), dict) else {}
        out: list[tuple[str, str]] = []
        for code in (str(k) for k in responses):
            if not (code == "default" or code[:1] in ("4", "5")):
                continue
            offered = first_of_each_kind(self.content(responses[code]))
            if "json" not in offered:
                continue
            m, entry = offered["json"]
            where = at + ("responses", code, "content", m, "schema")
            info = self.sb.type_of(entry.get("schema"), where, base + "Error")
            out.append((code.upper() if code != "default" else code, info.annotation()))
            self.error_types[info.annotation()] = self.error_types.get(info.annotation(), 0) + 1
            self.error_schemas.append((self.resolve(entry.get("schema")), info.annotation()))
        return tuple(out)
