"""atheris harness: strip (the invariants are fuzz_checks.check_strip).

Run: python tests/fuzz/fuzz_strip.py tests/fuzz/corpus/strip -max_total_time=60
(or scripts/fuzz.sh 60 strip).
"""

import atheris

# Coverage feedback from the library's own code only (instrumenting everything is slow).
with atheris.instrument_imports(include=["textforensics"]):
    from fuzz_checks import fuzz_main

if __name__ == "__main__":
    fuzz_main("strip")
