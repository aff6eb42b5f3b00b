"""The business-plan workbook: a learner's answers to the worksheets of a course, and the plan made from them."""
