"""Part 0, "Welcome: the labor ledger" (notebooks/00_welcome.ipynb)."""
