"""The performance benchmark of issue 5, "Fast at any size".

`generate` writes synthetic but valid record sets of any size from the bundled records;
`run` times whole `secretome` processes on them and prints a Markdown table (`make bench`).
Neither imports `secretome_cli`: they work through the command line and the file layout only.
"""
