# Sourced by ./mvnw, ./ebpf_exporter and .ci/run: points JAVA_HOME at a JDK 25 or newer.
# A JAVA_HOME that is already 25+ wins; otherwise the newest JDK under /usr/lib/jvm is taken.
java_major() {
  # The JDK's release file says JAVA_VERSION="25.0.1"; reading it is faster than starting java.
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null
}
java_ok() {
  [ -x "$1/bin/java" ] && [ "$(java_major "$1")" -ge 25 ] 2>/dev/null
}
if ! java_ok "${JAVA_HOME-/nonexistent}"; then
  JAVA_HOME=
  # ls, not a glob: mvnw runs with globbing off (set -f).
  for name in $(ls /usr/lib/jvm 2>/dev/null); do
    candidate=/usr/lib/jvm/$name
    if java_ok "$candidate" && [ -x "$candidate/bin/javac" ]; then
      JAVA_HOME=$candidate
    fi
  done
  if [ -z "$JAVA_HOME" ]; then
    echo "error: ebpf-exporter needs a JDK 25 or newer; none found in JAVA_HOME or /usr/lib/jvm" >&2
    exit 1
  fi
  export JAVA_HOME
fi
