"""The docs stay true: every environment variable is documented, the README starts with the two
commands, and relative links in the docs point at files that exist."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "pledgewatch"
SETTINGS = PACKAGE / "settings.py"
CONFIGURATION = ROOT / "docs" / "configuration.md"
README = ROOT / "README.md"

# The helpers in settings.py; env_secret also reads NAME_FILE.
ENV_HELPERS = {"env_str", "env_bool", "env_int", "env_list", "env_secret"}


def _is_os_environ(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "environ"
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
    )


def env_reads(source: str) -> tuple[set[str], list[str]]:
    """Variable names read from the environment, and reads whose name is not a literal.

    Recognises env_str/env_bool/env_int/env_list/env_secret("NAME", ...), os.getenv("NAME"),
    os.environ.get/setdefault("NAME") and os.environ["NAME"]. Reads inside the helpers' own
    definitions take the name as a parameter and are skipped.
    """
    names: set[str] = set()
    unparsed: list[str] = []

    def name_from(arg: ast.AST | None, node: ast.AST) -> None:
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            names.add(arg.value)
        else:
            unparsed.append(f"line {node.lineno}: {ast.unparse(node)}")

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.FunctionDef) and node.name in ENV_HELPERS:
            return
        if isinstance(node, ast.Call):
            func = node.func
            first = node.args[0] if node.args else None
            if isinstance(func, ast.Name) and func.id in ENV_HELPERS:
                name_from(first, node)
                if func.id == "env_secret" and isinstance(first, ast.Constant):
                    names.add(f"{first.value}_FILE")
            elif isinstance(func, ast.Attribute):
                if func.attr == "getenv" and isinstance(func.value, ast.Name):
                    if func.value.id == "os":
                        name_from(first, node)
                elif func.attr in {"get", "setdefault"} and _is_os_environ(func.value):
                    name_from(first, node)
        elif isinstance(node, ast.Subscript) and _is_os_environ(node.value):
            name_from(node.slice, node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(source))
    return names, unparsed


def test_env_reads_finds_every_kind_of_read():
    source = (
        "import os\n"
        "def env_str(name, default=''):\n"
        "    return os.environ.get(name, default)\n"
        "A = env_str('A_STR')\nB = env_bool('B_BOOL')\nC = env_int('C_INT', 1)\n"
        "D = env_list('D_LIST')\nE = env_secret('E_SECRET')\nF = os.getenv('F_GETENV')\n"
        "G = os.environ.get('G_GET')\nH = os.environ['H_ITEM']\n"
        "os.environ.setdefault('I_SETDEFAULT', 'x')\nJ = env_str(f'J_{A}')\n"
    )
    names, unparsed = env_reads(source)
    assert names == {
        "A_STR", "B_BOOL", "C_INT", "D_LIST", "E_SECRET", "E_SECRET_FILE",
        "F_GETENV", "G_GET", "H_ITEM", "I_SETDEFAULT",
    }  # fmt: skip
    assert len(unparsed) == 1 and "J_" in unparsed[0]


def _package_env_reads() -> tuple[set[str], list[str]]:
    names: set[str] = set()
    unparsed: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        found, bad = env_reads(path.read_text())
        names |= found
        unparsed += [f"{path.relative_to(ROOT)} {b}" for b in bad]
    return names, unparsed


def test_settings_reads_the_variables_we_expect_to_find():
    # Guards the parser: if it silently found nothing, the documentation test would pass.
    names, _ = env_reads(SETTINGS.read_text())
    assert {"DEBUG", "SECRET_KEY", "SECRET_KEY_FILE", "DATABASE_URL", "TASKS_BACKEND"} <= names


def test_every_environment_variable_read_is_a_literal_name():
    _, unparsed = _package_env_reads()
    assert unparsed == [], "Name environment variables literally so docs can be checked"


def test_every_environment_variable_is_documented():
    names, _ = _package_env_reads()
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]*)`", CONFIGURATION.read_text()))
    missing = sorted(names - documented)
    assert missing == [], f"Add these to docs/configuration.md: {', '.join(missing)}"


def test_readme_starts_with_make_demo_and_make_test():
    text = README.read_text()
    match = re.match(r"# Pledgewatch\n+```[a-z]*\n(.*?)```", text, re.DOTALL)
    assert match, "README.md must start with its title, then a code block"
    assert match.group(1).split("\n")[:-1] == ["make demo", "make test"]


DOCS = [README, *sorted((ROOT / "docs").rglob("*.md"))]


@pytest.mark.parametrize("doc", DOCS, ids=[str(d.relative_to(ROOT)) for d in DOCS])
def test_relative_links_point_at_files_that_exist(doc):
    targets = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", doc.read_text())
    local = [t for t in targets if not re.match(r"[a-z]+:", t)]
    missing = [t for t in local if not (doc.parent / t).exists()]
    assert missing == []
