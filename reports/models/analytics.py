"""Analytics roll-up tables, if any are needed."""
