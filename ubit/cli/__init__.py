"""The ``ubit`` command line: argument parsing and printing, nothing else."""
