#!/usr/bin/env bash
# Installs what `npm start` (runtime) or `npm test` (test) needs and a fresh machine lacks:
# npm dependencies, Java and Maven for Kafka, for the tests promtool and helm, and toxiproxy for
# the tests and `npm run chaos`.
# Idempotent and quiet when everything is there. Debian packages need root (CI runs as root).
set -euo pipefail
cd "$(dirname "$0")/.."
need="${1:-runtime}"

apt_updated=
apt_install() {
  if [ "$(id -u)" != 0 ]; then
    echo "ensure-tools: please install Debian packages: $*" >&2
    exit 1
  fi
  [ -n "$apt_updated" ] || { apt-get update -qq; apt_updated=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

[ -d node_modules/.bin ] || npm ci --no-audit --no-fund
command -v java >/dev/null || apt_install openjdk-17-jre-headless
command -v mvn >/dev/null || apt_install maven

gobin="$(go env GOPATH 2>/dev/null || echo "$HOME/go")/bin"
if [ "$need" = test ] || [ "$need" = chaos ]; then
  # toxiproxy puts network faults between the services and Kafka/PostgreSQL (binary: `server`).
  [ -x "$gobin/server" ] || go install github.com/Shopify/toxiproxy/v2/cmd/server@v2.12.0
fi

if [ "$need" = test ]; then
  # promtool tests the generated alert rules; prometheus runs them live in the monitoring tests.
  command -v promtool >/dev/null || apt_install --no-install-recommends prometheus
  # helm lints and renders the chart; Go builds it from the module proxy.
  command -v helm >/dev/null || [ -x "$gobin/helm" ] || go install helm.sh/helm/v3/cmd/helm@v3.22.0
fi
