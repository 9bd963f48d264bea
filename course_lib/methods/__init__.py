"""The science: tokens, n-gram models, corpora, flavor, agreement, aggregation, label noise, reward models, tuning, over-optimisation, the labor ledger. Imports only course_lib.core."""
