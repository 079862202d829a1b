"""The layout of the ``models`` package: which module each definition lives in.

Importing the package imports no model; ``models/__init__.py`` loads a module when one of its
names is first asked for. For that to load little, definitions are grouped by who uses them:
each operation belongs to a group (its first tag, else the first static segment of its path
after a version segment like ``/v1``), and each definition is keyed by the set of groups whose
operations reach it, directly or through other definitions.

- reached by one group: that group's module (``chat``);
- reached by several: a shared module for exactly that set (``conversations_responses``);
- reached by none (schemas no operation uses, such as webhook events): one module per set of
  such definitions that refer to one another, named after its first one
  (``realtime_server_event``), the small sets together in ``other`` (``schemas`` in a
  document without operations);
- type aliases that name no other definition (enums, maps of plain values), whoever uses
  them: the module ``aliases``. They cost next to nothing to define, and a module that names
  one (the client's argument checks name many) then loads them, not a module of classes.

A definition only refers to definitions reached by at least the groups that reach it, so a
reference goes from a module to itself or to a module keyed by a larger set, never back: the
module graph has no cycle, and no module needs an import-order trick (mutually recursive
definitions are reached by the same groups, so they share a module). Unused definitions may
refer to anything, and nothing refers to them. Shared modules with few definitions are
merged, each into a module it imports (whose importers load it anyway) or, when it imports
none, into ``common``; the graph is checked for cycles at the end. Every order is sorted, so
the layout is deterministic.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, fields, is_dataclass
from functools import cache
from graphlib import TopologicalSorter
from typing import Any, Literal

from . import ir, naming

#: A shared module (or a set of unused definitions) with fewer definitions than this is merged.
SMALL = 8
OTHER = "other"  # the small sets of unused definitions
SCHEMAS = "schemas"  # `other`, in a document without operations
COMMON = "common"  # small shared sets that import no other set
ALIASES = "aliases"  # aliases that name no other definition
#: Names ``models/__init__.py`` binds itself: a submodule of that name would replace them.
_INIT_NAMES = frozenset({"import_module", "TYPE_CHECKING", "Any", "annotations"})
_IMPORT_NOTE = (
    "\n\nImport them from the `models` package: a model moves to another module when the\n"
    "operations that use it change."
)

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_STRING = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_MODELS = re.compile(r"(?<![\w.])models\.([A-Za-z_]\w*)")
_VERSION = re.compile(r"v\d+[a-z]*\d*|\d+(?:\.\d+)+", re.IGNORECASE)
#: Operation fields that are prose: a `models.X` there is not a use.
_PROSE = frozenset({"doc", "summary", "client_doc"})

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
    """The group an operation's models are filed under: its top-level client resource
    (`client.files...` -> `files`, see ``layout``); for a method of the client itself, its
    first tag, else the first static segment of its path after a version segment."""
    if op.resource_path:
        return op.resource_path[0]
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


def _texts(value: object) -> Iterator[str]:
    """Every string in a value of the IR, at any depth, prose left out (in no order)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, tuple):
            stack.extend(item)
        elif is_dataclass(item) and not isinstance(item, type):
            stack.extend(getattr(item, name) for name in _text_fields(type(item)))


@cache
def _text_fields(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls) if f.name not in _PROSE)


def operation_uses(op: ir.Operation) -> set[str]:
    """The definitions an operation names (`models.X` in its annotations and values)."""
    return set(_MODELS.findall("\n".join(_texts(op))))


@dataclass(frozen=True)
class Planned:
    name: str
    doc: str
    definitions: tuple[str, ...]  # in the order the package defines them


@dataclass(frozen=True)
class _Key:
    """What a module holds: definitions reached by exactly ``groups``; unused ones (``root``:
    the definition that names a set of them referring to one another, "" for the small sets);
    small shared sets (``common``); aliases that name no other definition."""

    kind: Literal["groups", "unused", "common", "aliases"]
    groups: frozenset[str] = frozenset()
    root: str = ""

    def order(self) -> tuple[int, int, list[str], str]:
        """Largest sets first: they are imported by smaller ones."""
        return (
            ("groups", "unused", "common", "aliases").index(self.kind),
            -len(self.groups),
            sorted(self.groups),
            self.root,
        )


