"""probepress: measured, build-checked write-ups of video-generation models."""

import os

# FFmpeg's decoder logs every damaged packet to stderr; probepress reports unreadable
# clips itself, once, by name. Must be set before OpenCV's FFmpeg backend loads.
os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")

__version__ = "0.1.0"
