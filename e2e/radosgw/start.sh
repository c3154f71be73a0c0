#!/usr/bin/env bash
# Starts a throwaway single-node Ceph (one monitor, one in-memory OSD) with radosgw as a real S3 on
# 127.0.0.1, creates a user, a bucket and its CORS rule, and writes what a test needs to $DATA/env.
#
#   e2e/radosgw/start.sh            # radosgw on 127.0.0.1:7480; RGW_PORT and RGW_BUCKET change them
#   . "$DATA/env"; ...; e2e/radosgw/stop.sh "$DATA"
#
# The last line printed on success is `RADOSGW_DATA=<dir>`, for scripts that start it.
set -euo pipefail
cd "$(dirname "$0")"

RGW_PORT=${RGW_PORT:-7480}
BUCKET=${RGW_BUCKET:-e2e-uploads}
# Fixed keys: the cluster is private to this run and gone after stop.sh.
ACCESS_KEY=E2EACCESSKEY0000000A
SECRET_KEY=e2e/radosgw/secret/key/for/tests/only0000
# The zonegroup radosgw creates on first start has api_name "default" (`radosgw-admin zonegroup get`),
# so that is the region to sign for. radosgw 16 does not check it, though: any region in a SigV4
# credential scope is accepted, for POST forms and signed headers alike, if the signature used it.
REGION=default

for binary in ceph-mon ceph-osd radosgw ceph radosgw-admin; do
  if ! command -v "$binary" >/dev/null 2>&1; then
    echo "radosgw: '$binary' is not installed. Install Ceph's S3 gateway with:" >&2
    echo "  apt-get install -y --no-install-recommends ceph-mon ceph-osd radosgw ceph-common" >&2
    echo "  (or run e2e/radosgw/install.sh)" >&2
    exit 127
  fi
done

DATA=$(mktemp -d -t radosgw-e2e.XXXXXX)
mkdir -p "$DATA"/{mon,osd,log,run,rgw}
# Every daemon's PID goes here the moment it starts, so stop.sh can end them even if this script fails.
PIDS_FILE=$DATA/pids
: >"$PIDS_FILE"

