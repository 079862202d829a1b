"""Is a property's `default` valid for its schema? Checked by `jsonschema`, not by hand.

The value is validated against the *resolved* schema: through `$ref` (local, and into
bundled files), `allOf`, `anyOf`, `oneOf`, `not`, enums and constraints. The whole loaded
document is the one resource of a `referencing` registry that has no way to retrieve
anything else, so nothing is ever fetched; a reference that cannot be resolved makes the
default unverifiable, never "wrong" (broken refs are reported by `resolve.check_refs`).

Dialects: OpenAPI 3.0 schemas are validated as draft 4 (its `$ref` hides its siblings,
`exclusiveMinimum` is a boolean), 3.1 as draft 2020-12. `nullable: true`, which the model
builder honours in both, lets a schema accept null whatever its other keywords say.
`format` is an annotation here: it is not checked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from jsonschema import Draft4Validator, Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match
from jsonschema.protocols import Validator
from jsonschema.validators import extend
from referencing import Registry
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT4, DRAFT202012

from .errors import pointer_of
from .load import Document
from .resolve import Parts, lookup

#: The document's URI inside the registry; never dereferenced outside it.
DOC_URI = "urn:specbind:document"
_MAX_REASON = 160

_Check = Callable[[Any, Any, Any, dict[str, Any]], Iterator[ValidationError] | None]


def _nullable(check: _Check) -> _Check:
    def run(validator: Any, value: Any, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError] | None:
        if instance is None and isinstance(schema, dict) and schema.get("nullable") is True:
            return None
        return check(validator, value, instance, schema)

    return run


def _dialect(base: Any) -> Any:
    """``base`` with every keyword accepting null when its schema says `nullable: true`."""
    validators = {k: _nullable(v) for k, v in base.VALIDATORS.items()}
    return extend(base, validators=validators)  # type: ignore[no-untyped-call]


_OAS30 = _dialect(Draft4Validator)
_OAS31 = _dialect(Draft202012Validator)


class DefaultChecker:
    """One per document: validators are built once per schema location and cached."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        legacy = str((doc.data or {}).get("openapi", "")).startswith("3.0") if isinstance(doc.data, dict) else False
        self.cls = _OAS30 if legacy else _OAS31
        spec = DRAFT4 if legacy else DRAFT202012
        self.registry: Registry[Any] = Registry().with_resource(DOC_URI, spec.create_resource(doc.data))
        self._validators: dict[str, Validator] = {}

    def _validator(self, schema: dict[str, Any], at: Parts | None) -> Validator:
        try:
            found = at is not None and lookup(self.doc.data, at) is schema
        except KeyError:
            found = False
        if not found or at is None:  # a mapping the builder made itself: validate it in place
            return self.cls(schema, registry=self.registry)  # type: ignore[no-any-return]
        pointer = pointer_of(at)
        if pointer not in self._validators:
            self._validators[pointer] = self.cls({"$ref": f"{DOC_URI}#{pointer}"}, registry=self.registry)
        return self._validators[pointer]

    def problem(self, schema: Any, value: Any, at: Parts | None = None, what: str = "property") -> str | None:
        """Why ``value`` is not a valid default for ``schema`` (found at ``at`` in the document, if
        it is there: validators are cached by location); None when it is valid or cannot be told."""
        if not isinstance(schema, dict):
            return None
        try:
            error = best_match(self._validator(schema, at).iter_errors(value))
        except (Unresolvable, RecursionError):
            return None
        if error is None:
            return None
        if value is None:
            return (
                f"`default: null` on a {what} that does not accept null "
                "(in 3.1 a default is only an annotation); left out"
            )
        reason = error.message if len(error.message) <= _MAX_REASON else error.message[: _MAX_REASON - 3] + "..."
        return f"default {value!r} does not match the {what}'s schema ({reason}); left out"
