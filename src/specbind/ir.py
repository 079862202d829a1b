"""The typed, frozen intermediate representation: what templates print, and nothing more.

Every string here is final: Python names come from ``naming``, annotations and default
literals from ``build``. Templates only print these fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import ClassVar, Literal

from . import naming
from .typetext import or_none

Strategy = Literal["tagged", "tag_then_structure", "plain"]


@dataclass(frozen=True)
class Field:
    name: str  # Python attribute
    wire: str  # JSON key
    annotation: str
    assignment: str  # "" or " = ..." (default / Field(...)), already rendered
    doc: str | None
    required: bool
    #: Set on a required field with one allowed value: the assignment type checkers see
    #: (the constructor fills the value in; parsing still requires it).
    static_assignment: str = ""


@dataclass(frozen=True)
class Model:
    kind: ClassVar[str] = "model"
    name: str
    doc: str | None
    fields: tuple[Field, ...]
    closed: bool  # additionalProperties: false
    source: str  # JSON pointer in the spec
    #: Set on the fallback class of a discriminated union: (wire name of the tag, tags it refuses).
    refuses: tuple[str, tuple[str, ...]] | None = None
    #: Value type of the keys the spec does not declare (`additionalProperties` with a schema).
    extra: str | None = None
    #: Required fields with exactly one allowed value (a kind's tag): (name, wire, literal).
    #: Constructors fill them in, so they are set and always dumped.
    single_values: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class Alias:
    """A named type that is not a class: enums as ``Literal``, maps, nullable wrappers."""

    kind: ClassVar[str] = "alias"
    name: str
    doc: str | None
    annotation: str
    source: str
    #: Refers to itself (directly or through other aliases): rendered as a ``TypeAliasType``,
    #: whose value is evaluated lazily.
    lazy: bool = False


@dataclass(frozen=True)
class Check:
    """One structural test the dispatcher runs on a raw object: key present / type / value."""

    key: str
    kind: Literal["present", "type", "in"]
    values: tuple[str | int | float | bool | None, ...] = ()


@dataclass(frozen=True)
class Candidate:
    model: str
    checks: tuple[Check, ...]
    #: Keys it declares that not every other candidate of its list does: among the candidates
    #: whose checks pass, the one declaring more of an object's keys wins.
    keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class Route:
    """Which candidates a tag value (or a missing / null tag) leads to, tried in order."""

    tag: str | None
    candidates: tuple[Candidate, ...]

    @property
    def owner(self) -> str | None:
        """The variant a tag one variant owns leads to alone."""
        return self.candidates[0].model if len(self.candidates) == 1 else None


@dataclass(frozen=True)
class Union:
    kind: ClassVar[str] = "union"
    name: str
    doc: str | None
    strategy: Strategy
    reason: str  # why this strategy; printed by `generate --explain`
    source: str
    members: tuple[str, ...]  # rendered member annotations (plain) or model names
    tag_field: str | None = None  # Python name of the tag field
    tag_wire: str | None = None
    routes: tuple[Route, ...] = ()  # tag_then_structure: string tags
    when_missing: tuple[Candidate, ...] = ()
    when_null: tuple[Candidate, ...] = ()
    unknown: str | None = None  # fallback model name
    dispatch_name: str | None = None  # module constant holding the dispatcher
    #: The discriminator's `defaultMapping` (3.2): the variant for a tag absent or unmapped.
    default: str | None = None
    nullable: bool = False
    lazy: bool = False  # plain union that refers to itself: a ``TypeAliasType``
    #: A request body uses it: models of other classes (the response class of the same kind,
    #: another library's model) are re-dispatched on their dumped fields.
    accepts_other_models: bool = False


@dataclass(frozen=True)
class Tag:
    """A Tag Object. OpenAPI 3.2 adds `summary`, `parent` (the name of the tag it sits under:
    the client layout nests its resource there) and `kind` (`nav`, `badge`, `audience`, or any)."""

    name: str
    summary: str | None = None
    description: str | None = None
    parent: str | None = None  # a known tag's name (``layout`` warns about any other, and cuts a loop)
    kind: str | None = None


@dataclass(frozen=True)
class Param:
    name: str  # Python argument name
    wire: str
    location: Literal["path", "query", "header", "cookie"]
    annotation: str
    required: bool
    default: str  # rendered literal, "None" when optional without default
    doc: str | None
    explode: bool = True  # form style: `a=1&a=2`; False: `a=1,2`
    is_array: bool = False
    #: The parameter's `style` (form, simple, label, matrix, spaceDelimited, pipeDelimited,
    #: deepObject), `json` for a parameter given by `content` in a JSON media type, or
    #: `querystring` for OpenAPI 3.2's `in: querystring` in JSON (a form-encoded one is a
    #: form-style exploded object, `client_spread`).
    style: str = "form"
    allow_reserved: bool = False  # query: reserved characters are sent as they are
    #: How the server reads the wire text back (JSON text, see `encoding`): where arrays and
    #: objects are, which leaves are never strings.
    shape: str = "{}"
    client_spread: bool = False  # a form-style exploded object: its properties are query parameters
    is_object: bool = False
    client_default: bool = False  # an optional header every operation takes: also a client setting
    constrained: str = ""  # annotation with the schema's constraints, for server-side validation
    service_annotation: str = ""  # what a service method receives (spec defaults applied)
    server_assignment: str = ""  # "" or " = ..." in the server's parameter model
    client_value: str = ""  # expression the client sends for a query parameter
    server_value: str = ""  # expression the server reads the raw parameter with
    idempotency_key: bool = False  # the operation's idempotency header: a new UUID4 per call when not given
    client_only: bool = False  # added by specbind (an idempotency header the document does not declare)


@dataclass(frozen=True)
class BodyField:
    name: str
    wire: str
    annotation: str  # as the model declares it
    param_annotation: str  # as a method argument: also takes plain mappings
    required: bool
    doc: str | None = None
    is_array: bool = False  # a form field sent once per element
    is_file: bool = False  # a multipart file part (`format: binary` / `contentMediaType`)
    server_annotation: str = ""  # multipart: what the server's parts model declares
    server_assignment: str = ""  # multipart: "" or " = ..." in the server's parts model
    model_assignment: str | None = None  # the body model field's own " = ..." (default, alias), if it has the same name


@dataclass(frozen=True)
class EventType:
    """text/event-stream with an `itemSchema` (OpenAPI 3.2): how the `data` of the events of
    one name is read. The event's `event`, `id` and `retry` fields are read as they are."""

    event: str | None  # the `event` field's value; None: any event no other entry names
    data: str  # annotation of the decoded data
    json: bool  # the data is JSON text (`contentMediaType: application/json`), else plain text
    adapter: str = ""  # module constant validating the data (set by ``wire.finish``)


