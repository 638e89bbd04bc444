"""Writes the README's tested blocks of one group to a folder.

A tested block is the fenced block right after a line
`<!-- check: GROUP NAME -->`. NAME with a slash is a file of the program
(written to DIR/NAME); any other NAME is a shell script (DIR/NAME.sh).
Usage: readme.py README.md GROUP DIR   (prints the names written)
"""
import os
import re
import sys

readme, group, out = sys.argv[1:4]
lines = open(readme, encoding="utf-8").read().split("\n")
found = []
i = 0
while i < len(lines):
    m = re.fullmatch(r"<!-- check: (\S+) (\S+) -->", lines[i].strip())
    i += 1
    if not m or m.group(1) != group:
        continue
    name = m.group(2)
    while i < len(lines) and not lines[i].startswith("```"):
        i += 1
    start = i + 1
    i = start
    while i < len(lines) and lines[i] != "```":
        i += 1
    if i >= len(lines):
        sys.exit(f"{readme}: the block of '{group} {name}' is not closed")
    path = os.path.join(out, name if "/" in name else name + ".sh")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines[start:i]) + "\n")
    found.append(name)
    i += 1
if not found:
    sys.exit(f"{readme}: no block marked '<!-- check: {group} ... -->'")
print(" ".join(found))
