#!/usr/bin/env python3
"""Instructions per call of one benchmark entry, from a callgrind output file.

Usage: bench-instructions.py FILE TOP

FILE is callgrind's output for a run of the bench executable filtered to one entry (made with
`--compress-strings=no`); TOP a regular expression for the function the benchmark calls
through the vtable (the entry's `OnNotify` or `Notify`). Prints the instructions executed in
TOP and in everything it calls (callgrind's inclusive cost of its calls), divided by the
number of calls made to TOP.
"""
import re
import sys


def main():
    path, top = sys.argv[1], re.compile(sys.argv[2])
    calls = 0  # calls made to TOP
    cost = 0  # instructions in TOP, and in what it calls
    in_top = False  # the function whose lines are being read is TOP
    callee_is_top = False  # the `calls=` line just read is a call to TOP
    call_line = False  # the next cost line is a call's inclusive cost
    for line in open(path, errors="replace"):
        if line.startswith("fn="):
            in_top = bool(top.search(line[3:].strip()))
        elif line.startswith("cfn="):
            callee_is_top = bool(top.search(line[4:].strip()))
        elif line.startswith("calls="):
            if callee_is_top and not in_top:
                calls += int(line.split()[0][len("calls="):])
            call_line = True
        elif line[:1].isdigit() or line[:1] in "+-*":
            # A cost line: position(s), then the instruction count (Ir) last.
            if in_top and not (call_line and callee_is_top):
                cost += int(line.split()[-1])
            call_line = False
    if calls == 0:
        sys.exit(f"bench-instructions: no call to {sys.argv[2]} in {path}")
    print(f"{cost / calls:.1f}")


if __name__ == "__main__":
    main()