#: How a sequential media type is cut into items: `sse` (text/event-stream, each event's
#: `data` typed by the media type's `schema`, as OpenAPI 3.1 documents do), `events`
#: (text/event-stream with an `itemSchema`: typed events), `jsonl` (application/jsonl and
#: application/x-ndjson), `json-seq` (RFC 7464) and `multipart` (multipart/mixed, one item per part).
StreamFormat = Literal["sse", "events", "jsonl", "json-seq", "multipart"]


@dataclass(frozen=True)
class Stream:
    """An answer read item by item as it arrives (a sequential media type)."""

    format: StreamFormat
    media: str  # the media type, as the document writes it
    item: str  # annotation of one item: what the client's iterator and the service's generator yield
    events: tuple[EventType, ...] = ()  # `events`: by event name, then the entry for any other event
    part_kind: Literal["json", "text", "bytes"] = "json"  # `multipart`: how a part's content is read
    part_type: str = ""  # `multipart`: the Content-Type the server gives each part
    reader: str = ""  # client expression: a `_streams` reader of this format (set by ``wire.finish``)
    writer: str = ""  # server expression: how the server frames each item (set by ``wire.finish``)


PageStyle = Literal["cursor", "next_url", "link_header", "offset", "page"]


@dataclass(frozen=True)
class Pagination:
    """How a list operation pages. The client prints it as an ``_http.PageScheme``; paths are
    Python attribute names from the parsed answer (``()``: the answer itself)."""

    style: PageStyle
    source: str  # "config", "x-speakeasy-pagination", "x-fern-pagination" or "shape"
    reason: str  # what was found, for `generate --explain`
    items: tuple[str, ...] = ()  # the list of items
    param: str = ""  # wire name of the query parameter the next cursor / offset / page number goes in
    next_cursor: tuple[str, ...] = ()  # the next cursor, in the answer
    item_cursor: str = ""  # ...or this attribute of the page's last item (`id`)
    has_more: tuple[str, ...] = ()  # a boolean: more pages after this one
    next_url: tuple[str, ...] = ()  # the next page's URL, or its path relative to the base URL
    limit_param: str = ""  # wire name of the page-size parameter: a shorter page is the last
    default_limit: int | None = None  # the page size when the call does not give one (the spec's default)
    total: tuple[str, ...] = ()  # the number of items over all pages
    total_pages: tuple[str, ...] = ()  # the number of pages
    first: int = 0  # offset / number of the first page, when the call does not give one
    constant: str = ""  # client.py's module constant holding the scheme


