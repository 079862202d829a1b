"""Request items -> stored items, and stored items -> what a response shows.

What a stored item must hold is read from the flavor's response models (the members of
`ConversationItem`), not from a hand list: an item gets a `status` only when its response
schema declares one, a `null` the response schema does not allow means "not given", and a
key the response schema requires as nullable is recorded as `null` when the request left
it out. `include` values are a table checked against the spec's `IncludeEnum`.
"""

from __future__ import annotations

import secrets
import typing
from functools import cache
from types import ModuleType
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

# Id prefixes by item type, as the API uses them.
PREFIX = {
    "message": "msg", "function_call": "fc", "function_call_output": "fco", "file_search_call": "fs",
    "web_search_call": "ws", "computer_call": "cu", "computer_call_output": "cuo", "reasoning": "rs",
    "image_generation_call": "ig", "code_interpreter_call": "ci", "local_shell_call": "lsh",
    "local_shell_call_output": "lsho", "shell_call": "sh", "shell_call_output": "sho", "apply_patch_call": "apc",
    "apply_patch_call_output": "apco", "mcp_list_tools": "mcpl", "mcp_approval_request": "mcpr",
    "mcp_approval_response": "mcpa", "mcp_call": "mcp", "custom_tool_call": "ctc", "custom_tool_call_output": "ctco",
    "tool_search_call": "tsc", "tool_search_output": "tso", "compaction": "cmp",
}  # fmt: skip
# Required response keys the request may leave out, whose value is a choice, not a schema fact:
# an item a client sends was executed by the client.
DEFAULTS: dict[str, dict[str, Any]] = {
    "tool_search_call": {"execution": "client"},
    "tool_search_output": {"execution": "client"},
}
# What the API fills in for an item it stores without a status of its own.
STATUS = "completed"
# `include` value -> (item type, path to the hidden value). A path step `[kind]` stands for
# every element of a list whose `type` is `kind` (message content parts).
INCLUDABLE: dict[str, tuple[str, tuple[str, ...]]] = {
    "file_search_call.results": ("file_search_call", ("results",)),
    "web_search_call.results": ("web_search_call", ("results",)),
    "web_search_call.action.sources": ("web_search_call", ("action", "sources")),
    "message.input_image.image_url": ("message", ("content", "[input_image]", "image_url")),
    "computer_call_output.output.image_url": ("computer_call_output", ("output", "image_url")),
    "code_interpreter_call.outputs": ("code_interpreter_call", ("outputs",)),
    "reasoning.encrypted_content": ("reasoning", ("encrypted_content",)),
    "message.output_text.logprobs": ("message", ("content", "[output_text]", "logprobs")),
}


class ItemError(Exception):
    """A request item this server refuses; `where` is the wire path (`items[2].id`)."""

    def __init__(self, message: str, where: str) -> None:
        super().__init__(message)
        self.where = where


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(24)}"


def _members(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _members(arg)]


def _tags(model: type[BaseModel]) -> tuple[Any, ...]:
    field = model.model_fields.get("type")
    return typing.get_args(field.annotation) if field is not None else ()


@cache
def _accepts_null(model: type[BaseModel], key: str) -> bool:
    try:
        TypeAdapter(typing.get_type_hints(model, include_extras=True)[key]).validate_python(None)
    except ValidationError:
        return False
    return True


class Items:
    """Item conversion for one generated flavor (its models module)."""

    def __init__(self, models: ModuleType) -> None:
        self.adapter = TypeAdapter(models.ConversationItem)
        self.response_model = {tag: m for m in _members(models.ConversationItem) for tag in _tags(m) if tag}
        self.reference = models.ItemReferenceParam

    def fields(self, kind: str) -> dict[str, Any]:
        model = self.response_model.get(kind)
        return dict(model.model_fields) if model else {}

    def stored_form(self, data: dict[str, Any], where: str) -> dict[str, Any]:
        """A request item (as sent, wire names) -> the item as the API stores and returns it."""
        if data.get("id") == "":
            raise ItemError(
                f"Invalid '{where}.id': empty string. Expected a string with minimum length 1.", f"{where}.id"
            )
        if data.get("type") in (None, "message"):  # easy messages: the tag is optional, content may be a string
            content = data.get("content")
            if isinstance(content, str):
                part = "output_text" if data.get("role") == "assistant" else "input_text"
                content = [{"type": part, "text": content, **({"annotations": []} if part == "output_text" else {})}]
            data = {**data, "type": "message", "content": content}
        kind = str(data["type"])
        model = self.response_model.get(kind)
        if model is None:
            raise ItemError(f"Invalid '{where}': this server cannot store a {kind!r} item.", where)
        fields = model.model_fields
        # A null the response schema does not allow means "not given" (`status: null` on a request).
        data = {k: v for k, v in data.items() if v is not None or k not in fields or _accepts_null(model, k)}
        if data.get("id") is None:
            data["id"] = new_id(PREFIX.get(kind, "item"))
        if "status" in fields and data.get("status") is None:  # "populated when items are returned via API"
            data["status"] = STATUS
        for key, value in DEFAULTS.get(kind, {}).items():
            data.setdefault(key, value)
        for key, field in fields.items():
            if field.is_required() and key not in data and _accepts_null(model, key):
                data[key] = None
        try:
            self.adapter.validate_python(data)
        except ValidationError as exc:  # a request model and its response model disagree
            raise ItemError(
                f"Invalid '{where}': this server cannot store a {kind!r} item as given ({exc.errors()[0]['msg']}).",
                where,
            ) from None
        return data

    def render(self, data: dict[str, Any], include: list[str] | None) -> Any:
        """A stored item -> the response model, with what `include` did not ask for hidden."""
        wanted = set(include or ())
        for name, (kind, path) in INCLUDABLE.items():
            if name not in wanted and data.get("type") == kind:
                self._hide(data, path, self.response_model.get(kind))
        return self.adapter.validate_python(data)

    def _hide(self, value: Any, path: tuple[str, ...], model: type[BaseModel] | None) -> None:
        step, rest = path[0], path[1:]
        if step.startswith("["):
            for element in value if isinstance(value, list) else ():
                if isinstance(element, dict) and element.get("type") == step[1:-1]:
                    self._hide(element, rest, None)
        elif not isinstance(value, dict) or step not in value:
            return
        elif rest:
            self._hide(value[step], rest, None)
        elif model is not None and step in model.model_fields and model.model_fields[step].is_required():
            value[step] = None  # required and nullable (`code_interpreter_call.outputs`): shown as null
        else:
            del value[step]
