#!/usr/bin/env bash
# libFuzzer's -max_len for one target (used by run.sh and smoke.sh): 8 KiB covers every text,
# COSE and list input (a QR code holds at most 4,296 characters); pictures get 16 KiB, above
# the largest EU corpus picture (10,855 bytes), and a 16 KiB PNG can still declare a picture
# at the pixel cap.
# Usage: fuzz/max_len.sh TARGET
case "${1:?usage: fuzz/max_len.sh TARGET}" in
  image) echo 16384 ;;
  *) echo 8192 ;;
esac
