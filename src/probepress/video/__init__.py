"""Decoding clips at analysis size, and the facts of a clip (hash, fps, size)."""
