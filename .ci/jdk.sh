# Sourced by .ci/run and .ci/demo: if the java on PATH (or JAVA_HOME) is older than 21, point JAVA_HOME at an
# installed JDK 21+ (newest first). Changes nothing when a suitable JDK is already selected.
java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | cut -d. -f1
}
current="${JAVA_HOME:+$JAVA_HOME/bin/}java"
if ! command -v "$current" >/dev/null 2>&1 || [ "$(java_major "$current")" -lt 21 ] 2>/dev/null; then
  for home in $(ls -d /usr/lib/jvm/*/ /opt/java/*/ /opt/jdk*/ 2>/dev/null | sort -rV); do
    if [ -x "$home/bin/java" ] && [ "$(java_major "$home/bin/java")" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="${home%/}"
      export PATH="$JAVA_HOME/bin:$PATH"
      break
    fi
  done
fi
echo "Using JDK: $(${JAVA_HOME:+$JAVA_HOME/bin/}java -version 2>&1 | head -n 1)"
