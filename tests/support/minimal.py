"""A small valid value for a Python type the generated models accept, built from the type itself.

Read from the type, not from its JSON schema (which leaves out what validators check, such as
`unique_items`): models (required fields only, by wire name), unions (members in order, `None`
last), `Literal`s, `Annotated` metadata (pydantic `FieldInfo` and `annotated_types`: lengths,
bounds, `multiple_of`, `pattern`), lists (`min_length` distinct items, so `uniqueItems` holds),
tuples, dicts, lazy `TypeAliasType`s and recursion (a branch too deep gives way to the next
union member). Patterns go through hypothesis' regex generator (`from_regex(fullmatch=True)`),
drawn deterministically with ``hypothesis.find`` (derandomized, no database): the shortest
simplest string that matches. Every value is validated against its type (``TypeAdapter``)
before it is returned; what cannot be built raises ``CannotBuild`` with the reason.
"""

from __future__ import annotations

import collections.abc as collections_abc
import copy
import datetime as dt
import decimal
import math
import re
import sys
import types
import typing
import uuid
from functools import cache
from typing import Any

import annotated_types
import typing_extensions
from hypothesis import HealthCheck, find, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample
from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo

MAX_DEPTH = 24
_FIND = settings(
    database=None, derandomize=True, max_examples=300, deadline=None, suppress_health_check=list(HealthCheck)
)


#: Lazy aliases (`X = TypeAliasType("X", ...)`), from typing (3.12+) and typing_extensions.
_ALIAS_TYPES = tuple(
    t for t in (getattr(typing, "TypeAliasType", None), getattr(typing_extensions, "TypeAliasType", None)) if t
)


class CannotBuild(Exception):
    """No valid value could be built for a type; the message says why."""


class _TooDeep(CannotBuild):
    pass


@cache
def adapter(type_: Any) -> TypeAdapter[Any]:
    return TypeAdapter(type_)


def _adapter(type_: Any) -> TypeAdapter[Any]:
    try:
        return adapter(type_)
    except TypeError:  # unhashable (an Annotated with unhashable metadata)
        return TypeAdapter(type_)


def valid(type_: Any, value: Any) -> Any:
    """``value`` validated as ``type_`` (the type's own instance), else CannotBuild saying why."""
    try:
        return _adapter(type_).validate_python(value)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(map(str, first["loc"])) or "the value"
        raise CannotBuild(f"{_name(type_)} refuses {_short(value)}: {where}: {first['msg']}") from None


def minimal(type_: Any, *, parameter: bool = False, form: bool = False) -> Any:
    """A valid instance of ``type_`` (models as model instances). A ``parameter`` array gets one
    element at least: an empty array is not on the wire at all in form style. With ``form`` (a
    form body) no array, map or object is empty, at any depth, for the same reason."""
    value = Builder(parameter=parameter, form=form).build(type_, _Constraints(), 0, 0)
    return valid(type_, value)


class _Constraints:
    """What `Annotated` metadata and a field's `FieldInfo` say about a value."""

    __slots__ = ("ge", "gt", "le", "lt", "max_length", "min_length", "multiple_of", "pattern", "unique")

    def __init__(self) -> None:
        self.ge = self.gt = self.le = self.lt = self.multiple_of = None
        self.min_length: int = 0
        self.max_length: int | None = None
        self.pattern: str | None = None
        self.unique = False

    def add(self, meta: Any) -> None:
        if isinstance(meta, FieldInfo):
            for inner in meta.metadata:
                self.add(inner)
            return
        if isinstance(meta, annotated_types.GroupedMetadata) and not isinstance(meta, FieldInfo):
            for inner in meta:
                self.add(inner)
        for name in ("ge", "gt", "le", "lt", "multiple_of", "pattern"):
            value = getattr(meta, name, None)
            if value is not None:
                setattr(self, name, value.pattern if isinstance(value, re.Pattern) else value)
        if getattr(meta, "min_length", None) is not None:
            self.min_length = max(self.min_length, meta.min_length)
        if getattr(meta, "max_length", None) is not None:
            self.max_length = meta.max_length
        func = getattr(meta, "func", None)
        if func is not None and "unique" in getattr(func, "__name__", ""):
            self.unique = True


