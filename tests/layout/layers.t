#!/bin/sh
# lib/'s folders are layers, and a file only includes its own folder and
# the layers below it (docs/HACKING.md draws the map):
#
#   0  base: lib/*.h (err, fileio, linebuf, cpu, url)
#   1  eth, metrics
#   2  ipfs, onnx, pow
#   3  node
#   4  data
#   5  task
#   6  train, validate (pipeline stages of tasks: they seal with task/)
#   7  serve, queue
#
# Folders on one layer do not include each other. Every project include is
# folder-qualified ("eth/hex.h"), base headers aside. A folder missing from
# the table fails the test: give it a layer here and in docs/HACKING.md.
. "${0%/*}/../lib.sh"

rank() {
	case $1 in
	base) echo 0 ;;
	eth|metrics) echo 1 ;;
	ipfs|onnx|pow) echo 2 ;;
	node) echo 3 ;;
	data) echo 4 ;;
	task) echo 5 ;;
	train|validate) echo 6 ;;
	serve|queue) echo 7 ;;
	*) echo -1 ;;
	esac
}

: >"$T/bad"
for dir in "$TOP"/lib "$TOP"/lib/*/; do
	dir=${dir%/}
	[ -d "$dir" ] || continue
	if [ "$dir" = "$TOP/lib" ]; then folder=base; else folder=${dir##*/}; fi
	r=$(rank "$folder")
	if [ "$r" -lt 0 ]; then
		echo "lib/$folder/: no layer (add it to tests/layout/layers.t and docs/HACKING.md)" >>"$T/bad"
		continue
	fi
	for f in "$dir"/*.c "$dir"/*.h; do
		[ -f "$f" ] || continue
		grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" |
		    sed 's/^\([0-9]*\):.*"\(.*\)".*/\1 \2/' |
		while read -r line inc; do
			case $inc in
			*/*)	to=${inc%%/*} ;;
			*)	if [ -f "$TOP/lib/$inc" ]; then to=base
				else
					echo "${f#$TOP/}:$line: \"$inc\" is not folder-qualified"
					continue
				fi ;;
			esac
			[ "$to" = "$folder" ] && continue
			tr=$(rank "$to")
			if [ "$tr" -lt 0 ] || [ "$tr" -ge "$r" ]; then
				echo "${f#$TOP/}:$line: $folder (layer $r) includes \"$inc\" ($to, layer $tr)"
			fi
		done >>"$T/bad"
	done
done
is "$(wc -l <"$T/bad" | tr -d ' ')" 0 "no lib file includes its own layer's peers or a higher layer"
sed 's/^/# /' "$T/bad" | head -30
done_testing