fail() {
  echo "radosgw: $1" >&2
  # *.log is each daemon's log, *.out its stderr (where a crash trace goes).
  for log in "$DATA"/log/*.log "$DATA"/log/*.out; do
    [[ -s $log ]] && { echo "--- tail of $log" >&2; tail -n 20 "$log" >&2; }
  done
  "$PWD/stop.sh" --keep "$DATA" >&2 || true
  echo "radosgw: daemons stopped; data and logs kept in $DATA" >&2
  exit 1
}
trap 'fail "start.sh failed at line $LINENO"' ERR
# A caller that gives up (a test's timeout, Ctrl-C) must not leave daemons behind either.
trap 'fail "start.sh was interrupted"' INT TERM

# The monitor's port is chosen free, so two clusters (or a leftover one) never share it.
MON_PORT=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
FSID=$(cat /proc/sys/kernel/random/uuid)

# auth none: nothing here is reachable from outside 127.0.0.1 and the cluster lives for one test run,
# so no keyrings. Size-1 pools because there is exactly one OSD.
cat >"$DATA/ceph.conf" <<CONF
[global]
fsid = $FSID
mon initial members = a
mon host = [v2:127.0.0.1:$MON_PORT]
ms bind msgr1 = false
ms bind ipv6 = false
auth cluster required = none
auth service required = none
auth client required = none
log file = $DATA/log/\$name.log
admin socket = $DATA/run/\$name.asok
pid file = $DATA/run/\$name.pid
run dir = $DATA/run
crash dir = $DATA/run
osd pool default size = 1
osd pool default min size = 1
# No manager runs, so nothing would autoscale PGs anyway; 8 per pool keeps radosgw's ~7 pools small.
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
# Pacific refuses size-1 pools unless told that this is on purpose.
mon allow pool size one = true
# Each pool radosgw creates is a new osdmap, which the monitor commits at most once a second by default.
paxos propose interval = 0.1
[mon]
mon data = $DATA/mon/\$name
[osd]
public addr = 127.0.0.1
cluster addr = 127.0.0.1
osd data = $DATA/osd/\$name
osd objectstore = memstore
# memstore keeps objects in RAM; 512 MiB is ample for the suite and bounds what a runaway test can use.
memstore device bytes = 536870912
[client.rgw]
# radosgw defaults to a "secure" monitor session, which needs cephx; with auth none only crc exists.
ms mon client mode = crc
rgw frontends = beast endpoint=127.0.0.1:$RGW_PORT
rgw data = $DATA/rgw
CONF
export CEPH_CONF=$DATA/ceph.conf

# Daemons run in the foreground (-f) under `&`, so $! is the daemon's own PID. Their output goes to a
# file and stdin is /dev/null: a caller waiting for this script's stdout to close must not wait for them.
run() {
  local name=$1
  shift
  "$@" -f </dev/null >>"$DATA/log/$name.out" 2>&1 &
  echo $! >>"$PIDS_FILE"
}

started=$(date +%s)
# The monitor binds to the address its monmap gives it, so the map is built with the chosen port.
monmaptool --create --fsid "$FSID" --addv a "[v2:127.0.0.1:$MON_PORT]" "$DATA/monmap" >"$DATA/log/mkfs.out" 2>&1
ceph-mon --mkfs -i a --monmap "$DATA/monmap" >>"$DATA/log/mkfs.out" 2>&1
run mon.a ceph-mon -i a

# `ceph osd new` registers the OSD with the monitor and prints its id (0): the Nautilus+ way.
OSD_UUID=$(cat /proc/sys/kernel/random/uuid)
OSD_ID=$(ceph --connect-timeout 20 osd new "$OSD_UUID")
mkdir -p "$DATA/osd/osd.$OSD_ID"
ceph-osd -i "$OSD_ID" --mkfs --osd-uuid "$OSD_UUID" >>"$DATA/log/mkfs.out" 2>&1
run "osd.$OSD_ID" ceph-osd -i "$OSD_ID"

# No ceph-mgr: radosgw creates its pools through the monitor, and PGs peer without a manager.
run client.rgw radosgw -n client.rgw

deadline=$((SECONDS + ${RADOSGW_START_TIMEOUT:-90}))
# Ready means radosgw itself answers ListBuckets: a daemon that died fails at once, a foreign server on
# the port does not pass for radosgw, and --max-time keeps one that hangs from stalling the loop.
while :; do
  while read -r pid; do
    kill -0 "$pid" 2>/dev/null || fail "a ceph daemon (PID $pid) exited during start-up"
  done <"$PIDS_FILE"
  body=$(curl -fsS --max-time 2 "http://127.0.0.1:$RGW_PORT/" 2>/dev/null || true)
  [[ $body == *ListAllMyBucketsResult* ]] && break
  ((SECONDS < deadline)) || fail "radosgw did not answer on http://127.0.0.1:$RGW_PORT/ within ${RADOSGW_START_TIMEOUT:-90}s"
  sleep 0.5
done

radosgw-admin user create --uid=e2e --display-name="s3-direct-upload e2e" \
  --access-key="$ACCESS_KEY" --secret-key="$SECRET_KEY" >"$DATA/log/user.out" 2>&1

cat >"$DATA/env" <<ENV
S3_ENDPOINT=http://127.0.0.1:$RGW_PORT
S3_BUCKET=$BUCKET
S3_REGION=$REGION
AWS_ACCESS_KEY_ID=$ACCESS_KEY
AWS_SECRET_ACCESS_KEY=$SECRET_KEY
RADOSGW_DATA=$DATA
RADOSGW_PIDS="$(tr '\n' ' ' <"$PIDS_FILE" | sed 's/ $//')"
ENV
# The bucket and its CORS rule go through S3 itself, as a user of the kit would create them.
node create-bucket.mjs "$DATA/env" >"$DATA/log/bucket.out" 2>&1

echo "radosgw: $(radosgw --version | head -n1 | cut -d' ' -f1-3) on http://127.0.0.1:$RGW_PORT," \
  "bucket $BUCKET, region $REGION, ready in $(($(date +%s) - started))s"
echo "radosgw: stop with e2e/radosgw/stop.sh $DATA"
echo "RADOSGW_DATA=$DATA"
