"""`UdfError` (an exception in user code, pinned to its node and line) and digging it out.

On a worker, a user exception becomes `UdfError(node_id, line, message)`; `line` is the last
traceback frame whose file name is `<udf node_id>` (how `udf.py` compiles user source).
Ray ships it back wrapped (`RayTaskError(UserCodeException)`) and, as of Ray 2.60, does not
keep the original object: only the remote traceback text survives. `find_udf_error` therefore
walks `.cause`/`__cause__`/`__context__` for a real `UdfError` first, then parses the text.
"""
from __future__ import annotations

import re
import traceback
from typing import List, Optional

ANSI = re.compile(r"\x1b\[[0-9;]*m")
_MARK = re.compile(r"UdfError: \[node ([A-Za-z_][A-Za-z0-9_]*)\] (?:line (\d+)|no line): ([^\n]*)")
_FRAME = re.compile(r'File "<udf ([A-Za-z_][A-Za-z0-9_]*)>", line (\d+)')
SECTION_SPLIT = re.compile(
    r"\n\s*(?:The above exception was the direct cause of the following exception:|"
    r"During handling of the above exception, another exception occurred:)\s*\n"
)


def udf_filename(node_id: str) -> str:
    return f"<udf {node_id}>"


class UdfError(Exception):
    """An exception raised by (or about) the user code of node `node_id`."""

    def __init__(self, node_id: str, line: Optional[int], message: str, user_traceback: Optional[List[str]] = None):
        super().__init__(node_id, line, message, user_traceback)
        self.node_id = node_id
        self.line = line
        self.message = message
        self.user_traceback = list(user_traceback or [])

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line is not None else "no line"
        return f"[node {self.node_id}] {where}: {self.message}"

    def __reduce__(self):
        return (self.__class__, (self.node_id, self.line, self.message, self.user_traceback))

    @classmethod
    def from_exception(cls, node_id: str, exc: BaseException) -> "UdfError":
        """Wrap an exception raised while running node `node_id`'s user code."""
        name = udf_filename(node_id)
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == name]
        if frames:
            line = frames[-1].lineno
        elif isinstance(exc, SyntaxError) and exc.filename == name:
            line = exc.lineno
        else:
            line = None
        tb: List[str] = []
        if frames:
            tb.append("Traceback (most recent call last):")
            tb.extend(s.rstrip("\n") for s in traceback.StackSummary.from_list(frames).format())
        tb.extend(s.rstrip("\n") for s in traceback.format_exception_only(type(exc), exc))
        message = f"{type(exc).__name__}: {exc}"
        return cls(node_id, line, message, [l for chunk in tb for l in chunk.split("\n")])


def _chain(exc: BaseException):
    """Every exception reachable through Ray's `.cause` and Python's `__cause__`/`__context__`."""
    seen, stack = set(), [exc]
    while stack:
        e = stack.pop()
        if e is None or id(e) in seen or not isinstance(e, BaseException):
            continue
        seen.add(id(e))
        yield e
        stack.extend([getattr(e, "cause", None), e.__context__, e.__cause__])


def _text(exc: BaseException) -> str:
    parts = ["".join(traceback.format_exception(type(exc), exc, exc.__traceback__))]
    parts.extend(str(e) for e in _chain(exc))
    return ANSI.sub("", "\n".join(parts))


def find_udf_error(exc: BaseException) -> Optional[UdfError]:
    """The `UdfError` behind `exc`, from the exception chain or, failing that, its text."""
    for e in _chain(exc):
        if isinstance(e, UdfError):
            return e
    text = _text(exc)
    mark = _MARK.search(text)
    frames = _FRAME.findall(text)
    if not mark and not frames:
        return None
    node = mark.group(1) if mark else frames[-1][0]
    lines = [int(l) for n, l in frames if n == node]
    line = int(mark.group(2)) if mark and mark.group(2) else (lines[-1] if lines else None)
    message = mark.group(3).strip() if mark else text.strip().splitlines()[-1]
    return UdfError(node, line, message, user_traceback_from_text(text, node))


def user_traceback_from_text(text: str, node_id: str) -> List[str]:
    """The section of a (remote) traceback that shows the user's own frames."""
    text = ANSI.sub("", text)
    for section in SECTION_SPLIT.split(text):
        marker = f'File "{udf_filename(node_id)}"'
        if marker in section:
            lines = section.strip("\n").split("\n")
            first = next(i for i, l in enumerate(lines) if marker in l)
            return ["Traceback (most recent call last):"] + lines[first:]
    return []
