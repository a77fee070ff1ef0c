"""The running agenda doc's content, with no I/O: one module per job.

Writing a section: `context` (what a template may use) -> `template` (Jinja2 -> Markdown) ->
`markdown` (Markdown -> blocks, and carried spans back to Markdown), composed by `render`;
`requests` turns blocks into one Docs batchUpdate. Reading the doc back: `docjson` (which
tab), `parse` (paragraphs and sections), `carry` (what carries forward: open and done goals,
conferences, invitations), with `styled` (editing formatted text) and `weigh` (what a yes
to an invitation costs). `blocks` is the model both directions share; `text` shows blocks
in a terminal; `example` is the README's example section. Talking to Google lives in
`gworkflow.google`, not here.
"""
