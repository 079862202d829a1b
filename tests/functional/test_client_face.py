"""The package as a new user meets it (issue 12): top-level exports, the public errors module,
response items sent back as input, tags filled in by constructors, error messages, method
docstrings, argument checks before sending, and the "which class do I use" table."""

from __future__ import annotations

import functools
import inspect
import json
import subprocess
import sys
import typing
from typing import Any

import conversations
import httpx
import openai
import pytest
from conversations import _http, errors, models, server
from conversations.client import AsyncClient, Client
from payloads import REQUEST_ITEMS, RESPONSE_ITEMS
from pydantic import TypeAdapter, ValidationError

INPUT_ITEMS = TypeAdapter(list[models.InputItem])


def _dump(m: Any) -> Any:
    return m.model_dump(mode="json", by_alias=True, exclude_unset=True)


# -- 1. exports ---------------------------------------------------------------------------------
def test_top_level_exports_client_errors_pages_and_models() -> None:
    from conversations import AsyncPage, BadRequestError, FunctionToolCall, NotFoundError, SyncPage  # noqa: F401

    assert conversations.Client is Client and conversations.AsyncClient is AsyncClient
    exported = set(conversations.__all__)
    assert set(errors.__all__) <= exported and set(models.__all__) <= exported
    assert {"Client", "AsyncClient", "SyncPage", "AsyncPage", "NOT_GIVEN"} <= exported
    assert all(hasattr(conversations, name) for name in conversations.__all__)


def test_models_alone_do_not_import_the_client() -> None:
    code = "import sys, conversations; print('httpx' in sys.modules, 'conversations.client' in sys.modules)"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, env=_env())
    assert run.stdout.split() == ["False", "False"], run.stderr
    code = "import sys; from conversations import Client; print('conversations.client' in sys.modules)"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, env=_env())
    assert run.stdout.split() == ["True"], run.stderr


def _env() -> dict[str, str]:
    import os

    from paths import GENERATED

    return {**os.environ, "PYTHONPATH": str(GENERATED)}


def test_errors_module_is_the_one_the_client_raises() -> None:
    assert _http.NotFoundError is errors.NotFoundError is conversations.NotFoundError
    assert issubclass(errors.NotFoundError, errors.APIStatusError) and issubclass(
        errors.APIStatusError, errors.APIError
    )
    # The server's service errors have their own names: catching one never means the other.
    assert not hasattr(server, "NotFoundError")
    assert issubclass(server.ServiceNotFoundError, server.ServiceError)
    assert not issubclass(server.ServiceNotFoundError, errors.APIError)


