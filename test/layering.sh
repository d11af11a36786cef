#!/bin/sh
# The layering of emu/, proved from the object files with nm (no source is
# parsed): topo/ bgp/ lib/ -> emu/model/ -> emu/ (kernel, processes) -> cmd/;
# and the size of its files (source lines counted).
#   1. no object of emu/model/ references a symbol that an object of emu/
#      outside model/, or of cmd/, defines: the pure model links no kernel
#      code (`arsemu plan` and the pure unit tests link it without libemu.a);
#   2. the file-level call graph of emu/*.o and emu/model/*.o (an edge A -> B
#      when A references a symbol B defines) has no cycle: no two files call
#      each other, directly or round a loop;
#   3. no .c file under emu/ (model/ included) is longer than 1000 lines: a
#      file that grows past it is split by what it owns.
# Needs a build (make); BUILD= picks the build directory. Prints TAP.
cd "$(dirname "$0")/.." || exit 2
B=${BUILD:-build}
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

set -- "$B"/emu/*.o "$B"/emu/model/*.o
if [ ! -f "$1" ] || [ ! -f "$B/emu/model/sdn.o" ]; then
	echo "1..0 # SKIP no objects in $B/emu (run make first)"
	exit 0
fi
# "FILE SYMBOL" for every global symbol defined (def) or referenced (und)
for o in "$@" "$B"/cmd/*.o; do
	f=${o#"$B"/}
	f=${f%.o}
	nm -g --defined-only "$o" | awk -v f="$f" 'NF == 3 { print f, $3 }' >> "$tmp/def"
	nm -u "$o" | awk -v f="$f" '{ print f, $NF }' >> "$tmp/und"
done
# "A B SYMBOL": file A references SYMBOL, which file B defines
awk 'NR == FNR { def[$2] = $1; next }
    ($2 in def) && def[$2] != $1 { print $1, def[$2], $2 }' \
    "$tmp/def" "$tmp/und" > "$tmp/edges"

n=0
rc=0
for o in "$B"/emu/model/*.o; do
	f=${o#"$B"/}
	f=${f%.o}
	n=$((n + 1))
	bad=$(awk -v f="$f" '$1 == f && $2 !~ /^emu\/model\// &&
	    ($2 ~ /^emu\// || $2 ~ /^cmd\//) { printf " %s (%s)", $3, $2 }' \
	    "$tmp/edges")
	if [ -z "$bad" ]; then
		echo "ok $n - $f.o references nothing of emu/ outside model/ nor of cmd/"
	else
		echo "not ok $n - $f.o references kernel/process code:$bad"
		rc=1
	fi
done

# Cycles: the transitive closure of the emu/ file graph (a few dozen files);
# two files that reach each other are on one cycle.
n=$((n + 1))
cyc=$(awk '$1 ~ /^emu\// && $2 ~ /^emu\// {
	if (!($1 in id)) { id[$1] = ++N; name[N] = $1 }
	if (!($2 in id)) { id[$2] = ++N; name[N] = $2 }
	r[id[$1], id[$2]] = 1
	why[id[$1], id[$2]] = $3
    }
    END {
	for (k = 1; k <= N; k++)
		for (i = 1; i <= N; i++)
			if (r[i, k])
				for (j = 1; j <= N; j++)
					if (r[k, j])
						r[i, j] = 1
	for (i = 1; i <= N; i++)
		for (j = i + 1; j <= N; j++)
			if (r[i, j] && r[j, i]) {
				s = name[i] " <-> " name[j]
				if ((i, j) in why)
					s = s " (" name[i] " calls " why[i, j] ")"
				if ((j, i) in why)
					s = s " (" name[j] " calls " why[j, i] ")"
				print s
			}
    }' "$tmp/edges")
if [ -z "$cyc" ]; then
	echo "ok $n - no call cycle between the files of emu/ and emu/model/"
else
	echo "not ok $n - call cycles between files of emu/:"
	echo "$cyc" | sed 's/^/# /'
	rc=1
fi
# Size: counted on the sources, not the objects.
n=$((n + 1))
max=1000
long=$(find emu -name '*.c' -exec wc -l {} + | awk -v max="$max" '
    $2 != "total" && $1 > max { printf " %s (%d lines)", $2, $1 }')
if [ -z "$long" ]; then
	echo "ok $n - no .c file under emu/ is longer than $max lines"
else
	echo "not ok $n - longer than $max lines:$long"
	rc=1
fi
echo "1..$n"
exit $rc
