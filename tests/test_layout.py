"""The code's layout: every module says what it owns, imports on its own (no circular imports), and no
submodule of a package hides a name its package defines."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("tasks", "flows")


def modules() -> list[str]:
    names = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def test_every_module_has_a_docstring_saying_what_it_owns():
    """The two top-level package files hold process-wide set-up only, explained by their comments."""
    missing = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if path == ROOT / package / "__init__.py":
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            if not (ast.get_docstring(tree) or "").strip():
                missing.append(str(path.relative_to(ROOT)))
    assert missing == []


def test_every_module_imports_first_on_its_own():
    """Each module imported as the first of the project's modules (the others dropped from `sys.modules`
    before each): a circular import fails here whichever module a caller happens to import first."""
    script = (
        "import importlib, json, sys\n"
        "failed = {}\n"
        "finders = list(sys.meta_path)\n"
        "for name in json.loads(sys.argv[1]):\n"
        "    sys.meta_path[:] = finders  # tasks/__init__.py adds one each time it runs\n"
        "    for loaded in [m for m in sys.modules if m.split('.')[0] in ('tasks', 'flows')]:\n"
        "        del sys.modules[loaded]\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except Exception as exc:\n"
        "        failed[name] = f'{type(exc).__name__}: {exc}'\n"
        "print(json.dumps(failed))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, json.dumps(modules())],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if not k.startswith("NEWSMON_")},  # as a fresh process has it
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {}


def test_no_submodule_hides_a_name_its_package_defines():
    """`import tasks.sources.windowed` would replace a function `windowed` of `tasks/sources/__init__.py`."""
    clashes = []
    for init in sorted((ROOT / "tasks").rglob("__init__.py")) + sorted((ROOT / "flows").rglob("__init__.py")):
        tree = ast.parse(init.read_text(encoding="utf-8"))
        defined = {
            node.name
            for node in tree.body
            if isinstance(node, ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef)
        } | {
            target.id
            for node in tree.body
            if isinstance(node, ast.Assign)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        submodules = {p.stem for p in init.parent.glob("*.py") if p.name != "__init__.py"}
        submodules |= {p.name for p in init.parent.iterdir() if (p / "__init__.py").is_file()}
        clashes += [f"{init.parent.relative_to(ROOT)}/{name}" for name in sorted(defined & submodules)]
    assert clashes == []
