"""Regeneration workflow: semantic diff, manifest reasons, verify, vendoring."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from paths import REPO

from specbind.cli import main

SPEC = REPO / "spec" / "conversations.yaml"


def _changed_spec(tmp: Path) -> Path:
    d = yaml.safe_load(SPEC.read_text())
    s = d["components"]["schemas"]
    s["WebSearchToolCall"]["properties"]["status"]["enum"].append("incomplete")
    s["NewThing"] = {
        "type": "object",
        "required": ["type"],
        "properties": {"type": {"type": "string", "enum": ["new_thing"]}},
    }
    s["Item"]["oneOf"].append({"$ref": "#/components/schemas/NewThing"})
    s["ConversationResource"]["required"].append("extra")
    s["ConversationResource"]["properties"]["extra"] = {"type": "string"}
    s["CreateConversationBody"]["properties"]["title"] = {"type": "string"}
    s["CreateConversationBody"]["required"] = ["title"]
    del d["paths"]["/conversations/{conversation_id}"]["delete"]
    out = tmp / "new.yaml"
    out.write_text(yaml.safe_dump(d, sort_keys=False))
    return out


def test_semantic_diff_classifies_by_direction(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new = _changed_spec(tmp_path)
    assert main(["diff", str(SPEC), str(new), "--json"]) == 0
    changes = {(c["where"], c["what"].split(":")[0]): c["severity"] for c in json.loads(capsys.readouterr().out)}
    assert changes[("operation deleteConversation", "removed")] == "breaking-clients"
    assert changes[("schema WebSearchToolCall.status", "enum values added")] == "breaking-clients"  # response side
    assert changes[("schema ConversationResource.extra", "required field added")] == "breaking-servers"  # response side
    assert (
        changes[("schema CreateConversationBody.title", "required field added")] == "breaking-clients"
    )  # request side
    assert changes[("schema NewThing", "added")] == "additive"
    assert changes[("schema Item", "variants added")] == "additive"
    assert main(["diff", str(SPEC), str(new), "--exit-code"]) == 1
    assert "breaking for clients" in capsys.readouterr().out
    assert main(["diff", str(SPEC), str(SPEC), "--exit-code"]) == 0


def test_generate_reports_api_changes_and_check_says_why(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "pkg"
    assert main(["generate", "--spec", str(SPEC), "--out", str(out)]) == 0
    capsys.readouterr()
    new = _changed_spec(tmp_path)
    assert main(["check", "--spec", str(new), "--out", str(out)]) == 1
    assert "why: the spec changed (new.yaml)" in capsys.readouterr().out
    assert main(["generate", "--spec", str(new), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "API changes since the last generation" in printed and "operation deleteConversation: removed" in printed
    (out / "client.py").write_text((out / "client.py").read_text() + "\n# local patch\n")
    assert main(["check", "--spec", str(new), "--out", str(out)]) == 1
    assert "why: edited by hand: client.py" in capsys.readouterr().out
    assert main(["verify", str(out)]) == 1
    assert "client.py: edited by hand" in capsys.readouterr().out


def test_vendored_package_imports_under_any_parent(tmp_path: Path) -> None:
    target = tmp_path / "src" / "myapp" / "_vendor" / "conversations"
    assert main(["generate", "--job", "default", "--package", "myapp._vendor.conversations", "--out", str(target)]) == 0
    for folder in (target.parent, target.parent.parent):
        (folder / "__init__.py").write_text("")
    head = (target / "models" / "__init__.py").read_text().splitlines()[0]
    assert "specbind 0.1.0" in head and "sha256 " in head
    code = (
        "import myapp._vendor.conversations as c, myapp._vendor.conversations.client as cl, sys;"
        "m = c.EasyInputMessage(role='user', content='hi');"
        "assert cl.Client(api_key='k').base_url == 'https://api.openai.com/v1';"
        "assert not any(name.startswith('specbind') for name in sys.modules), 'imports specbind'"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path / "src", capture_output=True, text=True, check=False,
                          env={"PATH": "", "PYTHONPATH": ""})  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert main(["verify", str(target)]) == 0


def test_generate_from_any_directory_uses_the_embedded_fragment(tmp_path: Path) -> None:
    """No pyproject.toml: the fragment and its default overlays ship inside specbind."""
    proc = subprocess.run(
        [sys.executable, "-m", "specbind", "generate", "--out", "pkg"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    committed = REPO / "generated" / "conversations"
    for path in sorted(committed.glob("*.py")):
        # The package is named after --out (`pkg`): only the user agent says so.
        ours = (tmp_path / "pkg" / path.name).read_text().replace('USER_AGENT = "pkg/', 'USER_AGENT = "conversations/')
        assert ours == path.read_text(), path.name


def test_diff_reports_a_moved_client_method_and_a_renamed_argument(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d = yaml.safe_load(SPEC.read_text())
    items = d["paths"]["/conversations/{conversation_id}/items"]
    items["get"]["x-speakeasy-group"] = "history"  # client.conversations.items.list -> client.history.list
    items["get"]["x-speakeasy-name-override"] = "list"
    after = next(p for p in items["get"]["parameters"] if p.get("name") == "after")
    after["x-specbind-name"] = "start_after"  # `after` -> `start_after`
    new = tmp_path / "moved.yaml"
    new.write_text(yaml.safe_dump(d, sort_keys=False))
    assert main(["diff", str(SPEC), str(new), "--json"]) == 0
    changes = {(c["where"], c["what"]): c["severity"] for c in json.loads(capsys.readouterr().out)}
    moved = "client method moved: client.conversations.items.list -> client.history.list"
    assert changes[("operation listConversationItems", moved)] == "breaking-clients"
    assert changes[("operation listConversationItems query:after", "argument renamed: after -> start_after")] == (
        "breaking-clients"
    )
    assert len(changes) == 2
