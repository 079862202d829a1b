"""The models package's layout (`specbind.modules`) on any graph of definitions: every
definition in one module, no import cycle, and each in the module its groups call for."""

from __future__ import annotations

from graphlib import TopologicalSorter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from specbind import ir, modules

NAMES = [f"D{i}" for i in range(14)]
GROUPS = ["alpha", "beta", "gamma", "delta"]


def _definition(name: str, refs: list[str], kind: int) -> ir.Model | ir.Alias | ir.Union:
    """A model, an alias or a union naming `refs` (an alias naming nothing is a leaf)."""
    annotation = " | ".join(refs) or "str"
    if kind == 0:
        return ir.Model(name, None, (ir.Field("f", "f", annotation, "", None, True),), False, "")
    if kind == 1:
        return ir.Alias(name, None, f"list[{annotation}]", "", lazy=name in refs)
    return ir.Union(name, None, "plain", "", "", tuple(refs) or ("str", "int"))


Document = tuple[tuple[ir.Model | ir.Alias | ir.Union, ...], dict[str, set[str]], int]


@st.composite
def documents(draw: st.DrawFn) -> Document:
    """Definitions naming one another (cycles too), what each group's operations name, and the
    size under which a set is "small" (the real one, 8, would merge every set of these)."""
    n = draw(st.integers(1, len(NAMES)))
    names = NAMES[:n]
    definitions = tuple(
        _definition(name, draw(st.lists(st.sampled_from(names), max_size=3, unique=True)), draw(st.integers(0, 2)))
        for name in names
    )
    roots = {g: set(draw(st.lists(st.sampled_from(names), max_size=3))) for g in GROUPS[: draw(st.integers(0, 4))]}
    return definitions, roots, draw(st.integers(1, 4))


def _reach(start: set[str], edges: dict[str, set[str]]) -> set[str]:
    seen, stack = set(), list(start)
    while stack:
        n = stack.pop()
        if n not in seen:
            seen.add(n)
            stack.extend(edges[n])
    return seen


@settings(max_examples=300, deadline=None)
@given(documents())
def test_every_layout_is_complete_acyclic_and_keyed_by_groups(doc: Document) -> None:
    definitions, roots, small = doc
    default, modules.SMALL = modules.SMALL, small
    try:
        planned = modules.layout(definitions, roots, {g: [g] for g in roots})
    finally:
        modules.SMALL = default
    module_of = {n: p.name for p in planned for n in p.definitions}
    placed = [n for p in planned for n in p.definitions]
    assert sorted(placed) == sorted(d.name for d in definitions), "each definition exactly once"
    assert len({p.name for p in planned}) == len(planned)
    by_name = {d.name: d for d in definitions}
    edges = {n: modules.references(d) & by_name.keys() - {n} for n, d in by_name.items()}
    imports = {p.name: {module_of[t] for n in p.definitions for t in edges[n]} - {p.name} for p in planned}
    TopologicalSorter(imports).prepare()  # raises CycleError on an import cycle
    reached = {g: _reach(r, edges) for g, r in roots.items()}
    for d in definitions:
        groups = {g for g, names in reached.items() if d.name in names}
        where = module_of[d.name]
        if isinstance(d, ir.Alias) and not edges[d.name]:
            assert where == modules.ALIASES
        elif len(groups) == 1:
            assert where == next(iter(groups)), (d.name, groups, where)
        elif not groups:
            assert where not in GROUPS, "an unused definition stays out of the groups' modules"
        else:
            assert where not in GROUPS, "a shared definition stays out of the groups' modules"
    for p in planned:  # a module imports exactly what its definitions name from other modules
        want: dict[str, set[str]] = {}
        for n in p.definitions:
            for t in edges[n]:
                if module_of[t] != p.name:
                    want.setdefault(module_of[t], set()).add(t)
        got = {m: set(names) for m, names in modules.sibling_imports(p.definitions, by_name, module_of)}
        assert got == want


def test_operation_groups_come_from_the_first_tag_else_the_path() -> None:
    def op(path: str) -> ir.Operation:
        return ir.Operation(
            "f", "f", "GET", path, path, None, None, (), None, (), False, None, False, False, None, False
        )  # fmt: skip

    data = {"paths": {"/v1/pets": {"get": {"tags": ["Pet Shop", "other"]}}, "/v1/{id}/files": {"get": {"tags": []}}}}
    assert modules.operation_group(data, op("/v1/pets")) == "Pet Shop"
    assert modules.operation_group(data, op("/v1/{id}/files")) == "files"
    assert modules.operation_group(data, op("/api/v2beta/users/{id}")) == "users"
    assert modules.operation_group(data, op("/stores")) == "stores"
    assert modules.operation_group(data, op("/{id}")) == "default"


def test_a_small_set_goes_into_the_closest_module_it_imports(monkeypatch: pytest.MonkeyPatch) -> None:
    """K (groups a, b) imports T1 (a, b, c), which imports T2 (all four), and K imports T2 too:
    merged into T2, K would make T2 import T1 back. It goes into T1."""
    monkeypatch.setattr(modules, "SMALL", 2)
    refs = {"K": ["T1a", "T1b", "T2a", "T2b"], "T1a": ["T2a"], "T1b": ["T2b"], "T2a": [], "T2b": []}
    definitions = tuple(_definition(n, r, 0) for n, r in refs.items())
    roots = {"a": {"K"}, "b": {"K"}, "c": {"T1a", "T1b"}, "d": {"T2a", "T2b"}}
    planned = modules.layout(definitions, roots, {g: [g] for g in roots})
    assert {p.name: p.definitions for p in planned} == {"a_b_c": ("K", "T1a", "T1b"), "shared": ("T2a", "T2b")}
