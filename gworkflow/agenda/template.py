"""Rendering an agenda template to Markdown, in a Jinja2 sandbox (user templates are
semi-trusted).

What lives here: the sandboxed environment and where it loads templates from (the series'
`template` file, or the built-in `gworkflow.templates` agenda.md.j2), the filters, and turning
every way a template can fail into a TemplateError that names the file and line. What does not:
what the context holds (context.py) and what the Markdown becomes (markdown.py).

Filters: `datetime_format(value, "%H:%M")` (strftime), `long_date` ("Tuesday 8 December 2026";
`long_date(year=False)` drops the year), `day_month` ("8 December"), `time` ("14:00"), `city`
("America/New_York" -> "New York"), `md` (escapes Markdown so text from the doc stays plain
text), `md_spans` (an item's `spans` back as Markdown: its bold, italic, strike, links and
chips kept, every other character literal).
"""

from __future__ import annotations

import datetime as dt
import functools
import types
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from gworkflow.agenda.blocks import Span
from gworkflow.agenda.context import city, clock_time, day_month, long_date
from gworkflow.agenda.markdown import md_escape, spans_to_markdown
from gworkflow.config import Series
from gworkflow.errors import TemplateError
from gworkflow.types import JSON

DEFAULT_TEMPLATE = "agenda.md.j2"
# The paragraph written once at the top of a new running doc.
HOW_IT_WORKS_TEMPLATE = "how-this-doc-works.md.j2"

__all__ = [
    "DEFAULT_TEMPLATE",
    "HOW_IT_WORKS_TEMPLATE",
    "md_escape",
    "md_spans",
    "render_builtin",
    "render_markdown",
]


def md_spans(value: Any) -> str:
    """An item's `spans` (from the context: dicts of text, bold, italic, strike, link,
    person) as Markdown that reads back the same; plain text when given a string."""
    if isinstance(value, str):
        return md_escape(value)
    spans = []
    for part in value or ():
        if isinstance(part, Span):
            spans.append(part)
        elif isinstance(part, Mapping):
            spans.append(
                Span(
                    str(part.get("text") or ""),
                    bold=bool(part.get("bold")),
                    italic=bool(part.get("italic")),
                    strike=bool(part.get("strike")),
                    link=part.get("link") or None,
                    person=part.get("person") or None,
                )
            )
        else:
            spans.append(Span(str(part)))
    return spans_to_markdown(spans)


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
            "day_month": day_month,
            "time": clock_time,
            "city": city,
            "md": md_escape,
            "md_spans": md_spans,
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


def render_builtin(name: str, context: JSON) -> str:
    """Render one of the templates that ship with gworkflow (e.g. HOW_IT_WORKS_TEMPLATE)."""
    try:
        return _environment(None).get_template(name).render(context)
    except jinja2.TemplateError as exc:
        # A built-in template that fails is a bug in gworkflow, but still one line.
        raise TemplateError(f"template (built-in) {name}: {exc}") from None
