"""The performance benchmark of issue 5, "Fast at any size".

`generate` writes synthetic but valid record sets of any size from the bundled records (with
the project's canonical emitter, so they are in `secretome fmt` form); `run` times whole
`secretome` processes on them and prints a Markdown table (`make bench`). The measurements go
through the command line and the file layout only: the code being timed is never imported.
"""
