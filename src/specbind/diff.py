"""`specbind diff OLD NEW`: what changed between two specs, and whom it breaks.

Every change gets one severity:
- `additive`: nothing that worked stops working;
- `breaking-clients`: code calling the API (or reading its responses) may break;
- `breaking-servers`: code implementing the API may break (it must accept or produce more).
Direction matters: a new required field breaks clients in a request body but servers in a
response; a new enum value is additive in requests but breaks exhaustive clients in responses.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

ADDITIVE, CLIENTS, SERVERS = "additive", "breaking-clients", "breaking-servers"


@dataclass(frozen=True)
class Change:
    severity: str
    where: str
    what: str


def _request(entry: dict[str, Any]) -> bool:
    return "request" in entry.get("side", [])


def _response(entry: dict[str, Any]) -> bool:
    return "response" in entry.get("side", [])


def diff_surfaces(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    out: list[Change] = []
    o_s, n_s = old.get("schemas", {}), new.get("schemas", {})
    for name in sorted(o_s.keys() - n_s.keys()):
        out.append(Change(CLIENTS, f"schema {name}", "removed"))
    for name in sorted(n_s.keys() - o_s.keys()):
        out.append(Change(ADDITIVE, f"schema {name}", "added"))
    for name in sorted(o_s.keys() & n_s.keys()):
        out += _schema(name, o_s[name], n_s[name])
    o_o, n_o = old.get("operations", {}), new.get("operations", {})
    for op in sorted(o_o.keys() - n_o.keys()):
        out.append(Change(CLIENTS, f"operation {op}", "removed"))
    for op in sorted(n_o.keys() - o_o.keys()):
        out.append(Change(ADDITIVE, f"operation {op}", f"added ({n_o[op]['method']} {n_o[op]['path']})"))
    for op in sorted(o_o.keys() & n_o.keys()):
        out += _operation(op, o_o[op], n_o[op])
    return out


def _schema(name: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    where = f"schema {name}"
    if old.get("kind") != new.get("kind"):
        return [Change(CLIENTS, where, f"changed from {old.get('kind')} to {new.get('kind')}")]
    req, resp = _request(new) or _request(old), _response(new) or _response(old)
    out: list[Change] = []
    if new["kind"] == "model":
        of, nf = old["fields"], new["fields"]
        for f in sorted(of.keys() - nf.keys()):
            out.append(Change(CLIENTS, f"{where}.{f}", "field removed"))
        for f in sorted(nf.keys() - of.keys()):
            if nf[f]["required"]:
                out.append(Change(CLIENTS if req else SERVERS, f"{where}.{f}", "required field added"))
            else:
                out.append(Change(ADDITIVE, f"{where}.{f}", "optional field added"))
        for f in sorted(of.keys() & nf.keys()):
            a, b = of[f], nf[f]
            if a["type"] != b["type"]:
                out += _type_change(f"{where}.{f}", a["type"], b["type"], req, resp)
            if "name" in a and "name" in b and a["name"] != b["name"]:
                out.append(Change(CLIENTS, f"{where}.{f}", f"Python name changed: {a['name']} -> {b['name']}"))
            if a["required"] and not b["required"]:
                out.append(Change(CLIENTS if resp else ADDITIVE, f"{where}.{f}", "no longer required"))
            elif b["required"] and not a["required"]:
                out.append(Change(CLIENTS if req else SERVERS, f"{where}.{f}", "now required"))
    elif new["kind"] == "alias":
        if "enum" in old and "enum" in new:
            added = [v for v in new["enum"] if v not in old["enum"]]
            removed = [v for v in old["enum"] if v not in new["enum"]]
            if added:
                out.append(Change(CLIENTS if resp else ADDITIVE, where, f"enum values added: {', '.join(added)}"))
            if removed:
                out.append(Change(CLIENTS if req else SERVERS, where, f"enum values removed: {', '.join(removed)}"))
        elif old.get("type") != new.get("type"):
            out.append(Change(CLIENTS, where, f"type changed: {old.get('type')} -> {new.get('type')}"))
    else:
        added = [v for v in new["variants"] if v not in old["variants"]]
        removed = [v for v in old["variants"] if v not in new["variants"]]
        if added:
            note = (
                " (clients keep working: unknown kinds parse to the Unknown fallback)"
                if new.get("strategy") != "plain"
                else ""
            )
            out.append(
                Change(ADDITIVE if note or not resp else CLIENTS, where, f"variants added: {', '.join(added)}{note}")
            )
        if removed:
            out.append(Change(CLIENTS, where, f"variants removed: {', '.join(removed)}"))
        if old.get("strategy") != new.get("strategy"):
            out.append(Change(ADDITIVE, where, f"dispatch strategy {old.get('strategy')} -> {new.get('strategy')}"))
    return out


def _type_change(where: str, old: str, new: str, req: bool, resp: bool) -> list[Change]:
    """A changed inline enum is judged by its values; any other type change breaks clients."""
    from .surface import literal_values

    if old.startswith("Literal[") and new.startswith("Literal["):
        a, b = literal_values(old), literal_values(new)
        added, removed = [v for v in b if v not in a], [v for v in a if v not in b]
        out = []
        if added:
            out.append(Change(CLIENTS if resp else ADDITIVE, where, f"enum values added: {', '.join(added)}"))
        if removed:
            out.append(Change(CLIENTS if req else SERVERS, where, f"enum values removed: {', '.join(removed)}"))
        return out
    return [Change(CLIENTS, where, f"type changed: {old} -> {new}")]


def _operation(op: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    where = f"operation {op}"
    out: list[Change] = []
    if (old["method"], old["path"]) != (new["method"], new["path"]):
        out.append(Change(CLIENTS, where, f"moved: {old['method']} {old['path']} -> {new['method']} {new['path']}"))
    op_, np_ = old["params"], new["params"]
    for p in sorted(op_.keys() - np_.keys()):
        out.append(Change(CLIENTS, f"{where} {p}", "parameter removed"))
    for p in sorted(np_.keys() - op_.keys()):
        out.append(
            Change(
                CLIENTS if np_[p]["required"] else ADDITIVE,
                f"{where} {p}",
                f"{'required' if np_[p]['required'] else 'optional'} parameter added",
            )
        )
    for p in sorted(op_.keys() & np_.keys()):
        if "name" in op_[p] and "name" in np_[p] and op_[p]["name"] != np_[p]["name"]:
            out.append(Change(CLIENTS, f"{where} {p}", f"argument renamed: {op_[p]['name']} -> {np_[p]['name']}"))
        if op_[p]["type"] != np_[p]["type"]:
            out.append(Change(CLIENTS, f"{where} {p}", f"type changed: {op_[p]['type']} -> {np_[p]['type']}"))
        if np_[p]["required"] and not op_[p]["required"]:
            out.append(Change(CLIENTS, f"{where} {p}", "now required"))
    for key in ("body", "response"):
        if old[key] != new[key]:
            out.append(Change(CLIENTS, where, f"{key} changed: {old[key]} -> {new[key]}"))
    # The client's call shape (absent from manifests written before resources: not compared).
    for key, what in (("python", "client method moved"), ("stream", "streaming method moved")):
        if key in old and key in new and old[key] != new[key]:
            out.append(Change(CLIENTS, where, f"{what}: client.{old[key]} -> client.{new[key]}"))
    if "positional" in old and "positional" in new and old["positional"] != new["positional"]:
        before, after = ", ".join(old["positional"]) or "none", ", ".join(new["positional"]) or "none"
        out.append(Change(CLIENTS, where, f"positional arguments changed: ({before}) -> ({after})"))
    return out


def render_text(changes: list[Change]) -> str:
    if not changes:
        return "no changes to the API surface\n"
    counts = {s: sum(c.severity == s for c in changes) for s in (CLIENTS, SERVERS, ADDITIVE)}
    total = f"{len(changes)} changes: {counts[CLIENTS]} breaking for clients, "
    lines = [total + f"{counts[SERVERS]} breaking for servers, {counts[ADDITIVE]} additive"]
    order = {CLIENTS: 0, SERVERS: 1, ADDITIVE: 2}
    lines += [
        f"  [{c.severity}] {c.where}: {c.what}" for c in sorted(changes, key=lambda c: (order[c.severity], c.where))
    ]
    return "\n".join(lines) + "\n"


def render_json(changes: list[Change]) -> str:
    return json.dumps([asdict(c) for c in changes], indent=2) + "\n"
