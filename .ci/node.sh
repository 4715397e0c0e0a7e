# Sourced by .ci/run: puts a maintained Node (the `engines` range in
# package.json, >= 22.12) first on PATH when the machine's own is older (CI
# machines here have Node 20, which reached end of life in April 2026).
# Only the npm registry is reachable from CI, so Node comes from there: the
# node-linux-<arch> packages hold the official release binary. npm itself
# stays the machine's (npm 11 runs on Node 22). Cached between runs.
NODE_VERSION=22.23.5
if [ "$(node -p 'Number(process.versions.node.split(".")[0])')" -lt 22 ]; then
  node_arch="$(node -p 'process.arch')"
  node_dir="${XDG_CACHE_HOME:-$HOME/.cache}/llm-notebook-ci/node-v$NODE_VERSION-linux-$node_arch"
  if [ ! -x "$node_dir/bin/node" ]; then
    node_tmp="$(mktemp -d)"
    (cd "$node_tmp" && npm pack --silent "node-linux-$node_arch@$NODE_VERSION" >/dev/null)
    mkdir -p "$node_dir"
    tar -xzf "$node_tmp"/node-linux-*.tgz -C "$node_dir" --strip-components=1 package/bin/node package/LICENSE
    rm -rf "$node_tmp"
  fi
  export PATH="$node_dir/bin:$PATH"
fi
echo "CI runs on Node $(node --version), npm $(npm --version)"
