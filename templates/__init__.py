"""The default agenda template (agenda.md.j2), shipped inside the package as gworkflow.templates."""