_COMMON = _Key("common")
_ALIASES = _Key("aliases")
_SINKS = frozenset({_COMMON, _ALIASES})  # they import no module but each other (common -> aliases)


def plan(
    definitions: tuple[Definition, ...], operations: tuple[ir.Operation, ...], data: Mapping[str, Any]
) -> tuple[Planned, ...]:
    """The modules of the `models` package, sorted by name (see the module docstring)."""
    # Groups are told apart by their module name: tags `Responses` and `responses` are one.
    labels: dict[str, list[str]] = {}
    roots: dict[str, set[str]] = {}
    for op in operations:
        label = operation_group(data, op)
        group = naming.snake(label)
        if label not in labels.setdefault(group, []):
            labels[group].append(label)
        roots.setdefault(group, set()).update(operation_uses(op))
    return layout(definitions, roots, labels)


def layout(
    definitions: tuple[Definition, ...], roots: Mapping[str, set[str]], labels: Mapping[str, list[str]]
) -> tuple[Planned, ...]:
    """``plan`` once the operations are grouped: ``roots`` maps each group to the definitions
    its operations name, ``labels`` to the tags (or path segments) it stands for."""
    by_name = {d.name: d for d in definitions}
    edges = {n: sorted(t for t in references(d) if t in by_name and t != n) for n, d in by_name.items()}
    reached: dict[str, set[str]] = {n: set() for n in by_name}
    for group in sorted(roots):
        stack, seen = sorted(roots[group] & by_name.keys()), set()
        while stack:
            n = stack.pop()
            if n not in seen:
                seen.add(n)
                reached[n].add(group)
                stack.extend(edges[n])
    key_of: dict[str, _Key] = {}
    for d in definitions:
        if isinstance(d, ir.Alias) and not edges[d.name]:
            key_of[d.name] = _ALIASES
        elif reached[d.name]:
            key_of[d.name] = _Key("groups", frozenset(reached[d.name]))
    for component in _components([d.name for d in definitions if d.name not in key_of], edges):
        root = component[0] if len(component) >= SMALL else ""
        key_of.update((n, _Key("unused", root=root)) for n in component)
    sizes: dict[_Key, int] = {}
    for key in key_of.values():
        sizes[key] = sizes.get(key, 0) + 1
    graph: dict[_Key, set[_Key]] = {key: set() for key in sizes}
    for n, targets in edges.items():
        graph[key_of[n]].update(key_of[t] for t in targets if key_of[t] != key_of[n])
    into = _merge_small(graph, sizes)
    # The layout's promise, checked: raises graphlib.CycleError if a merge ever broke it.
    TopologicalSorter({into[k]: {into[t] for t in v} - {into[k]} for k, v in graph.items()}).prepare()
    members: dict[_Key, list[str]] = {}
    for d in definitions:
        members.setdefault(into[key_of[d.name]], []).append(d.name)
    return _named(members, into, labels)


def _components(names: list[str], edges: Mapping[str, list[str]]) -> list[list[str]]:
    """The sets of ``names`` that refer to one another (weakly connected), each in the order of
    ``names`` but starting with the definition that reaches most of the others (the union of
    every event, say), which names its module."""
    among = set(names)
    linked: dict[str, set[str]] = {n: set() for n in names}
    for n in names:
        for t in edges[n]:
            if t in among:
                linked[n].add(t)
                linked[t].add(n)
    position = {n: i for i, n in enumerate(names)}
    out, seen = [], set()
    for start in names:
        if start in seen:
            continue
        stack, found = [start], []
        while stack:
            n = stack.pop()
            if n not in seen:
                seen.add(n)
                found.append(n)
                stack.extend(linked[n])
        found.sort(key=position.__getitem__)
        first = max(found, key=lambda n: (len(_reach(n, edges)), -position[n]))
        out.append([first] + [n for n in found if n != first])
    return out