def test_a_schema_never_takes_a_client_name(tmp_path: Any) -> None:
    from paths import REPO

    from specbind import naming, public

    assert {n for names in public.CLIENT_NAMES.values() for n in names} <= naming.MODULE_RESERVED
    assert set(public.CLIENT_NAMES["errors"]) == set(errors.__all__)  # kept in step with the templates
    # client.py also exports its resource classes (for annotations); the top level does not.
    resources = {n for n in conversations.client.__all__ if n.endswith("Resource")}
    assert set(public.CLIENT_NAMES["client"]) == set(conversations.client.__all__) - resources
    assert resources == {"ConversationsResource", "ConversationsItemsResource"} | {
        "Async" + n for n in ("ConversationsResource", "ConversationsItemsResource")
    }
    spec = REPO / "tests" / "hostile" / "client_name_clash" / "input.yaml"
    proc = subprocess.run(
        [sys.executable, "-m", "specbind", "generate", "--spec", str(spec), "--out", str(tmp_path / "clash"), "--package", "clash"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    code = (
        "import clash; assert clash.NotFoundError is clash.errors.NotFoundError; print(clash.NotFoundError_.__module__)"
    )
    run = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert run.returncode == 0 and run.stdout.strip().startswith("clash.models."), run.stderr


# -- 2. response classes (and other libraries' models) sent back as input ------------------------
@pytest.mark.parametrize(("name", "payload"), RESPONSE_ITEMS, ids=[n for n, _ in RESPONSE_ITEMS])
def test_a_retrieved_item_goes_back_as_input_unchanged(name: str, payload: dict[str, Any]) -> None:
    """The model goes in exactly as its JSON would: same class, same dump, or the same refusal
    (a function_call_output answer without `call_id` is not a valid input, model or dict)."""
    item = TypeAdapter(models.ConversationItem).validate_python(payload)
    assert type(item).__name__ == name
    try:
        as_json = INPUT_ITEMS.validate_python([payload])[0]
    except ValidationError:
        with pytest.raises(ValidationError):
            INPUT_ITEMS.validate_python([item])
        return
    again = INPUT_ITEMS.validate_python([item])[0]
    assert type(again) is type(as_json) and type(again).__name__ != "UnknownInputItem"
    assert _dump(again) == payload  # nothing dropped, nothing added


def test_a_whole_page_goes_back_into_a_request_body() -> None:
    sendable = [p for _, p in RESPONSE_ITEMS if _is_input(p)][:20]
    assert len(sendable) == 20
    page = models.ConversationItemList.model_validate(
        {"object": "list", "data": sendable, "first_id": "a", "last_id": "b", "has_more": False}
    )
    body = models.CreateConversationItemsBody(items=page.data)
    assert _dump(body)["items"] == sendable


def _is_input(payload: dict[str, Any]) -> bool:
    try:
        INPUT_ITEMS.validate_python([payload])
    except ValidationError:
        return False
    return True


def test_another_librarys_model_of_a_known_kind_is_redispatched() -> None:
    sdk_call = openai.types.responses.ResponseFunctionToolCall(
        type="function_call", call_id="c1", name="f", arguments="{}", id="fc_1", status="completed"
    )
    ours = INPUT_ITEMS.validate_python([sdk_call])[0]
    assert isinstance(ours, models.FunctionToolCall) and ours.call_id == "c1" and ours.id == "fc_1"


def test_members_pass_through_untouched() -> None:
    item = models.FunctionToolCall(call_id="c1", name="f", arguments="{}")
    assert INPUT_ITEMS.validate_python([item])[0] is item


# -- 3. single-value tags ---------------------------------------------------------------------------
def test_constructor_fills_the_tag_and_the_dump_carries_it() -> None:
    call = models.FunctionToolCall(call_id="c1", name="f", arguments="{}")
    assert call.type == "function_call"
    assert _dump(call) == {"type": "function_call", "call_id": "c1", "name": "f", "arguments": "{}"}
    assert _dump(models.InputTextContent(text="hi")) == {"type": "input_text", "text": "hi"}


def test_parsing_never_adds_a_tag() -> None:
    # An optional tag left out stays out; the constructor path is not taken by validation.
    payload = {"role": "user", "content": "hi"}
    assert _dump(models.EasyInputMessage.model_validate(payload)) == payload
    assert _dump(models.EasyInputMessage(role="user", content="hi")) == payload
    # A required tag stays required when parsing: only constructors fill it in.
    assert models.FunctionToolCall.model_fields["type"].is_required()
    with pytest.raises(ValidationError, match="type\n  Field required"):
        models.FunctionToolCall.model_validate({"call_id": "c1", "name": "f", "arguments": "{}"})
    for _, p in REQUEST_ITEMS:
        assert _dump(INPUT_ITEMS.validate_python([p])[0]) == p


# -- 4. errors ----------------------------------------------------------------------------------------
def _status_error(status: int, body: Any, headers: dict[str, str] | None = None) -> errors.APIStatusError:
    request = httpx.Request("GET", "https://api.test/v1/conversations/x")
    content = json.dumps(body).encode() if not isinstance(body, str) else body.encode()
    return errors.status_error(httpx.Response(status, content=content, headers=headers, request=request))


def test_error_message_comes_from_the_body() -> None:
    body = {
        "error": {
            "message": "Conversation with id 'conv_nope' not found.",
            "type": "invalid_request_error",
            "param": None,
            "code": "not_found",
        }
    }
    err = _status_error(404, body, {"x-request-id": "req_123"})
    assert isinstance(err, errors.NotFoundError)
    assert str(err) == "Error code: 404 - Conversation with id 'conv_nope' not found."
    assert err.request_id == "req_123" and err.error is not None and err.error.error.code == "not_found"
    assert err.body == body


def test_error_message_falls_back_to_other_shapes() -> None:
    assert str(_status_error(422, {"detail": "bad thing"})) == "Error code: 422 - bad thing"
    assert str(_status_error(500, "upstream exploded")) == "Error code: 500 - upstream exploded"
    assert str(_status_error(502, "")) == "Error code: 502 - Bad Gateway"
    assert _status_error(400, {"x": 1}).request_id is None


# -- 5. docstrings -------------------------------------------------------------------------------------
def _resource_classes(cls: type) -> list[type]:
    """The class and every resource class below it (the return types of its cached properties,
    less the raw and streaming views: test_raw_responses.py covers those)."""
    out = [cls]
    for name, prop in inspect.getmembers(cls, lambda m: isinstance(m, functools.cached_property)):
        if name not in ("with_raw_response", "with_streaming_response"):
            out += _resource_classes(typing.get_type_hints(prop.func)["return"])
    return out


@pytest.mark.parametrize("cls", [Client, AsyncClient])
def test_every_method_documents_its_arguments(cls: type) -> None:
    classes = _resource_classes(cls)
    assert [c.__name__ for c in classes] == [
        cls.__name__,
        *(
            p + n
            for p in ("Async" if cls is AsyncClient else "",)
            for n in ("ConversationsResource", "ConversationsItemsResource")
        ),
    ]
    methods = [(f"{c.__name__}.{n}", m) for c in classes for n, m in inspect.getmembers(c, inspect.isfunction)]
    for name, method in methods:
        if name.rsplit(".", 1)[1].startswith("_") or name.endswith((".close", ".aclose")):
            continue
        doc = inspect.getdoc(method) or ""
        assert "\nArgs:\n" in doc and "\nReturns:\n" in doc and "\nRaises:\n" in doc, name
        args = doc.split("\nArgs:\n")[1].split("\n\n")[0]
        for param in inspect.signature(method).parameters:
            if param != "self":
                assert param in args, (name, param)
    items = classes[2]
    doc = inspect.getdoc(items.list) or ""  # type: ignore[attr-defined]
    assert "Checked before sending: >= 1, <= 100." in doc and "Server default: 20." in doc
    assert "at most 20 items" in (inspect.getdoc(items.create) or "")  # type: ignore[attr-defined]


# -- 6. argument checks before sending -------------------------------------------------------------
def test_query_constraints_are_checked_before_sending() -> None:
    sent: list[httpx.Request] = []
    transport = httpx.MockTransport(lambda r: sent.append(r) or httpx.Response(500))  # type: ignore[func-returns-value]
    c = Client(
        api_key="k", base_url="https://api.test/v1", http_client=httpx.Client(transport=transport), max_retries=0
    )
    for bad in ({"limit": 500}, {"limit": 0}, {"order": "sideways"}, {"include": ["nope"]}):
        with pytest.raises(ValidationError):
            c.conversations.items.list("conv_1", **bad)
    with pytest.raises(ValidationError):
        c.conversations.create(items=[{"role": "user", "content": "x"}] * 21)
    assert sent == []


# -- 9. which class do I use ------------------------------------------------------------------------
def test_which_class_table_in_models_docstring_and_explain() -> None:
    doc = models.__doc__ or ""
    assert "send `InputItem`, get back `ConversationItem`" in doc
    rows = {
        line.split()[0]: line.split(None, 1)[1]
        for line in doc.splitlines()
        if line.startswith(("function_call ", "message "))
    }
    assert rows["function_call"].split() == ["FunctionToolCall", "FunctionToolCallResource"]
    assert rows["message"].split() == ["EasyInputMessage,", "InputMessage,", "OutputMessage", "Message"]
    from paths import REPO

    from specbind.build import build_api
    from specbind.config import load_jobs
    from specbind.pipeline import explain, load_spec

    job = next(j for j in load_jobs(REPO) if j.name == "default")
    api = build_api(load_spec(job), package=job.package, spec_name=job.spec.name)
    assert api.which_class in doc and api.which_class in explain(api)
    readme = (
        (REPO / "README.md").read_text().split("<!-- which-class: InputItem -->\n```text\n", 1)[1].split("```", 1)[0]
    )
    assert readme.strip() in api.which_class, (
        "README's table is stale: paste the InputItem table of `specbind generate --explain`"
    )


# -- the same on a spec that is not Conversations --------------------------------------------------
@pytest.fixture(scope="module")
def pets(tmp_path_factory: pytest.TempPathFactory) -> Any:
    import importlib

    from paths import REPO

    from specbind.cli import main

    root = tmp_path_factory.mktemp("pets")
    spec = REPO / "tests" / "cases" / "client_face" / "spec.yaml"
    assert main(["generate", "--spec", str(spec), "--out", str(root / "pets"), "--package", "pets"]) == 0
    sys.path.insert(0, str(root))
    try:
        return importlib.import_module("pets")
    finally:
        sys.path.remove(str(root))


def test_generic_package_face(pets: Any) -> None:
    assert {"Client", "AsyncClient", "NotFoundError", "Cat", "CatIn", "PetIn"} <= set(pets.__all__)
    cat = pets.Cat.model_validate({"id": "p1", "kind": "cat", "lives": 7, "name": "Tom"})
    sent = TypeAdapter(list[pets.PetIn]).validate_python([cat])[0]
    assert isinstance(sent, pets.CatIn) and _dump(sent) == {"id": "p1", "kind": "cat", "lives": 7, "name": "Tom"}
    assert _dump(pets.CatIn(lives=3)) == {"kind": "cat", "lives": 3}
    with pytest.raises(ValidationError):
        pets.CatIn.model_validate({"lives": 3})  # parsing still requires the tag
    doc = inspect.getdoc(pets.client.PetsResource.list) or ""
    assert (
        "Oldest first" in doc
        and "limit: How many pets per page." in doc
        and "Checked before sending: >= 1, <= 10." in doc
    )


def test_generic_client_checks_and_errors(pets: Any) -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.method == "POST":
            stored = [{"id": f"p{i}", **p} for i, p in enumerate(json.loads(request.content)["pets"])]
            return httpx.Response(200, json={"data": stored, "has_more": False})
        return httpx.Response(404, json={"title": "Not Found", "detail": "no pets here"}, headers={"request-id": "r9"})

    client = pets.Client(
        base_url="https://pets.test/v1", http_client=httpx.Client(transport=httpx.MockTransport(answer)), max_retries=0
    )
    for bad in ({"limit": 11}, {"order": "random"}):
        with pytest.raises(ValidationError):
            client.pets.list(**bad)
    assert seen == []
    with pytest.raises(pets.NotFoundError) as err:
        client.pets.list(limit=3)
    assert str(err.value) == "Error code: 404 - no pets here" and err.value.request_id == "r9"
    dog = pets.Dog.model_validate({"id": "d1", "kind": "dog"})
    added = client.pets.create(pets=[dog, pets.CatIn(lives=1)])
    assert json.loads(seen[-1].content) == {"pets": [{"id": "d1", "kind": "dog"}, {"kind": "cat", "lives": 1}]}
    assert [(type(p).__name__, p.id) for p in added.data] == [("Dog", "d1"), ("Cat", "p1")]
