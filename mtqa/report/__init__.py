"""Report: files in the output folder and the formats printed to stdout."""
