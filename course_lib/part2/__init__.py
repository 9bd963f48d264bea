"""Part 2, "Labeling data" (notebooks/02_labeling_data.ipynb)."""
