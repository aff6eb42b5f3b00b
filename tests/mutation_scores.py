"""Print the mutation score of each mutated module from mutmut's results (`make mutants` runs it)."""
import json
import sys
from collections import Counter
from pathlib import Path

from mutmut.stats import status_by_exit_code

#: outcomes that mean the tests noticed the mutant
CAUGHT = {"killed", "timeout", "caught by type check"}


def main(root: Path = Path("mutants")) -> int:
    """One line per module: the score and the counts; then the surviving mutants' names."""
    survivors = []
    print(f"{'module':<34} {'score':>6} {'caught':>7} {'survived':>9} {'other':>6}")
    for meta in sorted(root.rglob("*.py.meta")):
        outcomes = Counter()
        for name, exit_code in json.loads(meta.read_text())["exit_code_by_key"].items():
            status = status_by_exit_code[exit_code]
            outcomes["caught" if status in CAUGHT else status] += 1
            if status == "survived":
                survivors.append(name)
        counted = sum(outcomes.values()) - outcomes["not checked"] - outcomes["skipped"]
        score = 100 * outcomes["caught"] / counted if counted else 100.0
        module = str(meta.relative_to(root)).removesuffix(".meta")
        other = counted - outcomes["caught"] - outcomes["survived"]
        print(f"{module:<34} {score:5.1f}% {outcomes['caught']:>7} {outcomes['survived']:>9} {other:>6}")
    if survivors:
        print("\nSurvivors (`.venv/bin/mutmut show <name>` shows one):")
        print("\n".join(f"  {name}" for name in survivors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
