#!/usr/bin/env python3
"""The server's shape, checked by `make lint` (issue 10): feature folders only, no GRDB, files of at most 600
lines, functions and closures-as-routes of at most 80 lines. Prints every breach and exits 1 if there is one."""
import os
import re
import sys

ROOT = "Sources/InsigneServer"
MAX_FILE, MAX_FUNC = 600, 80
problems = []

for name in sorted(os.listdir(ROOT)):
    if name.endswith(".swift"):
        problems.append(f"{ROOT}/{name}: Swift file at the root of InsigneServer (put it in a feature folder)")

FUNC = re.compile(r"^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|private|fileprivate|internal|static|class|final|"
                  r"override|mutating|nonisolated|@Sendable)\s+)*(?:func\s+[^\s(<]+|init[?!]?|subscript)\s*[(<]")


def body_length(lines, start):
    """Lines from the declaration to its closing brace (braces in strings and comments ignored)."""
    depth, opened = 0, False
    for i in range(start, len(lines)):
        line = re.sub(r'"(?:\\.|[^"\\])*"', '""', lines[i].split("//")[0])
        for c in line:
            if c == "{":
                depth, opened = depth + 1, True
            elif c == "}":
                depth -= 1
                if opened and depth == 0:
                    return i - start + 1
        if not opened and i > start and lines[i].strip() == "":
            return 0  # a protocol requirement: no body
    return 0


for folder, _, files in os.walk(ROOT):
    for f in sorted(files):
        if not f.endswith(".swift"):
            continue
        path = os.path.join(folder, f)
        lines = open(path, encoding="utf-8").read().split("\n")
        if len(lines) - 1 > MAX_FILE:
            problems.append(f"{path}: {len(lines) - 1} lines (at most {MAX_FILE})")
        for i, line in enumerate(lines):
            if re.match(r"^import GRDB\b", line):
                problems.append(f"{path}:{i + 1}: imports GRDB (queries live in InsigneStore)")
            if FUNC.match(line):
                n = body_length(lines, i)
                if n > MAX_FUNC:
                    problems.append(f"{path}:{i + 1}: {line.strip()[:60]}… is {n} lines (at most {MAX_FUNC})")

for p in problems:
    print(p)
sys.exit(1 if problems else 0)
