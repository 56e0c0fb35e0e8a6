"""probepress: measured, build-checked write-ups of video-generation models."""

__version__ = "0.1.0"
