"""Cohorts: a trainer's groups of learners, how learners join them, and how trainers follow them."""
