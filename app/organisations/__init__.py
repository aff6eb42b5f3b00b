"""Organisations: who belongs where, the access checks that keep them apart, and the staff audit log."""
