"""Part 1, "Generating data" (notebooks/01_generating_data.ipynb)."""
