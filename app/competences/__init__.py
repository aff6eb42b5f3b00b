"""Competences: the framework in courses/competences.yml, a public page per competence, what a learner earned."""
