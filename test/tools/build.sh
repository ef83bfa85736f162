#!/usr/bin/env bash
# Builds the binaries the real-part tests run (Kubernetes, etcd, gVisor, containerd, nodeadm)
# from Go modules pinned in this folder, into a cache outside the repository.
#
#   test/tools/build.sh SET [SET...]
#
# A set is a folder test/tools/SET holding a build module of ours (go.mod with a committed
# go.sum, pinning versions and, where a dependency needs it, replace directives) and a file
# `binaries`, one line per binary: NAME PACKAGE [VAR=VALUE ...] (build environment; the
# variable LDFLAGS holds linker flags separated by commas, e.g. LDFLAGS=-s,-w,-X=pkg.Var=v1).
# A set may also hold an executable `prepare`: it then builds from a scratch copy of the
# folder, in which `prepare` runs first (to generate files a main package embeds, say).
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
    key=$({ cat "$dir/go.mod" "$dir/go.sum" "$dir/binaries" "$dir/prepare" 2>/dev/null || true; } | sha256sum | cut -c1-16)
    out="$cache/$set-$key"
    if [ ! -f "$out/.complete" ]; then
        exec 9>"$cache/.build.lock"
        flock 9
    fi
    if [ ! -f "$out/.complete" ]; then
        rm -rf "$out.tmp"
        mkdir -p "$out.tmp/bin"
        src="$dir"
        if [ -x "$dir/prepare" ]; then
            src="$out.tmp/src"
            cp -r "$dir" "$src"
            start=$SECONDS
            (cd "$src" && GOFLAGS=-mod=readonly ./prepare)
            echo "build.sh: $set prepared in $((SECONDS - start)) s" >&2
        fi
        while read -r name pkg envs; do
            [[ -z "${name:-}" || "$name" == \#* ]] && continue
            start=$SECONDS
            goenv=()
            flags=()
            for e in $envs; do
                case "$e" in
                    LDFLAGS=*) flags=("-ldflags=${e#LDFLAGS=}") && flags=("${flags[0]//,/ }") ;;
                    *) goenv+=("$e") ;;
                esac
            done
            (cd "$src" && env "${goenv[@]}" GOFLAGS=-mod=readonly go build -trimpath "${flags[@]}" -o "$out.tmp/bin/$name" "$pkg")
            echo "build.sh: $set/$name built from $pkg in $((SECONDS - start)) s" >&2
        done <"$dir/binaries"
        rm -rf "$out.tmp/src"
        touch "$out.tmp/.complete"
        rm -rf "$out"
        mv "$out.tmp" "$out"
    fi
    exec 9>&-
    ln -sfn "$out" "$cache/$set"
    echo "build.sh: $set ready in $cache/$set/bin" >&2
done
