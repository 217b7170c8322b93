#!/bin/sh
# mk/deps.sh - install what DenAI needs, idempotently: Debian packages with
# apt-get (when run as root and something is missing) and the pinned npm
# tools in tools/ (from the committed lockfile). Quiet when all is there.
set -eu
cd "$(dirname "$0")/.."

APT_PKGS="build-essential clang libclang-rt-14-dev pkg-config \
libcurl4-openssl-dev libsecp256k1-dev libssl-dev zlib1g-dev libjansson-dev \
libsodium-dev jq python3 python3-sklearn python3-onnx perl curl ca-certificates \
libmicrohttpd-dev libsqlite3-dev sqlite3 libhiredis-dev redis-server redis-tools \
chromium wrk util-linux"

missing=
for p in $APT_PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
	    missing="$missing $p"
done
# Node.js may come from elsewhere (nodesource ships npm inside nodejs).
command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"
command -v prove >/dev/null 2>&1 || missing="$missing perl"
if [ -n "$missing" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "deps: missing Debian packages:$missing (run make deps as root)" >&2
		exit 1
	fi
	echo "deps: installing$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# The arm64 determinism check (tests/det/arm64.t): the cross compiler,
# qemu-user, and the evaluator's two libraries for arm64 with the multiarch
# loader (libc6:arm64). Only on an x86-64 host.
CROSS_PKGS="gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user file \
libc6:arm64 libjansson-dev:arm64 zlib1g-dev:arm64"
if [ "$(dpkg --print-architecture)" = amd64 ]; then
	missing=
	for p in $CROSS_PKGS; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		    grep -q 'ok installed' || missing="$missing $p"
	done
	if [ -n "$missing" ]; then
		if [ "$(id -u)" != 0 ]; then
			echo "deps: missing Debian packages:$missing (run make deps as root)" >&2
			exit 1
		fi
		echo "deps: installing$missing" >&2
		export DEBIAN_FRONTEND=noninteractive
		dpkg --print-foreign-architectures | grep -qx arm64 ||
		    dpkg --add-architecture arm64
		apt-get update -qq
		# shellcheck disable=SC2086
		apt-get install -y -qq --no-install-recommends $missing >/dev/null
	fi
fi

if [ ! -f tools/node_modules/.package-lock.json ] ||
    [ tools/package-lock.json -nt tools/node_modules/.package-lock.json ]; then
	echo "deps: installing npm tools (tools/package-lock.json)" >&2
	(cd tools && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi
