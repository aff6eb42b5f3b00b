"""The catalogue home page, learning paths and health checks."""
