"""Report the codebase's shape: modules over 500 lines and view functions over 40 lines.

Run: python scripts/shape_report.py [--max-module 500] [--max-view 40]
A view is a function whose first parameter is named `request`.
"""

from __future__ import annotations

import argparse
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "thidua"


def _is_view(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    args = node.args.posonlyargs + node.args.args
    return bool(args and args[0].arg == "request")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--max-module", type=int, default=500)
    parser.add_argument("--max-view", type=int, default=40)
    options = parser.parse_args()
    big_modules = []
    long_views = []
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        lines = source.count("\n")
        rel = path.relative_to(ROOT.parent)
        if lines > options.max_module:
            big_modules.append((lines, str(rel)))
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and _is_view(node):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > options.max_view:
                    long_views.append((length, f"{rel}:{node.lineno} {node.name}"))
    print(f"modules over {options.max_module} lines: {len(big_modules)}")
    for lines, name in sorted(big_modules, reverse=True):
        print(f"  {lines:5d}  {name}")
    print(f"view functions over {options.max_view} lines: {len(long_views)}")
    for length, name in sorted(long_views, reverse=True):
        print(f"  {length:5d}  {name}")


if __name__ == "__main__":
    main()
