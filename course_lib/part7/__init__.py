"""Part 7, "They're just us" (notebooks/07_theyre_just_us.ipynb): your whole ledger, its
effects, its price, and your labor receipt. The one part that reads the other parts."""