@dataclass(frozen=True)
class Argument:
    """One argument of a client method, in signature order (see ``signature``)."""

    name: str
    annotation: str
    default: str  # "" (required) or " = None" / " = NOT_GIVEN", already rendered
    positional: bool  # before the `*`
    location: Literal["path", "query", "header", "cookie", "body"]


@dataclass(frozen=True)
class Operation:
    name: str  # the flat name (`create_conversation`): the service method; the client's before resources
    operation_id: str
    method: str  # upper case
    path: str  # with {wire} placeholders
    route_path: str  # with {python} placeholders: what the server's router matches
    summary: str | None
    doc: str | None
    params: tuple[Param, ...]
    body_model: str | None  # request body model name
    body_fields: tuple[BodyField, ...]
    body_required: bool
    response: str | None  # response model / alias name
    response_is_model: bool
    pagination: Pagination | None
    item_type: str | None  # element type of the page's `data` when paginated
    idempotent: bool  # safe to retry: an idempotent method, or the request carries an idempotency key
    response_adapter: str | None = None  # module constant validating a non-class response
    #: Why the operation is not paginated though it looks like a list (ambiguous or incomplete
    #: shape), and what configuration would decide it; printed by `generate --explain`.
    pagination_note: str = ""
    idempotency_header: str = ""  # wire name of the idempotency header sent with every call
    path_expr: str = ""  # Python expression for the request path, path parameters quoted
    params_model: str = ""  # server: private model validating path/query/header parameters
    status: int = 200  # the success code the server answers with
    response_kind: Literal["json", "none", "bytes", "text", "stream"] = "json"
    response_media: str = "application/json"
    body_kind: Literal["model", "json", "form", "multipart", "bytes", "text", "none"] = "none"
    body_media: str = "application/json"
    body_annotation: str = ""  # argument type of a body that is not a model's fields
    body_adapter: str | None = None  # module constant validating a non-class body
    body_type: str = ""  # what the service method receives as `body`
    #: form / multipart: the client's `_http.Wire` of each field that is not form, exploded
    #: (a dict literal, "" when there is none).
    form_wires: str = ""
    #: form / multipart: each field's style and shape, as the server reads them (JSON text).
    form_fields: str = "{}"
    part_types: tuple[tuple[str, str], ...] = ()  # multipart: (field wire name, default part content type)
    parts_model: str = ""  # multipart: the server's model of the parts
    file_parts: str = "frozenset()"  # multipart: the fields that are files, as a literal
    stream_method: str = ""  # JSON and text/event-stream both offered: the streaming twin's name
    stream_of: str = ""  # on that twin: the operation it streams (the server routes that one)
    stream_flag: bool = False  # on that twin: the body's boolean `stream` field is sent as true
    #: On a method with a twin: the argument that picks it (`stream`, the body's field when it
    #: has one); "" when no argument can (a parameter already has the name): the twin is public.
    stream_switch: str = ""
    #: A sequential answer (response_kind "stream"): its format and item type. On a method
    #: with a `_stream` twin, the twin's (the server answers with it when asked to).
    stream: Stream | None = None
    errors: tuple[tuple[str, str], ...] = ()  # (status key: "404" / "4XX" / "default", error type)
    error_adapters: tuple[tuple[str, str], ...] = ()  # (status key, adapter constant)
    security: tuple[str, ...] = ()  # client settings (schemes) the operation may send
    server_params: tuple[Param, ...] = ()  # parameters the server validates (not client-level headers)
    client_doc: str = ""  # the client method's docstring: description, Args, Returns, Raises
    client_checks: tuple[tuple[str, str], ...] = ()  # (argument, annotation) checked before sending
    client_checks_model: str = ""  # private model in client.py holding client_checks
    keyword_params: tuple[Param, ...] = ()  # server_params passed to the service by keyword
    #: Where the client method lives (``client.conversations.items``) and its name there
    #: (``list``): decided in ``layout``, with the reason `generate --explain` prints.
    resource_path: tuple[str, ...] = ()
    method_name: str = ""
    layout_reason: str = ""
    #: A method with a streaming twin: the twin's (private) method name, which `stream=True`
    #: calls; the method is typed by two overloads (see ``stream_arguments``).
    stream_call: str = ""
    arguments: tuple[Argument, ...] = ()  # the client method's, in signature order

    @property
    def python_path(self) -> str:
        """``conversations.items.list``: the method as a caller writes it after ``client.``."""
        return ".".join((*self.resource_path, self.method_name or self.name))

    @property
    def paginated(self) -> bool:
        return self.pagination is not None

    def stream_arguments(self, streaming: bool | None) -> tuple[Argument, ...]:
        """The arguments of one `stream=` overload: ``stream: Literal[True]`` (required) answers
        the stream, ``Literal[False]`` (or nothing) the whole answer, ``bool`` the implementation.
        The body's own boolean `stream` field is that argument; else one is added, last."""
        annotation, default = {
            True: ("Literal[True]", ""),
            False: ("Literal[False] | None | NotGiven", " = NOT_GIVEN"),
            None: ("bool | None | NotGiven", " = NOT_GIVEN"),
        }[streaming]
        switch = Argument(self.stream_switch, annotation, default, False, "body")
        if self.stream_switch not in {b.name for b in self.body_fields}:
            return (*self.arguments, switch)
        return tuple(switch if a.name == self.stream_switch and not a.positional else a for a in self.arguments)


