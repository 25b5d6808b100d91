"""atheris harness: file_reader (the invariants are fuzz_checks.check_file_reader).

Run: python tests/fuzz/fuzz_file_reader.py tests/fuzz/corpus/file_reader -max_total_time=60
(or scripts/fuzz.sh 60 file_reader).
"""

import atheris

# Coverage feedback from the library's own code only (instrumenting everything is slow).
with atheris.instrument_imports(include=["textforensics"]):
    from fuzz_checks import fuzz_main

if __name__ == "__main__":
    fuzz_main("file_reader")
