#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs what the tests need if missing, builds, runs every
# test project, and ends with a line "N passed, N failed" counted from the test results.
set -euo pipefail
cd "$(dirname "$0")"

if [ -x .ci/install-test-deps.sh ]; then
  bash .ci/install-test-deps.sh
fi

results="artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

dotnet tool restore >/dev/null
status=0
dotnet test CreationWorkflow.sln --configuration Release \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" || status=$?

passed=0
failed=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # the build or a test host failed before any result was written
fi
echo "${passed} passed, ${failed} failed"
exit "$status"
