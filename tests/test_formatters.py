"""One set of bytes, two formatters: ruff format 0.17.6 (the default) writes exactly what black
26.10.1 (the reference, `formatter = "black"`) writes, for every module specbind generates.

`test_black_and_ruff_write_the_same_bytes` renders every job of this repository, every case
folder, every document of `../shared/corpus/` (Stripe included) and the whole OpenAI document,
formats each module both ways and requires identical bytes. black is slow on the big ones: it
runs in forked workers and its output is cached by input hash (specbind's format cache,
`$SPECBIND_CACHE_DIR` or `~/.cache/specbind`), so it runs once per rendered text. ruff runs
uncached every time. Cold (empty cache), the whole set takes about 4 minutes on two shared
cores (Stripe and the whole OpenAI document about a minute and a half each, most of it black);
warm, about a minute (rendering and ruff).

The other tests pin each place where ruff alone departs from black (`fmt_compat.py`), so that a
case that stops being real, or a new one, is seen; and what switching formatter must not change:
the bytes, the manifest, `specbind check`."""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import pytest
from paths import REPO, SHARED

from specbind import __version__, fmt, fmt_compat
from specbind.build import build_api
from specbind.cli import main
from specbind.config import Job, load_jobs
from specbind.errors import SpecError
from specbind.pipeline import load_spec
from specbind.render import GeneratorInfo, render_package
from specbind.snapshots import case_job

CORPUS = SHARED / "corpus"
OPENAI = SHARED / "upstream" / "openai-openapi.2026-05-13.yaml"


def _documents() -> list[tuple[str, Job]]:
    jobs = [(f"repo/{j.name}", j) for j in load_jobs(REPO)]
    jobs += [
        (f"case/{c.name}", case_job(c))
        for c in sorted((REPO / "tests" / "cases").glob("*/"))
        if (c / "spec.yaml").exists()
    ]
    if CORPUS.is_dir():
        from test_corpus import documents, source

        for rel in documents():
            jobs.append((rel, Job("corpus", source(rel), Path("unused"), "corpus_pkg")))
    elif OPENAI.is_file():
        jobs.append((f"upstream/{OPENAI.name}", Job("corpus", OPENAI, Path("unused"), "openai_api")))
    return jobs


DOCUMENTS = _documents()


def _diff(black: str, ruff: str, path: str) -> str:
    lines = difflib.unified_diff(
        black.splitlines(), ruff.splitlines(), f"black/{path}", f"ruff/{path}", lineterm="", n=2
    )
    return "\n".join(list(lines)[:80])


@pytest.mark.parametrize("job", [j for _, j in DOCUMENTS], ids=[name for name, _ in DOCUMENTS])
def test_black_and_ruff_write_the_same_bytes(job: Job) -> None:
    try:
        doc = load_spec(job)
        api = build_api(doc, package=job.package, spec_name=job.spec.name, overlays=tuple(p.name for p in job.overlays))
    except SpecError:
        pytest.skip("a document specbind refuses (test_corpus.py pins the error): nothing to format")
    rendered = render_package(api, GeneratorInfo(__version__, fmt.description()))
    black = fmt.format_files(rendered, "black")
    ruff = fmt.format_files(rendered, "ruff", use_cache=False)  # ruff really ran
    modules = [p for p in rendered if p.endswith(".py")]
    assert modules
    for path in modules:
        assert ruff[path] == black[path], _diff(black[path], ruff[path], path)


def _ruff_alone(text: str) -> str:
    return fmt._ruff_many([("m.py", text)])[0]


def _as_black(text: str) -> tuple[str, str, str]:
    """(black's output, plain ruff's, specbind's ruff path)."""
    return fmt._black(text), _ruff_alone(text), fmt.format_files({"m.py": text}, "ruff", use_cache=False)["m.py"]


CASE_1 = """class Client:
    def list_things(
        self,
        *,
        not_required_nullable_one_of_models: models.AModelNotRequiredNullableOneOfModels | None | NotGiven = NOT_GIVEN,
        group_by: list[Literal["project_id", "user_id", "api_key_id", "model", "batch", "service_tier"]] | None = None,
        some_nullable_object: models.BodyUploadFileTestsUploadPostSomeNullableObject | Mapping[str, Any] | None,
        short: int | None = None,
    ) -> None:
        pass
"""
CASE_2 = """class FineTuneSupervisedHyperparameters(BaseModel):
    learning_rate_multiplier: FineTuneSupervisedHyperparametersLearningRateMultiplier = "auto"  # kept


TerminalConfigurationConfigurationResourceDeviceTypeSpecificConfigSplashscreen: TypeAlias = (Annotated[str, Field(max_length=5000)] | File)
CreateEvalCompletionsRunDataSourceInputMessagesTemplateInputMessagesTemplateItem: TypeAlias = Annotated[Annotated[EasyInputMessage, Tag("EasyInputMessage")] | Annotated[EvalItem, Tag("EvalItem")], Field(discriminator="type")]
"""
CASE_3 = '''def status_error(response: httpx.Response) -> APIStatusError:
    """The exception for a non-2xx response: the class named for its status; `errors` maps
    the operation's declared statuses (`404`, `4XX`, `default`) to their error schemas."""
    return APIStatusError(response)
'''


@pytest.mark.parametrize(
    ("text", "black_has"),
    [
        (CASE_1, "        not_required_nullable_one_of_models: (\n"),
        (CASE_2, "    learning_rate_multiplier: (\n"),
        (
            CASE_2,
            "TerminalConfigurationConfigurationResourceDeviceTypeSpecificConfigSplashscreen: (\n    TypeAlias\n) = ",
        ),
        (CASE_3, 'error schemas.\n    """\n'),
    ],
    ids=["parameter annotations", "annotated field", "long alias name", "docstring closing quotes"],
)
def test_each_place_where_ruff_alone_departs_from_black(text: str, black_has: str) -> None:
    black, ruff, ours = _as_black(text)
    assert black_has in black
    assert black_has not in ruff, "ruff now agrees with black here: fmt_compat's case can go"
    assert ours == black


