"""`python -m sbu` runs the command line."""

from sbu.cli import main

main()
