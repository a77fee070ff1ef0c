"""The running agenda doc's content, with no I/O: one module per job.

Writing a section: `context` (what a template may use) -> `template` (Jinja2 -> Markdown) ->
`markdown` (Markdown -> blocks), composed by `render`; `requests` turns blocks into one Docs
batchUpdate. Reading the doc back: `docjson` (which tab), `parse` (paragraphs and sections),
`carry` (what carries forward). `blocks` is the model both directions share; `text` shows
blocks in a terminal. Talking to Google lives in `gworkflow.google`, not here.
"""
