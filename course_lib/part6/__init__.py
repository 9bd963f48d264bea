"""Part 6: your model changes the world — feedback loops, drift, and suggestions."""
