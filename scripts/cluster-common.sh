# Shared by scripts/demo-cluster and scripts/bench-cluster (sourced, not run). Expects to run in the
# repository's root, with $jar set to the pixelbus jar.

# copy_tiles DEST COPIES: COPIES copies of the seed's 400 tiles (../shared/seed-data/large_input), or of
# 400 tiles cut from the test astronaut when the seed is not there, into DEST as cK_NAME. Sets tiles_from.
copy_tiles() {
  local dest=$1 copies=$2 tiles=../shared/seed-data/large_input k f
  if [ -d "$tiles" ] && [ -n "$(ls -A "$tiles")" ]; then
    tiles_from="the seed's tiles, $tiles"
  else
    tiles=$dest.astronaut-tiles
    java -jar "$jar" tiles pixelbus-testkit/src/main/resources/images/astronaut.png "$tiles" --grid 20x20 >/dev/null 2>&1
    tiles_from="400 tiles cut from pixelbus-testkit/src/main/resources/images/astronaut.png (no seed folder)"
  fi
  mkdir -p "$dest"
  for k in $(seq 1 "$copies"); do
    for f in "$tiles"/*; do cp "$f" "$dest/c${k}_$(basename "$f")"; done
  done
}

# private_cluster DIR NAME: conf/cluster.xml with a cluster name of its own, in DIR; sets hz to the JVM
# option that names it, so that no other pixelbus cluster on the machine joins (or takes the work).
private_cluster() {
  sed "s|<cluster-name>pixelbus</cluster-name>|<cluster-name>$2</cluster-name>|" conf/cluster.xml >"$1/cluster.xml"
  # Should conf/cluster.xml ever name its cluster otherwise, stop here rather than join the real one.
  grep -q "<cluster-name>$2</cluster-name>" "$1/cluster.xml" || {
    echo "private_cluster: conf/cluster.xml has no <cluster-name>pixelbus</cluster-name> to replace" >&2
    return 1
  }
  hz=-Dvertx.hazelcast.config=$1/cluster.xml
}

# wait_ready LOG PID: waits up to 120 s for "pixelbus ready" in LOG; fails if PID exits first.
wait_ready() {
  local _
  for _ in $(seq 1 1200); do
    grep -q "pixelbus ready" "$1" && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}
