#!/usr/bin/env bash
# The WebGPU measurements for a machine with a real GPU (issue 11): run once from the repository
# root after `npm ci`. Checks that Dawn finds the GPU through Vulkan, then measures exercise 6's
# AlexNet training step on the webgpu kernels and a full `nabla memorize --preset seed --device webgpu`
# run. Everything prints to stdout; nothing is asserted. Needs node_modules (npm ci), including the
# optional package webgpu (Dawn).
set -uo pipefail
cd "$(dirname "$0")/.."
echo "== Vulkan loader and drivers"
ls /usr/lib/x86_64-linux-gnu/libvulkan.so.1 2>&1
ls /usr/share/vulkan/icd.d /etc/vulkan/icd.d 2>&1
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv 2>&1 | head -3
echo "== nabla doctor (adapters Dawn finds; a fallback adapter means no GPU driver was found)"
npx tsx cli/main.ts doctor
echo "== AlexNet (exercise 6) training step, batch 64, on the webgpu kernels"
timeout 300 npx tsx bench/webgpu-alexnet.ts --steps 20 --batch 64
echo "== same, batch 256"
timeout 300 npx tsx bench/webgpu-alexnet.ts --steps 10 --batch 256
RUNS=$(mktemp -d /tmp/nabla-webgpu-runs-XXXXXX)
echo "== nabla memorize --device webgpu: a tiny run first (the device path end to end), runs in $RUNS"
timeout 300 npx tsx cli/main.ts memorize --width 0.125 --train-size 256 --held-out 64 --batch-size 32 --epochs 1 \
  --device webgpu --runs-dir "$RUNS" --name tiny --log-every 4
echo "== nabla memorize --preset seed --device webgpu (exercise 6: the seed took 529 s on its GPU; goal <= 60 s on one H200)"
time timeout 540 npx tsx cli/main.ts memorize --preset seed --device webgpu --runs-dir "$RUNS" --name seed --log-every 100
