"""The OpenAPI 3.1 document of /api/v1, built from declarations that sit next to each view.

Adding an endpoint
------------------
1. Write the view on ``bp`` (``credgroup/api/views.py``), thin as usual.
2. Declare it with :func:`operation`, directly under the route decorator::

       @bp.get("/groups/<slug>/meetings")
       @operation(
           summary="Meetings of a group",
           tags=["meetings"],
           response=page_of("Meeting"),          # or ref("Meeting") for one object
           example=page_example(MEETING_EXAMPLE),
           paginated=True,                       # adds ?page= & ?per_page= and a 422
       )
       def group_meetings(slug: str): ...

   Write endpoints also pass ``body=ref("NewMeeting")`` and ``body_example=...``; they
   get the 400/415/422 responses automatically. ``status=201`` for creations.
3. New shapes go into ``SCHEMAS`` in ``credgroup/api/schemas.py``; refer to them with
   ``ref("Name")``.
4. Path parameters are taken from the URL rule; describe new ones in ``PATH_PARAMETERS``
   below (or pass ``path_params={"name": "description"}``).

Every operation gets 401 unless its view is marked ``@public`` (then ``security: []``),
404 when it has path parameters, and 500. ``tests/api/test_openapi.py`` fails when a rule
under /api/v1 is not declared, so the document cannot fall behind the code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import Flask

from credgroup.api.errors import CODES
from credgroup.api.schemas import SCHEMAS, error_example

F = TypeVar("F", bound=Callable[..., object])

API_PREFIX = "/api/v1"
OPENAPI_VERSION = "3.1.0"
JSON = "application/json"

PATH_PARAMETERS = {
    "slug": "The group's slug, as listed by GET /groups.",
}

ERROR_RESPONSES = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    409: "Conflict",
    415: "UnsupportedMediaType",
    422: "ValidationError",
    429: "TooManyRequests",
    500: "InternalError",
}

ERROR_DESCRIPTIONS = {
    400: "The request could not be understood (for example malformed JSON).",
    401: "No API token, a malformed Authorization header, or a revoked or unknown token.",
    403: "You may see this but not do this.",
    404: "No such thing, or you may not see it (the two are indistinguishable on purpose).",
    409: "That clashes with something that already exists.",
    415: "The body must be JSON sent with Content-Type: application/json.",
    422: "An input is not valid; `field` names it.",
    429: "Too many requests; try again later.",
    500: "Something went wrong on our side; nothing was saved.",
}


def ref(name: str) -> dict[str, str]:
    """A reference to a component schema in ``credgroup/api/schemas.py``."""
    if name not in SCHEMAS:
        raise KeyError(f"No schema named {name!r} in credgroup/api/schemas.py")
    return {"$ref": f"#/components/schemas/{name}"}


def page_of(name: str) -> dict[str, Any]:
    """The schema of a page envelope whose items are ``name`` (see api/pagination.py)."""
    integer = {"type": "integer", "minimum": 0}
    return {
        "type": "object",
        "title": f"Page of {name}",
        "required": ["items", "page", "per_page", "total", "pages", "links"],
        "properties": {
            "items": {"type": "array", "items": ref(name)},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1},
            "total": integer,
            "pages": integer,
            "links": ref("PageLinks"),
        },
    }


def page_example(item: Mapping[str, Any], path: str = "/groups") -> dict[str, Any]:
    """An example page envelope holding one ``item``."""
    base = f"https://credgroup.example{API_PREFIX}{path}"
    return {
        "items": [dict(item)],
        "page": 1,
        "per_page": 50,
        "total": 1,
        "pages": 1,
        "links": {"self": f"{base}?page=1&per_page=50", "next": None, "prev": None},
    }


@dataclass(frozen=True)
class Operation:
    """What the document says about one method of one endpoint."""

    summary: str
    response: Mapping[str, Any]
    example: Any
    description: str = ""
    tags: tuple[str, ...] = ()
    status: int = 200
    response_description: str = "OK"
    paginated: bool = False
    params: tuple[Mapping[str, Any], ...] = ()
    path_params: Mapping[str, str] = field(default_factory=dict)
    body: Mapping[str, Any] | None = None
    body_example: Any = None
    errors: tuple[int, ...] = ()
    # The success response's media type (e.g. text/calendar for a meeting's .ics).
    media_type: str = JSON


def operation(*, method: str | None = None, **spec: Any) -> Callable[[F], F]:
    """Declare a view's OpenAPI operation. ``method`` is needed only when one view
    serves several methods; ``spec`` holds the :class:`Operation` fields."""
    for key in ("tags", "params", "errors"):
        if key in spec:
            spec[key] = tuple(spec[key])
    declared = Operation(**spec)

    def decorate(view: F) -> F:
        operations = dict(getattr(view, "openapi_operations", {}))
        operations[method.upper() if method else None] = declared
        view.openapi_operations = operations  # type: ignore[attr-defined]
        return view

    return decorate


def query_param(name: str, description: str, schema: Mapping[str, Any]) -> dict[str, Any]:
    """An optional query-string parameter, for ``operation(params=[...])``."""
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": dict(schema),
    }


# --- building the document -------------------------------------------------------------


def api_rules(app: Flask) -> list[Any]:
    """Every URL rule of the API, in a stable order."""
    return sorted(
        (rule for rule in app.url_map.iter_rules() if rule.rule.startswith(API_PREFIX + "/")),
        key=lambda rule: rule.rule,
    )


def documented_methods(rule: Any) -> list[str]:
    return sorted(set(rule.methods or ()) - {"HEAD", "OPTIONS"})


def openapi_path(rule: Any) -> str:
    """``/api/v1/groups/<slug>`` -> ``/groups/{slug}`` (paths are relative to the server)."""
    path = rule.rule[len(API_PREFIX) :]
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", path)


def undocumented(app: Flask) -> list[str]:
    """``METHOD /path`` of every API rule that has no :func:`operation` declaration."""
    missing = []
    for rule in api_rules(app):
        for method in documented_methods(rule):
            if _declared(app, rule, method) is None:
                missing.append(f"{method} {rule.rule}")
    return missing


def _declared(app: Flask, rule: Any, method: str) -> Operation | None:
    operations = getattr(app.view_functions.get(rule.endpoint), "openapi_operations", {})
    return operations.get(method) or operations.get(None)


def build_document(app: Flask) -> dict[str, Any]:
    """The whole OpenAPI document for this app."""
    paths: dict[str, dict[str, Any]] = {}
    for rule in api_rules(app):
        view = app.view_functions[rule.endpoint]
        for method in documented_methods(rule):
            declared = _declared(app, rule, method)
            if declared is None:
                continue  # reported by undocumented(); the test suite fails on it
            public = bool(getattr(view, "api_public", False))
            paths.setdefault(openapi_path(rule), {})[method.lower()] = _operation_object(
                declared, rule, method, public=public
            )
    return {
        "openapi": OPENAPI_VERSION,
        "info": _info(),
        "servers": [{"url": API_PREFIX, "description": "This deployment"}],
        "security": [{"bearerAuth": []}],
        "tags": _tags(paths.values()),
        "paths": paths,
        "components": _components(app),
    }


def _info() -> dict[str, Any]:
    return {
        "title": "credgroup API",
        "version": "1.0.0",
        "description": (
            "Read your credit groups as JSON. Authenticate with a personal API token from "
            "your profile page: `Authorization: Bearer <token>` (cookies are not accepted). "
            'Errors are `{"error": {"code", "message", "field"?}}` with stable codes. '
            "Lists are paginated with `?page=` and `?per_page=`. Groups you may not see "
            "answer 404, exactly like groups that do not exist."
        ),
    }


def _tags(operations: Iterable[dict[str, Any]]) -> list[dict[str, str]]:
    names = {tag for path in operations for op in path.values() for tag in op.get("tags", ())}
    return [{"name": name} for name in sorted(names)]


def _operation_object(
    declared: Operation, rule: Any, method: str, *, public: bool
) -> dict[str, Any]:
    path_names = list(rule.arguments)
    result: dict[str, Any] = {
        "operationId": _operation_id(rule.endpoint, method),
        "summary": declared.summary,
        "tags": list(declared.tags),
        "parameters": _parameters(declared, path_names),
        "responses": _responses(declared, public=public, has_path_params=bool(path_names)),
    }
    if declared.description:
        result["description"] = declared.description
    if public:
        result["security"] = []
    if declared.body is not None:
        result["requestBody"] = {
            "required": True,
            "content": {JSON: {"schema": dict(declared.body), "example": declared.body_example}},
        }
    return result


def _operation_id(endpoint: str, method: str) -> str:
    name = endpoint.split(".", 1)[-1]
    return name if method == "GET" else f"{name}_{method.lower()}"


def _parameters(declared: Operation, path_names: list[str]) -> list[dict[str, Any]]:
    params: list[dict[str, Any]] = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "description": declared.path_params.get(name) or PATH_PARAMETERS.get(name, name),
            "schema": {"type": "string"},
        }
        for name in sorted(path_names)
    ]
    if declared.paginated:
        params += [
            {"$ref": "#/components/parameters/Page"},
            {"$ref": "#/components/parameters/PerPage"},
        ]
    return params + [dict(param) for param in declared.params]


def _responses(declared: Operation, *, public: bool, has_path_params: bool) -> dict[str, Any]:
    responses: dict[str, Any] = {
        str(declared.status): {
            "description": declared.response_description,
            "content": {
                declared.media_type: {
                    "schema": dict(declared.response),
                    "example": declared.example,
                }
            },
        }
    }
    errors = set(declared.errors) | {500}
    if not public:
        errors.add(401)
    if has_path_params:
        errors.add(404)
    if declared.paginated or declared.params:
        errors.add(422)
    if declared.body is not None:
        errors |= {400, 415, 422}
    for status in sorted(errors):
        responses[str(status)] = {"$ref": f"#/components/responses/{ERROR_RESPONSES[status]}"}
    return responses


def _components(app: Flask) -> dict[str, Any]:
    max_size = int(app.config["API_MAX_PAGE_SIZE"])
    default_size = min(int(app.config["API_PAGE_SIZE"]), max_size)
    return {
        "securitySchemes": {
            "bearerAuth": {
                "type": "http",
                "scheme": "bearer",
                "description": "A personal API token, created on your profile page and "
                "shown once. Revoking it there stops it at once.",
            }
        },
        "schemas": SCHEMAS,
        "parameters": {
            "Page": query_param(
                "page", "Page number, from 1.", {"type": "integer", "minimum": 1, "default": 1}
            ),
            "PerPage": query_param(
                "per_page",
                f"Items per page, at most {max_size}.",
                {"type": "integer", "minimum": 1, "maximum": max_size, "default": default_size},
            ),
        },
        "responses": {name: _error_response(status) for status, name in ERROR_RESPONSES.items()},
    }


def _error_response(status: int) -> dict[str, Any]:
    return {
        "description": ERROR_DESCRIPTIONS[status],
        "content": {
            JSON: {
                "schema": {"$ref": "#/components/schemas/Error"},
                "example": error_example(status, CODES[status]),
            }
        },
    }
