"""Rendering an agenda template to Markdown, in a Jinja2 sandbox (user templates are
semi-trusted).

What lives here: the sandboxed environment and where it loads templates from (the series'
`template` file, or the built-in `gworkflow.templates` agenda.md.j2), the filters, and turning
every way a template can fail into a TemplateError that names the file and line. What does not:
what the context holds (context.py) and what the Markdown becomes (markdown.py).

Filters: `datetime_format(value, "%H:%M")` (strftime), `long_date` ("Tuesday 8 December 2026";
`long_date(year=False)` drops the year), `time` ("14:00"), `city` ("America/New_York" -> "New
York"), `md` (escapes Markdown so text from the doc stays plain text).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import types
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from gworkflow.agenda.context import city, clock_time, long_date
from gworkflow.config import Series
from gworkflow.errors import TemplateError
from gworkflow.types import JSON

DEFAULT_TEMPLATE = "agenda.md.j2"

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#~|!&])")
_MD_LINE_START = re.compile(r"^(\s*)([-+=]|\d+[.)])")


def md_escape(value: Any) -> str:
    """Backslash-escape Markdown syntax so text copied from the doc renders literally."""
    text = _MD_SPECIAL.sub(r"\\\1", str(value))
    return _MD_LINE_START.sub(lambda m: m[1] + m[2][:-1] + "\\" + m[2][-1], text)


def _datetime_format(value: dt.date | dt.datetime, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return value.strftime(fmt)


# One environment per template, kept: an environment caches its compiled templates (jinja
# re-reads a template file that changed), and compiling the agenda costs more than rendering
# it many times over, which shows in `run --all` over hundreds of series. Environments are
# safe to share between threads.
@functools.cache
def _environment(template: Path | None) -> SandboxedEnvironment:
    loader: jinja2.BaseLoader
    if template is None:
        package = resources.files("gworkflow.templates")

        def load_default(name: str) -> tuple[str, str, Any]:
            source = package.joinpath(name).read_text(encoding="utf-8")
            return source, name, lambda: True

        loader = jinja2.FunctionLoader(load_default)
    else:
        # Relative {% include %}s in a user template resolve next to it.
        loader = jinja2.FileSystemLoader(str(template.parent))
    env = SandboxedEnvironment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
    )
    env.filters.update(
        {
            "datetime_format": _datetime_format,
            "long_date": long_date,
            "time": clock_time,
            "city": city,
            "md": md_escape,
        }
    )
    return env


def _template_line(tb: types.TracebackType | None) -> tuple[str | None, int | None]:
    """The template file and line of the innermost template frame of a traceback.

    Jinja rewrites the traceback of a render error so that template frames carry the
    template's file name and line (jinja2.debug.rewrite_traceback_stack).
    """
    found: tuple[str | None, int | None] = (None, None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if not filename.endswith(".py") and not filename.startswith("<"):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def render_markdown(series: Series, context: JSON) -> str:
    """Render the series' template (or the default) with `context`; TemplateError if it fails."""
    template_path = series.template
    name = template_path.name if template_path else DEFAULT_TEMPLATE
    shown = str(template_path) if template_path else f"(built-in) {DEFAULT_TEMPLATE}"
    env = _environment(template_path)
    try:
        template = env.get_template(name)
    except jinja2.TemplateNotFound:
        raise TemplateError(
            f"template {shown}: file not found; fix `template` in the config or remove it"
        ) from None
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or shown
        raise TemplateError(f"template {where}, line {exc.lineno}: {exc.message}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"template {shown}: cannot read it: {exc}") from None
    try:
        return template.render(context)
    except jinja2.TemplateSyntaxError as exc:  # e.g. in an {% include %}d file
        raise TemplateError(
            f"template {exc.filename or shown}, line {exc.lineno}: {exc.message}"
        ) from None
    except Exception as exc:
        # Anything a template can raise (undefined names, sandbox refusals, type errors in a
        # filter): the user needs the file and line, never a traceback.
        filename, line = _template_line(exc.__traceback__)
        where = f"template {filename or shown}" + (f", line {line}" if line else "")
        problem = getattr(exc, "message", None) or str(exc) or type(exc).__name__
        problem = " ".join(str(problem).split())
        raise TemplateError(f"{where}: {problem}") from None
