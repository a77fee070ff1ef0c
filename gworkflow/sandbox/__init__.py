"""A local emulator of the Google APIs gworkflow uses (Docs v1, Calendar v3, Drive v3,
OAuth token endpoint) plus a Zoom fake, reached by the real google-api-python-client
through `client_options={"api_endpoint": ...}`. Used by the tests, `gworkflow demo` and
`gworkflow sandbox serve`. Nothing here is used when talking to the real Google.
"""
