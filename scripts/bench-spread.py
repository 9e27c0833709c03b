#!/usr/bin/env python3
"""Aggregates the runs of scripts/bench-spread.sh: one criterion output per process.

For each row (benchmark group) and each process, the ratio ours / windows-rs of criterion's
middle estimates; printed as the median over processes, the range, and in how many processes
ours was faster; then, where the processes ran more than one code layout (N.layout files),
each row's median ratio per layout. Usage: bench-spread.py DIR (the directory of N.txt
outputs).
"""
import re
import statistics
import sys
from pathlib import Path

UNITS = {"ps": 1e-3, "ns": 1.0, "µs": 1e3, "us": 1e3, "ms": 1e6, "s": 1e9}
TIME = re.compile(r"time:\s+\[(\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\]")
ROWS = [
    ("query_interface_hit", "QueryInterface hit (+ Release)"),
    ("query_interface_miss", "QueryInterface miss"),
    ("add_ref_release", "AddRef + Release"),
    ("notify", "Notify (reads kind, mask, old, new, token)"),
    ("notify_minimal", "Notify, minimal user fn"),
    ("create_release", "create + final Release (vtable)"),
    ("on_notify_1", "OnNotify, 1 notification"),
    ("on_notify_16", "OnNotify, 16 notifications"),
    ("on_notify_mixed_1", "OnNotify, 1 new mail (id, class prefix)"),
    ("on_notify_mixed_16", "OnNotify, 16 mixed (mail, modified, row)"),
    ("on_notify_mixed_1_checked", "1 new mail, hand-written with our tests (the tests' price)"),
    ("on_notify_mixed_16_checked", "16 mixed, hand-written with our tests (the tests' price)"),
]


def parse(path):
    """{(group, entry): middle estimate in ns} from one criterion stdout."""
    found, current = {}, None
    for line in path.read_text(errors="replace").splitlines():
        head = line.split()[0] if line.strip() and not line[0].isspace() else None
        if head and "/" in head:
            current = head
        match = TIME.search(line)
        if match and current:
            value, unit = match.group(3), match.group(4)
            group, entry = current.split("/", 1)
            found[(group, entry)] = float(value) * UNITS[unit]
            current = None
    return found


def main():
    runs = sorted(Path(sys.argv[1]).glob("*.txt"), key=lambda p: int(p.stem))
    results = [parse(p) for p in runs]
    layout_of = []
    for p in runs:
        layout_file = p.with_suffix(".layout")
        layout_of.append(layout_file.read_text().strip() if layout_file.exists() else "0")
    n = len(results)
    print(f"{n} processes ({sys.argv[1]})\n")
    print("| operation | ours | windows-rs | limit | ours / windows-rs: median [range] | ours won | ours / limit |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for group, title in ROWS:
        rows = [r for r in results if all((group, e) in r for e in ("ours", "windows-rs", "limit"))]
        if not rows:
            continue
        med = lambda e: statistics.median(r[(group, e)] for r in rows)
        ratios = [r[(group, "ours")] / r[(group, "windows-rs")] for r in rows]
        limits = [r[(group, "ours")] / r[(group, "limit")] for r in rows]
        wins = sum(1 for x in ratios if x < 1)
        print(
            f"| {title} | {med('ours'):.2f} | {med('windows-rs'):.2f} | {med('limit'):.2f} "
            f"| {statistics.median(ratios):.3f} [{min(ratios):.3f}–{max(ratios):.3f}] "
            f"| {wins}/{len(rows)} | {statistics.median(limits):.2f} |"
        )
    print("\nns: medians over processes of criterion's middle estimates; ratios are per process.")
    layouts = sorted(set(layout_of))
    if len(layouts) < 2:
        return
    print("\nours / windows-rs, median per code layout (processes per layout in brackets):\n")
    print("| operation | " + " | ".join(f"layout {k}" for k in layouts) + " |")
    print("|---|" + "---:|" * len(layouts))
    for group, title in ROWS:
        cells = []
        for k in layouts:
            ratios = [
                r[(group, "ours")] / r[(group, "windows-rs")]
                for r, lk in zip(results, layout_of)
                if lk == k and all((group, e) in r for e in ("ours", "windows-rs"))
            ]
            cells.append(f"{statistics.median(ratios):.3f} [{len(ratios)}]" if ratios else "-")
        if any(c != "-" for c in cells):
            print(f"| {title} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
