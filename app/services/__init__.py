"""State-changing operations: plain functions with explicit arguments. They flush; views commit."""
