"""One meeting's section of the running doc, as blocks: the agenda template rendered, then
parsed; and the "How this doc works" paragraph at the top of a new doc.

Only the composition lives here. What a template may use is built in `agenda.context`,
running the template is `agenda.template`, Markdown -> blocks is `agenda.markdown`; blocks ->
Docs requests is `agenda.requests`, and reading a section back out of a doc is
`agenda.parse`.
"""

from __future__ import annotations

from gworkflow.agenda.blocks import Block
from gworkflow.agenda.context import series_context
from gworkflow.agenda.markdown import markdown_to_blocks
from gworkflow.agenda.template import HOW_IT_WORKS_TEMPLATE, render_builtin, render_markdown
from gworkflow.config import Series
from gworkflow.types import JSON


def render_section(series: Series, context: JSON) -> tuple[Block, ...]:
    """The blocks of one meeting's section: the template rendered and parsed."""
    return markdown_to_blocks(render_markdown(series, context))


def intro_blocks(series: Series) -> tuple[Block, ...]:
    """The "How this doc works" paragraph `doc create` writes once at the top of a new doc
    (the built-in how-this-doc-works.md.j2; not the series' own template)."""
    context = {"series": series_context(series)}
    return markdown_to_blocks(render_builtin(HOW_IT_WORKS_TEMPLATE, context))
