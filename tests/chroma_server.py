"""A real `chroma run` for the server-mode tests: started on a free loopback port, waited
for by heartbeat, stopped by its process id."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path


def start_chroma(path: Path, port: int) -> subprocess.Popen:
    chroma = Path(sys.executable).parent / "chroma"
    proc = subprocess.Popen(
        [str(chroma), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import chromadb

    t0 = time.perf_counter()
    while True:
        try:
            chromadb.HttpClient(host="127.0.0.1", port=port).heartbeat()
            return proc
        except Exception:
            if proc.poll() is not None or time.perf_counter() - t0 > 60:
                proc.kill()
                raise RuntimeError("chroma run did not start") from None
            time.sleep(0.3)


def stop_chroma(proc: subprocess.Popen) -> None:
    proc.terminate()  # by its process id
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
