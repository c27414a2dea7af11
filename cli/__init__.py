"""The `xinyu` command line: the toolkit's operations for batch use and scripts."""
