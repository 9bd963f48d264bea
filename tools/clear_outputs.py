"""Clear outputs and execution counts of notebooks in place: python tools/clear_outputs.py FILES"""
import sys

import nbformat

for name in sys.argv[1:]:
    nb = nbformat.read(name, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.metadata.pop("execution", None)
    nbformat.write(nb, name)
    print("cleared", name)
