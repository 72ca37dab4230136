#!/usr/bin/env bash
# Builds mconv with Maven and installs the `mconv` launcher.
#
#   ./install.sh                 # launcher in ~/.local/bin, jars in ~/.local/share/mconv
#   ./install.sh --prefix DIR    # launcher in DIR/bin, jars in DIR/share/mconv
#
# Needs Java 17+ and Maven 3.8+ (Debian: sudo apt-get install -y openjdk-17-jdk-headless maven).
# Nothing is downloaded at run time; Maven fetches the build's dependencies from Maven Central once.
set -euo pipefail

prefix="${HOME}/.local"
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) [ $# -ge 2 ] || { echo "install.sh: --prefix needs a folder" >&2; exit 2; }; prefix="$2"; shift 2 ;;
    --prefix=*) prefix="${1#--prefix=}"; shift ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown option '$1' (accepted: --prefix DIR, --help)" >&2; exit 2 ;;
  esac
done

need() {
  command -v "$1" >/dev/null 2>&1 || {
    echo "install.sh: '$1' not found. Install it with: sudo apt-get install -y openjdk-17-jdk-headless maven" >&2
    exit 3
  }
}
need java
need mvn
java_major=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p')
if [ "${java_major%%.*}" -lt 17 ] 2>/dev/null; then
  echo "install.sh: Java 17 or newer is needed, found ${java_major}" >&2
  exit 3
fi

here="$(cd "$(dirname "$0")" && pwd)"
echo "Building mconv with Maven (tests are run by ./test.sh, not here)..."
log="$(mktemp)"
if ! mvn -B -f "$here/pom.xml" -DskipTests package >"$log" 2>&1; then
  tail -n 60 "$log" >&2
  echo "install.sh: the Maven build failed (full log: $log)" >&2
  exit 4
fi
rm -f "$log"

share="${prefix}/share/mconv"
bin="${prefix}/bin"
mkdir -p "$bin" "$(dirname "$share")"
# Replace the previous installation in one step: copy beside it, then swap.
staging="$(mktemp -d "${share}.new.XXXXXX")"
trap 'rm -rf "$staging"' EXIT
chmod 755 "$staging"
cp "$here/cli/target/mconv.jar" "$staging/"
cp -r "$here/cli/target/lib" "$staging/lib"
# ONNX Runtime's Java side otherwise copies its native libraries out of its jar into a temporary folder on every
# start (about 200 ms); unpacked once here, the launcher points it at them (-Donnxruntime.native.path).
case "$(uname -m)" in
  x86_64|amd64) ort_arch=linux-x64 ;;
  aarch64|arm64) ort_arch=linux-aarch64 ;;
  *) ort_arch="" ;;
esac
ort_jar=$(ls "$staging"/lib/onnxruntime-*.jar 2>/dev/null | head -n 1)
if [ -n "$ort_arch" ] && [ -n "$ort_jar" ]; then
  ort_unpack="$(mktemp -d)"
  if (cd "$ort_unpack" && unzip -q "$ort_jar" "ai/onnxruntime/native/$ort_arch/*" 2>/dev/null); then
    mkdir -p "$staging/native"
    mv "$ort_unpack/ai/onnxruntime/native/$ort_arch" "$staging/native/onnxruntime"
  fi
  rm -rf "$ort_unpack"
fi

rm -rf "${share}.old"
[ -d "$share" ] && mv "$share" "${share}.old"
mv "$staging" "$share"
trap - EXIT
rm -rf "${share}.old"

# A class-data-sharing archive makes the JVM start faster (inspect on a 100 MB model stays under a second). It
# records the jar paths, so it is made where the jars now live; without it mconv still runs, only slower to start.
# It is recorded on an optimize run (reader, IR, schemas, passes, ONNX Runtime's Java side, writer: the classes
# most commands load), whose output goes to a scratch folder.
cds_scratch=$(mktemp -d)
ORT_DISABLE_TELEMETRY=1 java -XX:ArchiveClassesAtExit="$share/mconv.jsa" -XX:+UseSerialGC \
    -Donnxruntime.native.path="$share/native/onnxruntime" -jar "$share/mconv.jar" optimize \
    "$here/testdata/examples/tiny_cnn.onnx" -O aggressive -o "$cds_scratch/tiny_cnn.onnx" --json >/dev/null 2>&1 \
    || rm -f "$share/mconv.jsa"
rm -rf "$cds_scratch"

launcher="$bin/mconv"
cat > "${launcher}.tmp" <<LAUNCHER
#!/bin/sh
# mconv launcher written by install.sh. Extra JVM options: MCONV_JAVA_OPTS.
share='$share'
cds=""
[ -f "\$share/mconv.jsa" ] && cds="-XX:SharedArchiveFile=\$share/mconv.jsa -Xshare:auto"
ort=""
[ -f "\$share/native/onnxruntime/libonnxruntime.so" ] && ort="-Donnxruntime.native.path=\$share/native/onnxruntime"
# ONNX Runtime 1.29 on Linux starts a telemetry client that writes a session file and an empty trace log per
# process into \$TMPDIR (or /tmp) and would upload events; mconv runs offline and writes only what it is asked to.
ORT_DISABLE_TELEMETRY="\${ORT_DISABLE_TELEMETRY:-1}"
export ORT_DISABLE_TELEMETRY
# A native crash in this JVM (a model that makes ONNX Runtime fault; --isolate contains it in a worker instead, exit 4)
# ends with exit status 134 (README, exit codes). The JVM's report file goes to \$TMPDIR, not the current folder.
# (The JVM prints its crash banner on standard output whatever the flags; -XX:-CreateCoredumpOnCrash would make the
# status 1, which means "a check failed".)
crash="-XX:ErrorFile=\${TMPDIR:-/tmp}/mconv-crash-%p.log"
exec java \$cds \$ort \$crash -XX:+UseSerialGC -Dai.djl.offline=true \${MCONV_JAVA_OPTS:-} -jar "\$share/mconv.jar" "\$@"
LAUNCHER
chmod +x "${launcher}.tmp"
mv "${launcher}.tmp" "$launcher"

# libtorch (for `mconv validate` on TorchScript sources) is extracted by DJL from its jar on first use, ~430 MB into
# ~/.djl.ai or $DJL_CACHE_DIR; doing it now makes the first validation fast and proves libtorch loads here.
if ! "$launcher" validate "$here/testdata/torch/validate/two_input_cnn.pt" \
     "$here/testdata/torch/validate/two_input_cnn.onnx" >/dev/null 2>&1; then
  echo "install.sh: warning: libtorch did not start; 'mconv validate' on .pt files will fail (other commands work)." >&2
fi

echo "Installed:"
echo "  launcher  $launcher"
echo "  jars      $share"
echo "Try: $launcher inspect $here/testdata/examples/tiny_cnn.onnx"
echo "Tab completion in bash: source <($launcher completion bash)   (or try: $launcher shell)"
case ":${PATH}:" in
  *":${bin}:"*) ;;
  *) echo "Note: $bin is not on your PATH. Add it with:"
     echo "  echo 'export PATH=\"$bin:\$PATH\"' >> ~/.bashrc && export PATH=\"$bin:\$PATH\"" ;;
esac
