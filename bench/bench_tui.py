"""TUI speed in a pseudo-terminal: launch to first frame, and rating key to next card.

    python bench/bench_tui.py [--runs 7] [--cards 5000] [--json OUT]

1. Launch: time from spawning `python -m trainer` in a 100x30 pty to the deck list
   ("All decks") on screen, against a bare Textual app (Header, a Static, Footer) to
   its first frame, measured alternately in the same run. Ratio = trainer / bare, in wall
   time and in CPU time (the CPU ratio holds on a loaded machine; the wall ratio does not).
2. Rate -> next card: `trainer study` in the pty; for each card Space reveals, then
   the time from writing "3" (Good) to the next card's counter ("done N") on screen.
   Budget 10 ms median (reported as baseline_ms).
Collections: the bundled decks, and a synthetic one of --cards basic cards.
"""

from __future__ import annotations

import argparse
import compileall
import fcntl
import json
import os
import pty
import select
import signal
import statistics
import struct
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BARE_APP = """
from textual.app import App
from textual.widgets import Footer, Header, Static

class Bare(App):
    def compose(self):
        yield Header()
        yield Static("bare app ready")
        yield Footer()

Bare().run()
"""


class Pty:
    """A child process on a pseudo-terminal, with its screen output accumulated."""

    def __init__(self, argv: list[str], env: dict[str, str], size: tuple[int, int] = (100, 30)) -> None:
        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # child
            os.execvpe(argv[0], argv, env)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        self.buffer = b""

    def wait_for(self, marker: bytes, timeout: float = 30.0, start: int = 0) -> float:
        """The perf_counter time at which `marker` appeared after byte `start` of the output."""
        deadline = time.perf_counter() + timeout
        while marker not in self.buffer[start:]:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError(f"{marker!r} not seen; last output: {self.buffer[-400:]!r}")
            ready, _, _ = select.select([self.fd], [], [], remaining)
            if ready:
                try:
                    self.buffer += os.read(self.fd, 65536)
                except OSError:
                    raise TimeoutError(f"process ended before {marker!r}") from None
        return time.perf_counter()

    def drain(self, quiet: float = 0.05) -> None:
        """Read until the output is quiet for `quiet` seconds."""
        while select.select([self.fd], [], [], quiet)[0]:
            try:
                self.buffer += os.read(self.fd, 65536)
            except OSError:
                return

    def send(self, data: bytes) -> float:
        t = time.perf_counter()
        os.write(self.fd, data)
        return t

    def close(self) -> None:
        try:
            os.write(self.fd, b"\x11")  # ctrl+q
            deadline = time.time() + 3
            while time.time() < deadline:
                done, _ = os.waitpid(self.pid, os.WNOHANG)
                if done:
                    break
                self.drain(0.05)
            else:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
        finally:
            os.close(self.fd)


def base_env(db: Path) -> dict[str, str]:
    env = {**os.environ, "TERM": "xterm-256color", "TRAINER_DB": str(db), "PYTHONPATH": str(ROOT)}
    env.pop("TEXTUAL", None)
    return env


def make_collections(folder: Path, cards: int) -> list[tuple[str, Path]]:
    sys.path.insert(0, str(ROOT))
    from trainer.collection import open_collection

    bundled = folder / "bundled.sqlite3"
    with open_collection(bundled) as col:
        bundled_size = sum(d.total for d in col.decks() if d.depth == 0)
    synthetic = folder / "synthetic.sqlite3"
    deck = folder / "synthetic.toml"
    lines = ['[deck]\nid = "bench.synthetic"\nname = "Synthetic"\n']
    for i in range(cards):
        lines.append(f'[[cards]]\nid = "c{i}"\nfront = "Question number {i}?"\nback = "Answer {i}"\n')
    deck.write_text("\n".join(lines), encoding="utf-8")
    with open_collection(synthetic, install_bundled=False) as col:
        col.load([deck])
    return [(f"bundled ({bundled_size} cards)", bundled), (f"synthetic ({cards} cards)", synthetic)]


DIRECT = "import os; from trainer.tui.app import run_app; run_app(os.environ['TRAINER_DB'])"


