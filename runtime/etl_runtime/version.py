"""The runtime's version; generated scripts call `require_runtime` with the one they target."""
__version__ = "0.1.0"
