#!/usr/bin/env bash
# Stops the cluster that start.sh left in DATA_DIR, by the PIDs it recorded, then removes the dir.
#   e2e/radosgw/stop.sh DATA_DIR           # --keep DATA_DIR stops the daemons but keeps data and logs
set -euo pipefail

keep=0
[[ ${1:-} == --keep ]] && { keep=1; shift; }
DATA=${1:?usage: stop.sh [--keep] DATA_DIR (the RADOSGW_DATA that start.sh printed)}
# Refuse anything but a start.sh dir, since this ends processes and removes the dir.
[[ -f $DATA/pids && -f $DATA/ceph.conf ]] || { echo "stop.sh: $DATA is not a start.sh data dir" >&2; exit 2; }

# Only a live ceph daemon under a recorded PID is ours: a PID freed and reused since is left alone,
# and a zombie waiting to be reaped counts as gone.
ours() {
  local comm state
  comm=$(cat "/proc/$1/comm" 2>/dev/null) || return 1
  state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
  [[ $state != Z && $comm =~ ^(ceph-mon|ceph-osd|radosgw)$ ]]
}

mapfile -t pids <"$DATA/pids"
# SIGKILL, not TERM: the cluster is thrown away, so a clean shutdown only costs time (memstore would
# write every object to disk on the way out, ~5 s).
for pid in "${pids[@]}"; do ! ours "$pid" || kill -KILL "$pid" 2>/dev/null || true; done
# Wait until they are gone, so the ports are free when this returns.
for _ in $(seq 50); do
  alive=0
  for pid in "${pids[@]}"; do ! ours "$pid" || alive=1; done
  ((alive)) || break
  sleep 0.1
done
((alive == 0)) || { echo "stop.sh: PIDs ${pids[*]} still running after SIGKILL" >&2; exit 1; }

((keep)) || rm -rf "$DATA"
