"""Turn an exception that ended a run into the `run-failed` event: node, message, lines.

Node attribution, best first: a `UdfError` (node + line in the user's code) > a `WriteError`
(the write node) > the Ray operator that failed, if it runs a single node > the section of
the generated `build()` that was executing: each node's code follows a `# [node_id] ...`
comment, so the last traceback frame in the script's file points at a node.
"""
from __future__ import annotations

import linecache
import re
import traceback
from typing import Any, Callable, Dict, List, Optional

from .errors import ANSI, SECTION_SPLIT, find_udf_error
from .writes import WriteError

MAX_TRACEBACK_LINES = 20
MAX_MESSAGE = 2000
_NODE_COMMENT = re.compile(r"^\s*#\s*\[([A-Za-z_][A-Za-z0-9_]*)\]")


def formatted(exc: BaseException) -> str:
    return ANSI.sub("", "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))


def root_message(exc: BaseException) -> str:
    """The innermost exception line (`Type: message`) of a possibly chained/remote traceback."""
    sections = SECTION_SPLIT.split(formatted(exc).strip())
    lines = [l for l in sections[0].strip().split("\n") if l.strip()]
    # the exception line of a section is its first non-indented line after the frames
    tail = [l for l in lines if not l.startswith(" ") and not l.startswith("Traceback")]
    message = "\n".join(tail[-3:]) if tail else f"{type(exc).__name__}: {exc}"
    return message[:MAX_MESSAGE]


def trim(lines: List[str], limit: int = MAX_TRACEBACK_LINES) -> List[str]:
    """At most `limit` lines, keeping the user's frames (`<udf ...>`) and the final lines."""
    if len(lines) <= limit:
        return lines
    user = [i for i, l in enumerate(lines) if 'File "<udf ' in l]
    if not user:
        return lines[-limit:]
    head = lines[: min(user[-1] + 3, limit // 2)]  # up to the last user frame, its code and caret
    return head + ["  ..."] + lines[-(limit - len(head) - 1):]


def build_node(exc: BaseException, build: Optional[Callable]) -> Optional[str]:
    """The node whose section of `build` was running when `exc` was raised."""
    code = getattr(build, "__code__", None)
    if code is None:
        return None
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == code.co_filename]
    frames = [f for f in frames if f.lineno >= code.co_firstlineno]
    if not frames:
        return None
    lines = linecache.getlines(code.co_filename)
    for i in range(frames[-1].lineno - 1, code.co_firstlineno - 2, -1):
        if 0 <= i < len(lines):
            m = _NODE_COMMENT.match(lines[i])
            if m:
                return m.group(1)
    return None


def describe(exc: BaseException, build: Optional[Callable] = None,
             failed_stage: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    """Fields of the `run-failed` event."""
    tb_lines: List[str] = formatted(exc).rstrip("\n").split("\n")[-MAX_TRACEBACK_LINES:]
    event: Dict[str, Any] = {"nodeId": None, "message": None, "udfLine": None, "traceback": tb_lines}
    if failed_stage:
        event["stage"] = failed_stage.get("stage")
        event["nodes"] = failed_stage.get("nodes")
    udf = find_udf_error(exc)
    if udf is not None:
        event.update(nodeId=udf.node_id, udfLine=udf.line, message=udf.message[:MAX_MESSAGE])
        if udf.user_traceback:
            event["traceback"] = trim(udf.user_traceback)
        return event
    event["message"] = str(exc)[:MAX_MESSAGE] if isinstance(exc, WriteError) else root_message(exc)
    if isinstance(exc, WriteError):
        event["nodeId"] = exc.node_id
    elif failed_stage and len(failed_stage.get("nodes") or []) == 1:
        event["nodeId"] = failed_stage["nodes"][0]
    else:
        event["nodeId"] = build_node(exc, build)
    return event
