"""`python -m workbench`: the same as the `workbench` command (sweep children use it)."""

from workbench.cli import main

main()
