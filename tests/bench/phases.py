"""What the benchmarks share: each phase run in a fresh process, and that process's peak memory.

A bench script runs itself as `python bench_x.py <phase> <args…>`; the phase prints its
figures as one JSON line, the last of its output.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any


def peak_mb() -> float:
    """Peak resident memory of this process, in MiB. Linux's VmHWM belongs to the process
    image, whereas `ru_maxrss` survives `exec` and would count the forking pytest."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_phase(script: str, phase: str, *args: str, timeout: float = 7200) -> dict[str, Any]:
    """Run `phase` of the bench `script` in a process of its own; its figures."""
    result = subprocess.run([sys.executable, script, phase, *args], capture_output=True,
                            text=True, check=True, timeout=timeout)
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]
