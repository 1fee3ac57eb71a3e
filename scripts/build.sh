#!/usr/bin/env bash
# Cross-compiles the static binary for every supported platform into dist/.
set -euo pipefail
cd "$(dirname "$0")/.."
version=${VERSION:-$(git describe --tags --always 2>/dev/null || echo dev)}
mkdir -p dist
for target in linux/amd64 linux/arm64 linux/loong64 windows/amd64; do
  os=${target%/*}; arch=${target#*/}
  out=dist/shuiyun-$os-$arch
  [ "$os" = windows ] && out=$out.exe
  CGO_ENABLED=0 GOOS=$os GOARCH=$arch go build -trimpath \
    -ldflags "-s -w -X shuiyun/internal/cli.Version=$version" -o "$out" ./cmd/shuiyun
  echo "built $out"
done