@dataclass(frozen=True)
class Webhook:
    """A request the API sends its users (a 3.1 webhook, an operation's callback): what
    webhooks.py receives. A Protocol types the handler; ``create_webhook_router`` mounts it."""

    kind: Literal["webhook", "callback"]
    name: str  # as the document names it: `pet.new`, the callback `onData`
    argument: str  # the handler's keyword of `create_webhook_router`
    protocol: str  # the handler's Protocol class
    method: str  # the HTTP method it arrives with
    path: str  # where the router mounts it unless told otherwise
    doc: str  # the Protocol's docstring
    payload: str  # the payload's annotation ("": the request has no body)
    payload_kind: Literal["json", "text", "bytes", ""]  # how the body is read
    payload_required: bool  # False: an empty body is `None`
    answer: str  # the answer body's annotation ("": no body; a JSON one otherwise)
    status: int  # the success answer's status (the first 2xx the document declares)
    media: str  # the answer's media type ("" when it has no body)
    #: (location, name) of each required header or query parameter (absent: answered 400).
    required: tuple[tuple[str, str], ...] = ()

    @property
    def signature(self) -> str:
        """The Protocol's `__call__` parameters after `self` (positional: any names will do)."""
        payload = self.payload if self.payload_required else or_none(self.payload)
        return (f"payload: {payload}, " if self.payload else "") + "context: WebhookContext, /"

    @property
    def returns(self) -> str:
        return or_none(self.answer) if self.answer else "None"

    @property
    def reader(self) -> str:
        """Expression: the body's bytes -> the payload (`_json(models.Pet, required=True)`)."""
        if not self.payload_kind:
            return "None"
        head = f"_json({self.payload}, " if self.payload_kind == "json" else f"_{self.payload_kind}("
        return f"{head}required={self.payload_required})"

    @property
    def writer(self) -> str:
        return f"_dump({self.answer})" if self.answer else "None"

    @property
    def summary(self) -> str:
        """How `create_webhook_router`'s docstring lists it."""
        return f"receives {self.kind} `{self.name}` ({self.method} {self.path})"


