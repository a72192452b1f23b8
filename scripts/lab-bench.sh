#!/usr/bin/env bash
# Throughput of N `medvis worker` processes on this machine: queues the same batch of quick demo runs for 1, 2, … workers
# (a fresh throwaway cluster each time) and prints the wall time from queuing to the last run done, and runs/minute.
# Usage: scripts/lab-bench.sh [worker counts, default "1 2 4"] [runs per batch, default 4] [threads per worker, default:
# all cores]. Needs a built solution.
set -euo pipefail
cd "$(dirname "$0")/.."
counts=${1:-"1 2 4"}
runs=${2:-4}
threads=${3:-}
medvis=src/Medvis.Cli/bin/Release/net10.0/medvis
[ -x "$medvis" ] || { echo "build first: dotnet build Medvis.Web.sln -c Release"; exit 1; }

pids=()
pg_dir=""
stop_all() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
  [ -n "$pg_dir" ] && scripts/pg-cluster.sh stop "$pg_dir"
  pg_dir=""
}
trap stop_all EXIT

for n in $counts; do
  cluster=$(scripts/pg-cluster.sh start)
  pg_dir=${cluster%% *}
  export ConnectionStrings__Medvis=${cluster#* }
  port=$(sed -E 's/.*Port=([0-9]+).*/\1/' <<<"$ConnectionStrings__Medvis")
  for _ in $(seq 1 "$n"); do
    "$medvis" worker --queues cpu --device cpu ${threads:+--threads "$threads"} >/dev/null 2>&1 &
    pids+=($!)
  done
  sleep 10 # workers load torch and register before the clock starts
  start=$(date +%s.%N)
  "$medvis" queue --data demo --max-images 256 --backbone tiny --batch 32 --epochs 4,2,2 --seed 1 --device cpu --count "$runs" >/dev/null
  while [ "$(psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAqc "SELECT count(*) FROM runs WHERE status IN ('Done','Failed','Cancelled')")" -lt "$runs" ]; do sleep 0.5; done
  end=$(date +%s.%N)
  failed=$(psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAqc "SELECT count(*) FROM runs WHERE status <> 'Done'")
  python3 -c "w=$end-$start; print(f'{$n} worker(s), threads ${threads:-all}: {$runs} runs in {w:.1f} s, {$runs*60/w:.2f} runs/min, {$failed} not done')"
  stop_all
done
