"""`make bench`: the benchmark's own settings, URLs (with the reference view) and runner."""
