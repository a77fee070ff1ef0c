"""`gworkflow selftest`: measure the difference between Google and what gworkflow expects.

A suite of probes, each one a request gworkflow sends or a behaviour it relies on, run
against the endpoint in use (Google when signed in, the sandbox when
GWORKFLOW_API_ENDPOINT is set) on a scratch doc and a scratch recurring event, which are
removed afterwards.

- results.py: a probe's verdict (pass / fail / info), the report, the table and JSON;
- context.py: what probes share (clients, scratch objects) and `Probe`;
- docs_probes.py, calendar_probes.py: the probes, in the order they run;
- recorder.py: every request and answer, redacted for `--report`;
- runner.py: runs the probes, then cleans up.

Like the rest of the core, nothing here imports click or prints.
"""