def test_the_pieces_put_back_are_the_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """fmt_compat cuts ruff's output at definitions and big classes at members; joined, the
    parts are the module, and rendered and formatted stretches line up by name. (The
    Conversations client's classes are small since resources: a lower threshold cuts them.)"""
    monkeypatch.setattr(fmt_compat, "MEMBERS_FROM", 2_000)
    job = next(j for j in load_jobs(REPO) if j.name == "default")
    api = build_api(load_spec(job), package=job.package, spec_name=job.spec.name, overlays=())
    rendered = render_package(api, GeneratorInfo(__version__, fmt.description()))
    for path in ("models/conversations.py", "client.py"):
        formatted = _ruff_alone(rendered[path])
        parts = fmt_compat.parts(rendered[path], formatted)
        assert len(parts) > 10, path
        assert fmt_compat.join(parts) == formatted
        assert any(p.member for p in parts) == (path == "client.py")
        for part in parts:
            assert fmt_compat._key(part.raw) == fmt_compat._key(part.out), part.raw[:80]


def _generate(*args: str) -> int:
    spec = REPO / "tests" / "cases" / "operations" / "spec.yaml"
    return main(["generate", "--quiet", "--spec", str(spec), *args])


def test_switching_formatter_changes_no_byte(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SPECBIND_NO_CACHE", "1")
    assert _generate("--out", "r", "--package", "p", "--formatter", "ruff") == 0
    assert _generate("--out", "b", "--package", "p", "--formatter", "black") == 0
    assert _generate("--out", "d", "--package", "p") == 0  # the default
    files = {p.relative_to(tmp_path / "r").as_posix() for p in (tmp_path / "r").rglob("*") if p.is_file()}
    assert "specbind-manifest.json" in files and "models/__init__.py" in files
    for name in files:
        ruff = (tmp_path / "r" / name).read_bytes()
        assert ruff == (tmp_path / "b" / name).read_bytes() == (tmp_path / "d" / name).read_bytes(), name
    manifest = json.loads((tmp_path / "r" / "specbind-manifest.json").read_text())
    assert manifest["format"] == fmt.description()
    assert fmt.BLACK_VERSION in manifest["format"] and fmt.RUFF_VERSION in manifest["format"]
    assert f"# Formatted by {fmt.description()}." in (tmp_path / "r" / "models" / "__init__.py").read_text()


def test_check_stays_green_when_the_user_switches_formatter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = REPO / "tests" / "cases" / "operations" / "spec.yaml"
    project = f'[tool.specbind]\nspec = "{spec}"\nout = "o"\npackage = "o"\n'
    (tmp_path / "pyproject.toml").write_text(project + 'formatter = "black"\n')
    monkeypatch.chdir(tmp_path)
    assert main(["generate", "--quiet"]) == 0
    (tmp_path / "pyproject.toml").write_text(project + 'formatter = "ruff"\n')
    assert main(["check", "--quiet"]) == 0
    (tmp_path / "pyproject.toml").write_text(project)  # the default
    assert main(["check", "--quiet"]) == 0
    capsys.readouterr()
    assert main(["generate"]) == 0
    assert capsys.readouterr().out.strip() == "specbind: o is up to date"  # the fast path: nothing rebuilt


def test_formatter_in_pyproject_and_bad_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = REPO / "tests" / "cases" / "operations" / "spec.yaml"
    (tmp_path / "pyproject.toml").write_text(
        f'[tool.specbind]\nspec = "{spec}"\nout = "o"\npackage = "o"\nformatter = "yapf"\n'
    )
    monkeypatch.chdir(tmp_path)
    capsys.readouterr()
    assert main(["generate"]) == 2
    err = capsys.readouterr().err
    assert '/tool/specbind/jobs/default/formatter: `formatter` must be "black" or "ruff"' in err, err


@pytest.mark.parametrize("formatter", ["ruff", "black"])
def test_a_formatter_crash_names_the_module_and_writes_nothing(
    formatter: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import specbind.pipeline

    real = specbind.pipeline.render_package

    def broken(api: object, gen: GeneratorInfo) -> dict[str, str]:
        files = real(api, gen)  # type: ignore[arg-type]
        files["server.py"] += "\ndef (:\n"
        return files

    monkeypatch.setattr(specbind.pipeline, "render_package", broken)
    monkeypatch.setenv("SPECBIND_NO_CACHE", "1")
    monkeypatch.chdir(tmp_path)
    capsys.readouterr()
    assert _generate("--out", "o", "--package", "o", "--formatter", formatter) == 3
    err = capsys.readouterr().err.strip()
    assert err.startswith("specbind: internal error: server.py: rendered code is not valid Python ("), err
    assert len(err.splitlines()) == 1 and "please report this" in err
    assert not (tmp_path / "o").exists()


def test_a_missing_or_wrong_ruff_is_a_clean_error(monkeypatch: pytest.MonkeyPatch) -> None:
    fmt._ruff_bin.cache_clear()
    monkeypatch.setattr(fmt, "version", lambda name: "0.0.1")
    try:
        with pytest.raises(fmt.FormatterUnavailable, match=f"needs ruff=={fmt.RUFF_VERSION}"):
            fmt.format_files({"m.py": "x = 1\n"}, "ruff", use_cache=False)
    finally:
        fmt._ruff_bin.cache_clear()
