#!/usr/bin/env bash
# A one-minute tour of Image Manager: make a small qcow2, register it, distribute it to the two local Glance VIMs and
# show where it landed. Run it from the repository's root after `./imagemanager.sh up`: `bash docs/demo.sh`.
# Needs curl, jq and qemu-img (Debian: qemu-utils). The README shows this file; its test is DemoScriptTests (CLI tests).
set -euo pipefail

# Where the Api is and its key (`up` made the key); the tests point these at a system of their own.
API="${IMAGEMANAGER_URL:-http://127.0.0.1:5080}/api/v1"
KEY="${IMAGEMANAGER_API_KEY:-$(cat .local/secrets/bootstrap-admin-key)}"
GLANCE1="${DEMO_GLANCE1:-http://127.0.0.1:9292}" GLANCE2="${DEMO_GLANCE2:-http://127.0.0.1:9293}"
VIM1="${DEMO_VIM_PREFIX:-local}_glance1" VIM2="${DEMO_VIM_PREFIX:-local}_glance2"
api() { curl -sS --fail-with-body -H "Authorization: Bearer $KEY" "$@"; }
json() { api -H 'content-type: application/json' "$@"; }
work=$(mktemp -d) && trap 'rm -rf "$work"' EXIT

echo "1. A 64 MiB qcow2 disk holding 1 MiB of random data (new bytes each run)"
head -c 1M /dev/urandom > "$work/disk.raw"
qemu-img convert -f raw -O qcow2 "$work/disk.raw" "$work/demo.qcow2" && qemu-img resize -q "$work/demo.qcow2" 64M

echo "2. Its record in the catalogue, then its bytes; validation makes it active"
image=$(json -XPOST "$API/images" -d "{\"name\":\"demo\",\"version\":\"1.0.$(date +%s)-$RANDOM\",
  \"kind\":\"vm-image\",\"diskFormat\":\"qcow2\",\"vendor\":\"demo\"}" | jq -r .id)
api -XPUT "$API/images/$image/file" -H 'content-type: application/octet-stream' --data-binary @"$work/demo.qcow2" >/dev/null
for _ in $(seq 120); do
  status=$(api "$API/images/$image" | jq -r .status)
  [[ $status == queued || $status == validating ]] || break; sleep 1
done
echo "   image $image is $status"; [[ $status == active ]]

echo "3. The two local Glance instances as VIMs (PUT registers or updates: safe to run again)"
json -XPUT "$API/vims" -d "{\"vims\":[{\"id\":\"$VIM1\",\"type\":\"openstack\",\"endpoint\":\"$GLANCE1\"},
  {\"id\":\"$VIM2\",\"type\":\"openstack\",\"endpoint\":\"$GLANCE2\"}]}" | jq -c .

echo "4. Distribute to both and wait until it completes"
distribution=$(json -XPOST "$API/distributions" -d "{\"imageId\":\"$image\",\"vimIds\":[\"$VIM1\",\"$VIM2\"]}" | jq -r .id)
for _ in $(seq 120); do
  [[ $(api "$API/distributions/$distribution" | jq -r .state) == completed ]] && break; sleep 1
done
outcome=$(api "$API/distributions/$distribution" | jq -r .outcome)
echo "   distribution $distribution: $outcome"

echo "5. Where the image is now: each VIM, the target's state and Glance's own image id"
api "$API/distributions/$distribution/targets" | jq -r '.targets[] | "   \(.vimId)  \(.state)  \(.vimImageId)"'
[[ $outcome == succeeded ]]
