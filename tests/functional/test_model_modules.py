"""The models package loads lazily (tests/cases/model_modules): importing the package loads no
model, a model loads its module and what that module imports, every name works from the top
level and from `models`, payloads round-trip across modules, and type checkers see real names."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from paths import REPO

from specbind.cli import main

SPEC = REPO / "tests" / "cases" / "model_modules" / "spec.yaml"


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("lazy")
    assert main(["generate", "--quiet", "--spec", str(SPEC), "--out", str(folder / "shop"), "--package", "shop"]) == 0
    return folder


def _python(root: Path, code: str) -> str:
    """Runs `code` in a fresh interpreter; `loaded()` there is the set of model modules loaded."""
    prelude = "import sys\ndef loaded():\n    return {m.rsplit('.', 1)[1] for m in sys.modules if m.startswith('shop.models.')}\n"
    proc = subprocess.run(
        [sys.executable, "-c", prelude + textwrap.dedent(code)], cwd=root, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_importing_the_package_or_the_client_loads_no_model_of_classes(root: Path) -> None:
    _python(
        root,
        """
        import shop, shop.models, shop.errors
        assert loaded() == set(), loaded()
        from shop import Client
        assert loaded() <= {"aliases"}, loaded()  # the argument checks name the enum `OrderStatus`
        """,
    )


@pytest.mark.parametrize(
    ("statement", "modules"),
    [
        ("from shop import PetContact", {"pets", "orders_pets_stores", "aliases"}),
        ("from shop.models import Coupon", {"common"}),
        ("import shop.models; shop.models.Order", {"orders", "orders_pets_stores", "common", "aliases"}),
        ("import shop; shop.PetEvent", {"pet_event", "pets", "orders_pets_stores", "aliases"}),
        ("from shop import Currency", {"aliases"}),
    ],
)
def test_a_name_loads_its_module_and_what_that_imports(root: Path, statement: str, modules: set[str]) -> None:
    _python(root, f"{statement}\nassert loaded() == {modules!r}, loaded()\n")


def test_every_name_from_every_place(root: Path) -> None:
    _python(
        root,
        """
        import shop, shop.models as m
        from pydantic import BaseModel, TypeAdapter
        names = list(m.__all__)
        assert len(names) == len(set(names)) == 31 and set(names) <= set(shop.__all__)
        assert set(names) <= set(dir(m)) and set(names) <= set(dir(shop))
        for name in names:  # each first asked for in a different way, then built from scratch
            obj = getattr(shop, name) if len(name) % 2 else getattr(m, name)
            assert obj is getattr(m, name) is getattr(shop, name)
            if isinstance(obj, type) and issubclass(obj, BaseModel):
                obj.model_rebuild(force=True)
                obj.model_json_schema()
            else:
                TypeAdapter(obj).json_schema()
        namespace = {}
        exec("from shop.models import *", namespace)
        assert set(names) <= set(namespace)
        for target, owner in ((shop, "shop"), (m, "shop.models")):
            try:
                target.Nope
            except AttributeError as exc:
                assert f"module '{owner}' has no attribute 'Nope'" in str(exc)
            else:
                raise AssertionError("no error")
        """,
    )


PAYLOADS = {
    "PetContact": [{"number": "1"}, {"type": "email", "address": "a@b"}, {"tag_number": "7"}, {"type": "fax", "n": 1}],
    "PetEvent": [
        {"event": "pet.created", "pet": {"name": "rex", "owner": {"name": "o", "contact": {"number": "2"}}}, "meta": {"id": "e1", "actor": {"owner": {"name": "a"}}}},
        {"event": "pet.renamed", "pet_id": "p", "old_name": "x", "meta": {"id": "e2"}, "extra": [1]},
    ],
    "Store": [
        {"owner": {"name": "s", "balance": {"amount": 12345678901234567890, "currency": "EUR"}}, "coupon": {"code": "c"},
         "categories": [{"name": "a", "children": [{"name": "b", "children": []}]}], "shelves": {"top": {"inner": {}}},
         "listing": {"seller": {"name": "t"}, "price": {"amount": 1, "currency": "USD"}}},
    ],
}  # fmt: skip


def test_payloads_round_trip_across_modules(root: Path) -> None:
    out = _python(
        root,
        f"""
        import json
        from pydantic import TypeAdapter
        import shop
        payloads = json.loads({json.dumps(json.dumps(PAYLOADS))})
        kinds = []
        for name, items in payloads.items():
            adapter = TypeAdapter(getattr(shop, name))
            for item in items:
                value = adapter.validate_json(json.dumps(item))
                assert adapter.dump_python(value, mode="json", by_alias=True, exclude_unset=True) == item, item
                kinds.append(type(value).__name__)
        print(" ".join(kinds))
        """,
    )
    assert out.split() == ["Phone", "Email", "Collar", "UnknownPetContact", "PetCreated", "PetRenamed", "Store"]


def test_type_checkers_see_the_real_names(root: Path) -> None:
    (root / "user.py").write_text(
        textwrap.dedent(
            """
            import shop
            import shop.models
            from shop import Pet, PetContact
            from shop.models import Owner

            pet: Pet = shop.models.Pet(name="rex", owner=Owner(name="o"))
            contact: PetContact = shop.Phone(number="1")
            wrong: shop.models.Order = shop.models.Pett  # line 9: a typo
            also_wrong: int = shop.Store(owner=pet.owner)  # line 10: the wrong type
            """
        )
    )
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "shop", "user.py"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    errors = [line.split(": error: ")[0] for line in proc.stdout.splitlines() if ": error: " in line]
    assert errors == ["user.py:9", "user.py:10"], proc.stdout
