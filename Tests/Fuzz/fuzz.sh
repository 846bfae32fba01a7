#!/bin/bash
# Builds the libFuzzer targets of Tests/Fuzz (ASan + coverage) and runs each for SECONDS seconds, seeded from
# Fixtures/. Exits non-zero when a target crashes (the input is kept under .build-fuzz/artifacts/<target>/).
# Usage: Tests/Fuzz/fuzz.sh SECONDS [TARGET...]        (from the package root; `make fuzz` / `make fuzz-smoke`)
set -uo pipefail
SECONDS_PER_TARGET=${1:-60}
shift || true
SWIFT=${SWIFT:-swift}
# A crash is reported by libFuzzer at once; the Swift runtime backtracer would spend up to 30 s on the ASan binary.
export SWIFT_BACKTRACE=enable=no
# Swift allocates a lot: recording a stack for every allocation cost 5x in the PDF target. A crash is still caught;
# replay its input with ASAN_OPTIONS= (unset) to get the allocation stacks.
export ASAN_OPTIONS=${ASAN_OPTIONS-malloc_context_size=0}
SCRATCH=${FUZZ_SCRATCH:-.build-fuzz}
ALL_TARGETS=(FuzzPDF FuzzPNG FuzzSVG FuzzJWS FuzzJSON FuzzCSV FuzzReferential FuzzMultipart FuzzVerifier FuzzNQuads FuzzJSONLD FuzzOB3 FuzzOB3Schema)
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=("${ALL_TARGETS[@]}")

# Seeds (read-only folders: a file argument would make libFuzzer only replay it): the fixtures each parser reads.
seeds() {
    case "$1" in
    FuzzPDF) echo Fixtures/pdf Fixtures/malformed ;;
    FuzzPNG) echo Fixtures/images Fixtures/malformed ;;
    FuzzSVG) echo Fixtures/images Fixtures/malformed ;;
    FuzzJWS) echo Fixtures/pdf Fixtures/vectors ;;
    FuzzJSON) echo Fixtures/vectors ;;
    FuzzCSV) echo Fixtures/referentials Fixtures/csv ;;
    FuzzReferential) echo Fixtures/referentials ;;
    FuzzMultipart) echo Fixtures/multipart ;;
    FuzzVerifier) echo Fixtures/images Fixtures/pdf Fixtures/malformed Fixtures/vectors ;;
    # The W3C suites in ../shared (CI clones it beside the repository).
    FuzzNQuads) echo ../shared/Specs/rdf-canon/tests/rdfc10 ;;
    FuzzJSONLD) echo ../shared/Specs/ob3/examples ../shared/Specs/json-ld-api/tests/toRdf Fixtures/vectors ;;
    FuzzOB3) echo Fixtures/vectors ;;
    FuzzOB3Schema) echo ../shared/Specs/ob3/examples ../shared/Specs/fixtures/1edtech-validator/ob30 ;;
    esac
}
max_len() {
    case "$1" in
    FuzzPDF | FuzzVerifier | FuzzReferential) echo 65536 ;;
    *) echo 16384 ;;
    esac
}

BUILD_FLAGS=(--package-path Tests/Fuzz --scratch-path "$SCRATCH/build" -c debug
    --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=fuzzer-no-link)
echo "fuzz: building ${#TARGETS[@]} targets (ASan + libFuzzer) in $SCRATCH/build"
# ld.gold warns once per ASan symbol it cannot export: noise, filtered.
"$SWIFT" build "${BUILD_FLAGS[@]}" 2>&1 | grep -v "Cannot export local symbol" | grep -E "error|warning:|Build"
[ "${PIPESTATUS[0]}" -eq 0 ] || { echo "fuzz: the build failed" >&2; exit 2; }
BIN=$("$SWIFT" build "${BUILD_FLAGS[@]}" --show-bin-path) || exit 2
for t in "${TARGETS[@]}"; do
    [ -x "$BIN/$t" ] || { echo "fuzz: $t was not built" >&2; exit 2; }
done

failed=()
for t in "${TARGETS[@]}"; do
    corpus="$SCRATCH/corpus/$t"
    artifacts="$SCRATCH/artifacts/$t"
    log="$SCRATCH/logs/$t.log"
    mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
    # shellcheck disable=SC2046
    "$BIN/$t" "$corpus" $(seeds "$t") -max_total_time="$SECONDS_PER_TARGET" -rss_limit_mb=2048 \
        -max_len="$(max_len "$t")" -timeout=10 -print_final_stats=1 -artifact_prefix="$artifacts/" >"$log" 2>&1
    status=$?
    runs=$(grep -o 'number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
    rate=$(grep -o 'average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$')
    cov=$(grep -E '^#[0-9]+' "$log" | grep -o 'cov: [0-9]*' | tail -1)
    if [ $status -eq 0 ]; then
        printf 'fuzz: %-16s ok      %10s executions (%s/s, %s) in %ss\n' "$t" "${runs:-?}" "${rate:-?}" "${cov:-cov: ?}" "$SECONDS_PER_TARGET"
    else
        failed+=("$t")
        printf 'fuzz: %-16s CRASHED after %s executions (log %s)\n' "$t" "${runs:-?}" "$log"
        grep -E 'ERROR|Fatal error|SUMMARY|Test unit written|^ *#[0-9]+ 0x' "$log" | head -20
    fi
done
echo "fuzz: $(( ${#TARGETS[@]} - ${#failed[@]} )) passed, ${#failed[@]} failed"
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: crashes in ${failed[*]}; inputs under $SCRATCH/artifacts/ (add each to Fixtures/malformed/ with a test)"
    exit 1
fi
