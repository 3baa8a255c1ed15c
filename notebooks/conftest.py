"""The notebooks' paired text files (jupytext py:percent) are sources, not test modules."""

collect_ignore_glob = ["0*.py", "solutions.py", "build.py"]  # build.py: the dev tool that executes them
