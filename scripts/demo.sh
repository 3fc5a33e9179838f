#!/usr/bin/env bash
# demo.sh: the README's first command. Installs what is needed, builds,
# starts the bundled Atlas simulator with the example org (ADR-020 Phase 2:
# EU control plane, EU and US data planes) and audits it, writing a real
# evidence pack under ./evidence/. Prints where the pack is.
#   bash scripts/demo.sh [phase0|phase2]
set -euo pipefail
cd "$(dirname "$0")/.."
example=${1:-phase2}
bash scripts/setup.sh
RA_BUILD_TARGETS="residency-audit atlas-sim" bash scripts/build.sh build >/dev/null
. scripts/sim-env.sh
RA_SIM=build/atlas-sim
trap sim_stop EXIT
sim_start "examples/worlds/$example.json"
sim_credentials "examples/worlds/$example.json"
set +e
build/residency-audit run -i "examples/$example.inventory.json" -o evidence \
  --base-url "$SIM_URL" --force
rc=$?
set -e
echo
echo "Evidence pack (exit code $rc):"
ls -1 evidence/"$(date -u +%Y-%m-%d)"/ 2>/dev/null | sed 's/^/  /'
echo "Read: evidence/$(date -u +%Y-%m-%d)/residency-evidence-eu.md"
echo "Verify: (cd evidence/$(date -u +%Y-%m-%d) && sha256sum -c --strict SHA256SUMS)"
exit 0