def _reach(start: str, edges: Mapping[str, list[str]]) -> set[str]:
    seen: set[str] = set()
    stack = [start]
    while stack:
        n = stack.pop()
        if n not in seen:
            seen.add(n)
            stack.extend(edges[n])
    return seen


def _merge_small(graph: dict[_Key, set[_Key]], sizes: dict[_Key, int]) -> dict[_Key, _Key]:
    """key -> the key of the module it ends up in. Small shared sets are merged, largest sets
    first (they are imported by smaller ones, so each is settled before its importers)."""
    into = {k: k for k in graph}
    live = {k: set(v) for k, v in graph.items()}

    def reaches(start: _Key, goal: _Key, skip: _Key) -> bool:
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

    def merge(small: _Key, target: _Key) -> None:
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

    small = [k for k in graph if k.kind == "groups" and len(k.groups) > 1 and sizes[k] < SMALL]
    for key in sorted(small, key=_Key.order):
        targets = sorted(live[key] - _SINKS, key=lambda k: (len(k.groups), sorted(k.groups)))  # closest first
        if not targets:
            merge(key, _COMMON)  # `common` only ever holds modules that import no other set
            continue
        # Into a module it imports that no other of its imports leads to (else: a cycle).
        safe = [t for t in targets if not any(reaches(o, t, key) for o in targets if o != t)]
        if safe:
            merge(key, safe[0])
    return into


def _named(
    members: dict[_Key, list[str]], into: dict[_Key, _Key], labels: Mapping[str, list[str]]
) -> tuple[Planned, ...]:
    table = naming.NameTable(_INIT_NAMES)
    names: dict[_Key, str] = {}
    keys = sorted(members, key=_Key.order)
    # Groups first (they keep their plain names), then the fixed names, then the rest.
    for key in sorted((k for k in keys if k.kind == "groups" and len(k.groups) == 1), key=_Key.order):
        names[key] = table.claim(naming.module_name(next(iter(key.groups))))
    fixed = {_Key("unused"): OTHER if labels else SCHEMAS, _COMMON: COMMON, _ALIASES: ALIASES}
    for key, name in fixed.items():
        if key in members:
            names[key] = table.claim(name)
    for key in sorted((k for k in keys if k.kind == "unused" and k.root), key=lambda k: members[k][0]):
        names[key] = table.claim(naming.module_name(key.root))
    shared = sorted((k for k in keys if k not in names), key=lambda k: (-len(members[k]), k.order()))
    for key in sorted((k for k in shared if len(k.groups) <= 3), key=_Key.order):
        names[key] = table.claim("_".join(naming.module_name(g) for g in sorted(key.groups)))
    numbered = [k for k in shared if k not in names]
    for i, key in enumerate(numbered, 1):
        names[key] = table.claim("shared" if i == 1 else f"shared{i}")
    out = []
    for key, defs in members.items():
        folded = sorted({g for k, v in into.items() if v == key for g in k.groups})
        out.append(Planned(names[key], _doc(key, folded, labels) + _IMPORT_NOTE, tuple(defs)))
    return tuple(sorted(out, key=lambda p: p.name))


def _quoted(groups: Iterable[str], labels: Mapping[str, list[str]]) -> str:
    shown = [" / ".join(f"`{label}`" for label in labels.get(g, [g])) for g in groups]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def _doc(key: _Key, folded: list[str], labels: Mapping[str, list[str]]) -> str:
    if key.kind == "aliases":
        return "Type aliases that name no other definition (enums, maps and lists of plain values)."
    if key.kind == "common":
        return "Models shared by a few operations of several groups: " + _quoted(folded, labels) + "."
    if key.kind == "unused":
        what = "Models that no operation uses" if labels else "Models of the document's schemas"
        return f"{what}: `{key.root}` and the definitions connected to it." if key.root else what + "."
    if len(key.groups) == 1:
        return "Models of the " + _quoted(key.groups, labels) + " operations."
    return "Models shared by the operations of " + _quoted(folded, labels) + "."


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
