"""The layout of the ``models`` package: which module each definition lives in.

Importing the package imports no model; ``models/__init__.py`` loads a module when one of its
names is first asked for. For that to load little, definitions are grouped by who uses them:
each operation belongs to a group (its first tag, else the first static segment of its path
after a version segment like ``/v1``), and each definition is keyed by the set of groups whose
operations reach it, directly or through other definitions.

- reached by one group: that group's module (``chat``);
- reached by several: a shared module for exactly that set (``conversations_responses``);
- reached by none (schemas no operation uses): the module ``other`` (``schemas`` in a
  document without operations);
- type aliases that name no other definition (enums, maps of plain values), whoever uses
  them: the module ``aliases``. They cost next to nothing to define, and a module that names
  one (the client's argument checks name many) then loads them, not a module of classes.

A definition only refers to definitions reached by at least the groups that reach it, so a
reference goes from a module to itself or to a module keyed by a larger set, never back: the
module graph has no cycle, and no module needs an import-order trick (mutually recursive
definitions are reached by the same groups, so they share a module). Shared modules with few
definitions are merged, each into a module it imports (whose importers load it anyway) or,
when it imports none, into the sink ``common``; every merge is checked to keep the graph
acyclic. All orders are sorted, so the layout is deterministic.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, is_dataclass
from graphlib import TopologicalSorter
from typing import Any

from . import ir, naming

#: A shared module with fewer definitions than this is merged into another one.
SMALL_SHARED = 8
#: Modules holding the schemas no operation uses, small shared sets that import no other
#: set, and the aliases that name no other definition.
OTHER = "other"
SCHEMAS = "schemas"  # `other`, in a document without operations
COMMON = "common"
ALIASES = "aliases"
#: Names ``models/__init__.py`` binds itself: a submodule of that name would replace them.
_INIT_NAMES = frozenset({"import_module", "TYPE_CHECKING", "Any", "annotations"})

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_STRING = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_MODELS = re.compile(r"(?<![\w.])models\.([A-Za-z_]\w*)")
_VERSION = re.compile(r"v\d+[a-z]*\d*|\d+(?:\.\d+)+", re.IGNORECASE)
#: Operation fields that are prose: a `models.X` there is not a use.
_PROSE = frozenset({"doc", "summary", "client_doc"})
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

Definition = ir.Model | ir.Alias | ir.Union


def names_used(text: str) -> list[str]:
    """Names an annotation uses, leaving out words inside string literals (`Literal['Any']`)."""
    return _WORD.findall(_STRING.sub("", text))


def references(d: Definition) -> set[str]:
    """Every name the code of a definition uses (annotations, defaults, union members)."""
    if isinstance(d, ir.Model):
        text = " ".join(f.annotation + f.assignment + f.static_assignment for f in d.fields) + " " + (d.extra or "")
    elif isinstance(d, ir.Alias):
        text = d.annotation
    else:
        text = " ".join(d.members) + " " + (d.unknown or "")
    return set(names_used(text))


def operation_group(data: Mapping[str, Any], op: ir.Operation) -> str:
    """The group an operation's models are filed under: its first tag, else the first static
    segment of its path after a version segment (`/v1/files/{id}` -> `files`).

    The client's resource layout will name top-level resources; this is its stand-in."""
    item = (data.get("paths") or {}).get(op.path)
    operation = item.get(op.method.lower()) if isinstance(item, dict) else None
    tags = operation.get("tags") if isinstance(operation, dict) else None
    if isinstance(tags, list) and tags and isinstance(tags[0], str) and naming.snake(tags[0]):
        return tags[0]
    segments = [s for s in op.path.split("/") if s and "{" not in s]
    versions = [i for i, s in enumerate(segments) if _VERSION.fullmatch(s)]
    after = segments[versions[0] + 1 :] if versions else segments
    rest = [s for s in after if not _VERSION.fullmatch(s)]
    return rest[0] if rest and naming.snake(rest[0]) else "default"


