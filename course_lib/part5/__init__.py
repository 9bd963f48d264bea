"""Part 5: is data renewable? Model collapse on the learner's own data."""
