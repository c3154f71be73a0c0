#!/usr/bin/env bash
# Installs the Debian packages that e2e/radosgw/start.sh needs for a single-node Ceph with radosgw.
# Idempotent: when every binary is already there it does nothing (no apt-get update, no network).
set -euo pipefail

# ceph-mon and ceph-osd bring the cluster; radosgw is the S3 gateway; ceph-common has the `ceph` CLI
# and radosgw-admin. ceph-mgr is not needed: pools are created by the monitor alone (see start.sh).
PACKAGES=(ceph-mon ceph-osd radosgw ceph-common)
BINARIES=(ceph-mon ceph-osd radosgw ceph radosgw-admin)

missing=0
for binary in "${BINARIES[@]}"; do
  command -v "$binary" >/dev/null 2>&1 || missing=1
done
if [[ $missing == 0 ]]; then
  echo "radosgw: ceph binaries already installed ($(radosgw --version | head -n1))"
  exit 0
fi

sudo=()
[[ $(id -u) == 0 ]] || sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}"
radosgw --version | head -n1
