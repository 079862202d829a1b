"""What the `json_schema_features` and `names_that_shadow` cases generate also works: the
packages import, validate and round-trip as the cases' NOTE.md say, and pass `mypy --strict`
and `ruff check --isolated`."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from paths import REPO

CASES = REPO / "tests" / "cases"


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False, timeout=600)


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("features")
    for case in ("json_schema_features", "names_that_shadow"):
        spec = CASES / case / "spec.yaml"
        proc = _run(
            [sys.executable, "-m", "specbind", "generate", "--spec", str(spec), "--out", case, "--package", case], out
        )
        assert proc.returncode == 0, proc.stderr
    return out


def _python(packages: Path, code: str) -> None:
    proc = _run([sys.executable, "-c", textwrap.dedent(code)], packages)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_json_schema_features_behave(packages: Path) -> None:
    _python(
        packages,
        """
        import pydantic, pytest
        from json_schema_features import models as m

        sent = {"name": "n", "secret": "s", "point": [1.5, 2.5], "labels": ["a", "b"], "x": 1,
                "pair": ["cat", "dog"], "level": None, "only_null": None, "kind": "thing",
                "created_at": "2024-01-01T00:00:00.000+00:00", "id": "not-checked",
                "tree": {"a": [1.5, "x", None, True, {"b": []}]}}
        thing = m.Thing.model_validate(sent)
        # strings keep their exact bytes (formats are annotations), extras are kept and typed
        assert thing.model_dump(mode="json", by_alias=True, exclude_unset=True) == sent
        assert thing.point == (1.5, 2.5) and thing.model_extra == {"x": 1}
        # readOnly `id` and writeOnly `secret` are required in the spec, not in the model
        m.Thing.model_validate({"name": "n", "point": [0.5, 1.5], "labels": []})
        for bad in ({"labels": ["a", "a"]}, {"x": "not an int"}, {"point": [1.5]},
                    {"pair": ["dog", "cat"]}, {"level": "mid"}, {"kind": "other"}, {"nothing": 1}):
            with pytest.raises(pydantic.ValidationError):
                m.Thing.model_validate({"name": "n", "point": [0.5, 1.5], "labels": [], **bad})
        # patternProperties: undeclared keys typed by the pattern's schema; additionalProperties: false
        # does not refuse them (the patterns themselves are not checked: a warning says so)
        assert m.Tagged.model_validate({"x-a": "s"}).model_extra == {"x-a": "s"}
        with pytest.raises(pydantic.ValidationError):
            m.Tagged.model_validate({"x-a": 1})
        # the recursive alias validates, builds and names itself in the JSON schema
        adapter = pydantic.TypeAdapter(m.JsonValue)
        value = {"a": [1.5, {"b": {"c": None}}]}
        assert adapter.dump_python(adapter.validate_python(value)) == value
        for name in m.__all__:
            obj = getattr(m, name)
            if isinstance(obj, type):
                obj.model_rebuild(force=True)
                obj.model_json_schema()
            else:
                pydantic.TypeAdapter(obj).json_schema()
        assert "JsonValue" in m.Thing.model_json_schema()["$defs"]
        """,
    )


def test_names_that_shadow_work(packages: Path) -> None:
    _python(
        packages,
        """
        from names_that_shadow import client, models as m, server
        from names_that_shadow.client import Client

        # a schema called Response / Exception keeps its name (client and server say `models.X`);
        # BaseModel / Field / Any, which the models modules import, step aside
        assert server.Response.__module__.startswith("starlette") or server.Response.__module__.startswith("fastapi")
        assert m.BaseModel_.__mro__[1].__name__ == "BaseModel" and m.BaseModel_.__mro__[1] is not m.BaseModel_
        assert client._http.path_text("a/b") == "a%2Fb"  # a schema called Quote shadows nothing the client uses
        assert server.ServiceError.__mro__[1] is Exception and m.Exception.__name__ == "Exception"  # client/server say `models.X`
        repo = m.Repository.model_validate({"address": {"street": "s"}, "Address": {"street": "t"}})
        assert repo.address is not None and repo.address2 is not None and repo.address2.street == "t"
        assert m.Repository.__doc__ is not None and "`repository` in the spec." in m.Repository.__doc__
        q = m.Quote.model_validate({"text": "t", "field": "a", "base": {"model": "x"}, "maybe": None, "mapping": {"k": "v"}, "anything": 3})
        assert q.model_dump(mode="json", exclude_unset=True)["base"] == {"model": "x"}
        assert hasattr(client.RepositoriesResource, "createan_api_keyforaserviceaccount")
        assert Client(base_url="http://x").repositories.list.__func__ is client.RepositoriesResource.list
        """,
    )


NAMES = ["json_schema_features", "names_that_shadow"]


def test_models_pass_mypy_strict_and_ruff(packages: Path) -> None:
    files = [f"{n}/{f}" for n in NAMES for f in ("__init__.py", "_base.py", "models")]
    mypy = _run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", *files], packages)
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr
    ruff = _run([sys.executable, "-m", "ruff", "check", "--isolated", "--no-cache", *files], packages)
    assert ruff.returncode == 0, ruff.stdout + ruff.stderr


def test_whole_packages_pass_mypy_strict(packages: Path) -> None:
    mypy = _run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", *NAMES], packages)
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr


def test_whole_packages_pass_ruff(packages: Path) -> None:
    ruff = _run([sys.executable, "-m", "ruff", "check", "--isolated", "--no-cache", *NAMES], packages)
    assert ruff.returncode == 0, ruff.stdout + ruff.stderr


def test_python_types_opt_in(tmp_path: Path) -> None:
    """`python_types = true`: formats become datetime / date / time / UUID in component schemas
    (a field named `date` steps aside); without it they stay `str` (the case above)."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        (CASES / "json_schema_features" / "spec.yaml").read_text()
        + "    Dated:\n      type: object\n      properties:\n        date: {type: string, format: date}\n"
        + "        code: {type: string, format: uuid, pattern: '^[a-f0-9-]+$'}\n"
    )
    (tmp_path / "pyproject.toml").write_text(
        '[tool.specbind]\nspec = "spec.yaml"\nout = "typed"\npackage = "typed"\npython_types = true\n'
    )
    proc = _run([sys.executable, "-m", "specbind", "generate"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "format 'uuid' with string constraints stays `str`" in proc.stderr
    _python(
        tmp_path,
        """
        import datetime, json, uuid
        import typed.models as m
        # JSON in: strings parse (in Python, the strict base model wants the objects themselves)
        t = m.Thing.model_validate_json(json.dumps({"name": "n", "point": [1.5, 2.5], "labels": [], "id": "12345678-1234-5678-1234-567812345678",
                                                    "created_at": "2024-01-01T10:00:00+00:00", "day": "2024-01-02", "at": "10:00:00"}))
        assert isinstance(t.id, uuid.UUID) and isinstance(t.created_at, datetime.datetime)
        assert isinstance(t.day, datetime.date) and isinstance(t.at, datetime.time)
        d = m.Dated.model_validate_json('{"date": "2024-01-02", "code": "abc"}')
        assert d.date_ == datetime.date(2024, 1, 2) and d.code == "abc"
        assert d.model_dump(mode="json", by_alias=True) == {"date": "2024-01-02", "code": "abc"}
        """,
    )
    mypy = _run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "typed/models", "typed/client.py"], tmp_path
    )
    assert mypy.returncode == 0, mypy.stdout
    (tmp_path / "pyproject.toml").write_text(
        '[tool.specbind]\nspec = "spec.yaml"\npackage = "typed"\npython_types = "yes"\n'
    )
    proc = _run([sys.executable, "-m", "specbind", "generate"], tmp_path)
    assert proc.returncode == 2 and "`python_types` must be true or false" in proc.stderr, proc.stderr
