#!/usr/bin/env bash
# Installs gVisor release 20261005.0 (tarball layout) for containerd. Rendered by sandbox-clusters.
set -euo pipefail

release="20261005.0"
mirror="https://storage.googleapis.com/gvisor/releases/release"
layout="tarball"
artifacts=(gvisor.tar.bz2)
attempts=5
root="${INSTALL_ROOT:-/}"
root="${root%/}"
bin_dir="$root/usr/local/bin"
config_path="$root/etc/containerd/runsc.toml"
stamp="$bin_dir/.gvisor-release"

log() { echo "gvisor-install: $*" >&2; }
fail() { log "ERROR: $*"; exit 1; }

arch="$(uname -m)"
case "$arch" in
    x86_64 | aarch64) ;;
    *) fail "no gVisor release for architecture $arch" ;;
esac
base="$mirror/$release/$arch"

# sha512 pinned at render time for ARCH/ARTIFACT; empty when the mirror's .sha512 is trusted.
pinned_sha512() {
    case "$1" in
        x86_64/gvisor.tar.bz2) echo 79869ae9a589355a46d46fdac068d9a954e741741ffe77c64e38c56ea955498c1cb04e9bce44e1cce5155333e6b76bee72347c6661bb7c78fd2fe3aad198c8fe ;;
        *) echo "" ;;
    esac
}

write_runsc_toml() {
    mkdir -p "$(dirname "$config_path")"
    local tmp="$config_path.tmp.$$"
    cat >"$tmp" <<'RUNSC_TOML'
# runsc flags for every gVisor sandbox (rendered by sandbox-clusters)
[runsc_config]
platform = "systrap"
RUNSC_TOML
    mv -f "$tmp" "$config_path"
}

installed_matches() {
    [ -f "$stamp" ] || return 1
    [ "$(head -n 1 "$stamp")" = "$release $arch $layout" ] || return 1
    (cd "$bin_dir" && tail -n +2 "$stamp" | sha512sum --check --quiet --strict - >/dev/null 2>&1)
}

if installed_matches; then
    write_runsc_toml
    log "gVisor $release already installed in $bin_dir"
    exit 0
fi

for tool in curl sha512sum tar; do
    command -v "$tool" >/dev/null || fail "$tool is required"
done
if [ "$layout" = tarball ]; then
    command -v bzip2 >/dev/null || fail "bzip2 is required to unpack gvisor.tar.bz2"
fi

mkdir -p "$bin_dir"
work="$(mktemp -d)"
staging="$(mktemp -d "$bin_dir/.gvisor-staging.XXXXXX")"
trap 'rm -rf "$work" "$staging"' EXIT

download() {
    local url="$1" out="$2" try delay=1
    for ((try = 1; try <= attempts; try++)); do
        if curl --fail --silent --show-error --location --proto '=https' --proto-redir '=https' --connect-timeout 10 --max-time 900 -o "$out" "$url"; then
            return 0
        fi
        if ((try < attempts)); then
            log "download of $url failed (attempt $try of $attempts); retrying in $delay s"
            sleep "$delay"
            delay=$((delay * 2))
        fi
    done
    fail "could not download $url after $attempts attempts"
}

for name in "${artifacts[@]}"; do
    download "$base/$name" "$work/$name"
    want="$(pinned_sha512 "$arch/$name")"
    if [ -z "$want" ]; then
        download "$base/$name.sha512" "$work/$name.sha512"
        want="$(awk '{ print $1; exit }' "$work/$name.sha512")"
        [[ "$want" =~ ^[0-9a-f]{128}$ ]] || fail "$base/$name.sha512 holds no sha512 digest; nothing installed"
    fi
    got="$(sha512sum "$work/$name" | awk '{ print $1 }')"
    [ "$got" = "$want" ] || fail "checksum mismatch for $name: expected sha512 $want, got $got; nothing installed"
    log "verified $name"
done

if [ "$layout" = tarball ]; then
    while IFS= read -r member; do
        member="${member#./}"
        case "$member" in
            "" | runsc | containerd-shim-runsc-v1 | gvisor-bin/ | gvisor-bin/*) ;;
            *) fail "unexpected member $member in gvisor.tar.bz2; nothing installed" ;;
        esac
        case "$member" in
            *..*) fail "unsafe member $member in gvisor.tar.bz2; nothing installed" ;;
        esac
    done < <(tar -tjf "$work/gvisor.tar.bz2")
    tar -xjf "$work/gvisor.tar.bz2" -C "$staging" --no-same-owner --no-same-permissions
else
    mv "$work/runsc" "$work/containerd-shim-runsc-v1" "$staging/"
fi
for bin in runsc containerd-shim-runsc-v1; do
    [ -f "$staging/$bin" ] || fail "release has no $bin; nothing installed"
done
chmod 0755 "$staging/runsc" "$staging/containerd-shim-runsc-v1"
if [ -d "$staging/gvisor-bin" ]; then
    chmod 0755 "$staging/gvisor-bin"
    find "$staging/gvisor-bin" -type f -exec chmod 0755 {} +
fi
"$staging/runsc" --version >/dev/null 2>&1 || fail "the downloaded runsc does not run on this machine; nothing installed"

# Sidecars first and runsc last: a runsc never starts without the sidecars of its release.
if [ -d "$staging/gvisor-bin" ]; then
    rm -rf "$bin_dir/.gvisor-bin.old"
    if [ -e "$bin_dir/gvisor-bin" ]; then mv "$bin_dir/gvisor-bin" "$bin_dir/.gvisor-bin.old"; fi
    mv "$staging/gvisor-bin" "$bin_dir/gvisor-bin"
    rm -rf "$bin_dir/.gvisor-bin.old"
fi
mv -f "$staging/containerd-shim-runsc-v1" "$bin_dir/containerd-shim-runsc-v1"
mv -f "$staging/runsc" "$bin_dir/runsc"
# An older release without sidecars must not sit next to a newer release's gvisor-bin/.
if [ "$layout" = files ]; then rm -rf "$bin_dir/gvisor-bin"; fi

{
    echo "$release $arch $layout"
    (cd "$bin_dir" && find runsc containerd-shim-runsc-v1 -type f && { [ ! -d gvisor-bin ] || find gvisor-bin -type f; }) | LC_ALL=C sort | (cd "$bin_dir" && xargs sha512sum)
} >"$stamp.tmp"
mv -f "$stamp.tmp" "$stamp"
write_runsc_toml
log "installed gVisor $release ($arch, $layout) into $bin_dir"
