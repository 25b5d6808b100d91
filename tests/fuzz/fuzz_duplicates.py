"""atheris harness: duplicates (the invariants are fuzz_checks.check_duplicates).

Run: python tests/fuzz/fuzz_duplicates.py tests/fuzz/corpus/duplicates -max_total_time=60
(or scripts/fuzz.sh 60 duplicates).
"""

import atheris

# Coverage feedback from the library's own code only (instrumenting everything is slow).
with atheris.instrument_imports(include=["textforensics"]):
    from fuzz_checks import fuzz_main

if __name__ == "__main__":
    fuzz_main("duplicates")
