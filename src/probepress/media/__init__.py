"""Web copies, posters, side-by-side composites and montages, encoded with ffmpeg and moviepy."""
