"""A simulated bot for the outside checks: `peregrine exchange` on synthetic bars and `peregrine trade --mode
sim --serve` in front of it, on free loopback ports, stopped again by `stop`."""
import os
import socket
import subprocess
import time


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_port(port):
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"nothing listens on port {port}")


def start(executable, folder, token, speed="240x", extra_toml=""):
    """Starts the exchange and an sma-cross bot (3/8 on SYN, one-minute bars) serving the control API.
    Returns (processes, api_port, environment, exchange_port)."""
    env = dict(os.environ, APCA_API_KEY_ID="PKLOCAL", APCA_API_SECRET_KEY="local-secret", PEREGRINE_API_TOKEN=token)
    with open(os.path.join(folder, "trade.toml"), "w") as f:
        f.write('[trade]\nstrategy = "sma-cross"\nsymbols = ["SYN"]\ntimeframe = "1Min"\nwarmup_bars = 50\npoll_seconds = 0.2\n'
                '[trade.parameters]\nfast = 3\nslow = 8\n' + extra_toml)
    exchange_port, api_port = free_port(), free_port()
    processes = [subprocess.Popen([executable, "exchange", "--data", "synthetic:bars=20000,seed=3", "--speed", speed,
                                   "--port", str(exchange_port), "--warmup", "50"], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    wait_port(exchange_port)
    processes.append(subprocess.Popen([executable, "trade", "--config", os.path.join(folder, "trade.toml"), "--mode", "sim",
                                       "--base-url", f"http://127.0.0.1:{exchange_port}", "--poll",
                                       "--store", os.path.join(folder, "trade.sqlite"), "--serve", f"127.0.0.1:{api_port}"],
                                      env=env, stdout=open(os.path.join(folder, "trade.log"), "w"), stderr=subprocess.STDOUT))
    wait_port(api_port)
    return processes, api_port, env, exchange_port


def stop(processes):
    for process in reversed(processes):
        process.terminate()
        process.wait(timeout=30)
