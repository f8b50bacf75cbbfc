#!/usr/bin/env python3
# check-layout.py: the shape of src/ that HACKING.md promises
#
# Copyright 2026 The purple-plannr developers
# SPDX-License-Identifier: GPL-2.0-or-later
#
#   check-layout.py SRCDIR [--max-lines N]
#
# Fails (exit 1), naming what is wrong, when
#   - two files of SRCDIR include each other, directly or through others
#     (an include cycle: the dependency arrows must all point one way);
#   - a file includes purple.h but is not one of the purple half (the
#     core half must build and be tested without libpurple);
#   - a .c file is longer than N lines (700), so that each concern stays
#     in a file a reader can hold in mind.
# A file's node is its concern: plannr-x.c, plannr-x.h and the header
# plannr-x-private.h (shared by the files of one object) are one.

import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def concern(name):
    base = os.path.splitext(name)[0]
    return base[:-len("-private")] if base.endswith("-private") else base


def main(argv):
    if len(argv) < 2:
        print("usage: check-layout.py SRCDIR [--max-lines N]", file=sys.stderr)
        return 2
    src = argv[1]
    max_lines = 700
    if "--max-lines" in argv:
        max_lines = int(argv[argv.index("--max-lines") + 1])

    files = sorted(f for f in os.listdir(src) if f.endswith((".c", ".h")))
    graph = {}
    uses_purple = set()
    problems = []
    for f in files:
        with open(os.path.join(src, f), encoding="utf-8") as fh:
            text = fh.read()
        node = concern(f)
        graph.setdefault(node, set())
        for inc in INCLUDE.findall(text):
            target = concern(os.path.basename(inc))
            if os.path.exists(os.path.join(src, os.path.basename(inc))) and target != node:
                graph[node].add(target)
        if re.search(r'#\s*include\s+<purple\.h>', text):
            uses_purple.add(node)
        if f.endswith(".c"):
            lines = text.count("\n")
            if lines > max_lines:
                problems.append("%s has %d lines, more than %d: split it by concern "
                                "(HACKING.md, Where things are)" % (f, lines, max_lines))

    # Cycles, by depth-first search; each reported once.
    state = {}
    stack = []
    cycles = []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node)
    for cycle in cycles:
        problems.append("include cycle: " + " -> ".join(cycle))

    # The core half (what the purple half builds on) must not reach libpurple.
    core = set()
    with open(os.path.join(src, "meson.build"), encoding="utf-8") as fh:
        build = fh.read()
    m = re.search(r"plannr_core_sources\s*=\s*files\(([^)]*)\)", build)
    if m:
        core = {concern(x) for x in re.findall(r"'([^']+)'", m.group(1))}
    for node in sorted(core):
        reach = set()
        todo = [node]
        while todo:
            n = todo.pop()
            for nxt in graph.get(n, ()):
                if nxt not in reach:
                    reach.add(nxt)
                    todo.append(nxt)
        bad = sorted((reach | {node}) & uses_purple)
        if bad:
            problems.append("%s is in the core half but reaches libpurple through %s"
                            % (node, ", ".join(bad)))
        outside = sorted(r for r in reach if r not in core)
        if outside:
            problems.append("%s is in the core half but includes the purple half's %s"
                            % (node, ", ".join(outside)))

    for p in problems:
        print("not ok: " + p)
    print("%d files, %d concerns, %d problems" % (len(files), len(graph), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
