#!/usr/bin/env bash
# Writes the release bundle: target/release/bktec-<version>-linux-x86_64.tar.gz and its .sha256. Unpacked anywhere,
# bktec-<version>/bin/bktec runs bktec with the bundle's own Java runtime, so the agent needs only python3:
#   bin/bktec, hooks/, plugin.yml, README.md, VERSION   the launcher and the plugin's hooks, as in the repository
#   lib/bktec.jar, lib/bktec-native/                    the jar and JNA's native library for linux-x86-64
#   lib/bktec.aot, lib/bktec.aot.release               the start-up archive, trained here with the bundled runtime
#   runtime/                                            a jlink image of only the JDK modules bktec uses
# The runtime is made from a JDK 25 or newer: its AOT cache (classes loaded and linked ahead of time) stays valid
# wherever the bundle is unpacked, while JDK 17's class-data archive names the jar's absolute path and is ignored once
# the directory moves (measured: no class came from it after a move). Set BKTEC_RELEASE_JDK to choose the JDK, and
# BKTEC_JAR to package an already built jar instead of running `mvn package`.
# This is what a release pipeline runs; `.ci/run` runs it too, and the bats tests serve its bundle.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
started=$SECONDS

die() {
  echo "release: $1" >&2
  exit 1
}

version=$(hooks/lib/version)
[[ "$version" =~ ^[0-9A-Za-z.+-]+$ ]] || die "cannot read the project's version from pom.xml (got '$version')"
[[ "$(uname -s)/$(uname -m)" == Linux/x86_64 ]] ||
  die "the bundle's runtime is built for linux-x86_64 and must be built on it (this is $(uname -s)/$(uname -m))"

# A JDK whose jlink can make a runtime: JDK 25+ with its jmods or a linkable run-time image.
jdk_major() {
  local line
  line=$(grep -m 1 '^JAVA_VERSION=' "$1/release" 2>/dev/null || true)
  [[ "$line" =~ \"([0-9]+) ]] && echo "${BASH_REMATCH[1]}"
}
jdk=${BKTEC_RELEASE_JDK:-}
if [[ -z "$jdk" ]]; then
  best=0
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [[ -n "$candidate" && -x "$candidate/bin/jlink" ]] || continue
    major=$(jdk_major "$candidate")
    if [[ -n "$major" ]] && (( major >= 25 && major > best )); then
      jdk=$candidate
      best=$major
    fi
  done
fi
[[ -n "$jdk" && -x "$jdk/bin/jlink" ]] ||
  die "no JDK 25 or newer with jlink was found (looked at JAVA_HOME and /usr/lib/jvm); set BKTEC_RELEASE_JDK to one"
major=$(jdk_major "$jdk")
(( ${major:-0} >= 25 )) || die "$jdk is Java ${major:-unknown}; the bundle needs a JDK 25 or newer for its AOT cache"

jar=${BKTEC_JAR:-}
if [[ -z "$jar" ]]; then
  echo "release: building the jar (mvn -B -q package -DskipTests)"
  mvn -B -q package -DskipTests
  jar=$root/target/bktec.jar
fi
[[ -f "$jar" ]] || die "$jar does not exist"
native=$root/target/bktec-native/com/sun/jna/linux-x86-64
[[ -f "$native/libjnidispatch.so" ]] || die "$native/libjnidispatch.so is missing; build with 'mvn -B package'"

out=$root/target/release
name=bktec-$version
tarball=$out/$name-linux-x86_64.tar.gz
stage=$(mktemp -d "${TMPDIR:-/tmp}/bktec-release.XXXXXX")
trap 'rm -rf "$stage"' EXIT
bundle=$stage/$name
mkdir -p "$bundle/lib/bktec-native/com/sun/jna" "$out"

# The modules the jar needs (jdeps), less three it names only for code bktec never reaches: java.desktop (Jackson's
# java.beans annotations and JNA's AWT helpers, both looked up only when present), java.sql (Jackson's date types) and
# jdk.jfr (netty's optional events); plus what is reached only through services: TLS's elliptic curves for the Test
# Engine API over HTTPS, and the DNS name service. Every end-to-end test passes on this runtime
# (PATH=<bundle>/runtime/bin:$PATH mvn failsafe:integration-test).
# -summary lists every module the jar uses directly (--print-module-deps leaves out what another one requires, and
# java.xml and java.logging came only through java.desktop and java.sql).
modules=$("$jdk/bin/jdeps" --ignore-missing-deps --multi-release 17 -summary "$jar" |
  sed -n 's/^[^ ]* -> \([a-z][a-z.]*\)$/\1/p' | grep -Ev '^(java\.desktop|java\.sql|jdk\.jfr)$' | paste -sd, -)
[[ "$modules" == *java.base* && "$modules" == *java.xml* ]] || die "jdeps did not list the jar's modules (got '$modules')"
modules="$modules,jdk.crypto.ec,jdk.naming.dns"
echo "release: runtime from $jdk (Java $major) with $modules"
# No class-data archive of the runtime's own (--generate-cds-archive, 29 MB): the AOT cache below holds the JDK's
# classes bktec loads as well as its own. No jlink compression: gzip packs the plain module image smaller, and the
# JVM reads it without inflating. The release file records the platform (jlink leaves it out), so that bin/bktec
# skips a runtime made for another machine.
"$jdk/bin/jlink" --add-modules "$modules" --output "$bundle/runtime" --strip-debug --no-header-files \
  --no-man-pages --release-info "add:OS_NAME=Linux:OS_ARCH=x86_64"

cp "$jar" "$bundle/lib/bktec.jar"
cp -r "$native" "$bundle/lib/bktec-native/com/sun/jna/"
mkdir -p "$bundle/bin" "$bundle/hooks/lib"
cp bin/bktec "$bundle/bin/"
cp hooks/command hooks/environment "$bundle/hooks/"
cp hooks/lib/* "$bundle/hooks/lib/"
cp plugin.yml README.md "$bundle/"
printf '%s\n' "$version" > "$bundle/VERSION"

# Trained with the bundled runtime itself, at its final layout (lib/bktec.jar), so bin/bktec takes it.
scripts/train-archive.sh "$bundle/runtime/bin/java" "$bundle/lib/bktec.jar"
rm -f "$bundle/lib/bktec-archive-training.log"

# Owners fixed; times kept, as bin/bktec takes the archive only while it is newer than the jar.
tar --sort=name --owner=0 --group=0 --numeric-owner -C "$stage" -czf "$tarball.part" "$name"
mv "$tarball.part" "$tarball"
(cd "$out" && sha256sum "$(basename "$tarball")" > "$(basename "$tarball").sha256")
size=$(stat -c %s "$tarball")
echo "release: $tarball ($(( size / 1024 / 1024 )) MiB, $(( SECONDS - started )) s)"
(( size < 60 * 1024 * 1024 )) || die "the bundle is $(( size / 1024 / 1024 )) MiB, over the 60 MiB budget"
