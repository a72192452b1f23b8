#!/usr/bin/env bash
# Starts the Medvis web app on http://localhost:5000 with the built-in synthetic demo dataset ready to train.
# It runs as Production (no stack traces reach a browser); on a first start it prints a one-time set-up link.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Production}"
exec dotnet run --project src/Medvis.Web -c Release --no-launch-profile -- --urls "${MEDVIS_URLS:-http://localhost:5000}" "$@"
