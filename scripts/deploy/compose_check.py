"""Checks a Compose file without a container engine (none runs here, so `docker compose config` cannot):
the YAML parses, every key is one the Compose specification defines, each service has an image or a
build, and every reference resolves: depends_on to services, secrets and named volumes to top-level
entries, bind mounts and build contexts to paths that exist, ${VAR} interpolations well formed.

    python compose_check.py deploy/compose.yaml [--expect-services a,b,c]

Prints each problem with its place and exits 1 when there is one.
"""
import os
import re
import sys

import yaml

TOP = {"name", "services", "networks", "volumes", "secrets", "configs", "include", "version"}
SERVICE = {
    "build", "image", "command", "entrypoint", "environment", "env_file", "ports", "expose", "volumes", "secrets", "configs",
    "depends_on", "healthcheck", "restart", "stop_grace_period", "stop_signal", "user", "working_dir", "networks", "labels",
    "logging", "deploy", "container_name", "hostname", "cap_add", "cap_drop", "read_only", "tmpfs", "ulimits", "init",
    "profiles", "extra_hosts", "security_opt", "shm_size", "platform", "pull_policy", "mem_limit", "cpus", "develop",
}
BUILD = {"context", "dockerfile", "args", "target", "cache_from", "labels", "network", "shm_size", "secrets", "platforms"}
HEALTHCHECK = {"test", "interval", "timeout", "retries", "start_period", "start_interval", "disable"}
CONDITIONS = {"service_started", "service_healthy", "service_completed_successfully"}
RESTART = {"no", "always", "on-failure", "unless-stopped"}
PORT = re.compile(r"^((\d{1,3}\.){3}\d{1,3}:)?(\d{1,5}(-\d{1,5})?:)?\d{1,5}(-\d{1,5})?(/(tcp|udp))?$")
DURATION = re.compile(r"^(\d+(\.\d+)?(us|ms|s|m|h))+$")
INTERPOLATION = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)((:?[-?+])[^}]*)?\}")


def check(path, expected_services=()):
    problems = []
    folder = os.path.dirname(os.path.abspath(path))
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    # Every `$` starts `$$` (a literal dollar), a well-formed ${VAR...} or $VAR.
    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("#"):
            continue
        rest = line.replace("$$", "")
        for match in re.finditer(r"\$", rest):
            tail = rest[match.start():]
            if not (INTERPOLATION.match(tail) or re.match(r"\$[A-Za-z_]", tail)):
                problems.append(f"line {number}: '$' neither $$, ${{VAR}} nor $VAR: {line.strip()}")
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        return [f"not YAML: {error}"]
    if not isinstance(document, dict):
        return ["the file is not a mapping"]
    problems += [f"unknown top-level key '{key}'" for key in document if key not in TOP]
    services = document.get("services") or {}
    if not services:
        problems.append("no services")
    secrets = set((document.get("secrets") or {}).keys())
    volumes = set((document.get("volumes") or {}).keys())
    for name in expected_services:
        if name not in services:
            problems.append(f"service '{name}' is missing")
    for name, service in services.items():
        where = f"services.{name}"
        if not isinstance(service, dict):
            problems.append(f"{where}: not a mapping")
            continue
        problems += [f"{where}: unknown key '{key}'" for key in service if key not in SERVICE]
        if "image" not in service and "build" not in service:
            problems.append(f"{where}: needs image or build")
        build = service.get("build")
        if isinstance(build, dict):
            problems += [f"{where}.build: unknown key '{key}'" for key in build if key not in BUILD]
            context = os.path.join(folder, build.get("context", "."))
            if not os.path.isdir(context):
                problems.append(f"{where}.build.context: {context} is not a folder")
            elif not os.path.isfile(os.path.join(context, build.get("dockerfile", "Dockerfile"))):
                problems.append(f"{where}.build.dockerfile: not found in {context}")
        depends = service.get("depends_on") or []
        for other in depends:
            if other not in services:
                problems.append(f"{where}.depends_on: no service '{other}'")
            if isinstance(depends, dict) and depends[other].get("condition", "service_started") not in CONDITIONS:
                problems.append(f"{where}.depends_on.{other}: unknown condition")
            if isinstance(depends, dict) and depends[other].get("condition") == "service_healthy" and "healthcheck" not in services.get(other, {}):
                problems.append(f"{where}.depends_on.{other}: waits for health, but '{other}' has no healthcheck")
        for secret in service.get("secrets") or []:
            secret_name = secret if isinstance(secret, str) else secret.get("source")
            if secret_name not in secrets:
                problems.append(f"{where}.secrets: no top-level secret '{secret_name}'")
        for mount in service.get("volumes") or []:
            source = mount.split(":")[0] if isinstance(mount, str) else mount.get("source", "")
            if source.startswith((".", "/")):
                if not os.path.exists(os.path.join(folder, source)):
                    problems.append(f"{where}.volumes: bind source {source} does not exist")
            elif source not in volumes:
                problems.append(f"{where}.volumes: no top-level volume '{source}'")
        for port in service.get("ports") or []:
            if not isinstance(port, str) or not PORT.match(port):
                problems.append(f"{where}.ports: '{port}' is not [HOST_IP:][HOST:]CONTAINER[/PROTOCOL] as a quoted string")
        if service.get("restart", "no") not in RESTART:
            problems.append(f"{where}.restart: '{service['restart']}' is not one of {sorted(RESTART)}")
        health = service.get("healthcheck")
        if health is not None:
            problems += [f"{where}.healthcheck: unknown key '{key}'" for key in health if key not in HEALTHCHECK]
            test = health.get("test")
            if not (isinstance(test, str) or (isinstance(test, list) and test and test[0] in ("CMD", "CMD-SHELL", "NONE"))):
                problems.append(f"{where}.healthcheck.test: a string or a list starting with CMD, CMD-SHELL or NONE")
            for key in ("interval", "timeout", "start_period"):
                if key in health and not DURATION.match(str(health[key])):
                    problems.append(f"{where}.healthcheck.{key}: '{health[key]}' is not a duration such as 5s")
        environment = service.get("environment") or {}
        if isinstance(environment, dict):
            for key, value in environment.items():
                if not isinstance(value, (str, int, float, bool)) and value is not None:
                    problems.append(f"{where}.environment.{key}: not a scalar")
    for name, secret in (document.get("secrets") or {}).items():
        if not isinstance(secret, dict) or not ({"file", "environment", "external"} & set(secret)):
            problems.append(f"secrets.{name}: needs file, environment or external")
    return problems


def main(arguments):
    path = arguments[0]
    expected = []
    if "--expect-services" in arguments:
        expected = arguments[arguments.index("--expect-services") + 1].split(",")
    problems = check(path, expected)
    for problem in problems:
        print(f"{path}: {problem}")
    if problems:
        return 1
    print(f"{path}: ok ({', '.join(expected) or 'services'} checked)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
