"""Quizzes: take an attempt, get it graded on the server, see the results."""
