"""Ideas calls ("Dream Big!"): an organisation opens a call, learners submit a frozen copy of their plan,
a jury scores it against a weighted rubric, and the call ranks the submissions."""
