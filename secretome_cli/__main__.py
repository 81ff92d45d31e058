"""`python -m secretome_cli` runs the command-line tool."""

from secretome_cli.launch import main

main()
