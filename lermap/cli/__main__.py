"""``python -m lermap.cli``."""

from lermap.cli import main

main()
