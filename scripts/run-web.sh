#!/usr/bin/env bash
# Starts the Medvis web app on http://localhost:5000 with the built-in synthetic demo dataset ready to train.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec dotnet run --project src/Medvis.Web -c Release -- --urls "${MEDVIS_URLS:-http://localhost:5000}" "$@"
