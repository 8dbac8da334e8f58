#!/usr/bin/env bash
# Debian packages the project needs, installed only when missing (the machine may be fresh).
set -euo pipefail
need=()
case "${1:-}" in
  gettext) command -v msgfmt >/dev/null || need+=(gettext) ;;
  browser)
    command -v chromium >/dev/null || need+=(chromium)
    fc-list 2>/dev/null | grep -qi "wenquanyi\|wqy" || need+=(fonts-wqy-microhei) ;;
  postgres) command -v pg_ctlcluster >/dev/null || need+=(postgresql-15) ;;
esac
((${#need[@]})) || exit 0
if [[ $(id -u) -ne 0 ]]; then
  echo "缺少系统软件包 / missing Debian packages: ${need[*]} (run as root: apt-get install ${need[*]})" >&2
  exit 1
fi
echo "installing ${need[*]} with apt-get"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
