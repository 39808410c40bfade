"""A believable mock store with a gift-card checkout, for probe's tests and demos."""
