"""atheris harness: index_load (the invariants are fuzz_checks.check_index_load).

Run: python tests/fuzz/fuzz_index_load.py tests/fuzz/corpus/index_load -max_total_time=60
(or scripts/fuzz.sh 60 index_load).
"""

import atheris

# Coverage feedback from the library's own code only (instrumenting everything is slow).
with atheris.instrument_imports(include=["textforensics"]):
    from fuzz_checks import fuzz_main

if __name__ == "__main__":
    fuzz_main("index_load")
