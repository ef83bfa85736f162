// The gVisor install script a node runs from user data, as a template gvisorBootstrap.ts fills
// in (@NAME@ placeholders). Kept apart from the renderer so each file reads in one sitting.

/** bash; placeholders: RELEASE, MIRROR, LAYOUT, ATTEMPTS, INSTALL_DIR, RUNSC_CONFIG_PATH, PINNED_CASES, RUNSC_TOML. */
export const INSTALL_SCRIPT_TEMPLATE = `#!/usr/bin/env bash
# Installs gVisor release @RELEASE@ (@LAYOUT@ layout) for containerd. Rendered by sandbox-clusters.
set -euo pipefail

release="@RELEASE@"
mirror="@MIRROR@"
layout="@LAYOUT@"
attempts=@ATTEMPTS@
root="\${INSTALL_ROOT:-/}"
root="\${root%/}"
bin_dir="$root@INSTALL_DIR@"
config_path="$root@RUNSC_CONFIG_PATH@"
stamp="$bin_dir/.gvisor-release"
started="$EPOCHREALTIME"

log() { echo "gvisor-install: $*" >&2; }
fail() { log "ERROR: $*"; exit 1; }
# Seconds since the script started, for the log (what a node's boot waits on).
elapsed() { awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f s", b - a }'; }

arch="$(uname -m)"
case "$arch" in
    x86_64 | aarch64) ;;
    *) fail "no gVisor release for architecture $arch" ;;
esac
base="$mirror/$release/$arch"

# sha512 pinned at render time for ARCH/ARTIFACT; empty when the mirror's .sha512 is trusted.
pinned_sha512() {
    case "$1" in
@PINNED_CASES@
        *) echo "" ;;
    esac
}

# The runsc.toml this node's shim reads; runsc flags go in [runsc_config].
write_runsc_toml() {
    mkdir -p "$(dirname "$1")"
    cat >"$1" <<'RUNSC_TOML'
@RUNSC_TOML@
RUNSC_TOML
}

# The runsc flags of a runsc.toml as gVisor's containerd shim passes them: one
# --name=value per [runsc_config] entry (every value is a one-line string without quotes).
runsc_toml_flags() {
    awk '/^\\[/ { table = $0; next }
        table == "[runsc_config]" && match($0, /^[A-Za-z0-9_.-]+ = "/) {
            name = substr($0, 1, RLENGTH - 4); value = substr($0, RLENGTH + 1); sub(/"$/, "", value)
            print "--" name "=" value
        }' "$1"
}

# Runs one trivial gVisor sandbox with runsc ($1) and the flags of runsc.toml ($2), the way the
# shim runs every pod: proves the binary, its sidecars, the platform and every flag on this
# machine before the node may join. The sandbox runs \`true\` from the host's /usr, read-only.
prove_runsc_toml() {
    local runsc="$1" toml="$2" check id rc=0 d mounts="" flags=()
    mapfile -t flags < <(runsc_toml_flags "$toml")
    check="$(mktemp -d)"
    id="gvisor-install-check-$$"
    mkdir -p "$check/state" "$check/bundle/rootfs/usr"
    for d in bin sbin lib lib64; do
        if [ -L "/$d" ]; then
            ln -s "$(readlink "/$d")" "$check/bundle/rootfs/$d"
        elif [ -d "/$d" ]; then
            mkdir "$check/bundle/rootfs/$d"
            mounts="$mounts"',{"destination":"/'"$d"'","type":"bind","source":"/'"$d"'","options":["rbind","ro"]}'
        fi
    done
    cat >"$check/bundle/config.json" <<EOF
{"ociVersion":"1.0.2","hostname":"gvisor-install-check",
 "process":{"user":{"uid":0,"gid":0},"args":["true"],"env":["PATH=/usr/bin:/bin:/usr/sbin:/sbin"],"cwd":"/"},
 "root":{"path":"rootfs"},
 "mounts":[{"destination":"/proc","type":"proc","source":"proc"},{"destination":"/usr","type":"bind","source":"/usr","options":["rbind","ro"]}$mounts],
 "linux":{"namespaces":[{"type":"pid"},{"type":"network"},{"type":"ipc"},{"type":"uts"},{"type":"mount"}]}}
EOF
    timeout 120 "$runsc" --root="$check/state" --log="$check/runsc.log" "\${flags[@]}" run --bundle "$check/bundle" "$id" \\
        >"$check/output" 2>&1 || rc=$?
    "$runsc" --root="$check/state" delete --force "$id" >/dev/null 2>&1 || true
    # runsc keeps an empty network namespace for gofers mounted in its state directory.
    if [ -e "$check/state/null-netns" ]; then umount -l "$check/state/null-netns" 2>/dev/null || true; fi
    if [ "$rc" -ne 0 ]; then
        log "runsc \${flags[*]} could not run a sandbox (exit $rc):"
        grep -v '^$' "$check/output" | head -n 3 | sed 's/^/gvisor-install:   /' >&2 || true
        rm -rf "$check"
        return 1
    fi
    rm -rf "$check"
    log "a gVisor sandbox ran with runsc.toml's flags (\${flags[*]:-none}) at $(elapsed)"
}

installed_matches() {
    [ -f "$stamp" ] || return 1
    [ "$(head -n 1 "$stamp")" = "$release $arch $layout" ] || return 1
    (cd "$bin_dir" && tail -n +2 "$stamp" | sha512sum --check --quiet --strict - >/dev/null 2>&1)
}

for tool in curl sha512sum tar awk timeout; do
    command -v "$tool" >/dev/null || fail "$tool is required"
done

if installed_matches; then
    toml_tmp="$config_path.tmp.$$"
    write_runsc_toml "$toml_tmp"
    if ! prove_runsc_toml "$bin_dir/runsc" "$toml_tmp"; then
        rm -f "$toml_tmp"
        fail "the rendered runsc.toml does not work with gVisor $release on this machine; runsc.toml left as it was"
    fi
    mv -f "$toml_tmp" "$config_path"
    log "gVisor $release already installed in $bin_dir"
    exit 0
fi

# The artifact to fetch: separate files, or one tarball in the first format this machine can
# unpack, zstd (about 15 times faster to unpack) before bzip2. Where the release's digests are
# pinned, only a pinned artifact is fetched.
has_pins=""
for name in runsc containerd-shim-runsc-v1 gvisor.tar.zstd gvisor.tar.bz2; do
    if [ -n "$(pinned_sha512 "$arch/$name")" ]; then has_pins=1; fi
done
if [ "$layout" = tarball ]; then
    bunzip=""
    for tool in lbzip2 pbzip2 bzip2; do
        if command -v "$tool" >/dev/null; then bunzip="$tool"; break; fi
    done
    artifacts=()
    for name in gvisor.tar.zstd gvisor.tar.bz2; do
        case "$name" in
            *.zstd) command -v zstd >/dev/null || continue ;;
            *.bz2) [ -n "$bunzip" ] || continue ;;
        esac
        if [ -z "$has_pins" ] || [ -n "$(pinned_sha512 "$arch/$name")" ]; then
            artifacts=("$name")
            break
        fi
    done
    if [ "\${#artifacts[@]}" -eq 0 ]; then
        fail "no tool here unpacks a pinned artifact of gVisor $release for $arch (gvisor.tar.zstd needs zstd, gvisor.tar.bz2 needs bzip2); nothing installed"
    fi
else
    artifacts=(runsc containerd-shim-runsc-v1)
fi

mkdir -p "$bin_dir"
work="$(mktemp -d)"
staging="$(mktemp -d "$bin_dir/.gvisor-staging.XXXXXX")"
trap 'rm -rf "$work" "$staging"' EXIT

# Downloads $1 to $2 with retries; prints the sha512 of what it wrote, hashed as it arrives.
download() {
    local url="$1" out="$2" try delay=1 sum
    for ((try = 1; try <= attempts; try++)); do
        if sum="$(curl --fail --silent --show-error --location --proto '=https' --proto-redir '=https' --connect-timeout 10 --max-time 900 "$url" | tee "$out" | sha512sum)"; then
            echo "\${sum%% *}"
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

for name in "\${artifacts[@]}"; do
    got="$(download "$base/$name" "$work/$name")"
    want="$(pinned_sha512 "$arch/$name")"
    if [ -z "$want" ]; then
        download "$base/$name.sha512" "$work/$name.sha512" >/dev/null
        want="$(awk '{ print $1; exit }' "$work/$name.sha512")"
        [[ "$want" =~ ^[0-9a-f]{128}$ ]] || fail "$base/$name.sha512 holds no sha512 digest; nothing installed"
    fi
    [ "$got" = "$want" ] || fail "checksum mismatch for $name: expected sha512 $want, got $got; nothing installed"
    log "downloaded and verified $name at $(elapsed)"
done

if [ "$layout" = tarball ]; then
    # Unpacked once, after verification, into a staging folder of our own; then every member
    # is checked before anything moves into place.
    archive="\${artifacts[0]}"
    case "$archive" in
        *.zstd) unpack=(zstd -d -c -q --) ;;
        *) unpack=("$bunzip" -d -c --) ;;
    esac
    "\${unpack[@]}" "$work/$archive" | tar -x -v -f - -C "$staging" --no-same-owner --no-same-permissions >"$work/members" ||
        fail "could not unpack $archive; nothing installed"
    while IFS= read -r member; do
        member="\${member#./}"
        case "$member" in
            "" | runsc | containerd-shim-runsc-v1 | gvisor-bin/ | gvisor-bin/*) ;;
            *) fail "unexpected member $member in $archive; nothing installed" ;;
        esac
        case "$member" in
            *..*) fail "unsafe member $member in $archive; nothing installed" ;;
        esac
    done <"$work/members"
    odd="$(find "$staging" -mindepth 1 ! -type f ! -type d -print -quit)"
    [ -z "$odd" ] || fail "unexpected non-regular file \${odd#"$staging/"} in $archive; nothing installed"
    log "unpacked $archive with \${unpack[0]} at $(elapsed)"
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
write_runsc_toml "$work/runsc.toml"
prove_runsc_toml "$staging/runsc" "$work/runsc.toml" ||
    fail "the rendered runsc.toml does not work with gVisor $release on this machine; nothing installed"

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
mkdir -p "$(dirname "$config_path")"
cp "$work/runsc.toml" "$config_path.tmp.$$"
mv -f "$config_path.tmp.$$" "$config_path"
log "installed gVisor $release ($arch, $layout) into $bin_dir at $(elapsed)"
`;
