"""Checking a request against Google's own discovery documents, as Google's front end does.

The discovery documents are the ones shipped inside google-api-python-client
(`googleapiclient/discovery_cache/documents/*.json`), read from the installed package, never
from a copy, so the sandbox rejects exactly what the client's schema says is not there.
`validate_request` finds the method by HTTP method + path template, checks path and query
parameters (required, types, enums, repeated) and the JSON body recursively (`$ref`, types,
int32/int64 formats, enums, maps through `additionalProperties`). Unknown fields are a 400.

What lives elsewhere: what a request *means* (the Docs/Calendar/Drive engines), and how an
ApiError becomes an HTTP answer (server.py). This module is pure: no I/O beyond loading the
discovery files once.

Error wording follows Google's. Docs (a proto/ESF API) names an unknown field with the
snake_case path, e.g. `Invalid JSON payload received. Unknown name "replace_text" at
'requests[0]': Cannot find field.` (seen in googleapis/google-api-php-client-services#163 and
google-marketing-solutions/dv360-api-appsscript-samples#7); a bad value reads
`Invalid value at 'requests[0].create_paragraph_bullets.bullet_preset' (TYPE_ENUM), "NOPE"`.
Calendar answers bad values with reason "invalid" and `Invalid value for: ...`
(developers.google.com/calendar/api/guides/errors and captured answers quoted on
itblog.dynaspo.com/blog-entry-202.html).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import unquote

from gworkflow.sandbox.errors import ApiError

JSON = dict[str, Any]

# api name -> (discovery file, URL prefix the sandbox serves it under).
# The prefix is the discovery document's servicePath (Docs' is empty; its paths start "v1/").
APIS: dict[str, str] = {
    "docs": "docs.v1.json",
    "calendar": "calendar.v3.json",
    "drive": "drive.v3.json",
}


@dataclass(frozen=True)
class ResolvedMethod:
    """A request that passed validation: which method it is and its parameters as Python values.

    `query` holds every query parameter the method declares (global ones such as `alt` and
    `fields` included) converted by its discovery type; repeated ones are lists.
    """

    api: str
    method_id: str  # e.g. "docs.documents.batchUpdate"
    path_params: dict[str, str]
    query: dict[str, Any] = field(default_factory=dict)
    body: Any = None


@dataclass(frozen=True)
class _Route:
    http_method: str
    pattern: re.Pattern[str]
    method: JSON


@cache
def discovery(api: str) -> JSON:
    """The discovery document of `api` ("docs", "calendar", "drive"), loaded once."""
    ref = resources.files("googleapiclient.discovery_cache").joinpath("documents", APIS[api])
    loaded: JSON = json.loads(ref.read_text(encoding="utf-8"))
    return loaded


def service_prefix(api: str) -> str:
    """The URL path prefix of `api`, e.g. "/calendar/v3/" (Docs: "/")."""
    return "/" + str(discovery(api)["servicePath"])


def api_for_path(path: str) -> str | None:
    """Which Google API a request path belongs to, by its prefix; None when none."""
    if path.startswith("/calendar/v3/"):
        return "calendar"
    if path.startswith("/drive/v3/"):
        return "drive"
    if path.startswith("/v1/documents"):
        return "docs"
    return None


def _template_regex(template: str) -> re.Pattern[str]:
    """`calendars/{calendarId}/events` -> a regex capturing each parameter.

    `{+name}` (RFC 6570 reserved expansion) may span slashes; `{name}` may not. Docs' custom
    verbs (`{documentId}:batchUpdate`) work because the parameter match is not greedy.
    """
    out = []
    pos = 0
    for m in re.finditer(r"\{(\+?)([^}]+)\}", template):
        out.append(re.escape(template[pos : m.start()]))
        group = ".+?" if m.group(1) else "[^/]+?"
        out.append(f"(?P<{_group_name(m.group(2))}>{group})")
        pos = m.end()
    out.append(re.escape(template[pos:]))
    return re.compile("^" + "".join(out) + "$")


def _group_name(param: str) -> str:
    return "p_" + re.sub(r"\W", "_", param)


def _iter_methods(resources_: JSON) -> list[JSON]:
    found: list[JSON] = []
    for resource in resources_.values():
        found.extend(resource.get("methods", {}).values())
        found.extend(_iter_methods(resource.get("resources", {})))
    return found


@cache
def _routes(api: str) -> tuple[_Route, ...]:
    routes = []
    for method in _iter_methods(discovery(api)["resources"]):
        for template in {method["path"], method.get("flatPath", method["path"])}:
            routes.append(_Route(method["httpMethod"], _template_regex(template), method))
    # Literal paths before templated ones: "files/generateIds" must not be read as a fileId.
    routes.sort(key=lambda r: r.pattern.pattern.count("(?P<"))
    return tuple(routes)


def resolve(api: str, http_method: str, path: str) -> tuple[JSON, dict[str, str]]:
    """The discovery method for `http_method path` and its path parameters (404/405 if none)."""
    prefix = service_prefix(api)
    if not path.startswith(prefix):
        raise ApiError(404, f"Method not found: {path}", "notFound")
    relative = path[len(prefix) :]
    path_matched = False
    for route in _routes(api):
        m = route.pattern.match(relative)
        if m is None:
            continue
        path_matched = True
        if route.http_method != http_method:
            continue
        names = route.method.get("parameters", {})
        params = {
            name: unquote(m.group(_group_name(name)))
            for name in names
            if _group_name(name) in m.groupdict()
        }
        return route.method, params
    if path_matched:
        raise ApiError(
            405, f"Method {http_method} is not allowed on {path}.", "httpMethodNotAllowed"
        )
    raise ApiError(404, f"Method not found: {http_method} {path}", "notFound")


def validate_request(
    api: str, http_method: str, path: str, query: dict[str, list[str]], body: Any
) -> ResolvedMethod:
    """Check a request against `api`'s discovery document; raise ApiError(400/404) if Google would.

    `path` is the full URL path ("/calendar/v3/calendars/primary/events"), `query` the parsed
    query string (every value a list, as urllib.parse.parse_qs gives it), `body` the decoded
    JSON body or None.
    """
    method, path_params = resolve(api, http_method, path)
    checker = _Checker(api)
    converted = checker.query(method, path_params, query)
    request_schema = method.get("request")
    if request_schema is None:
        if body not in (None, {}):
            raise checker.unknown_name(next(iter(body)) if isinstance(body, dict) else "", "")
        body = None
    else:
        if body is None:
            body = {}
        checker.value(body, request_schema, [])
    return ResolvedMethod(api, method["id"], path_params, converted, body)


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


class _Checker:
    """Walks one request; knows how `api` words its errors."""

    def __init__(self, api: str) -> None:
        self.api = api
        self.schemas: JSON = discovery(api)["schemas"]
        self.global_params: JSON = discovery(api).get("parameters", {})

    # -- error wording -------------------------------------------------------------------

    def _where(self, path: list[str]) -> str:
        return ".".join(path).replace(".[", "[")

    def unknown_name(self, name: str, where: str) -> ApiError:
        at = f" at '{where}'" if where else ""
        if self.api == "docs":
            return ApiError(
                400, f'Invalid JSON payload received. Unknown name "{name}"{at}: Cannot find field.'
            )
        return ApiError(
            400,
            f'Invalid JSON payload received. Unknown name "{name}"{at}: Cannot find field.',
            "badRequest",
        )

    def invalid_value(self, path: list[str], kind: str, value: Any) -> ApiError:
        where = self._where(path)
        shown = json.dumps(value, ensure_ascii=False)
        if self.api == "docs":
            return ApiError(400, f"Invalid value at '{where}' ({kind}), {shown}")
        return ApiError(400, f"Invalid value for: {where} ({kind}): {shown}", "invalid")

    # -- query ----------------------------------------------------------------------------

    def query(
        self, method: JSON, path_params: dict[str, str], query: dict[str, list[str]]
    ) -> dict[str, Any]:
        declared: JSON = {**self.global_params, **method.get("parameters", {})}
        out: dict[str, Any] = {}
        for name, values in query.items():
            spec = declared.get(name)
            if spec is None or spec.get("location") == "path":
                raise ApiError(
                    400,
                    f'Invalid JSON payload received. Unknown name "{name}": Cannot bind query parameter. '
                    f"Field '{name}' could not be found in request message.",
                    None if self.api == "docs" else "badRequest",
                )
            if len(values) > 1 and not spec.get("repeated"):
                raise ApiError(
                    400,
                    f"Parameter {name} may only be given once.",
                    None if self.api == "docs" else "invalidParameter",
                )
            converted = [self._param(name, spec, v) for v in values]
            out[name] = converted if spec.get("repeated") else converted[0]
        for name, spec in method.get("parameters", {}).items():
            if not spec.get("required"):
                continue
            present = path_params.get(name) if spec.get("location") == "path" else out.get(name)
            if present in (None, "", []):
                raise ApiError(
                    400, f"Required parameter: {name}", None if self.api == "docs" else "required"
                )
        return out

    def _param(self, name: str, spec: JSON, raw: str) -> Any:
        kind = spec.get("type", "string")

        def bad(why: str) -> ApiError:
            if self.api == "docs":
                return ApiError(400, f"Invalid value at '{_snake(name)}' ({why}), \"{raw}\"")
            return ApiError(400, f"Invalid value '{raw}' for parameter {name}: {why}", "invalid")

        if "enum" in spec and raw not in spec["enum"]:
            allowed = "|".join(spec["enum"])
            raise bad(f"must be one of {allowed}") if self.api != "docs" else bad("TYPE_ENUM")
        if kind == "boolean":
            if raw not in ("true", "false"):
                raise bad("TYPE_BOOL")
            return raw == "true"
        if kind == "integer":
            try:
                number = int(raw)
            except ValueError:
                raise bad("TYPE_INT32") from None
            if "minimum" in spec and number < int(spec["minimum"]):
                raise bad(f"must be at least {spec['minimum']}")
            if "maximum" in spec and number > int(spec["maximum"]):
                raise bad(f"must be at most {spec['maximum']}")
            return number
        if kind == "number":
            try:
                return float(raw)
            except ValueError:
                raise bad("TYPE_DOUBLE") from None
        return raw

    # -- body -----------------------------------------------------------------------------

    def value(self, value: Any, schema: JSON, path: list[str]) -> None:
        if "$ref" in schema:
            self.value(value, self.schemas[schema["$ref"]], path)
            return
        kind = schema.get("type")
        fmt = schema.get("format")
        if value is None:
            return  # JSON null means "unset" to Google's parsers
        if kind == "object" or (kind is None and ("properties" in schema)):
            self._object(value, schema, path)
        elif kind == "array":
            if not isinstance(value, list):
                raise self.invalid_value(path, "TYPE_ARRAY", value)
            for i, item in enumerate(value):
                self.value(
                    item,
                    schema.get("items", {}),
                    [*path[:-1], f"{path[-1]}[{i}]"] if path else [f"[{i}]"],
                )
        elif kind == "string":
            self._string(value, schema, path, fmt)
        elif kind == "integer":
            if isinstance(value, bool) or not _is_integral(value):
                raise self.invalid_value(path, "TYPE_INT32", value)
        elif kind == "number":
            if isinstance(value, bool) or not _is_number(value):
                raise self.invalid_value(path, "TYPE_DOUBLE", value)
        elif kind == "boolean" and not isinstance(value, bool):
            raise self.invalid_value(path, "TYPE_BOOL", value)
        # "any" and untyped: anything goes.

    def _string(self, value: Any, schema: JSON, path: list[str], fmt: str | None) -> None:
        if fmt in ("int64", "uint64"):
            # Proto3 JSON: 64-bit integers travel as strings, numbers are accepted too.
            if isinstance(value, bool) or not _is_integral(value):
                raise self.invalid_value(path, "TYPE_INT64", value)
            return
        if not isinstance(value, str):
            raise self.invalid_value(path, "TYPE_STRING", value)
        if "enum" in schema and value not in schema["enum"]:
            raise self.invalid_value(path, "TYPE_ENUM", value)

    def _object(self, value: Any, schema: JSON, path: list[str]) -> None:
        if not isinstance(value, dict):
            raise self.invalid_value(path, "TYPE_MESSAGE", value)
        props: JSON = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for key, item in value.items():
            if key in props:
                self.value(item, props[key], [*path, self._name(key)])
            elif extra is not None:
                self.value(item, extra, [*path, self._name(key)])
            else:
                raise self.unknown_name(key, self._where(path))

    def _name(self, key: str) -> str:
        # Proto-backed Docs reports field paths in snake_case; v3 APIs in their JSON names.
        return _snake(key) if self.api == "docs" else key


def _is_integral(value: Any) -> bool:
    if isinstance(value, int):
        return True
    if isinstance(value, float):
        return value.is_integer()
    if isinstance(value, str):
        return re.fullmatch(r"-?\d+", value) is not None
    return False


def _is_number(value: Any) -> bool:
    if isinstance(value, int | float):
        return True
    if isinstance(value, str):
        try:
            float(value)
        except ValueError:
            return False
        return True
    return False
