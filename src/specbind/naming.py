"""Every Python name in the output is decided here, once.

Rules (deterministic, spec order breaks ties):
- class / alias names are the spec's name in PascalCase (``address`` -> ``Address``,
  ``foo_bar`` -> ``FooBar``; ``HTTPError`` stays). Names the generated modules import or
  define themselves (``Field``, ``BaseModel``, ``Response``...) get a trailing ``_``: the
  client and server modules import model classes by name next to their own imports.
  Collisions get ``2``, ``3``... in spec order; names that need no cleaning win.
- field and argument names are snake_case (``photoUrls`` -> ``photo_urls``, ``AccountSid``
  -> ``account_sid``); with ``names = "wire"`` a wire name that is already an identifier is
  kept. A trailing ``_`` only where the name would break something: keywords (``from_``),
  names that clash with pydantic's ``BaseModel`` attributes, and names the module uses in
  annotations (``str``, ``list``, imports, any class or alias of the module). Other builtins
  (``type``, ``id``, ``input``, ``filter``) are kept, as the official SDKs keep them. The wire
  name is the alias. Names that need no conversion are claimed first, so after conversion
  ``photoUrls`` next to ``photo_urls`` is ``photo_urls2``, never the other way round.
- method names are snake_case; a run of capitals keeps a known acronym whole
  (``CreateanAPIkey`` -> ``createan_api_key``, ``getUserIDs`` -> ``get_user_ids``).
- resources (``client.conversations.items``) are snake_case attributes; their classes are
  ``<Path>Resource`` / ``Async<Path>Resource``. See ``layout``.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Container, Iterable, Sequence
from functools import cache
from typing import Literal

# Names the generated modules import or define themselves; a schema of that name is renamed.
MODULE_RESERVED = frozenset(
    {
        # the modules of models/ and _base.py
        "Annotated", "Any", "BaseModel", "UnknownVariant", "ConfigDict", "Discriminator", "Field", "Literal",
        "Optional", "Tag", "TypeAlias", "TypeAliasType", "Union", "ClassVar", "annotations", "dispatch",
        "field_validator", "unique_items", "TYPE_CHECKING", "typing", "pydantic", "__all__",
        "BeforeValidator", "FromOtherModels",
        # client.py / server.py (they refer to models as `models.X`; kept for the package's top level)
        "Client", "AsyncClient", "SyncPage", "AsyncPage", "AsyncPager", "APIResponse", "StreamedResponse",
        "AsyncStreamedResponse", "NotGiven", "NOT_GIVEN", "Mapping", "Sequence",
        "TypeAdapter", "httpx", "Request", "APIRouter", "FastAPI", "Depends", "Header", "Query", "Path",
        # the package's modules: `from . import models` must find the module, not a schema
        "models", "client", "server", "errors", "UploadedFile",
        # errors.py: the package's top level exports these next to the models
        "APIConnectionError", "APIError", "APIStatusError", "APITimeoutError", "AuthenticationError",
        "BadRequestError", "ConflictError", "InternalServerError", "NotFoundError", "PaginationError",
        "PermissionDeniedError",
        "RateLimitError", "UnprocessableEntityError",
    }
)  # fmt: skip

# `python_types = true`: what string formats become, and where those types come from (in the
# order isort wants the import lines).
PYTHON_TYPES = {"date-time": "datetime", "date": "date", "time": "time", "uuid": "UUID"}
PYTHON_TYPE_MODULES = (("datetime", ("date", "datetime", "time")), ("uuid", ("UUID",)))

# Names used inside annotations; a field of that name would shadow them in the class body.
ANNOTATION_NAMES = (
    frozenset({"str", "int", "float", "bool", "list", "dict", "tuple", "frozenset", "None"}) | MODULE_RESERVED
)

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

# A run of capitals followed by lower case is normally split before its last capital
# (``HTTPServer`` -> ``HTTP Server``). When the whole run is one of these and the run without
# its last letter is not, the run is the word (``APIkey`` -> ``API key``, ``IDs`` -> ``IDs``).
ACRONYMS = frozenset(
    {
        "API", "CPU", "CSV", "DB", "DNS", "GPU", "HTML", "HTTP", "HTTPS", "ID", "IO", "IP", "JSON",
        "JWT", "MFA", "OK", "PDF", "SDK", "SQL", "SSH", "SSL", "SSO", "TLS", "TTL", "UI", "URI", "URL",
        "UUID", "VM", "XML", "YAML",
    }
)  # fmt: skip


def is_identifier(name: str) -> bool:
    return name.isidentifier() and name.isascii() and not keyword.iskeyword(name)


def _ascii_words(text: str) -> list[str]:
    return _WORD.findall(text)


def pascal(text: str) -> str:
    """``input_item`` / ``input-item`` / ``inputItem`` -> ``InputItem``."""
    words = _ascii_words(text)
    return "".join(w[0].upper() + w[1:] for w in words)


def _split_camel(word: str) -> list[str]:
    parts = [p for p in _CAMEL_EDGE.split(word) if p]
    out: list[str] = []
    for part in parts:
        prev = out[-1] if out else ""
        if prev.isupper() and part[:1].isupper() and prev + part[0] in ACRONYMS and prev not in ACRONYMS:
            rest = part[1:]
            out[-1] = prev + part[0] + (rest if rest == "s" else "")  # a plural stays with it
            if rest and rest != "s":
                out.append(rest)
            continue
        out.append(part)
    return out


@cache  # a pure function of its text, asked for the same names over and over
def snake(text: str) -> str:
    words = [p for w in _ascii_words(text) for p in _split_camel(w)]
    return "_".join(w.lower() for w in words)


def class_name(spec_name: str) -> str:
    name = pascal(spec_name)
    if not name:
        name = "Schema"
    if name[0].isdigit():
        name = "Schema" + name
    if name.startswith("_"):
        name = name.lstrip("_") or "Schema"
    if keyword.iskeyword(name) or keyword.issoftkeyword(name) or name in MODULE_RESERVED:
        name += "_"
    return name


Style = Literal["python", "wire"]


def field_name(wire: str, module_names: Container[str] = frozenset(), *, style: Style = "python") -> str:
    """``module_names``: classes and aliases of the module; a field of that name would shadow
    them for the annotations of the class body. ``style="wire"`` keeps a wire name that is
    already an identifier (the behaviour before Python names)."""
    if style == "wire" and is_identifier(wire) and not wire.startswith("_"):
        name = wire
    else:
        name = snake(wire)
        if not name:
            name = "field"
        if name[0].isdigit():
            name = "field_" + name
    if keyword.iskeyword(name) or name in BASEMODEL_ATTRS or name in ANNOTATION_NAMES or name in module_names:
        name += "_"
    return name


def module_name(text: str) -> str:
    """A module of the models package: ``Audit Logs`` -> ``audit_logs``, ``import`` -> ``import_``."""
    name = snake(text) or "group"
    if name[0].isdigit():
        name = "group_" + name
    return name + "_" if keyword.iskeyword(name) else name


def method_name(operation_id: str) -> str:
    name = snake(operation_id) or "operation"
    if name[0].isdigit():
        name = "op_" + name
    return name + "_" if keyword.iskeyword(name) else name


def field_names(
    wires: Sequence[str], module_names: Container[str] = frozenset(), *, style: Style = "python"
) -> dict[str, str]:
    """wire name -> Python name for the fields of one model, distinct: names that need no
    conversion are claimed first (spec order), then the converted ones get ``2``, ``3``...
    so a Python name never equals another field's wire name (both are accepted on input)."""
    wanted = {w: field_name(w, module_names, style=style) for w in wires}
    table = NameTable()
    out = {w: table.claim(n) for w, n in wanted.items() if n == w}
    out |= {w: table.claim(n) for w, n in wanted.items() if w not in out}
    return {w: out[w] for w in wires}


