"""How fast the command line answers (``python -m benchmarks.cli``, ``make bench-cli``).

``onrecord --version`` and ``onrecord --help`` are timed as a person runs them: a fresh
process each time (the interpreter's start included), with the installed ``onrecord`` script
when there is one beside this Python, else ``python -m onrecord``. The median and the
slowest of the runs are printed, with the modules of the heavy extras each command imported
(none should be: the models load in the commands that use them). Figures are printed, never
asserted: the target is under a second.
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import click

COMMANDS = (("--version",), ("--help",), ("quotes", "--help"), ("ingest", "--help"))
HEAVY = ("spacy", "torch", "sqlalchemy", "pandas", "numpy", "fastapi", "transformers", "pyarrow", "sklearn")

# Runs the CLI as the script does, then names the heavy modules it imported (on stderr).
PROBE = """
import sys
from onrecord.cli import cli
try:
    cli(sys.argv[1:], prog_name="onrecord")
except SystemExit:
    pass
heavy = sorted({m.split(".")[0] for m in sys.modules} & set(%r))
print("heavy:" + ",".join(heavy), file=sys.stderr)
"""


def command_line() -> list[str]:
    script = Path(sys.executable).with_name("onrecord")
    return [str(script)] if script.exists() else [sys.executable, "-m", "onrecord"]


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(argv: list[str], repeat: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds of each run (the CPU time holds on a busy machine, the wall time does not)."""
    times, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), _cpu()
        done = subprocess.run(argv, capture_output=True, text=True, timeout=120)
        times.append(time.perf_counter() - start)
        cpu.append(_cpu() - start_cpu)
        if done.returncode != 0:
            raise click.ClickException(f"{' '.join(argv)} failed: {done.stderr.strip()[-500:]}")
    return times, cpu


def heavy_imports(args: tuple[str, ...]) -> list[str]:
    done = subprocess.run([sys.executable, "-c", PROBE % (HEAVY,), *args], capture_output=True, text=True,
                          timeout=120)
    line = next((line for line in done.stderr.splitlines() if line.startswith("heavy:")), "heavy:")
    return [m for m in line.removeprefix("heavy:").split(",") if m]


@click.command()
@click.option("--repeat", type=click.IntRange(1, 100), default=5, show_default=True, help="Runs of each command.")
@click.option("--json", "as_json", is_flag=True, help="Figures as JSON on stdout.")
def main(repeat: int, as_json: bool) -> None:
    """Time `onrecord --version`, `onrecord --help` and two command helps in fresh processes."""
    base = command_line()
    timed([sys.executable, "-c", "pass"], 1)  # a first start warms the file cache for every run after it
    python, _ = timed([sys.executable, "-c", "pass"], repeat)
    figures: dict[str, Any] = {"command": " ".join(base), "repeat": repeat,
                               "python_start_s": round(statistics.median(python), 3), "commands": {}}
    for args in COMMANDS:
        times, cpu = timed([*base, *args], repeat)
        figures["commands"][" ".join(args)] = {"median_s": round(statistics.median(times), 3),
                                               "max_s": round(max(times), 3),
                                               "cpu_median_s": round(statistics.median(cpu), 3),
                                               "heavy_imports": heavy_imports(args)}
    if as_json:
        click.echo(json.dumps(figures, indent=2))
        return
    click.echo(f"{figures['command']}: {repeat} fresh processes per command "
               f"(a bare Python starts in {figures['python_start_s']:.3f} s)")
    for name, row in figures["commands"].items():
        verdict = "ok" if row["max_s"] < 1 else "over 1 s"
        click.echo(f"  onrecord {name:<16} median {row['median_s']:.3f} s  slowest {row['max_s']:.3f} s  "
                   f"CPU {row['cpu_median_s']:.3f} s  heavy imports: {', '.join(row['heavy_imports']) or 'none'}"
                   f"  [{verdict}]")


if __name__ == "__main__":
    main()
