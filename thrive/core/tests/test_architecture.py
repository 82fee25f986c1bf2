"""The codebase keeps the shape docs/architecture.md describes.

The import layers are checked by import-linter (`make lint` runs it too); the rest are counts
a reviewer would otherwise take by hand: modules that fit in a head, functions that fit on a
screen, imports at the top, services called by keyword, no unscoped fallbacks.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "thrive"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=cwd,
        env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
    )


def _source_files() -> list[Path]:
    return [
        path
        for path in sorted(PACKAGE.rglob("*.py"))
        if "tests" not in path.parts
        and "migrations" not in path.parts
        and not path.name.startswith("test_")
        and path.name != "conftest.py"
    ]


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_every_import_keeps_the_layers() -> None:
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        # a lower app reaching up
        ("thrive/strategy/rules.py", "import thrive.reporting.selectors", "below them"),
        # core reaching into the domain
        ("thrive/core/money.py", "import thrive.accounts.models", "mechanism"),
        # one app's pages importing another's
        ("thrive/reporting/views.py", "import thrive.assessment.views", "pages"),
    ],
)
def test_an_import_that_breaks_a_layer_is_caught(
    tmp_path: Path, module: str, line: str, broken: str
) -> None:
    shutil.copytree(PACKAGE, tmp_path / "thrive", ignore=shutil.ignore_patterns("static", "*.pyc"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / module
    target.write_text(target.read_text() + f"\n{line}  # noqa\n")
    result = _lint_imports(tmp_path)
    assert result.returncode != 0, result.stdout
    assert any(broken in text and "BROKEN" in text for text in result.stdout.splitlines())
    importer = module.removesuffix(".py").replace("/", ".")
    imported = line.removeprefix("import ")
    assert importer in result.stdout
    assert imported in result.stdout


def test_modules_fit_in_a_head() -> None:
    long = {
        _name(path): lines
        for path in _source_files()
        if (lines := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


def _functions(tree: ast.AST) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]


def _marked(lines: list[str], first: int, last: int, marker: str) -> bool:
    """A marker comment on the lines first..last (1-based), e.g. '# lazy: start-up'."""
    return any(marker in lines[number - 1] for number in range(max(first, 1), last + 1))


def test_functions_fit_on_a_screen_unless_a_comment_says_why() -> None:
    long = []
    for path in _source_files():
        lines = path.read_text().splitlines()
        for node in _functions(ast.parse("\n".join(lines))):
            first = node.decorator_list[0].lineno if node.decorator_list else node.lineno
            size = node.end_lineno - node.lineno + 1
            if size > MAX_FUNCTION_LINES and not _marked(lines, first - 1, node.lineno, "# long:"):
                long.append(f"{_name(path)}:{node.lineno} {node.name} ({size} lines)")
    assert long == []


def test_imports_are_at_the_top_unless_a_comment_says_why() -> None:
    inner = []
    for path in _source_files():
        lines = path.read_text().splitlines()
        for node in _functions(ast.parse("\n".join(lines))):
            for statement in node.body:
                for found in ast.walk(statement):
                    if not isinstance(found, ast.Import | ast.ImportFrom):
                        continue
                    if not (
                        _marked(lines, found.lineno - 1, found.lineno, "# lazy:")
                        or _marked(lines, found.lineno - 1, found.lineno, "# cycle:")
                    ):
                        inner.append(f"{_name(path)}:{found.lineno} {lines[found.lineno - 1]}")
    assert sorted(set(inner)) == []


def _is_service_module(path: Path) -> bool:
    return path.name == "services.py" or path.parent.name == "services"


def test_services_are_called_by_keyword_with_typed_parameters() -> None:
    loose = []
    for path in filter(_is_service_module, _source_files()):
        tree = ast.parse(path.read_text())
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                continue
            arguments = node.args
            if arguments.posonlyargs or arguments.args:
                loose.append(f"{_name(path)}:{node.lineno} {node.name} takes positional parameters")
            for argument in arguments.kwonlyargs:
                if argument.annotation is None or ast.unparse(argument.annotation) == "Any":
                    loose.append(f"{_name(path)}:{node.lineno} {node.name}({argument.arg}) untyped")
    assert loose == []


def test_no_page_falls_back_to_some_council() -> None:
    fallbacks = [
        _name(path)
        for path in _source_files()
        if "Council.objects.first()" in path.read_text()
        and not path.name.startswith(("seed", "bench"))
    ]
    assert fallbacks == []
