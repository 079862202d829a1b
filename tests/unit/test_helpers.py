from __future__ import annotations

import ast
from pathlib import Path

import pytest

from specbind import ir, naming
from specbind.config import Job
from specbind.pipeline import generate
from specbind.render import docstring
from specbind.unions import implies, merge_literals, most_specific_first


@pytest.mark.parametrize(
    ("wire", "python"),
    [("type", "type"), ("from", "from_"), ("model_config", "model_config_"), ("str", "str_"), ("2fa-code", "field_2fa_code"),
     ("x-rate limit", "x_rate_limit"), ("_private", "private"), ("match", "match"), ("json", "json_")],
)  # fmt: skip
def test_field_names(wire: str, python: str) -> None:
    assert naming.field_name(wire) == python


def test_class_names() -> None:
    assert naming.class_name("OpenAI.Item") == "OpenAIItem"
    assert naming.class_name("class") == "Class"
    assert naming.class_name("Field") == "Field_"
    assert naming.class_name("3d") == "Schema3d"
    # PascalCase, acronyms kept; names the generated modules import get a trailing `_`
    assert [naming.class_name(n) for n in ("address", "foo_bar", "HTTPError", "quote", "list", "Response", "BaseModel")] == [
        "Address", "FooBar", "HTTPError", "Quote", "List", "Response", "BaseModel_"
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("operation_id", "python"),
    [("CreateanAPIkeyforaserviceaccount", "createan_api_keyforaserviceaccount"), ("HTTPServer", "http_server"),
     ("getUserIDs", "get_user_ids"), ("listAPIs", "list_apis"), ("OpenAIItem", "open_ai_item"),
     ("parseJSONBody", "parse_json_body"), ("list-data-sets", "list_data_sets"), ("createPets", "create_pets"),
     ("class", "class_"), ("3d", "op_3d")],
)  # fmt: skip
def test_method_names_split_runs_of_capitals(operation_id: str, python: str) -> None:
    assert naming.method_name(operation_id) == python


def test_field_names_avoid_module_names() -> None:
    assert naming.field_name("Address", {"Address"}, style="wire") == "Address_"
    assert naming.field_name("address", {"Address"}) == "address"
    assert naming.field_name("str", {"Address"}) == "str_"


@pytest.mark.parametrize(
    ("wire", "python", "as_wire"),
    [("photoUrls", "photo_urls", "photoUrls"), ("petId", "pet_id", "petId"), ("AccountSid", "account_sid", "AccountSid"),
     ("From", "from_", "From"), ("additionalMetadata", "additional_metadata", "additionalMetadata"),
     ("X-Request-ID", "x_request_id", "x_request_id"), ("conversation_id", "conversation_id", "conversation_id"),
     ("type", "type", "type"), ("ID", "id", "ID")],
)  # fmt: skip
def test_field_names_are_snake_case_unless_wire(wire: str, python: str, as_wire: str) -> None:
    assert naming.field_name(wire) == python
    assert naming.field_name(wire, style="wire") == as_wire


def test_field_names_that_collide_after_conversion_keep_the_unconverted_one() -> None:
    # `photo_urls` needs no conversion: it keeps its name, whatever the order
    assert naming.field_names(["photoUrls", "photo_urls"]) == {"photoUrls": "photo_urls2", "photo_urls": "photo_urls"}
    assert naming.field_names(["a-b", "a_b", "aB"]) == {"a-b": "a_b2", "a_b": "a_b", "aB": "a_b3"}
    assert naming.field_names(["photoUrls", "photo_urls"], style="wire") == {
        "photoUrls": "photoUrls",
        "photo_urls": "photo_urls",
    }


def test_sort_keys_follow_ruff() -> None:
    names = ["Opt10", "Opt9", "ChatSession", "Chatkit", "ABC", "a_b", "Field_", "FieldA", "Field"]
    assert sorted(names, key=naming.export_key) == [
        "ABC",
        "ChatSession",
        "Chatkit",
        "Field",
        "FieldA",
        "Field_",
        "Opt9",
        "Opt10",
        "a_b",
    ]
    assert sorted(names, key=naming.import_key) == [
        "ABC",
        "Chatkit",
        "ChatSession",
        "Field",
        "Field_",
        "FieldA",
        "Opt9",
        "Opt10",
        "a_b",
    ]


def test_name_table_is_first_come() -> None:
    t = naming.NameTable({"A"})
    assert [t.claim("A"), t.claim("A"), t.claim("B")] == ["A2", "A3", "B"]


@pytest.mark.parametrize(
    "text", ['a """ b', "trailing \\", 'ends "', "x\u2028y\x00z", "{{ x }} {% y %}", "'''", "\U0001f600 ok"]
)
def test_docstring_round_trips(text: str) -> None:
    literal = docstring(text, 4)
    assert ast.literal_eval(literal).replace("\n    ", "\n") == text


def test_specificity_order() -> None:
    easy = ir.Candidate(
        "Easy", (ir.Check("role", "in", ("user", "assistant")), ir.Check("content", "type", ("array", "string")))
    )
    inp = ir.Candidate("Input", (ir.Check("role", "in", ("user",)), ir.Check("content", "type", ("array",))))
    assert implies(inp.checks[0], easy.checks[0]) and not implies(easy.checks[0], inp.checks[0])
    assert [c.model for c in most_specific_first([easy, inp])] == ["Input", "Easy"]


def test_plain_unions_merge_their_literals() -> None:
    # Stripe's `anyOf: [{enum: [now]}, {type: integer}, {enum: [""]}]` (ruff PYI030 on two Literals)
    assert merge_literals(("Literal['now']", "int", "Literal['']")) == ("Literal['now', '']", "int")
    assert merge_literals(("Literal['a, b']", "Literal[1, 'a, b']", "None")) == ("Literal['a, b', 1]", "None")
    assert merge_literals(("int", "Literal['x']")) == ("int", "Literal['x']")


def test_an_inferred_tag_is_a_string_that_tells_variants_apart(tmp_path: Path) -> None:
    """Stripe's `deleted_external_account`: both variants say `deleted: true` (a boolean shared
    by all) and `object: bank_account` / `card`: the tag is `object`."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"
        "    Deleted:\n      anyOf: [{$ref: '#/components/schemas/Bank'}, {$ref: '#/components/schemas/Card'}]\n"
        "    Bank:\n      type: object\n      required: [deleted, object]\n      properties:\n"
        "        deleted: {type: boolean, enum: [true]}\n        object: {type: string, enum: [bank_account]}\n"
        "    Card:\n      type: object\n      required: [deleted, object]\n      properties:\n"
        "        deleted: {type: boolean, enum: [true]}\n        object: {type: string, enum: [card]}\n"
    )
    api = generate(Job("t", spec, tmp_path / "out", "t", (), tmp_path)).api
    union = next(u for u in api.unions if u.name == "Deleted")
    assert (union.strategy, union.tag_wire) == ("tagged", "object")


def test_layout_tokens_leave_out_versions_and_format_suffixes() -> None:
    from specbind.layout import _tokens

    assert _tokens("/2010-04-01/Accounts/{AccountSid}/Calls.json") == ("Accounts", "{}", "Calls")
    assert _tokens("/v1/customers/{customer}/sources") == ("customers", "{}", "sources")
    assert _tokens("/files/{name}.json") == ("files", "{}")
