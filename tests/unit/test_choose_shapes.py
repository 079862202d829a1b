"""`Choose` (the generated union layer's chooser) remembers its answer per object shape: per
key it reads, absent or the value's type and, for a key with allowed values, which one. This
pins that the remembered answer is always the one a fresh choice makes: over random objects
mixing the traps (`True` is not `1`, `1.0` is a number but not an enum's `1`, a str subclass
is no enum value, lists and dicts are unhashable, keys only one candidate declares)."""

from __future__ import annotations

import importlib
import sys
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from paths import REPO

sys.path.insert(0, str(REPO / "generated"))
try:
    _dispatch = importlib.import_module("conversations._dispatch")
finally:
    sys.path.remove(str(REPO / "generated"))

CANDIDATES = (
    ("Strict", (("role", "in", ("user", "system")), ("n", "in", (1, 2))), ("status",)),
    ("Flag", (("n", "in", (True,)),), ("flag",)),
    ("Loose", (("role", "type", ("string",)), ("content", "type", ("array", "string"))), ("phase",)),
    ("Ref", (("id", "type", ("string",)),), ("id",)),
    ("Number", (("n", "type", ("number",)),), ()),
)


class Role(str):
    """A str subclass: a JSON type check accepts it, an allowed-values check does not."""


#: Few values per key, so that objects of one shape with different allowed values meet often.
VALUES = {
    "role": st.sampled_from(["user", "system", "assistant", Role("user"), 1]),
    "n": st.sampled_from([1, 2, 3, True, False, 1.0, 2.5, "1", None]),
    "content": st.sampled_from(["x", (), {}]).map(lambda v: list(v) if v == () else v),
    "id": st.sampled_from(["a", None, 7]),
    "status": st.just(1),
    "phase": st.just("p"),
    "flag": st.just(True),
    "x": st.just(0),
}
OBJECTS = st.fixed_dictionaries({}, optional=VALUES)


@settings(max_examples=400, deadline=None)
@given(st.lists(OBJECTS, min_size=1, max_size=30))
def test_the_remembered_answer_is_the_fresh_one(objects: list[dict[str, Any]]) -> None:
    choose = _dispatch.Choose("Test", CANDIDATES)
    for value in objects + objects:  # the second pass answers from the table
        assert choose(value) == choose._choose(value), value


def test_the_table_is_bounded() -> None:
    choose = _dispatch.Choose("Test", CANDIDATES)
    kinds = [type(f"K{i}", (), {}) for i in range(_dispatch._MAX_SHAPES + 10)]
    for kind in kinds:
        choose({"role": kind()})
    assert len(choose._answers) == _dispatch._MAX_SHAPES
