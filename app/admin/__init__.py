"""Administration: users and roles, certificates (revoke and reinstate)."""
