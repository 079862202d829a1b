"""Is a property's `default` valid for its schema? Checked by `jsonschema`, not by hand.

The value is validated against the *resolved* schema: through `$ref` (local, and into
bundled files), `allOf`, `anyOf`, `oneOf`, `not`, enums and constraints. The normalized
document is the one resource of a `referencing` registry that has no way to retrieve
anything else, so nothing is ever fetched; a reference that cannot be resolved makes the
default unverifiable, never "wrong" (broken refs are reported by `resolve.check_refs`).

One dialect, JSON Schema 2020-12, whatever the OpenAPI version: the normalize phase has
turned 3.0's `nullable`, boolean `exclusiveMinimum` and tuple `items` into it, so a default
is judged by the same schema the models are built from. `format` is an annotation here: it
is not checked.
"""

from __future__ import annotations

import re
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import UnknownType, best_match
from jsonschema.protocols import Validator
from referencing import Registry
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT202012

from .errors import pointer_of
from .normalize import Normalized
from .resolve import Parts

#: The document's URI inside the registry; never dereferenced outside it.
DOC_URI = "urn:specbind:document"
_MAX_REASON = 160


class DefaultChecker:
    """One per document: validators are built once per schema location and cached."""

    def __init__(self, n: Normalized) -> None:
        self.n = n
        self.registry: Registry[Any] = Registry().with_resource(DOC_URI, DRAFT202012.create_resource(n.data))
        self._validators: dict[str, Validator] = {}

    def _validator(self, schema: dict[str, Any]) -> Validator:
        at = self.n.position.get(id(schema))
        if at is None:  # a mapping the builder made itself: validate it in place
            return Draft202012Validator(schema, registry=self.registry)
        pointer = pointer_of(at)
        if pointer not in self._validators:
            self._validators[pointer] = Draft202012Validator({"$ref": f"{DOC_URI}#{pointer}"}, registry=self.registry)
        return self._validators[pointer]

    def problem(self, schema: Any, value: Any, at: Parts | None = None, what: str = "property") -> str | None:
        """Why ``value`` is not a valid default for ``schema`` (a schema of the normalized
        document: validators are cached by where it sits); None when it is valid or cannot be
        told. ``at``, its original location, is where the caller reports the answer."""
        if not isinstance(schema, dict):
            return None
        try:
            error = best_match(self._validator(schema).iter_errors(value))
        except (Unresolvable, RecursionError, UnknownType, TypeError, re.error):
            return None  # an invalid schema (reported by the builders) cannot judge a value
        if error is None:
            return None
        if value is None:
            return (
                f"`default: null` on a {what} that does not accept null "
                "(in 3.1 a default is only an annotation); left out"
            )
        reason = error.message if len(error.message) <= _MAX_REASON else error.message[: _MAX_REASON - 3] + "..."
        return f"default {value!r} does not match the {what}'s schema ({reason}); left out"
