"""The production settings, with two empty views added for the HTTP benchmark
(benchmarks/serving.py): the per-request cost of the stack itself, signed out and
signed in. Never used by the app."""

from scr_tracker.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.bench_urls"
