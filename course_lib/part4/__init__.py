"""Part 4, "Why it matters: bias" (notebooks/04_bias.ipynb)."""
