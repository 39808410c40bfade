"""Detection: observe a payment page and describe its store-credit options."""

from probe.detect.observe import observe

__all__ = ["observe"]