def words(text: str) -> list[str]:
    """The lower-case words of a name: ``listConversationItems`` -> list, conversation, items."""
    return [w for w in snake(text).split("_") if w]


def singular(word: str) -> str:
    """A rough singular, only to compare words (``items``/``item``, ``entries``/``entry``)."""
    if len(word) > 3 and word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if len(word) > 2 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def resource_name(text: str) -> str:
    """A resource attribute (``client.<name>``): snake_case, ``""`` when nothing usable is
    left (no letter: a tag called `1`); keywords get a trailing ``_``."""
    name = snake(text)
    if not any(c.isalpha() for c in name):
        return ""
    if name[0].isdigit():
        name = "r" + name
    return name + "_" if keyword.iskeyword(name) else name


def resource_class(path: Sequence[str], is_async: bool = False) -> str:
    """``("conversations", "items")`` -> ``ConversationsItemsResource``."""
    return ("Async" if is_async else "") + ("".join(pascal(p) for p in path) or "Client") + "Resource"


def response_views(resource: str) -> tuple[str, str, str, str]:
    """The classes of a resource's `with_raw_response` and `with_streaming_response`, sync then
    async: ``ConversationsResource`` -> ``ConversationsResourceWithRawResponse``, ..."""
    return (
        resource + "WithRawResponse",
        resource + "WithStreamingResponse",
        "Async" + resource + "WithRawResponse",
        "Async" + resource + "WithStreamingResponse",
    )


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

    def __contains__(self, name: object) -> bool:
        return name in self._taken


def _natural(text: str) -> list[str | int]:
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", text)]


def _kind(name: str) -> int:
    """isort / ruff groups: CONSTANTS, then Classes, then everything else."""
    if len(name) > 1 and name.isupper():
        return 0
    return 1 if name[:1].isupper() else 2


def export_key(name: str) -> tuple[int, list[str | int]]:
    """The order ruff's RUF022 wants in ``__all__``: grouped, natural, case-sensitive."""
    return _kind(name), _natural(name)


def import_key(name: str) -> tuple[int, list[str | int]]:
    """The order ruff's isort (I001) wants in ``from x import (...)``: grouped, natural,
    case-insensitive."""
    return _kind(name), _natural(name.lower())


def stdlib_imports(words: list[str]) -> tuple[str, ...]:
    """``from datetime import ...`` / ``from uuid import UUID`` lines for `python_types`."""
    found = set(words)
    lines = []
    for module, names in PYTHON_TYPE_MODULES:
        used = [n for n in names if n in found]
        if used:
            lines.append(f"from {module} import {', '.join(used)}")
    return tuple(lines)
