"""atheris harness: skeleton (the invariants are fuzz_checks.check_skeleton).

Run: python tests/fuzz/fuzz_skeleton.py tests/fuzz/corpus/skeleton -max_total_time=60
(or scripts/fuzz.sh 60 skeleton).
"""

import atheris

# Coverage feedback from the library's own code only (instrumenting everything is slow).
with atheris.instrument_imports(include=["textforensics"]):
    from fuzz_checks import fuzz_main

if __name__ == "__main__":
    fuzz_main("skeleton")
