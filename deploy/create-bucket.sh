#!/bin/sh
# The compose file's one-shot (service s3-bucket): create the media bucket in SeaweedFS. It runs
# on every `docker compose up`, so a bucket that already exists counts as done.
set -eu
: "${BUCKET:?}" "${MASTER:?}"
# weed shell keeps retrying a master it cannot reach: give up rather than hold `up` forever
if out=$(echo "s3.bucket.create -name ${BUCKET}" | timeout 120 weed shell -master="${MASTER}" 2>&1); then
    echo "created bucket ${BUCKET}"
    exit 0
fi
case "${out}" in
    *"already exists"*) echo "bucket ${BUCKET} exists" ;;
    *) echo "${out}" >&2; exit 1 ;;
esac
