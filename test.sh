#!/usr/bin/env bash
# Runs mconv's whole test suite. Installs the test-only Debian packages first when they are missing:
#   libonnx-testdata    the ONNX backend conformance suite (about 1,070 models)
#   python3-torch, python3-torchvision, python3-onnx   to generate the fixtures (testdata/make_models.sh: ONNX
#                                                      models; testdata/make_torch_zoo.sh: TorchScript .pt files)
#   chromium            renders mconv profile's HTML report headless (ProfileHtmlChromiumTest)
#   tmux                runs `mconv shell` on a real terminal and reads the screen (ShellTmuxTest)
# Then generates the fixtures into testdata/generated/ and runs `mvn verify`.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"

packages=(libonnx-testdata python3-torch python3-torchvision python3-onnx chromium tmux)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing test packages: ${missing[*]}"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}"
fi

echo "Generating fixtures (testdata/generated/)..."
testdata/make_models.sh
testdata/make_torch_zoo.sh

mvn -B verify "$@"