def _unwrap(type_: Any, constraints: _Constraints) -> Any:
    """The type under `Annotated`s and lazy aliases, its metadata added to ``constraints``."""
    for _ in range(64):
        if typing.get_origin(type_) is typing.Annotated:
            base, *meta = typing.get_args(type_)
            for m in meta:
                constraints.add(m)
            type_ = base
        elif isinstance(type_, _ALIAS_TYPES):
            type_ = _evaluate(type_.__value__, type_)
        elif isinstance(type_, str | typing.ForwardRef):
            type_ = _evaluate(type_, None)
        else:
            return type_
    raise CannotBuild(f"alias chain too long at {_name(type_)}")


def _evaluate(value: Any, alias: Any) -> Any:
    if isinstance(value, typing.ForwardRef):
        value = value.__forward_arg__
    if not isinstance(value, str):
        return value
    module = sys.modules.get(getattr(alias, "__module__", ""), None)
    return eval(value, vars(module) if module else {})


class Builder:
    """Builds JSON-like values (dicts for models); ``variant`` asks for a different value of
    the same type (the n-th distinct one), for lists whose items must be unique."""

    def __init__(self, *, parameter: bool = False, form: bool = False) -> None:
        self.parameter = parameter
        self.form = form
        self.stack: list[type[BaseModel]] = []  # the models being built, outermost first

    def build(self, type_: Any, constraints: _Constraints, depth: int, variant: int) -> Any:
        if depth > MAX_DEPTH:
            raise _TooDeep(f"nesting deeper than {MAX_DEPTH} (a required recursive field?)")
        parameter, self.parameter = self.parameter, False
        type_ = _unwrap(type_, constraints)
        origin = typing.get_origin(type_)
        args = typing.get_args(type_)
        if type_ is Any or type_ is object:
            return f"x{variant}" if variant else "x"
        if type_ is type(None) or type_ is None:
            return None
        if origin is typing.Literal:
            return args[variant % len(args)]
        if origin in (typing.Union, types.UnionType):
            return self.union(args, constraints, depth, variant, parameter)
        if isinstance(type_, type) and issubclass(type_, BaseModel):
            return self.model(type_, depth, variant)
        if origin in (list, typing.List, set, frozenset, collections_abc.Sequence):  # noqa: UP006
            low = max(constraints.min_length, 1 if parameter or self.form else 0)
            return self.items(args[0] if args else Any, low, constraints, depth, variant)
        if origin is tuple:
            if len(args) == 2 and args[1] is Ellipsis:
                return self.items(args[0], constraints.min_length, constraints, depth, variant)
            return [self.build(a, _Constraints(), depth + 1, variant if i == 0 else 0) for i, a in enumerate(args)]
        if origin in (dict, collections_abc.Mapping):
            key, value = args or (str, Any)
            return self.mapping(key, value, constraints, depth, variant)
        if type_ is bool:
            return bool(variant % 2)
        if type_ is int or type_ is float or type_ is decimal.Decimal:
            return self.number(type_, constraints, variant)
        if type_ is str:
            return self.string(constraints, variant)
        if type_ is bytes:
            return b"\x01bytes" + bytes(str(variant or ""), "ascii")
        scalars = {
            dt.datetime: dt.datetime(2020, 1, 2, 3, 4, 5, tzinfo=dt.UTC) + dt.timedelta(seconds=variant),
            dt.date: dt.date(2020, 1, 2) + dt.timedelta(days=variant),
            dt.time: dt.time(3, 4, 5 + variant % 50),
            uuid.UUID: uuid.UUID(int=variant + 1),
        }
        if type_ in scalars:
            return scalars[type_]
        raise CannotBuild(f"no rule for {_name(type_)}")

    def union(self, args: tuple[Any, ...], constraints: _Constraints, depth: int, variant: int, parameter: bool) -> Any:
        members = [a for a in args if a is not type(None)] + [a for a in args if a is type(None)]
        if type(None) in args and any(_unwrap(a, _Constraints()) in self.stack for a in args):
            members.insert(0, type(None))  # a recursive branch: end it here, on null
        reasons: list[str] = []
        for member in members:
            try:
                self.parameter = parameter
                value = self.build(member, copy.copy(constraints), depth + 1, variant)
                valid(member, value)
                return value
            except CannotBuild as exc:
                reasons.append(str(exc))
        raise (_TooDeep if all("nesting deeper" in r for r in reasons) else CannotBuild)(
            "no member of the union could be built: " + "; ".join(reasons[:3])
        )

    def model(self, model: type[BaseModel], depth: int, variant: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first = True
        if not model.__pydantic_complete__:
            model.model_rebuild()  # models are built on first use: until then annotations are text
        self.stack.append(model)
        try:
            for name, field in model.model_fields.items():
                if not field.is_required():
                    continue
                constraints = _Constraints()
                constraints.add(field)
                out[field.alias or name] = self.build(field.annotation, constraints, depth + 1, variant if first else 0)
                first = False
            if self.form and not out:  # an empty object is not on a form's wire: one optional field
                for name, field in model.model_fields.items():
                    constraints = _Constraints()
                    constraints.add(field)
                    try:
                        out[field.alias or name] = value = self.build(field.annotation, constraints, depth + 1, variant)
                    except CannotBuild:
                        continue
                    if value is not None:
                        break
                    del out[field.alias or name]
        finally:
            self.stack.pop()
        return out

    def items(self, item: Any, low: int, constraints: _Constraints, depth: int, variant: int) -> list[Any]:
        if constraints.max_length is not None and low > constraints.max_length:
            raise CannotBuild(f"min_length {low} > max_length {constraints.max_length}")
        out: list[Any] = []
        n = variant
        while len(out) < low:
            value = self.build(item, _Constraints(), depth + 1, n)
            if value not in out:  # always distinct: `uniqueItems` may be checked, and it costs nothing
                out.append(value)
            n += 1
            if n > variant + low + 50:
                raise CannotBuild(f"could not find {low} distinct items of {_name(item)}")
        return out

    def mapping(self, key: Any, value: Any, constraints: _Constraints, depth: int, variant: int) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        n = variant
        while len(out) < max(constraints.min_length, 1 if self.form else 0):
            out[self.build(key, _Constraints(), depth + 1, n)] = self.build(value, _Constraints(), depth + 1, 0)
            n += 1
            if n > variant + len(out) + 50:
                raise CannotBuild(f"could not find {constraints.min_length} distinct keys of {_name(key)}")
        return out

    def number(self, kind: type, c: _Constraints, variant: int) -> Any:
        integer = kind is int
        step = c.multiple_of
        low = c.ge if c.ge is not None else None
        if c.gt is not None:
            low = math.floor(c.gt) + 1 if integer else (c.gt + (step or 1) if step else c.gt + 1)
        high = c.le if c.le is not None else (c.lt - (1 if integer else 1e-9) if c.lt is not None else None)
        if low is not None:
            start = low
        elif high is not None and high < 1:
            start = high if step is None else math.floor(high / step) * step
        else:
            start = 1
        if step:
            start = math.ceil(start / step) * step
            value = start + variant * step
        else:
            value = start + variant
        if high is not None and value > high:
            raise CannotBuild(f"no {kind.__name__} {value} within [{low}, {high}] (multiple of {step})")
        if integer:
            return int(value)
        return decimal.Decimal(str(value)) if kind is decimal.Decimal else float(value)

    def string(self, c: _Constraints, variant: int) -> str:
        low, high = c.min_length, c.max_length
        if c.pattern is None:
            if high is not None and high < max(low, 1):
                if variant:
                    raise CannotBuild(f"only the empty string fits max_length {high}")
                return ""
            letters = "abcdefghijklmnopqrstuvwxyz"
            base = letters[variant % 26] * max(low, 1)
            return base if variant < 26 else base + str(variant)
        return pattern_string(c.pattern, low, high, variant)


@cache
def pattern_string(pattern: str, low: int, high: int | None, variant: int = 0) -> str:
    """The ``variant``-th (0: the simplest) string matching ``pattern`` (search, as JSON Schema
    means it) within the lengths; a trivial candidate first, else hypothesis' regex generator."""
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise CannotBuild(f"pattern {pattern!r} is not a Python regex: {exc}") from None
    avoid = {pattern_string(pattern, low, high, v) for v in range(variant)}

    def fits(s: str) -> bool:
        return low <= len(s) <= (high if high is not None else 1 << 30) and s not in avoid

    for candidate in ("a" * max(low, 1), "1" * max(low, 1), ""):
        if compiled.search(candidate) and fits(candidate):
            return candidate
    try:
        return find(
            st.from_regex(compiled, fullmatch=True), lambda s: bool(compiled.search(s)) and fits(s), settings=_FIND
        )
    except NoSuchExample:
        raise CannotBuild(f"no string matching {pattern!r} with length in [{low}, {high}] was found") from None
    except Exception as exc:  # noqa: BLE001 - hypothesis cannot parse every regex
        raise CannotBuild(f"pattern {pattern!r}: {type(exc).__name__}: {exc}") from None


def _name(type_: Any) -> str:
    return getattr(type_, "__name__", None) or repr(type_)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."
