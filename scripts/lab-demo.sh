#!/usr/bin/env bash
# The lab mode on one machine, end to end: a throwaway PostgreSQL cluster, the web app in postgres mode, two
# `medvis worker` processes; queues three quick demo runs, kills one worker (SIGKILL) in the middle of a run and
# waits until the other worker has resumed it and finished everything. Last line on success:
#   lab demo: 3 runs done, 1 resumed on another worker
# Anything else ends with "lab demo failed: …" and a non-zero exit. Usage: scripts/lab-demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "lab demo failed: $*" >&2; echo "lab demo failed: $*"; exit 1; }

scripts/setup.sh
dotnet build Medvis.Web.sln -c Release --nologo --verbosity quiet >/dev/null || fail "build"

work=$(mktemp -d /tmp/medvis-lab.XXXXXX)
pids=()
pg_dir=""
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -n "$pg_dir" ] && scripts/pg-cluster.sh stop "$pg_dir"
  rm -rf "$work"
}
trap cleanup EXIT

cluster=$(scripts/pg-cluster.sh start) || fail "PostgreSQL cluster did not start"
pg_dir=${cluster%% *}
export ConnectionStrings__Medvis=${cluster#* }
pg_port=$(sed -E 's/.*Port=([0-9]+).*/\1/' <<<"$ConnectionStrings__Medvis")
sql() { psql -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -tAqc "$1"; }
medvis=src/Medvis.Cli/bin/Release/net10.0/medvis
web_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')

echo "lab demo: web app on http://127.0.0.1:$web_port (postgres mode), store $ConnectionStrings__Medvis"
Medvis__Store=postgres Medvis__DatabasePath="$work/web/medvis.db" ASPNETCORE_ENVIRONMENT=Production \
  dotnet run --project src/Medvis.Web -c Release --no-build --no-launch-profile -- --urls "http://127.0.0.1:$web_port" \
  >"$work/web.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do
  curl -s -o /dev/null "http://127.0.0.1:$web_port/account/login" && break
  sleep 1
done
curl -s -o /dev/null "http://127.0.0.1:$web_port/account/login" || { tail -20 "$work/web.log"; fail "the web app did not start"; }

# Started here, not in a $(…) subshell, so their PIDs reach the cleanup.
"$medvis" worker --queues cpu --device cpu --heartbeat-timeout 15 >"$work/worker-a.log" 2>&1 &
worker_a=$!
pids+=("$worker_a")
"$medvis" worker --queues cpu --device cpu --heartbeat-timeout 15 >"$work/worker-b.log" 2>&1 &
worker_b=$!
pids+=("$worker_b")
echo "lab demo: workers $worker_a and $worker_b"

for seed in 1 2 3; do
  "$medvis" queue --name "lab demo $seed" --data demo --max-images 128 --backbone tiny --batch 32 --epochs 4,2,2 --seed "$seed" \
    --device cpu | sed 's/^/lab demo: /'
done

# Kill worker A once a run it trains has a checkpoint, so there is something to resume from.
victim=""
for _ in $(seq 1 600); do
  victim=$(sql "SELECT r.id FROM runs r JOIN checkpoints c ON c.run_id = r.id
                WHERE r.status = 'Running' AND r.doc->>'Worker' LIKE '%/$worker_a' LIMIT 1")
  [ -n "$victim" ] && break
  sleep 1
done
[ -n "$victim" ] || fail "worker $worker_a never checkpointed a run"
# Reaped at once, quietly: the shell would otherwise report the killed job on stderr.
{ kill -KILL "$worker_a"; wait "$worker_a"; } 2>/dev/null || true
echo "lab demo: killed worker $worker_a while it trained run $victim (epoch $(sql "SELECT global_epoch FROM checkpoints WHERE run_id = $victim"))"

for _ in $(seq 1 1200); do
  done_runs=$(sql "SELECT count(*) FROM runs WHERE status = 'Done'")
  failed=$(sql "SELECT count(*) FROM runs WHERE status IN ('Failed', 'Cancelled')")
  [ "$failed" -gt 0 ] && fail "$(sql "SELECT string_agg(id || ': ' || coalesce(doc->>'Error', status), '; ') FROM runs WHERE status IN ('Failed', 'Cancelled')")"
  [ "$done_runs" -eq 3 ] && break
  sleep 1
done
[ "$done_runs" -eq 3 ] || fail "only $done_runs of 3 runs finished in 20 minutes"
resumed=$(sql "SELECT count(*) FROM runs WHERE (doc->>'Attempts')::int >= 2 AND doc->>'Worker' LIKE '%/$worker_b'")
[ "$resumed" -ge 1 ] || fail "no run was resumed on worker $worker_b"
sql "SELECT 'lab demo: run ' || id || ' ' || status || ', attempts ' || (doc->>'Attempts') || ', worker ' || (doc->>'Worker')
     || ', queued→started ' || round(extract(epoch FROM ((doc->>'StartedAtUtc')::timestamptz - (doc->>'CreatedAtUtc')::timestamptz))::numeric, 1) || ' s'
     || ', trained ' || round((doc->>'TrainingSeconds')::numeric, 1) || ' s' FROM runs ORDER BY id"
echo "lab demo: 3 runs done, $resumed resumed on another worker"
