"""Learning: course pages, lessons, progress, "my learning"."""
