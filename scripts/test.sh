#!/usr/bin/env bash
# Runs every test in the solution (unit, component, integration and headless-Chromium end-to-end) and
# prints the totals alone on the last line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --with-browser || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }

# A throwaway PostgreSQL cluster for the tests of the postgres store, queue and workers; stopped on any exit.
pg_cluster=$(scripts/pg-cluster.sh start) || { echo "postgres cluster failed to start"; echo "0 passed, 1 failed"; exit 1; }
pg_dir=${pg_cluster%% *}
trap 'scripts/pg-cluster.sh stop "$pg_dir"' EXIT
export MEDVIS_TEST_POSTGRES=${pg_cluster#* }

# Trainings share out the cores by default, re-checked every epoch, and the thread count changes a map's last bits:
# the tests compare maps bit for bit while other test classes train beside them, so they keep libtorch's threads fixed.
export MEDVIS_TORCH_THREADS=${MEDVIS_TORCH_THREADS:-$(nproc)}

results_dir="TestResults"
rm -rf "$results_dir"
dotnet build Medvis.Web.sln -c Release --nologo --verbosity quiet || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }
# One test project at a time: on a 2-core machine the torch-heavy core tests running beside the browser
# journey starve Kestrel and Chromium, which turned timing into test failures.
status=0
: > "$results_dir.log"
for project in tests/*/*.csproj; do
  dotnet test "$project" -c Release --no-build --nologo \
    --logger "console;verbosity=normal" --logger "trx;LogFileName=$(basename "$project" .csproj).trx" --results-directory "$results_dir" 2>&1 | tee -a "$results_dir.log"
  project_status=${PIPESTATUS[0]}
  [ "$project_status" -ne 0 ] && status=$project_status
done

sum_counter() { grep -hoE "<Counters [^>]*" "$results_dir"/*.trx 2>/dev/null | grep -oE " $1=\"[0-9]+\"" | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}'; }
passed=$(sum_counter passed)
failed=$(sum_counter failed)
passed=${passed:-0}; failed=${failed:-0}
# a crashed test host writes no failures of its own: count it so a red run never prints "0 failed"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
