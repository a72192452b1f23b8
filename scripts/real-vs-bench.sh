#!/usr/bin/env bash
# A real run's images/s per stage beside `medvis bench training` at the same backbone, batch, precision and
# views, for fp32 and bf16: the table that shows whether real runs reach the benchmark's speed. Run it alone.
# Usage: scripts/real-vs-bench.sh [data.npz, default ../shared/data/pbc-bloodcells-28.npz] [backbone small] [batch 256] [views rotate,-grayscale]
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-../shared/data/pbc-bloodcells-28.npz}; backbone=${2:-small}; batch=${3:-256}; views=${4:-rotate,-grayscale}
medvis=src/Medvis.Cli/bin/Release/net10.0/medvis
[ -x "$medvis" ] || dotnet build src/Medvis.Cli -c Release --nologo -v q
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "| precision | stage | real run images/s (median epoch) | bench images/s | real ÷ bench |"
echo "|---|---|---|---|---|"
for precision in fp32 bf16; do
  bench=$("$medvis" bench training --backbones "$backbone" --batch "$batch" --steps 20 --augment "$views" --precision "$precision" --pytorch false \
    | grep -E "│ *[A-Za-z]+ *│ *$backbone *│" | head -n 1 | awk -F'│' '{gsub(/ /, "", $8); print $8}')
  "$medvis" train --data "$data" --max-images 4096 --backbone "$backbone" --batch "$batch" --augment "$views" --precision "$precision" \
    --epochs 8,4,8 --baseline none --out "$work/$precision" > "$work/$precision.log" 2>&1
  for stage in 1 2 3; do
    real=$(grep -E "^epoch [0-9]+/[0-9]+ \(stage $stage, ([2-9]|[1-9][0-9]+)/" "$work/$precision.log" | grep -oE "[0-9]+ img/s" | awk '{print $1}' | sort -n \
      | awk '{a[NR]=$1} END {print (NR ? a[int((NR+1)/2)] : "")}')
    ratio=$(awk -v r="$real" -v b="$bench" 'BEGIN { if (r && b) printf "%.2f", r / b; else print "–" }')
    echo "| $precision | $stage | $real | $bench | $ratio |"
  done
done
echo "Stage 2 trains only the 2-D layer (a forward pass through the frozen backbone), so it runs faster than the benchmark's full step."
