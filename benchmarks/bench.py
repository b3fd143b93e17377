"""Measure peerkit's speed and memory on the reference kit and on a generated large kit.

    .venv/bin/python benchmarks/bench.py [--copies N]

Each measurement runs in a fresh process, so times are cold and peak memory is that run's own.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KIT_PARTS = ("content", "templates", "translations", "mkdocs.yml")
MULTIPLIED = ("policies", "training", "forms", "surveys")


def copy_reference(target: Path) -> Path:
    """Copy the reference kit's sources into TARGET."""
    target.mkdir(parents=True)
    for part in KIT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        elif source.exists():
            shutil.copy2(source, target / part)
    return target


def make_large_kit(target: Path, copies: int) -> Path:
    """The reference kit with every policy, module, form and survey copied COPIES times."""
    copy_reference(target)
    for folder in MULTIPLIED:
        for path in sorted((target / "content" / folder).glob("*.yml")):
            for number in range(2, copies + 1):
                shutil.copy2(path, path.with_name(f"{path.stem}-{number}.yml"))
    return target


WRAPPER = """
import resource, subprocess, sys, time
started = time.perf_counter()
code = subprocess.run(sys.argv[1:], capture_output=True).returncode
print(code, time.perf_counter() - started, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def measure(arguments: list[str]) -> dict[str, float]:
    """Run one command in its own wrapper process; return its wall time and its own peak memory."""
    completed = subprocess.run([sys.executable, "-c", WRAPPER, *arguments], capture_output=True, text=True)
    code, seconds, peak_kb = completed.stdout.split()
    if code != "0":
        rerun = subprocess.run(arguments, capture_output=True, text=True)
        sys.exit(f"failed: {' '.join(arguments)}\n{rerun.stdout}{rerun.stderr}")
    return {"seconds": round(float(seconds), 2), "peak_mb": round(int(peak_kb) / 1024, 1)}


def kit_command(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "kit", *arguments]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=5, help="copies of each document in the large kit")
    options = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory(prefix="peerkit-bench-") as folder:
        reference = copy_reference(Path(folder) / "reference")
        results["reference: kit check"] = measure(kit_command("check", str(reference)))
        results["reference: kit build (cold)"] = measure(kit_command("build", str(reference)))
        results["reference: kit build (again)"] = measure(kit_command("build", str(reference)))
        pages = sum(1 for _ in (reference / "site").rglob("index.html"))
        results["reference: pages"] = {"count": pages}
        large = make_large_kit(Path(folder) / "large", options.copies)
        results[f"large x{options.copies}: kit check"] = measure(kit_command("check", str(large)))
        results[f"large x{options.copies}: kit build"] = measure(kit_command("build", str(large)))
        results[f"large x{options.copies}: pages"] = {"count": sum(1 for _ in (large / "site").rglob("index.html"))}
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