@dataclass(frozen=True)
class Security:
    """A security scheme the client can send: one setting, read from one env var."""

    name: str  # the scheme's name in components/securitySchemes
    setting: str  # client keyword argument and attribute (`api_key`, `basic_auth`...)
    kind: Literal["bearer", "basic", "api_key"]
    location: Literal["header", "query", "cookie"] = "header"
    wire: str = "authorization"  # header / query / cookie name
    env: str = ""  # environment variable read when the setting is not given
    deprecated: bool = False  # `deprecated: true` (3.2): still sent, said so in the docs
    #: OAuth 2: the flows the scheme offers, by name (`deviceAuthorization`: 3.2) with the URL
    #: the user starts at (the client sends the token the flow gave; it runs no flow itself).
    flows: tuple[tuple[str, str], ...] = ()

    @property
    def doc(self) -> str:
        """How the client docstring names the scheme: `(name)`, deprecated or not, and flows."""
        said = ["deprecated"] if self.deprecated else []
        said += [f"OAuth 2 {flow} at {url}" if url else f"OAuth 2 {flow}" for flow, url in self.flows]
        return self.name + "".join(f", {s}" for s in said)


@dataclass(frozen=True)
class KindRow:
    """One kind of a tagged union: its tag, the classes to send it with, the classes it comes back as."""

    tag: str
    send: tuple[str, ...]
    receive: tuple[str, ...]


@dataclass(frozen=True)
class KindTable:
    """ "Which class do I use" for one request union (and the response union it pairs with)."""

    tag_wire: str
    request_union: str
    response_union: str | None
    rows: tuple[KindRow, ...]


@dataclass(frozen=True)
class Resource:
    """A node of the client's tree: the client itself (``path == ()``) or ``client.<path>``."""

    path: tuple[str, ...]  # attribute names from the client down
    class_name: str  # ConversationsItemsResource ("" for the client)
    async_class_name: str
    doc: str
    children: tuple[Resource, ...]
    operations: tuple[Operation, ...]  # the methods, in document order
    # Its `with_raw_response` / `with_streaming_response` views: sync raw, sync streaming,
    # async raw, async streaming (ConversationsResourceWithRawResponse, ...).
    views: tuple[str, str, str, str] = ("", "", "", "")

    @property
    def name(self) -> str:
        """The attribute on the parent."""
        return self.path[-1] if self.path else ""

    @property
    def public_operations(self) -> tuple[Operation, ...]:
        """The methods a user calls (not the private twins that `stream=True` calls)."""
        return tuple(op for op in self.operations if not op.method_name.startswith("_"))

    @property
    def paginated(self) -> bool:
        """Whether one of its methods returns pages (the resource then borrows the client's `_page`)."""
        return any(op.paginated for op in self.operations)

    def walk(self) -> tuple[Resource, ...]:
        """Every resource below this one (not itself), parents before children."""
        out: list[Resource] = []
        for child in self.children:
            out.append(child)
            out.extend(child.walk())
        return tuple(out)


