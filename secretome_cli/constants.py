"""Named exit codes: the numbers scripts and CI depend on.

Search follows grep: 0 when something matched, 1 when nothing did, 2 on an error.
Validation: 0 clean, 1 problems found, 2 could not run.
"""

EXIT_OK = 0
"""Success: results found, or the records are valid."""
EXIT_NO_MATCH = 1
"""Search or show found nothing; validate or fmt --check found problems."""
EXIT_PROBLEMS = 1
"""validate / fmt --check: the files have problems (same number as EXIT_NO_MATCH, as grep)."""
EXIT_ERROR = 2
"""Bad usage or input, unreadable records: the command could not do its work."""
