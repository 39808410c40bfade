"""probe: find out, in a real browser, whether a store's checkout lets store credit pay for a gift card."""

__version__ = "0.1.0"
