"""The package's shape: no import cycle anywhere, and a core that a script can import without
the terminal libraries. (The layer order itself is import-linter's contract in pyproject.toml,
run by `make lint`.)"""

from __future__ import annotations

import subprocess
import sys

import grimp


def test_no_module_is_part_of_an_import_cycle() -> None:
    graph = grimp.build_graph("secretome_cli")
    cycles = []
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            if imported != module and graph.chain_exists(importer=imported, imported=module):
                cycles.append(f"{module} -> {imported} -> … -> {module}")
    assert cycles == []


def test_the_core_imports_neither_typer_nor_rich() -> None:
    code = (
        "import sys\n"
        "import secretome_cli.search.rank, secretome_cli.index.store\n"
        "import secretome_cli.validate.check, secretome_cli.summary.facets\n"
        "import secretome_cli.files.canonical, secretome_cli.api\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'typer', 'rich'}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
