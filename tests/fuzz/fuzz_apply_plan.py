"""atheris harness: apply_plan (the invariants are fuzz_checks.check_apply_plan).

Run: python tests/fuzz/fuzz_apply_plan.py tests/fuzz/corpus/apply_plan -max_total_time=60
(or scripts/fuzz.sh 60 apply_plan).
"""

import atheris

# Coverage feedback from the library's own code only (instrumenting everything is slow).
with atheris.instrument_imports(include=["textforensics"]):
    from fuzz_checks import fuzz_main

if __name__ == "__main__":
    fuzz_main("apply_plan")
