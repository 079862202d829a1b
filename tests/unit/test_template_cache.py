"""Compiled templates kept between runs (template_cache.TemplateCache): a second environment loads what
the first compiled and renders the same text; a damaged entry, a changed template or an
folder that cannot be made only costs a compile; SPECBIND_NO_CACHE=1 keeps none."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest

from specbind.template_cache import TemplateCache, template_cache

REPO = Path(__file__).resolve().parents[2]


def _render(cache: TemplateCache | None, root: Path, name: str = "t.jinja") -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(root)), bytecode_cache=cache)
    return env.get_template(name).render(x=2)


def test_a_second_run_loads_what_the_first_compiled(tmp_path: Path) -> None:
    root = tmp_path / "templates"
    root.mkdir()
    (root / "t.jinja").write_text("{{ x * 21 }}")
    folder = tmp_path / "cache"
    assert _render(TemplateCache(str(folder)), root) == "42"
    assert len(list(folder.iterdir())) == 1
    loaded = TemplateCache(str(folder))
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(root)), bytecode_cache=loaded)
    compiled: list[str] = []
    env._compile = lambda source, filename: compiled.append(filename) or compile(source, filename, "exec")  # type: ignore[method-assign]
    assert env.get_template("t.jinja").render(x=2) == "42"
    assert compiled == []  # loaded, not compiled
    (root / "t.jinja").write_text("{{ x * 50 }}")  # changed: compiled again, never the old code
    assert _render(TemplateCache(str(folder)), root) == "100"


def test_a_damaged_entry_is_compiled_again(tmp_path: Path) -> None:
    root = tmp_path / "templates"
    root.mkdir()
    (root / "t.jinja").write_text("{{ x }}!")
    folder = tmp_path / "cache"
    _render(TemplateCache(str(folder)), root)
    (entry,) = folder.iterdir()
    data = entry.read_bytes()
    entry.write_bytes(data[: len(data) // 2])  # truncated mid-way through the code
    assert _render(TemplateCache(str(folder)), root) == "2!"
    entry.write_bytes(b"not jinja at all")
    assert _render(TemplateCache(str(folder)), root) == "2!"


def test_a_file_where_the_folder_should_be(tmp_path: Path) -> None:
    root = tmp_path / "templates"
    root.mkdir()
    (root / "t.jinja").write_text("ok")
    (tmp_path / "cache").write_text("in the way")
    assert _render(TemplateCache(str(tmp_path / "cache")), root) == "ok"


def test_generate_with_the_cache_writes_the_same_bytes(tmp_path: Path) -> None:
    env = {**os.environ, "SPECBIND_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("SPECBIND_NO_CACHE", None)
    outs = []
    for run in ("first", "second"):  # the first compiles the templates, the second loads them
        out = tmp_path / run
        cmd = [sys.executable, "-m", "specbind", "generate", "--quiet", "--job", "default", "--out", str(out)]
        subprocess.run(cmd, check=True, capture_output=True, env=env, cwd=REPO)
        outs.append({p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
        assert len(list((tmp_path / "cache" / "specbind" / "templates").iterdir())) >= 10
    assert outs[0] == outs[1]


def test_where_the_cache_lives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPECBIND_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("SPECBIND_NO_CACHE", raising=False)
    cache = template_cache()
    assert cache is not None and Path(cache.directory) == tmp_path / "specbind" / "templates"
    monkeypatch.setenv("SPECBIND_NO_CACHE", "1")
    assert template_cache() is None
