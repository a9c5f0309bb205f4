#!/usr/bin/env bash
# Stop what tests/slurm/start_cluster.sh started (and nothing it found already running).
set -uo pipefail
STATE=${SLURM_TEST_STATE:-/run/chinhquyenso-slurm}
[ -f "$STATE/started" ] || exit 0
# reverse order: slurmd, slurmctld, munged
for daemon in slurmd slurmctld munged; do
  if grep -qx "$daemon" "$STATE/started"; then
    pkill -x "$daemon" && echo "stopped $daemon"
  fi
done
rm -f "$STATE/started"