def _texts(value: object) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, tuple):
        for item in value:
            yield from _texts(item)
    elif is_dataclass(value):
        for f in fields(value):
            if f.name not in _PROSE:
                yield from _texts(getattr(value, f.name))


def operation_uses(op: ir.Operation) -> set[str]:
    """The definitions an operation names (`models.X` in its annotations and values)."""
    return {m for text in _texts(op) for m in _MODELS.findall(text)}


@dataclass(frozen=True)
class Planned:
    name: str
    doc: str
    definitions: tuple[str, ...]  # in the order the package defines them


def plan(
    definitions: tuple[Definition, ...], operations: tuple[ir.Operation, ...], data: Mapping[str, Any]
) -> tuple[Planned, ...]:
    """The modules of the `models` package, sorted by name (see the module docstring)."""
    by_name = {d.name: d for d in definitions}
    edges = {n: sorted(references(d) & by_name.keys() - {n}) for n, d in by_name.items()}
    # Groups are told apart by their module name: tags `Responses` and `responses` are one.
    labels: dict[str, list[str]] = {}
    roots: dict[str, set[str]] = {}
    for op in operations:
        label = operation_group(data, op)
        key = naming.snake(label)
        labels.setdefault(key, [])
        if label not in labels[key]:
            labels[key].append(label)
        roots.setdefault(key, set()).update(operation_uses(op) & by_name.keys())
    reached: dict[str, set[str]] = {n: set() for n in by_name}
    for group in sorted(roots):
        stack, seen = sorted(roots[group]), set()
        while stack:
            n = stack.pop()
            if n not in seen:
                seen.add(n)
                reached[n].add(group)
                stack.extend(edges[n])
    keys: dict[frozenset[str], list[str]] = {}
    for d in definitions:
        leaf = isinstance(d, ir.Alias) and not edges[d.name]
        keys.setdefault(_ALIASES_KEY if leaf else frozenset(reached[d.name]), []).append(d.name)
    module_of = {n: key for key, names in keys.items() for n in names}
    graph = {key: {module_of[e] for n in names for e in edges[n]} - {key} for key, names in keys.items()}
    merged = _merge_small(graph, {k: len(v) for k, v in keys.items()})
    members: dict[frozenset[str], list[str]] = {}
    for d in definitions:
        members.setdefault(merged[module_of[d.name]], []).append(d.name)
    # The layout's promise, checked: raises graphlib.CycleError if a merge ever broke it.
    TopologicalSorter({merged[k]: {merged[t] for t in v} - {merged[k]} for k, v in graph.items()}).prepare()
    return _named(members, merged, labels)


#: The keys of the `common` and `aliases` modules (no group is called that: a group has a name).
_COMMON_KEY = frozenset({"\0common"})
_ALIASES_KEY = frozenset({"\0aliases"})
#: Modules that import no module but each other (`common` may import `aliases`).
_SINKS = frozenset({_COMMON_KEY, _ALIASES_KEY})


Key = frozenset[str]


