"""Idempotency keys: which header of an operation carries one, and the client argument for it.

The key is a new UUID4 per call when the caller gives none (``_http.idempotency_key``), so a
retried call is the same call to the server; such an operation is retried like a GET.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from . import ir, naming

_NOTE = (
    "Makes retries of this call safe: a new UUID4 for each call when not given, "
    "the same value on every retry (`extra_headers` wins too)."
)


def key_header(
    data: dict[str, Any],
    op: dict[str, Any],
    method: str,
    params: list[ir.Param],
    arg_names: naming.NameTable,
    configured: str | None,
) -> tuple[list[ir.Param], str]:
    """(parameters, wire name of the idempotency header or ""). The header is Fern's first
    `x-fern-idempotency-headers` entry on an `x-fern-idempotent` operation, else the configured
    `idempotency_header` for every POST and PATCH, else an `Idempotency-Key` header parameter the
    operation declares. A header the operation does not declare becomes an optional argument of
    the client method only (`client_only`: the server does not read it); Fern's further headers
    are plain optional arguments."""
    wanted: list[tuple[str, str]] = []  # (header, argument name)
    fern = data.get("x-fern-idempotency-headers")
    if op.get("x-fern-idempotent") is True and isinstance(fern, list):
        for entry in fern:
            if isinstance(entry, dict) and isinstance(entry.get("header"), str):
                name = entry.get("name") if isinstance(entry.get("name"), str) else entry["header"]
                wanted.append((entry["header"], naming.field_name(str(name))))
    if not wanted and configured and method.upper() in ("POST", "PATCH"):
        wanted.append((configured, "idempotency_key"))
    declared = {p.wire.lower(): p for p in params if p.location == "header"}
    conventional = declared.get("idempotency-key")
    header = (wanted[0][0] if wanted else conventional.wire if conventional else "").lower()
    if not header:
        return params, ""
    out = [
        replace(p, idempotency_key=True, doc=f"{p.doc}\n\n{_NOTE}" if p.doc else _NOTE)
        if p.location == "header" and p.wire.lower() == header
        else p
        for p in params
    ]
    seen = set(declared)
    for wire, name in wanted:
        if wire.lower() in seen:
            continue
        seen.add(wire.lower())
        is_key = wire.lower() == header
        out.append(
            ir.Param(
                name=arg_names.claim(name), wire=wire, location="header", annotation="str | None",
                required=False, default="None", doc=f"Sent as `{wire}`." + (f" {_NOTE}" if is_key else ""),
                style="simple", explode=False, idempotency_key=is_key, client_only=True,
                constrained="str | None", service_annotation="str | None",
            )
        )  # fmt: skip
    return out, next(p.wire for p in out if p.idempotency_key)
