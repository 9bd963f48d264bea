"""Part 3, "Teaching models" (notebooks/03_teaching_models.ipynb)."""
