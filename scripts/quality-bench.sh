#!/usr/bin/env bash
# Trains a map of every dataset in ../shared/data within one time budget, with the t-SNE of the same images' pixels
# beside each, and prints one Markdown table: kNN on scikit-learn's seed-0 split, the mean over ten splits,
# leave-one-out kNN, silhouette, the linear probe's ROC-AUC, training time and images/s. Never part of CI: a run
# at the default budget takes about (number of datasets × budget). Run it alone, or the times mean little.
# Usage: scripts/quality-bench.sh [--budget 10m] [--out folder] [--seed N] [--only name]
set -euo pipefail
cd "$(dirname "$0")/.."
budget=10m; out=quality-bench; seed=0; only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --budget) budget=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    *) echo "usage: scripts/quality-bench.sh [--budget 10m] [--out folder] [--seed N] [--only name]"; exit 2 ;;
  esac
done
data=../shared/data
[ -d "$data" ] || { echo "no $data beside the repository: nothing to benchmark"; exit 1; }
medvis=src/Medvis.Cli/bin/Release/net10.0/medvis
[ -x "$medvis" ] || dotnet build src/Medvis.Cli -c Release --nologo -v q

# name, spec, views: microscopy turns freely; ultrasound, X-rays and fundus photos keep their orientation.
datasets=(
  "blood-cells $data/pbc-bloodcells-28.npz rotate,-grayscale"
  "breastmnist $data/breastmnist.npz natural"
  "retinamnist $data/retinamnist.npz natural"
  "pneumonia-subset $data/pneumoniamnist-subset.npz natural"
  "pbc-jpeg-folder $data/pbc-jpeg-subset rotate,-grayscale"
)
mkdir -p "$out"
for entry in "${datasets[@]}"; do
  read -r name spec views <<<"$entry"
  [ -n "$only" ] && [ "$only" != "$name" ] && continue
  [ -e "$spec" ] || { echo "skipping $name: $spec not found"; continue; }
  run="$out/$name-$budget-seed$seed"
  [ -f "$run/metrics.json" ] && { echo "$name: already in $run"; continue; }
  echo "$name: training within $budget ($views) → $run"
  "$medvis" train --data "$spec" --preset standard --budget "$budget" --augment "$views" --seed "$seed" --out "$run" > "$run.log" 2>&1 \
    || { echo "$name failed: $(tail -n 1 "$run.log")"; continue; }
done

python3 - "$out" "$budget" "$seed" <<'PY'
import json, os, sys
out, budget, seed = sys.argv[1:]
def cell(x, fmt): return "–" if x is None else format(x, fmt)
print(f"\n| data | map | kNN (seed 0) | kNN (10 splits) | leave-one-out | silhouette | probe AUC | training | images/s | plan |")
print("|---|---|---|---|---|---|---|---|---|---|")
for run in sorted(d for d in os.listdir(out) if d.endswith(f"-{budget}-seed{seed}") and os.path.isdir(os.path.join(out, d))):
    folder = os.path.join(out, run)
    try:
        m = json.load(open(os.path.join(folder, "metrics.json")))
        card = json.load(open(os.path.join(folder, "run.json")))
    except OSError:
        continue
    name = run[: -len(f"-{budget}-seed{seed}")]
    epochs = card["options"]["epochsPerStage"]
    trained = card["dataset"]["trainedImages"]
    seconds = card["machine"]["trainingSeconds"]
    plan = f"{card['options']['backbone']} {card['machine']['precision']} {'/'.join(map(str, epochs))}"
    rows = [("t-SimCNE", m, seconds, trained * sum(epochs) / seconds)]
    baseline = os.path.join(folder, "baseline-metrics.json")
    if os.path.exists(baseline):
        b = json.load(open(baseline))
        rows.append(("pixel t-SNE", b, (b.get("timings") or {}).get("embeddingSeconds"), None))
    for label, r, t, ips in rows:
        rep = (r.get("knnRepeated") or {}).get("mean")
        probe = (r.get("linearProbe") or {}).get("meanAuc")
        print(f"| {name} | {label} | {cell(r['knnAccuracy']*100, '.1f')}% | {cell(rep and rep*100, '.1f')}% | "
              f"{cell(r.get('knnLeaveOneOut') and r['knnLeaveOneOut']*100, '.1f')}% | {cell(r.get('silhouette'), '.3f')} | "
              f"{cell(probe, '.3f')} | {cell(t and t/60, '.1f')} min | {cell(ips, '.0f')} | {plan if label == 't-SimCNE' else ''} |")
PY
