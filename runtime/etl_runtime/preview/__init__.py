"""Previews: sample rows after any node, running the pipeline's own generated code.

sample (first rows of a source, as Ray reads it), local_exec (a Ray Dataset's physical plan
run in-process with Ray's operator code), rows (JSON-safe values, type names), run (one
preview request), worker (the warm JSON-lines process the server supervises).
"""