@dataclass(frozen=True)
class ModelModule:
    """One module of the ``models`` package (``modules.py`` decides which definitions go where)."""

    name: str  # module name inside `models/`
    doc: str
    definitions: tuple[Model | Alias | Union, ...]  # in the order the module defines them
    exports: tuple[str, ...]  # its `__all__`
    #: Its import lines, in isort's sections (standard library, third party, the package). It
    #: imports from modules keyed by more groups only: the package has no import cycle.
    import_blocks: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Api:
    title: str
    version: str
    package: str
    spec_name: str
    spec_sha256: str
    overlays: tuple[str, ...]
    servers: tuple[str, ...]
    definitions: tuple[Model | Alias | Union, ...]  # in the order the package defines them
    uses_dispatch: bool
    operations: tuple[Operation, ...]
    error_model: str | None
    base_url: str | None
    base_url_env: str
    api_key_env: str
    client_headers: tuple[Param, ...]  # optional headers every operation takes
    user_agent: str = "specbind"
    adapters: tuple[tuple[str, str], ...] = ()  # (constant, type) for non-class responses
    service_name: str = "ApiService"  # server Protocol name, from the operations' first tag
    unknown_models: tuple[str, ...] = ()  # every Unknown<Union> fallback class
    server_imports: tuple[str, ...] = ()
    server_exports: tuple[str, ...] = ()
    server_uses_field: bool = False
    server_typing_imports: tuple[str, ...] = ()
    client_imports: tuple[str, ...] = ()  # model names the client module uses
    exports: tuple[str, ...] = field(default=())
    model_modules: tuple[ModelModule, ...] = ()  # the modules of the `models` package, by name
    model_index: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (module, its names in import order)
    client_stdlib_imports: tuple[str, ...] = ()  # the same, for body arguments of client methods
    securities: tuple[Security, ...] = ()
    tags: tuple[Tag, ...] = ()  # the document's `tags`, in order
    credentials_doc: str = ""  # the client docstring's sentence on credentials
    #: Python expression (over status, message, param, code, error_type) building the body of
    #: the server's own errors, in the document's error schema or the minimal default.
    error_body: str = ""
    error_media: str = "application/json"
    error_adapters: tuple[tuple[str, str], ...] = ()  # (constant, type) for error bodies

    package_exports: tuple[str, ...] = ()  # the package's top level: models, client, errors, pages
    lazy_exports: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (module, names) imported on first use
    kind_tables: tuple[KindTable, ...] = ()
    which_class: str = ""  # kind_tables as text (models' docstring, --explain, README)
    webhooks: tuple[Webhook, ...] = ()  # what webhooks.py receives, in document order
    webhook_imports: tuple[str, ...] = ()  # webhooks.py's `from <stdlib> import ...` lines
    webhook_pydantic_imports: tuple[str, ...] = ()
    #: The client's resource tree (``layout``); its root holds the methods of the client itself.
    resources: Resource = field(default_factory=lambda: Resource((), "", "", "", (), ()))

    @property
    def client_exports(self) -> tuple[str, ...]:
        """client.py's `__all__`: the clients and every resource class (for annotations)."""
        names = ["NOT_GIVEN", "AsyncClient", "Client", "NotGiven"]
        names += [n for r in self.resources.walk() for n in (r.class_name, r.async_class_name)]
        return tuple(sorted(names, key=naming.export_key))

    @property
    def client_uses_builtins(self) -> bool:
        """Whether client.py writes `builtins.list[...]` (a resource with a `list` member, see `layout`)."""
        return any(
            "builtins.list[" in " ".join([a.annotation for a in op.arguments] + [op.response or "", op.item_type or ""])
            for r in self.resources.walk()
            for op in r.operations
        )

    @property
    def streams(self) -> bool:
        return any(op.response_kind == "stream" for op in self.operations)

    @property
    def typed_events(self) -> bool:
        """Some answer is a text/event-stream of typed events (`ServerSentEvent`)."""
        return any(op.stream is not None and op.stream.format == "events" for op in self.operations)

    def streams_in(self, *formats: str) -> bool:
        """Some answer (or `_stream` twin) is a stream of one of ``formats``: server.py defines their writers."""
        return any(op.stream is not None and op.stream.format in formats for op in self.operations)

    @property
    def multipart(self) -> bool:
        return any(op.body_kind == "multipart" for op in self.operations)

    @property
    def paginated(self) -> bool:
        return any(op.paginated for op in self.operations)

    @property
    def models(self) -> tuple[Model, ...]:
        return tuple(d for d in self.definitions if isinstance(d, Model))

    @property
    def client_check_imports(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(typing, pydantic) names the client's argument checks use, besides what it always imports."""
        text = " ".join(a for op in self.operations for _, a in op.client_checks)
        # Answer types with constraints (`Annotated[tuple[...], Field(strict=False)]`) in adapters.
        used = " ".join([text] + [t for _, t in self.adapters + self.error_adapters])
        # `BaseModel` itself, not a model named `BaseModel_` (`models.BaseModel_`).
        takes_models = any(
            _BASE_MODEL.search(text)
            for op in self.operations
            for text in (op.body_annotation, *(b.param_annotation for b in op.body_fields))
        )  # a union body, whole or a field, takes any model
        typing = tuple(n for n in ("Annotated",) if n + "[" in used)
        typing += ("overload",) if any(op.stream_call for op in self.operations) else ()
        pydantic = (("BaseModel",) if takes_models else ()) + tuple(n for n in ("Field",) if n + "(" in used)
        return typing, pydantic

    @property
    def client_checks(self) -> bool:
        """Whether some method checks its arguments (a `TypedDict` per method, validated on first use)."""
        return any(op.client_checks for op in self.operations)

    @property
    def client_uses_models(self) -> bool:
        """Whether client.py names anything in `models` (else it does not import it)."""
        parts = [t for _, t in self.adapters + self.error_adapters]
        for op in self.operations:
            parts += [op.body_annotation, op.body_model or "", op.response or "", op.item_type or ""]
            parts += [a for _, a in op.client_checks]
            parts += [p.annotation + " " + p.client_value for p in op.params]
            parts += [b.param_annotation for b in op.body_fields]
        return _uses_models(parts)

    @property
    def errors_use_models(self) -> bool:
        """Whether errors.py names anything in `models`."""
        return _uses_models([self.error_model or ""])

    @property
    def server_uses_models(self) -> bool:
        """Whether server.py names anything in `models`."""
        parts = [t for _, t in self.adapters] + [self.error_body] + ["models." + n for n in self.unknown_models]
        for op in self.operations:
            parts += [op.body_model or "", op.body_type, op.response or ""]
            parts += [
                p.annotation + " " + p.constrained + " " + p.service_annotation + " " + p.server_value + " " + p.default
                for p in op.params
            ]
            parts += [p.server_assignment for p in op.server_params]
            parts += [b.server_annotation + " " + b.server_assignment for b in op.body_fields]
        return _uses_models(parts)

    @property
    def server_readers(self) -> frozenset[str]:
        """The server's wire readers the operations use (`_query`, `_cookie`, `_from_text`,
        `_from_rest`, `_form` and `_unclaimed`): server.py defines only those."""
        text = " ".join(p.server_value for op in self.operations for p in op.server_params)
        found = {
            name for name in ("_query", "_querystring", "_cookie", "_from_text", "_from_rest") if name + "(" in text
        }
        if any(op.body_kind in ("form", "multipart") for op in self.operations):
            found.add("_form")
        if found & {"_form", "_from_rest"}:
            found.add("_unclaimed")  # what neither declares: the rest of the form or query
        return frozenset(found)

    @property
    def server_urllib_imports(self) -> tuple[str, ...]:
        readers = self.server_readers
        return (
            (("parse_qsl",) if "_form" in readers else ())
            + (("unquote",) if "_cookie" in readers else ())
            + (("unquote_to_bytes",) if "_querystring" in readers else ())
        )

    @property
    def server_uses_config_dict(self) -> bool:
        """Whether server.py declares a parameter model (one per routed operation) or a parts model."""
        return any(not op.stream_of or op.parts_model for op in self.operations)

    @property
    def webhook_exports(self) -> tuple[str, ...]:
        """webhooks.py's `__all__`."""
        return tuple(sorted([w.protocol for w in self.webhooks] + ["WebhookContext", "create_webhook_router"]))

    @property
    def webhook_keywords(self) -> list[str]:
        """`create_webhook_router`'s handler keywords (a misspelt `paths` key is refused)."""
        return [w.argument for w in self.webhooks]

    @property
    def webhook_router_doc(self) -> str:
        first = self.webhooks[0].argument if self.webhooks else "name"
        lines = [
            "A router with a route for each handler given; include it in your FastAPI app.",
            "",
            "Args:",
            *(f"    {w.argument}: {w.summary}." for w in self.webhooks),
            "    path: mount every handler given at this one path instead; the first of them whose",
            "        payload validates, in the order above, is called.",
            f'    paths: the path of some handlers, by keyword (`{{"{first}": "/hooks"}}`).',
        ]
        return "\n".join(lines)

    @property
    def webhooks_use_models(self) -> bool:
        return _uses_models([w.signature + w.returns + w.reader + w.writer for w in self.webhooks])

    @property
    def accepts_other_models(self) -> bool:
        return any(isinstance(d, Union) and d.accepts_other_models for d in self.definitions)

    @property
    def unions(self) -> tuple[Union, ...]:
        return tuple(d for d in self.definitions if isinstance(d, Union))


_MODELS = re.compile(r"(?<![\w.])models\.")
_BASE_MODEL = re.compile(r"(?<![\w.])BaseModel(?!\w)")


def _uses_models(parts: list[str]) -> bool:
    return any(_MODELS.search(text) for text in parts)
