#!/usr/bin/env bash
# fuzz.sh: libFuzzer campaigns over tests/fuzz/fuzz_*.c.
#
#   scripts/fuzz.sh SECONDS [TARGET...]   run each target (default: all)
#                                         for SECONDS, RA_FUZZ_JOBS (2) at
#                                         a time; prints one line per target
#   scripts/fuzz.sh merge [TARGET...]     add the most useful new inputs of
#                                         the scratch corpora (at most
#                                         RA_FUZZ_MERGE_MAX, 50, the smallest
#                                         first) to tests/fuzz/corpus/
#
# Builds with clang into RA_FUZZ_DIR (build-fuzz) with ASan + UBSan. Each
# target runs on its scratch corpus RA_FUZZ_DIR/corpus/<target> (created
# from the checked-in seeds, kept between runs) with the seeds as a second,
# read-only directory. Logs: RA_FUZZ_DIR/logs/<target>.log; crashes, leaks,
# timeouts and OOMs: RA_FUZZ_DIR/artifacts/<target>/. The exit status is 1
# when any target found something.
set -euo pipefail
cd "$(dirname "$0")/.."
src=$PWD
dir=${RA_FUZZ_DIR:-build-fuzz}
jobs=${RA_FUZZ_JOBS:-2}
max_len=${RA_FUZZ_MAX_LEN:-65536}
merge_max=${RA_FUZZ_MERGE_MAX:-50}

usage() {
	echo "usage: scripts/fuzz.sh SECONDS [TARGET...] | merge [TARGET...]" >&2
	exit 2
}
[ $# -ge 1 ] || usage
mode=run
if [ "$1" = merge ]; then
	mode=merge
else
	case $1 in ''|*[!0-9]*) usage ;; esac
	secs=$1
fi
shift

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
	for f in tests/fuzz/fuzz_*.c; do
		targets+=("$(basename "$f" .c)")
	done
fi
for t in "${targets[@]}"; do
	[ -f "tests/fuzz/$t.c" ] || { echo "fuzz.sh: $t: no tests/fuzz/$t.c" >&2; exit 2; }
done

if [ ! -f "$dir/CMakeCache.txt" ]; then
	cmake -S . -B "$dir" -G Ninja -DCMAKE_C_COMPILER=clang -DRA_FUZZ=ON \
	    -DRA_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
ninja -C "$dir" -j"$jobs" "${targets[@]}" >/dev/null
mkdir -p "$dir/logs" "$dir/corpus" "$dir/artifacts"

# run_one TARGET: one campaign; prints the summary line.
run_one() {
	local t=$1 seeds=$src/tests/fuzz/corpus/$1 scratch=$dir/corpus/$1
	local art=$dir/artifacts/$1 log=$dir/logs/$1.log
	local start end execs cov found rc=0
	mkdir -p "$scratch" "$art" "$seeds"
	start=$(date +%s)
	"$dir/tests/fuzz/$t" -max_total_time="$secs" -timeout=10 \
	    -rss_limit_mb=2048 -malloc_limit_mb=2048 -max_len="$max_len" \
	    -print_final_stats=1 -artifact_prefix="$art/" \
	    "$scratch" "$seeds" >"$log" 2>&1 || rc=$?
	end=$(date +%s)
	execs=$(awk '/stat::number_of_executed_units/ { print $2 }' "$log" | tail -1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | awk '{ print $2 }')
	found=$(find "$art" -type f | wc -l)
	printf '%s: %ss, %s executions, cov %s, seeds %s, scratch corpus %s, exit %s, artifacts %s\n' \
	    "$t" "$((end - start))" "${execs:-?}" "${cov:-?}" \
	    "$(find "$seeds" -type f | wc -l)" "$(find "$scratch" -type f | wc -l)" \
	    "$rc" "$found"
}

# merge_one TARGET: coverage-increasing scratch inputs into the seeds.
merge_one() {
	local t=$1 seeds=$src/tests/fuzz/corpus/$1 scratch=$dir/corpus/$1
	local tmp added=0
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/ra-fuzz-merge.XXXXXX")
	cp -p "$seeds"/. "$tmp/" -r 2>/dev/null || true
	"$dir/tests/fuzz/$t" -merge=1 -max_len="$max_len" "$tmp" "$scratch" \
	    >"$dir/logs/$t.merge.log" 2>&1
	# the new files (libFuzzer names them by content digest), smallest first
	while read -r _ f; do
		[ "$added" -lt "$merge_max" ] || break
		[ -e "$seeds/$(basename "$f")" ] && continue
		cp "$f" "$seeds/"
		added=$((added + 1))
	done < <(find "$tmp" -type f -printf '%s %p\n' | sort -n)
	rm -rf "$tmp"
	echo "$t: merged $added new inputs into tests/fuzz/corpus/$t ($(find "$seeds" -type f | wc -l) in all)"
}

if [ "$mode" = merge ]; then
	for t in "${targets[@]}"; do
		merge_one "$t"
	done
	exit 0
fi

export -f run_one
export dir src secs max_len
status=0
printf '%s\n' "${targets[@]}" | xargs -P "$jobs" -I{} bash -c 'run_one "$@"' _ {} |
    tee "$dir/logs/summary.txt"
grep -q 'artifacts [1-9]' "$dir/logs/summary.txt" && status=1
exit $status
