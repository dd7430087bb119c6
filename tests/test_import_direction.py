"""Dependencies run one way:

    scr_tracker.operations, scr_tracker.reporting -> evidence -> recommendations
        -> the rest of scr_tracker

Operations (backups, disposal checks, health) and reporting may read every app;
nothing imports operations, and neither wing imports reporting; recommendations
imports nothing from evidence;
nothing else in scr_tracker (accounts, audit, intake, settings...) imports a
wing or reporting, except the URLconf, which joins them all. Every import in
every module is read, including those inside functions."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OPERATIONS = "operations"
REPORTING, EVIDENCE, RECOMMENDATIONS, CORE = "reporting", "evidence", "recommendations", "core"
# What each layer may import from the project's own packages.
ALLOWED = {
    OPERATIONS: {OPERATIONS, REPORTING, EVIDENCE, RECOMMENDATIONS, CORE},
    REPORTING: {REPORTING, EVIDENCE, RECOMMENDATIONS, CORE},
    EVIDENCE: {EVIDENCE, RECOMMENDATIONS, CORE},
    RECOMMENDATIONS: {RECOMMENDATIONS, CORE},
    CORE: {CORE},
}
JOINS_EVERYTHING = {"scr_tracker/urls.py"}


def layer_of_module(name):
    """The layer a dotted module name belongs to (None: not the project's)."""
    if name == "scr_tracker.operations" or name.startswith("scr_tracker.operations."):
        return OPERATIONS
    if name == "scr_tracker.reporting" or name.startswith("scr_tracker.reporting."):
        return REPORTING
    top = name.split(".")[0]
    if top == "evidence":
        return EVIDENCE
    if top == "recommendations":
        return RECOMMENDATIONS
    if top == "scr_tracker":
        return CORE
    return None


def layer_of_file(relative):
    return layer_of_module(relative.removesuffix(".py").replace("/", "."))


def imported_modules(source, module):
    """Every module ``source`` imports (relative imports resolved against ``module``)."""
    package = module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                name = f"{base}.{node.module}" if node.module else base
            else:
                name = node.module
            yield name
            # "from scr_tracker import reporting" names a package too.
            yield from (f"{name}.{alias.name}" for alias in node.names)


def wrong_way(relative, source):
    """(file, imported module) for each import against the direction."""
    if relative in JOINS_EVERYTHING:
        return []
    layer = layer_of_file(relative)
    module = relative.removesuffix(".py").replace("/", ".")
    found = []
    for name in imported_modules(source, module):
        target = layer_of_module(name)
        if target is not None and target not in ALLOWED[layer]:
            found.append((relative, name))
    return sorted(set(found))


def project_files():
    for folder in ("scr_tracker", "recommendations", "evidence"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            yield path.relative_to(ROOT).as_posix(), path.read_text()


def test_every_import_runs_the_one_way():
    files = list(project_files())
    assert len(files) > 50  # every module is read, not an empty glob
    found = [problem for relative, source in files for problem in wrong_way(relative, source)]
    assert found == []


@pytest.mark.parametrize(
    ("relative", "source"),
    [
        ("recommendations/views.py", "from evidence.models import Submission"),
        ("recommendations/views.py", "def f():\n    import evidence.models"),
        ("recommendations/views.py", "from scr_tracker.reporting import board"),
        ("recommendations/views.py", "from scr_tracker import reporting"),
        ("evidence/views.py", "from scr_tracker.reporting.dashboard import trend"),
        ("scr_tracker/intake/guard.py", "from recommendations.models import Recommendation"),
        ("scr_tracker/navigation.py", "from evidence import models"),
        ("scr_tracker/accounts/roles.py", "from ..reporting import views"),
        ("scr_tracker/reporting/views.py", "from scr_tracker.operations import backup"),
        ("evidence/retention.py", "from scr_tracker.operations.health import check_all"),
    ],
)
def test_an_import_against_the_direction_is_caught(relative, source):
    assert wrong_way(relative, source) != []


@pytest.mark.parametrize(
    ("relative", "source"),
    [
        ("scr_tracker/reporting/views.py", "from evidence.models import Submission"),
        ("scr_tracker/reporting/views.py", "from . import board"),
        ("evidence/views.py", "from recommendations.models import Action"),
        ("recommendations/views.py", "from scr_tracker.audit import changes_by"),
        ("scr_tracker/urls.py", "from scr_tracker.reporting import views"),
        ("scr_tracker/operations/backup.py", "from evidence.models import SubmissionFile"),
    ],
)
def test_imports_along_the_direction_pass(relative, source):
    assert wrong_way(relative, source) == []
