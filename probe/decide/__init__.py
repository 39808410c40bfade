"""Decide: what is known about the credit, the decision table's conditions and rules, and the verdict."""
