"""What the normalize phase hands to the builders: the document in one dialect, with tables.

Every schema is JSON Schema 2020-12 (see ``schema``), every non-schema reference is followed
(see ``openapi``), and every schema can be found by its location, so that the builders resolve
a `$ref` by a dict lookup and never read `openapi:` or a 3.0 keyword.

Locations are always pointers into the *original* document (``Document.locate`` turns them
into the file and line, following bundled parts back to their own file). Where normalizing
moved a schema (a 3.0 tuple's items now under ``prefixItems``, the schema a `nullable: true`
wrapped in ``anyOf``), ``origin`` says where it came from; everywhere else a schema sits in the
normalized tree exactly where it sat in the original.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import Diagnostics, Problem
from ..load import Document
from ..resolve import Parts

#: Follows a chain of `$ref`s at most this far (a longer chain is a cycle `check_refs` reported).
MAX_CHAIN = 50


@dataclass(frozen=True)
class Parameter:
    """One Parameter Object of an operation, followed if it was a `$ref`."""

    name: str
    location: str  # the `in` value as written (an unknown one is for the builder to refuse)
    at: Parts  # where it is declared (the `$ref` when it is one): warnings point there
    spec: dict[str, Any]  # the object, with `style` and `explode` explicit (OpenAPI's defaults)
    declared: bool = True  # False: a path template variable that no `parameters` entry declares


@dataclass(frozen=True)
class Operation:
    """One operation under `paths`, of any method, its path item followed if it was a `$ref`."""

    path: str
    method: str  # as written: `get`, ..., `query` (3.2), or a key of `additionalOperations` (3.2)
    at: Parts  # the Operation Object's location in the original document
    item: dict[str, Any]  # the path item
    spec: dict[str, Any]  # the Operation Object: parameters, request body, responses followed
    #: Every parameter entry, the path item's first, as written (the builder checks each).
    declared: tuple[Parameter, ...]
    #: Merged as OpenAPI says: one per (name, in), the operation's winning over the path
    #: item's; `Accept`, `Content-Type` and `Authorization` headers left out (OpenAPI ignores
    #: them); then the path template variables no entry declares.
    params: tuple[Parameter, ...]


@dataclass(frozen=True)
class Incoming:
    """A request the API makes of its users' servers: a 3.1 webhook, or an operation's callback."""

    kind: str  # "webhook" or "callback"
    name: str  # the webhook's key, or the callback's name (`pet.new`, `onData`)
    expression: str  # a callback's URL expression (`{$request.query.callbackUrl}/data`); "" for a webhook
    owner: Operation | None  # the operation whose callback it is
    #: The request itself (its ``path`` is the webhook's name or the callback's expression;
    #: ``params`` holds declared parameters only: an expression names no path variable).
    operation: Operation


@dataclass
class Normalized:
    source: Document  # the resolved original: warnings and errors are located in it
    data: dict[str, Any]  # the normalized document (schemas 2020-12, references followed)
    component_schemas: dict[str, Any]  # components/schemas, normalized, in document order
    #: Every schema by its location in the original document (refs resolve here).
    schemas: dict[Parts, Any] = field(default_factory=dict)
    operations: tuple[Operation, ...] = ()
    #: id(normalized node) -> its original location, for the nodes normalizing moved.
    origin: dict[int, Parts] = field(default_factory=dict)
    #: id(normalized schema) -> where it sits in ``data`` (defaults are validated there).
    position: dict[int, Parts] = field(default_factory=dict)
    #: Every local `$ref` string of the schemas -> the location it names.
    targets: dict[str, Parts] = field(default_factory=dict)
    by_location: dict[tuple[str, Parts], Operation] = field(default_factory=dict)
    #: The webhooks, then each operation's callbacks, in document order.
    incoming: tuple[Incoming, ...] = ()

    # -- looking things up ------------------------------------------------------------------
    def at(self, node: Any, default: Parts) -> Parts:
        """The original location of ``node``: ``default`` unless normalizing moved it."""
        return self.origin.get(id(node), default)

    def ref(self, ref: Any) -> tuple[Parts, Any] | None:
        """(location, schema) a schema `$ref` names; None when it names nothing (reported
        by ``check_refs`` before this phase)."""
        target = self.targets.get(ref) if isinstance(ref, str) else None
        if target is None or target not in self.schemas:
            return None
        return target, self.schemas[target]

    def deref(self, node: Any) -> Any:
        """``node`` with its chain of schema `$ref`s followed; {} when one names nothing."""
        for _ in range(MAX_CHAIN):
            if not (isinstance(node, dict) and "$ref" in node):
                return node
            found = self.ref(node["$ref"])
            if found is None:
                return {}
            node = found[1]
        return node

    def operation(self, path: str, at: Parts) -> Operation:
        return self.by_location[(path, at)]

    # -- problems ---------------------------------------------------------------------------
    def problem(self, at: Parts, message: str) -> Problem:
        return Problem(*self.source.locate(at), message)

    def warn(self, diagnostics: Diagnostics, at: Parts, message: str) -> None:
        self.source.warn(diagnostics, at, message)
