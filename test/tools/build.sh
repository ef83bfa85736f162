#!/usr/bin/env bash
# Builds the binaries the real-part tests run (Kubernetes, etcd, gVisor, containerd, nodeadm)
# from Go modules pinned in this folder, into a cache outside the repository.
#
#   test/tools/build.sh SET [SET...]
#
# A set is a folder test/tools/SET holding a build module of ours (go.mod with a committed
# go.sum, pinning versions and, where a dependency needs it, replace directives) and a file
# `binaries`, one line per binary: NAME PACKAGE [VAR=VALUE ...] (build environment).
# Binaries land in $SANDBOX_CLUSTERS_CACHE/SET/bin/NAME (default ~/.cache/sandbox-clusters);
# a set is rebuilt only when its go.mod, go.sum or binaries change. Go's own module and
# build caches are reused between runs as usual. Builds take a lock in the cache, so two
# runs on one machine build one set at a time (the heavy sets peak near 5 GB) and never
# write the same set at once.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${SANDBOX_CLUSTERS_CACHE:-$HOME/.cache/sandbox-clusters}"
mkdir -p "$cache"

for set in "$@"; do
    dir="$here/$set"
    if [ ! -f "$dir/go.mod" ] || [ ! -f "$dir/binaries" ]; then
        echo "build.sh: no build set '$set' in $here" >&2
        exit 2
    fi
    key=$(cat "$dir/go.mod" "$dir/go.sum" "$dir/binaries" 2>/dev/null | sha256sum | cut -c1-16)
    out="$cache/$set-$key"
    if [ ! -f "$out/.complete" ]; then
        exec 9>"$cache/.build.lock"
        flock 9
    fi
    if [ ! -f "$out/.complete" ]; then
        rm -rf "$out.tmp"
        mkdir -p "$out.tmp/bin"
        while read -r name pkg envs; do
            [[ -z "${name:-}" || "$name" == \#* ]] && continue
            start=$SECONDS
            # shellcheck disable=SC2086 # envs is a list of VAR=VALUE words
            (cd "$dir" && env $envs GOFLAGS=-mod=readonly go build -trimpath -o "$out.tmp/bin/$name" "$pkg")
            echo "build.sh: $set/$name built from $pkg in $((SECONDS - start)) s" >&2
        done <"$dir/binaries"
        touch "$out.tmp/.complete"
        rm -rf "$out"
        mv "$out.tmp" "$out"
    fi
    exec 9>&-
    ln -sfn "$out" "$cache/$set"
    echo "build.sh: $set ready in $cache/$set/bin" >&2
done
