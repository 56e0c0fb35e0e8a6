"""Measuring clips: manifest, result cache, runner, results and the probe phase."""
