#!/usr/bin/env bash
# Golden packs (STYLE 11): every case under tests/golden/cases/<name>/ is
# audited against the simulator under a fixed --as-of and its reports
# (residency-evidence-*.json and .md) are compared byte for byte with
# tests/golden/cases/<name>/expected/. The exit code is compared too.
#
# A case is a case.json:
#   { "world": "examples/worlds/phase2.json",      (relative to the repo)
#     "inventory": "examples/phase2.inventory.json",
#     "patch": [ RFC 6902 operations applied to the world ],  (optional)
#     "args": [ extra run arguments ],                           (optional)
#     "exit": 0,
#     "why": "one line: what this case proves" }
#
# Regenerate after an intended change:  tests/golden/run.sh --update
# (then review the diff like code).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=${RA_SOURCE_DIR:-$(cd "$here/../.." && pwd)}
bin=${RA_BIN:-$src/build/residency-audit}
export RA_SIM=${RA_SIM:-$src/build/atlas-sim}
update=0
[ "${1:-}" = "--update" ] && { update=1; shift; }
only=${1:-}
. "$src/scripts/sim-env.sh"
# A fixed port: bodies carry absolute links, so their digests (which the
# reports cite) depend on it.
port=${RA_GOLDEN_PORT:-47311}
work=$(mktemp -d "${TMPDIR:-/tmp}/ra-golden.XXXXXX")
trap 'sim_stop; rm -rf "$work"' EXIT

pass=0 fail=0
for case in "$here"/cases/*/; do
  name=$(basename "$case")
  [ -n "$only" ] && [ "$name" != "$only" ] && continue
  python3 - "$src" "$case/case.json" "$work/world.json" "$work/case.env" <<'PY'
import json, shlex, sys
src, case_path, world_out, env_out = sys.argv[1:5]
case = json.load(open(case_path))
world = json.load(open(f"{src}/{case['world']}"))

def walk(doc, path):
    parts = [p.replace("~1", "/").replace("~0", "~") for p in path.split("/")[1:]]
    for p in parts[:-1]:
        doc = doc[int(p)] if isinstance(doc, list) else doc[p]
    return doc, parts[-1]

for op in case.get("patch", []):
    parent, key = walk(world, op["path"])
    if isinstance(parent, list):
        idx = len(parent) if key == "-" else int(key)
        if op["op"] == "add": parent.insert(idx, op["value"])
        elif op["op"] == "replace": parent[idx] = op["value"]
        elif op["op"] == "remove": del parent[idx]
        else: raise SystemExit("unsupported op " + op["op"])
    else:
        if op["op"] in ("add", "replace"): parent[key] = op["value"]
        elif op["op"] == "remove": del parent[key]
        else: raise SystemExit("unsupported op " + op["op"])
json.dump(world, open(world_out, "w"), indent=1)
with open(env_out, "w") as f:
    f.write("INVENTORY=%s\n" % shlex.quote(f"{src}/{case['inventory']}"))
    f.write("EXPECT_EXIT=%d\n" % case.get("exit", 0))
    f.write("ARGS=(%s)\n" % " ".join(shlex.quote(a.replace("@SRC@", src)) for a in case.get("args", [])))
PY
  . "$work/case.env"
  # The port is fixed (see above); another run holding it briefly is
  # waited for rather than failed on.
  for try in 1 2 3 4 5 6 7 8 9 10; do
    sim_start "$work/world.json" "$port" 2>"$work/sim-start.err" && break
    [ "$try" = 10 ] && { cat "$work/sim-start.err" >&2; exit 1; }
    sleep 2
  done
  sim_credentials "$work/world.json"
  out="$work/out-$name"
  set +e
  "$bin" run -q -i "$INVENTORY" -o "$out" --base-url "$SIM_URL" \
    --as-of 2026-11-29 --no-progress "${ARGS[@]}" 2>"$work/stderr"
  rc=$?
  set -e
  sim_stop
  pack="$out/2026-11-29"
  if [ "$update" = 1 ]; then
    rm -rf "$case/expected"
    mkdir -p "$case/expected"
    cp "$pack"/residency-evidence-*.json "$pack"/residency-evidence-*.md "$case/expected/"
    python3 - "$case/case.json" "$rc" <<'PY'
import json, sys
p, rc = sys.argv[1], int(sys.argv[2])
c = json.load(open(p)); c["exit"] = rc
open(p, "w").write(json.dumps(c, indent=2) + "\n")
PY
    echo "updated $name (exit $rc)"
    continue
  fi
  ok=1
  if [ "$rc" != "$EXPECT_EXIT" ]; then
    echo "FAIL $name: exit $rc, expected $EXPECT_EXIT"; cat "$work/stderr"; ok=0
  fi
  if [ ! -d "$pack" ]; then
    echo "FAIL $name: no pack written"; ok=0
  else
    for f in "$case"/expected/*; do
      b=$(basename "$f")
      if ! cmp -s "$f" "$pack/$b"; then
        echo "FAIL $name: $b differs"; diff -u "$f" "$pack/$b" | head -40 || true; ok=0
      fi
    done
    for f in "$pack"/residency-evidence-*; do
      [ -e "$case/expected/$(basename "$f")" ] || { echo "FAIL $name: unexpected $(basename "$f")"; ok=0; }
    done
    (cd "$pack" && sha256sum -c --strict --quiet SHA256SUMS) || { echo "FAIL $name: SHA256SUMS"; ok=0; }
  fi
  if [ $ok = 1 ]; then pass=$((pass+1)); echo "ok   $name"; else fail=$((fail+1)); fi
done
echo "golden: $pass passed, $fail failed"
[ "$fail" = 0 ]