def cpu_ms(pid: int) -> float:
    """CPU time the process's threads have used so far, in ms (`/proc/PID/task/*/schedstat`)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            continue
    return total / 1e6


def launch_times(
    db: Path, runs: int, bare_script: Path
) -> tuple[list[float], list[float], list[float], list[float], list[float], list[float]]:
    """Alternating runs, in ms: trainer first frame, trainer deck list, bare first frame, the
    deck list when the app module is started directly (without the CLI's imports), and the CPU
    time trainer and the bare app used until then (wall time on a loaded machine measures the
    other processes too: the CPU ratio does not move with the load)."""
    first, decks, bare, direct, decks_cpu, bare_cpu = [], [], [], [], [], []
    for _ in range(runs):
        proc = Pty([sys.executable, "-c", DIRECT], base_env(db))
        direct.append((proc.wait_for(b"All decks") - proc.started) * 1000)
        proc.close()
        proc = Pty([sys.executable, "-m", "trainer"], base_env(db))
        first.append((proc.wait_for(b"trainer") - proc.started) * 1000)
        decks.append((proc.wait_for(b"All decks") - proc.started) * 1000)
        decks_cpu.append(cpu_ms(proc.pid))
        proc.close()
        proc = Pty([sys.executable, str(bare_script)], base_env(db))
        bare.append((proc.wait_for(b"bare app ready") - proc.started) * 1000)
        bare_cpu.append(cpu_ms(proc.pid))
        proc.close()
    return first, decks, bare, direct, decks_cpu, bare_cpu


def rate_times(db: Path, answers: int) -> list[float]:
    """ms from the Good key to the next card's counter on screen."""
    proc = Pty([sys.executable, "-m", "trainer", "study"], base_env(db))
    times = []
    try:
        proc.wait_for(b"done 0")
        proc.drain(0.3)
        for n in range(1, answers + 1):
            proc.send(b"\r")  # Enter reveals every kind (it submits a typed answer)
            mark = len(proc.buffer)
            proc.wait_for(b"Good", start=mark)
            proc.drain(0.02)
            mark = len(proc.buffer)
            sent = proc.send(b"3")
            seen = proc.wait_for(f"done {n}".encode(), start=mark)
            times.append((seen - sent) * 1000)
            proc.drain(0.02)
    finally:
        proc.close()
    return times


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc status")


def memory_with_study_open(folder: Path, cards: int) -> float:
    """Peak MB of `trainer study` with `cards` cards, once the first card is drawn."""
    ((_, db),) = [c for c in make_collections(folder / "memory", cards) if c[0].startswith("synthetic")]
    proc = Pty([sys.executable, "-m", "trainer", "study"], base_env(db))
    try:
        proc.wait_for(b"done 0", timeout=120)
        proc.drain(0.3)
        return peak_rss_mb(proc.pid)
    finally:
        proc.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--answers", type=int, default=30)
    parser.add_argument("--cards", type=int, default=5000)
    parser.add_argument("--json", dest="json_out", type=Path)
    parser.add_argument("--memory-cards", type=int, default=100_000, help="0 skips the memory run")
    args = parser.parse_args()
    # Bytecode as an installed package has it (pip compiles at install): with
    # PYTHONDONTWRITEBYTECODE set, an editable checkout would otherwise be compiled from
    # source at every launch while Textual, the baseline, loads its cached bytecode.
    compileall.compile_dir(str(ROOT / "trainer"), quiet=1)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["HOME"] = str(folder)
        os.environ["XDG_DATA_HOME"] = str(folder / "data")
        bare_script = folder / "bare.py"
        bare_script.write_text(BARE_APP, encoding="utf-8")
        for size, db in make_collections(folder, args.cards):
            first, decks, bare, direct, decks_cpu, bare_cpu = launch_times(db, args.runs, bare_script)
            f, d, b = statistics.median(first), statistics.median(decks), statistics.median(bare)
            a = statistics.median(direct)
            dc, bc = statistics.median(decks_cpu), statistics.median(bare_cpu)
            print(f"[{size}] launch: first frame {f:.0f} ms, deck list {d:.0f} ms; bare Textual {b:.0f} ms")
            print(f"    ratio deck list / bare = {d / b:.2f} (first frame / bare = {f / b:.2f})")
            print(f"    CPU time to the deck list {dc:.0f} ms, bare {bc:.0f} ms: ratio {dc / bc:.2f}")
            print(f"    app module without the CLI: deck list {a:.0f} ms, ratio {a / b:.2f}")
            results.append({"op": "launch_app_module_to_deck_list", "size": size, "trainer_ms": round(a, 1),
                            "baseline_ms": round(b, 1), "ratio": round(a / b, 3)})  # fmt: skip
            results.append({"op": "launch_to_deck_list_cpu", "size": size, "trainer_ms": round(dc, 1),
                            "baseline_ms": round(bc, 1), "ratio": round(dc / bc, 3)})  # fmt: skip
            results.append({"op": "launch_to_deck_list", "size": size, "trainer_ms": round(d, 1),
                            "baseline_ms": round(b, 1), "ratio": round(d / b, 3)})  # fmt: skip
            results.append({"op": "launch_to_first_frame", "size": size, "trainer_ms": round(f, 1),
                            "baseline_ms": round(b, 1), "ratio": round(f / b, 3)})  # fmt: skip
            rates = rate_times(db, args.answers)
            r = statistics.median(rates)
            p90 = sorted(rates)[int(0.9 * len(rates))]
            print(f"    rating key -> next card drawn: median {r:.1f} ms (p90 {p90:.1f})")
            results.append({"op": "rate_to_next_card", "size": size, "trainer_ms": round(r, 2),
                            "baseline_ms": 10.0, "ratio": round(r / 10.0, 3)})  # fmt: skip
        if args.memory_cards:
            (folder / "memory").mkdir()
            mb = memory_with_study_open(folder, args.memory_cards)
            print(f"[{args.memory_cards} cards] peak memory with the study screen open: {mb:.0f} MB")
            results.append({"op": "peak_memory_mb_study_open", "size": args.memory_cards,
                            "trainer_ms": round(mb, 1), "baseline_ms": 200.0,
                            "ratio": round(mb / 200, 3)})  # fmt: skip
    if args.json_out:
        args.json_out.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
