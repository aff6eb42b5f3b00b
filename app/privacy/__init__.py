"""Privacy: the notice and consent, "my data" (export and deletion), retention.

Every table that refers to a user has a provider (see registry.py) saying how its rows are exported and erased.
"""
