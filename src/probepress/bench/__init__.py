"""Benchmarks behind ``make bench``: probe timings, site builds and page weights."""
