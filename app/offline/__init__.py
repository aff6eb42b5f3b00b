"""Offline learning: the installable web app, courses kept on the phone, progress synced later, data saver."""
