#!/usr/bin/env bash
# Start a single-node SLURM cluster on this machine (munged, slurmctld, slurmd), for the test of
# the workflow through snakemake-executor-plugin-slurm (tests/slurm/test_slurm_cluster.py).
#
#   sudo tests/slurm/start_cluster.sh          # idempotent: starts only what is not running
#   sudo tests/slurm/stop_cluster.sh           # stops what this script started
#
# Needs Debian's slurm-wlm and munge (`apt-get install -y slurm-wlm munge`) and root. No
# accounting database: job states come from squeue (profiles/slurm: slurm-status-command).
# Writes /etc/slurm/slurm.conf only if it does not exist or was written by this script.
set -euo pipefail

STATE=${SLURM_TEST_STATE:-/run/chinhquyenso-slurm}
CONF=/etc/slurm/slurm.conf
MARK="# written by chinhquyenso tests/slurm/start_cluster.sh"

for cmd in munged slurmctld slurmd sinfo; do
  command -v "$cmd" >/dev/null || { echo "start_cluster: '$cmd' not found; apt-get install -y slurm-wlm munge" >&2; exit 2; }
done
[ "$(id -u)" -eq 0 ] || { echo "start_cluster: must run as root" >&2; exit 2; }
mkdir -p "$STATE"

host=$(hostname -s)
cpus=$(nproc)
# leave 1 GB to the system; SLURM refuses jobs asking for more than RealMemory
mem=$(( $(awk '/MemTotal/ {print int($2 / 1024)}' /proc/meminfo) - 1024 ))

if [ ! -f "$CONF" ] || grep -qF "$MARK" "$CONF"; then
  mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
  cat > "$CONF" <<CONF
$MARK
ClusterName=local
SlurmctldHost=$host
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
SlurmUser=root
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
ReturnToService=2
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
  # no cgroup.conf: with this SLURM version "CgroupPlugin=disabled" stops slurmd from starting
fi

if ! pgrep -x munged >/dev/null; then
  mkdir -p /run/munge && chown munge:munge /run/munge
  [ -f /etc/munge/munge.key ] || { dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 2>/dev/null; chown munge:munge /etc/munge/munge.key; chmod 400 /etc/munge/munge.key; }
  su -s /bin/sh munge -c /usr/sbin/munged
  echo munged >> "$STATE/started"
fi
munge -n | unmunge >/dev/null

if ! pgrep -x slurmctld >/dev/null; then
  slurmctld
  echo slurmctld >> "$STATE/started"
fi
if ! pgrep -x slurmd >/dev/null; then
  slurmd
  echo slurmd >> "$STATE/started"
fi

for _ in $(seq 1 60); do
  if sinfo -h -o "%T" 2>/dev/null | grep -qE "^(idle|mixed|allocated)"; then
    sinfo
    exit 0
  fi
  sleep 1
done
echo "start_cluster: the node did not become idle in 60 s" >&2
sinfo -N -l >&2 || true
tail -20 /var/log/slurm/slurmctld.log /var/log/slurm/slurmd.log >&2 || true
exit 1
