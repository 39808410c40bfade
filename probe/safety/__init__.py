"""What the probe must never do: the click refusal rule and the order-request table, free of Playwright."""
