"""Where a catalog issue's path (`editions[1].prices[0].per_unit`) is in the YAML text: its line,
so that an editor can show every problem against the line it is on."""

from __future__ import annotations

import re

import yaml

_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def line_of(text: str, path: str) -> int | None:
    """The 1-based line of the deepest node of `path` found in `text`; None when the text is
    not YAML or the path names nothing in it."""
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return None
    if node is None:
        return None
    line: int | None = node.start_mark.line + 1
    for key, index in _PART.findall(path):
        if isinstance(node, yaml.MappingNode) and key:
            found = next((v for k, v in node.value if getattr(k, "value", None) == key), None)
            if found is None:
                return line
            key_node = next(k for k, v in node.value if v is found)
            line, node = key_node.start_mark.line + 1, found
        elif isinstance(node, yaml.SequenceNode) and index:
            position = int(index)
            if position >= len(node.value):
                return line
            node = node.value[position]
            line = node.start_mark.line + 1
        else:
            return line
    return line
