"""Every Python name in the output is decided here, once.

Rules (deterministic, spec order breaks ties):
- class / alias names keep the spec's name when it is a valid identifier; otherwise its
  identifier-safe parts are joined in PascalCase. Keywords and names the generated modules
  import themselves get a trailing ``_``. Collisions get ``2``, ``3``... in spec order.
- field names keep the wire name when possible; keywords, names that clash with pydantic's
  ``BaseModel`` attributes, and names the module uses in annotations get a trailing ``_``;
  anything else invalid is snake_cased. The wire name is kept as the alias.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterable

# Names the generated models module imports or defines itself; a schema of that name is renamed.
MODULE_RESERVED = frozenset(
    {
        "Annotated", "Any", "BaseModel", "UnknownVariant", "ConfigDict", "Discriminator", "Field", "Literal",
        "Optional", "Tag", "TypeAlias", "Union", "annotations", "dispatch", "field_validator",
        "TYPE_CHECKING", "typing", "pydantic", "__all__",
        # client.py / server.py
        "Client", "AsyncClient", "SyncPage", "AsyncPage", "NotGiven", "NOT_GIVEN", "Mapping", "Sequence",
        "TypeAdapter", "httpx", "Request", "APIRouter", "FastAPI", "Depends", "Header", "Query", "Path",
        # the package's modules: `from . import models` must find the module, not a schema
        "models", "client", "server", "errors", "UploadedFile",
        "BeforeValidator", "FromOtherModels",
        # errors.py: the package's top level exports these next to the models
        "APIConnectionError", "APIError", "APIStatusError", "APITimeoutError", "AuthenticationError",
        "BadRequestError", "ConflictError", "InternalServerError", "NotFoundError", "PermissionDeniedError",
        "RateLimitError", "UnprocessableEntityError",
    }
)  # fmt: skip

# Names used inside annotations; a field of that name would shadow them in the class body.
ANNOTATION_NAMES = frozenset({"str", "int", "float", "bool", "list", "dict", "None"}) | MODULE_RESERVED

# Attributes of pydantic.BaseModel (v2) a field must not replace. Fixed here, not read from the
# installed pydantic, so that output does not depend on the machine.
BASEMODEL_ATTRS = frozenset(
    {
        "construct", "copy", "dict", "from_orm", "json", "parse_file", "parse_obj", "parse_raw",
        "schema", "schema_json", "update_forward_refs", "validate", "model_config", "model_fields",
        "model_computed_fields", "model_construct", "model_copy", "model_dump", "model_dump_json",
        "model_extra", "model_fields_set", "model_json_schema", "model_parametrized_name",
        "model_post_init", "model_rebuild", "model_validate", "model_validate_json",
        "model_validate_strings", "register", "Config", "fields",
    }
)  # fmt: skip

_WORD = re.compile(r"[A-Za-z0-9]+")
_CAMEL_EDGE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def is_identifier(name: str) -> bool:
    return name.isidentifier() and name.isascii() and not keyword.iskeyword(name)


def _ascii_words(text: str) -> list[str]:
    return _WORD.findall(text)


def pascal(text: str) -> str:
    """``input_item`` / ``input-item`` / ``inputItem`` -> ``InputItem``."""
    words = _ascii_words(text)
    return "".join(w[0].upper() + w[1:] for w in words)


def snake(text: str) -> str:
    words = [p for w in _ascii_words(text) for p in _CAMEL_EDGE.split(w) if p]
    return "_".join(w.lower() for w in words)


def class_name(spec_name: str) -> str:
    name = spec_name if is_identifier(spec_name) else pascal(spec_name)
    if not name:
        name = "Schema"
    if name[0].isdigit():
        name = "Schema" + name
    if name.startswith("_"):
        name = name.lstrip("_") or "Schema"
    if keyword.iskeyword(name) or keyword.issoftkeyword(name) or name in MODULE_RESERVED:
        name += "_"
    return name


def field_name(wire: str) -> str:
    if is_identifier(wire) and not wire.startswith("_"):
        name = wire
    else:
        name = snake(wire)
        if not name:
            name = "field"
        if name[0].isdigit():
            name = "field_" + name
    if keyword.iskeyword(name) or name in BASEMODEL_ATTRS or name in ANNOTATION_NAMES:
        name += "_"
    return name


def method_name(operation_id: str) -> str:
    name = snake(operation_id) or "operation"
    if name[0].isdigit():
        name = "op_" + name
    return name + "_" if keyword.iskeyword(name) else name


class NameTable:
    """Hands out unique names in request order; the first asker keeps the plain name."""

    def __init__(self, reserved: Iterable[str] = ()) -> None:
        self._taken: set[str] = set(reserved)

    def claim(self, wanted: str) -> str:
        name, n = wanted, 2
        while name in self._taken:
            name = f"{wanted}{n}"
            n += 1
        self._taken.add(name)
        return name

    def __contains__(self, name: str) -> bool:
        return name in self._taken
