# Sourced by the exporter benchmarks: finds the mconv command and runs one `mconv convert` of a TorchScript file,
# telling "this build cannot convert .pt yet" apart from a real failure.
#
# The command is, first found: $MCONV (a command line, e.g. "java -jar cli/target/mconv.jar"), the launcher
# install.sh writes (~/.local/bin/mconv, which takes JVM options from MCONV_JAVA_OPTS), or this tree's
# cli/target/mconv.jar run with java.

# Sets the array mconv_cmd, or exits 2 saying how to get one.
find_mconv() {
  local root="$1"
  if [ -n "${MCONV:-}" ]; then
    read -r -a mconv_cmd <<<"$MCONV"
  elif [ -x "$HOME/.local/bin/mconv" ]; then
    mconv_cmd=("$HOME/.local/bin/mconv")
  elif [ -f "$root/cli/target/mconv.jar" ]; then
    # Same JVM flags as the launcher, so timings compare; MCONV_JAVA_OPTS as it would take them.
    read -r -a extra <<<"${MCONV_JAVA_OPTS:-}"
    mconv_cmd=(java -XX:+UseSerialGC -Dai.djl.offline=true "${extra[@]}" -jar "$root/cli/target/mconv.jar")
  else
    echo "no mconv found: run ./install.sh, or set MCONV (e.g. MCONV='java -jar cli/target/mconv.jar')" >&2
    exit 2
  fi
}

# What mconv says, while it has no TorchScript exporter, for a .pt source (exit status 3): today "TorchScript (.pt)
# sources are not supported by this build yet". The pattern allows small rewordings of that sentence but not just
# any "not supported" after the file name: an unsupported *op* inside a .pt is a real failure of the exporter.
PT_UNSUPPORTED_PATTERN='(TorchScript|\.pt\)?) (\(\.pt\) )?(sources|files|models|input) (are|is) not supported'

# input_shape_args PT: prints "--input-shape NAME:DIMS:DTYPE" for each input the zoo's facts file next to PT
# records (mconv needs the shapes, as torch.onnx.export needs example inputs); nothing when there is no facts file.
input_shape_args() {
  local facts="${1%.pt}.facts.json"
  [ -f "$facts" ] || return 0
  /usr/bin/python3 - "$facts" <<'PY'
import json, sys
for i in json.load(open(sys.argv[1]))["inputs"]:
    print("--input-shape", "%s:%s:%s" % (i["name"], "x".join(str(d) for d in i["shape"]) or "scalar", i["dtype"]))
PY
}

# probe_pt_convert PT OUT ERRFILE [ARGS...]: runs one convert; returns 0 when it worked, 10 when this build does not
# support .pt sources yet, and mconv's own exit status otherwise. mconv's standard error is left in ERRFILE.
probe_pt_convert() {
  local pt="$1" out="$2" err="$3" rc=0
  shift 3
  "${mconv_cmd[@]}" convert "$pt" --to onnx -o "$out" --no-validate "$@" >/dev/null 2>"$err" || rc=$?
  if [ "$rc" -ne 0 ] && grep -qiE "$PT_UNSUPPORTED_PATTERN" "$err"; then
    return 10
  fi
  return "$rc"
}
