"""`python -m audit` runs the same CLI as the `audit` console script."""

from audit.cli import main

main()
