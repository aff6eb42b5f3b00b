"""`make mutants` (pytest plugin): a module's mutants face only the tests written for that module.

mutmut ties a function to every test that calls it, and the app fixture loads the courses (question parsing)
and creates people (the default organisation) for every test: without this, each such mutant would run the
whole selection. While mutmut collects its statistics, this drops the calls a test makes outside its modules.
"""
import pytest

#: mutated module (prefix) -> the tests that state its rules (services' tests, not the pages' tests)
TESTS_OF = {
    "app.content.questions.": ("tests/content/test_questions.py", "tests/content/test_worksheets.py",
                               "tests/content/test_mutants_questions.py"),
    "app.services.": ("tests/services/",),
    "app.organisations.": ("tests/organisations/test_two_organisations.py", "tests/organisations/test_staff_actions.py",
                           "tests/organisations/test_mutants.py", "tests/cohorts/test_mutants.py"),
    "app.cohorts.": ("tests/cohorts/test_two_organisations.py", "tests/cohorts/test_enrolment.py",
                     "tests/cohorts/test_mutants.py"),
}


def tests_of(function):
    """The test paths for a mutated function's module (the first prefix in TESTS_OF that matches)."""
    return next((paths for prefix, paths in TESTS_OF.items() if function.startswith(prefix)), ())


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item):
    """Before mutmut files this test's calls under the functions it called: forget those of other modules."""
    from mutmut.state import state

    called = state()._stats
    test = item.nodeid.removeprefix("mutants/")
    called -= {function for function in called if not test.startswith(tests_of(function))}


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Statements a module builds once per process, on first use, are built again in each test: run, and mutated,
    under every test that reads with them, not only under the first."""
    from app.database import forget_prepared

    forget_prepared()