def _merge_small(graph: dict[Key, set[Key]], sizes: dict[Key, int]) -> dict[Key, Key]:
    """key -> the key of the module it ends up in. Small shared modules are merged, largest
    sets first (they are imported by smaller ones, so each is settled before its importers)."""
    into = {k: k for k in graph}
    live = {k: set(v) for k, v in graph.items()}

    def reaches(start: frozenset[str], goal: frozenset[str], skip: frozenset[str]) -> bool:
        """A path start -> ... -> goal that does not pass through `skip` (the module merged away)."""
        stack, seen = [t for t in live[start] if t != skip], set()
        while stack:
            n = stack.pop()
            if n == goal:
                return True
            if n not in seen:
                seen.add(n)
                stack.extend(t for t in live[n] if t != skip)
        return False

    def merge(small: frozenset[str], target: frozenset[str]) -> None:
        live.setdefault(target, set())
        live[target] |= live.pop(small) - {target}
        for targets in live.values():
            if small in targets:
                targets.discard(small)
                targets.add(target)
        live[target].discard(target)
        for k, v in into.items():
            if v == small:
                into[k] = target

    small = [k for k in graph if len(k) > 1 and sizes[k] < SMALL_SHARED]
    for key in sorted(small, key=lambda k: (-len(k), sorted(k))):
        targets = sorted(live[key] - _SINKS, key=lambda k: (len(k), sorted(k)))
        if not targets:
            merge(key, _COMMON_KEY)  # `common` only ever holds modules that import no other set
            continue
        # Into a module it imports that no other of its imports leads to (else: a cycle).
        safe = [t for t in targets if not any(reaches(o, t, key) for o in targets if o != t)]
        if safe:
            merge(key, safe[0])
    return into


def _named(members: dict[Key, list[str]], merged: dict[Key, Key], labels: dict[str, list[str]]) -> tuple[Planned, ...]:
    table = naming.NameTable(_INIT_NAMES)
    names: dict[frozenset[str], str] = {}
    groups = sorted((k for k in members if len(k) == 1 and k not in _SINKS), key=sorted)
    for key in groups:  # groups first: they keep their plain names
        names[key] = table.claim(naming.module_name(next(iter(key))))
    unused = OTHER if labels else SCHEMAS  # without operations, nothing is "other"
    for key, name in ((frozenset(), unused), (_COMMON_KEY, COMMON), (_ALIASES_KEY, ALIASES)):
        if key in members:
            names[key] = table.claim(name)
    shared = sorted((k for k in members if k not in names), key=lambda k: (-len(members[k]), sorted(k)))
    numbered = 0
    for key in sorted((k for k in shared if len(k) <= 3), key=sorted):
        names[key] = table.claim("_".join(naming.module_name(g) for g in sorted(key)))
    for key in shared:
        if key not in names:
            numbered += 1
            names[key] = table.claim("shared" if numbered == 1 else f"shared{numbered}")
    out = []
    for key, defs in members.items():
        folded = sorted({g for k, v in merged.items() if v == key for g in k} - _COMMON_KEY - _ALIASES_KEY)
        doc = (_doc(key, folded, labels) if labels or key else "The models of every schema.") + _IMPORT_NOTE
        out.append(Planned(names[key], doc, tuple(defs)))
    return tuple(sorted(out, key=lambda p: p.name))


_IMPORT_NOTE = (
    "\n\nImport them from the `models` package: a model moves to another module when the\n"
    "operations that use it change."
)


def _quoted(groups: Iterable[str], labels: dict[str, list[str]]) -> str:
    shown = [" / ".join(f"`{label}`" for label in labels.get(g, [g])) for g in groups]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def _doc(key: frozenset[str], folded: list[str], labels: dict[str, list[str]]) -> str:
    if not key:
        return "Models that no operation uses."
    if key == _ALIASES_KEY:
        return "Type aliases that name no other definition (enums, maps and lists of plain values)."
    if key == _COMMON_KEY:
        return "Models shared by a few operations of several groups: " + _quoted(folded, labels) + "."
    if len(key) == 1:
        return "Models of the " + _quoted(key, labels) + " operations."
    return "Models shared by the operations of " + _quoted(sorted(key), labels) + "."


def sibling_imports(
    names: tuple[str, ...], by_name: Mapping[str, Definition], module_of: Mapping[str, str]
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(module, names) a module imports from the other modules of the package."""
    own = module_of[names[0]] if names else ""
    wanted: dict[str, set[str]] = {}
    for n in names:
        for used in references(by_name[n]):
            where = module_of.get(used)
            if where is not None and where != own:
                wanted.setdefault(where, set()).add(used)
    return tuple((m, tuple(sorted(wanted[m], key=naming.import_key))) for m in sorted(wanted))
