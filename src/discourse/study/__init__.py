"""The study: its configuration, notebook runner, report and JupyterLab launcher.

The only part of the package that knows where this checkout's folders are; every other module
takes its inputs and outputs as arguments.
"""
