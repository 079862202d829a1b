"""A generated package in a temporary folder, and a service that answers every operation with a
small valid value of the type it declares (``minimal``): what the behaviour test and the
schemathesis run against generated servers share."""

from __future__ import annotations

import importlib
import sys
import typing
from pathlib import Path
from types import ModuleType
from typing import Any

from minimal import minimal

from specbind.build import build_api
from specbind.config import Job
from specbind.errors import Diagnostics
from specbind.pipeline import load_spec
from specbind.render import GeneratorInfo, render_package


def generate_package(spec: Path, root: Path, package: str) -> tuple[Any, Diagnostics]:
    """Build and render (unformatted: formatting changes nothing here) and write; SpecError if
    specbind refuses the document."""
    job = Job("behaviour", spec, root / package, package, (), spec.parent)
    diagnostics = Diagnostics()
    api = build_api(load_spec(job), package=package, spec_name=spec.name, diagnostics=diagnostics)
    (root / package).mkdir()
    for rel, text in render_package(api, GeneratorInfo("test", "none")).items():
        (root / package / rel).parent.mkdir(parents=True, exist_ok=True)  # models/...
        (root / package / rel).write_text(text, encoding="utf-8")
    return api, diagnostics


def import_package(root: Path, package: str) -> dict[str, ModuleType]:
    sys.path.insert(0, str(root))
    try:
        return {name: importlib.import_module(f"{package}.{name}") for name in ("models", "client", "server")}
    finally:
        sys.path.remove(str(root))


def forget_package(package: str) -> None:
    for name in [m for m in list(sys.modules) if m == package or m.startswith(package + ".")]:
        del sys.modules[name]


class Recorder:
    """The service: records each call, answers with the prepared value."""

    def __init__(self, answers: dict[str, Any]) -> None:
        self.answers = answers
        self.calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []

    def __getattr__(self, name: str) -> Any:
        answer = self.answers[name]
        if isinstance(answer, Events):

            async def events(ctx: Any, *args: Any, **kwargs: Any) -> Any:
                self.calls.append((name, args, kwargs))
                for event in answer.events:
                    yield event

            return events

        async def method(ctx: Any, *args: Any, **kwargs: Any) -> Any:
            self.calls.append((name, args, kwargs))
            return answer

        return method


class Events:
    """What a streaming service method yields."""

    def __init__(self, events: list[Any]) -> None:
        self.events = events


def answer_for(pkg: dict[str, ModuleType], api: Any, op: Any) -> Any:
    """A small valid answer of the type the service method declares (CannotBuild if none can be)."""
    answer_type = typing.get_type_hints(getattr(pkg["server"].__dict__[api.service_name], op.name))["return"]
    if op.response_kind == "stream":
        return Events([minimal(typing.get_args(answer_type)[0])] * 2)
    answer = None if answer_type is type(None) else minimal(answer_type)
    if isinstance(answer, bytes | str) and not answer:
        answer = b"\x01answer" if isinstance(answer, bytes) else "answer"
    return answer
