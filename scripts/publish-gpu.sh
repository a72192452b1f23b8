#!/usr/bin/env bash
# Publishes the CLI and the web app for a CUDA machine without a TorchSharp-cuda-linux package: the build bundles
# no libtorch (-p:TorchBackend=system) and the launchers load the one a PyTorch install carries (its CUDA build),
# or the folder MEDVIS_LIBTORCH names. Self-contained, so the GPU machine needs no .NET.
# Usage: scripts/publish-gpu.sh [OUT_DIR]      (default artifacts/gpu)
#   then OUT_DIR/medvis bench training --device cuda     or     OUT_DIR/medvis-web --urls http://0.0.0.0:5000
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(realpath -m "${1:-artifacts/gpu}")"
projects="${MEDVIS_GPU_PROJECTS:-Cli Web}"
for project in $projects; do
  dotnet publish "src/Medvis.$project" -c Release -r linux-x64 --self-contained -p:TorchBackend=system -o "$out/$project"
done

write_launcher() { # name, project folder, program
  cat > "$out/$1" <<LAUNCHER
#!/usr/bin/env bash
# Runs Medvis against the machine's libtorch: MEDVIS_LIBTORCH, else the lib folder of python3's torch package.
set -euo pipefail
here="\$(cd "\$(dirname "\$0")" && pwd)"
libtorch="\${MEDVIS_LIBTORCH:-\$(python3 -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))' 2>/dev/null || true)}"
if [ ! -f "\$libtorch/libtorch_cpu.so" ]; then
  echo "medvis: no libtorch found. Install PyTorch for python3, or set MEDVIS_LIBTORCH to the folder holding libtorch_cpu.so." >&2
  exit 2
fi
export LD_LIBRARY_PATH="\$libtorch\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"
$( [ "$1" = medvis-web ] && echo 'cd "$here/Web"' || true )
exec "\$here/$2/$3" "\$@"
LAUNCHER
  chmod +x "$out/$1"
}
[[ " $projects " == *" Cli "* ]] && write_launcher medvis Cli medvis
[[ " $projects " == *" Web "* ]] && write_launcher medvis-web Web Medvis.Web
echo "Published to $out: run $out/medvis or $out/medvis-web (TorchSharp 0.107 targets libtorch 2.10; PyTorch 2.11 + CUDA 13 was verified)."
