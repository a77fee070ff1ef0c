"""gworkflow: a monthly peer-mentoring check-in on Google Workspace.

The package is split so that `gworkflow --help` stays fast: nothing imported here or in
`gworkflow.cli` at start-up touches googleapiclient. Google-facing code lives in
`gworkflow.google` and is imported inside the commands that call Google.
"""

__version__ = "0.1.0"
