#!/usr/bin/env python3
"""Reference rate for `insigne bench` (ISSUE12 point 7, `ob3_di_vs_reference`).

openbadgeslib (the pinned `.venv-ob3`) verifies the eddsa-rdfc-2022 credential that Insigne's bench verifies, from
its JSON bytes, with its did:key resolved offline: the whole path, as Insigne's.

Usage: .venv-ob3/bin/python Tests/Interop/ob3_reference_bench.py CREDENTIAL.json
Verifies once (exit 2 with the reason on stderr if it does not verify), prints `ready`, then for each line `SECONDS`
read on stdin verifies in a loop for about that long and prints the verifications per second. Ends at end of input.
"""
import sys
import time

from openbadgeslib.ob3.ldp import OB3LdpVerifier


def main() -> int:
    with open(sys.argv[1], "rb") as f:
        document = f.read()
    verifier = OB3LdpVerifier()
    try:
        verifier.verify(document)
    except Exception as exc:  # any refusal: the bench skips the row and says why
        print(f"openbadgeslib refused the credential: {exc}", file=sys.stderr)
        return 2
    print("ready", flush=True)
    for line in sys.stdin:
        seconds = float(line)
        count = 0
        start = time.perf_counter()
        while True:
            verifier.verify(document)
            count += 1
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                break
        print(f"{count / elapsed:.3f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
