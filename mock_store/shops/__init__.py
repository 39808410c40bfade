"""Shops unlike the bundled store, for a walk that finds its own way: see variants.py and app.py."""
