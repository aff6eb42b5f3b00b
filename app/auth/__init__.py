"""Accounts: register, log in and out, profile, password."""
