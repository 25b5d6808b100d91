"""atheris harness: compare (the invariants are fuzz_checks.check_compare).

Run: python tests/fuzz/fuzz_compare.py tests/fuzz/corpus/compare -max_total_time=60
(or scripts/fuzz.sh 60 compare).
"""

import atheris

# Coverage feedback from the library's own code only (instrumenting everything is slow).
with atheris.instrument_imports(include=["textforensics"]):
    from fuzz_checks import fuzz_main

if __name__ == "__main__":
    fuzz_main("compare")
