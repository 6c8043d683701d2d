"""JSON Schemas (OpenAPI components) and examples of what the API returns.

The serialisers in ``credgroup/api/serializers.py`` produce exactly these shapes; the
tests validate real responses and every example against them. Only public ids and slugs
appear: never a database row id, never anything that could tell who wrote what.
"""

from __future__ import annotations

from typing import Any

from credgroup.api.errors import CODES
from credgroup.api.report_schemas import REPORT_SCHEMAS
from credgroup.groups.models import CustomerNaming

ROLES = ["member", "facilitator", "admin"]
ROLES_IN_GROUP = ["member", "facilitator"]


def _string(description: str, **extra: Any) -> dict[str, Any]:
    return {"type": "string", "description": description, **extra}


def _object(properties: dict[str, Any], description: str = "") -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "required": sorted(properties),
        "properties": properties,
    }
    if description:
        schema["description"] = description
    return schema


CUSTOMER_NAMING = _object(
    {
        "key": _string("Stable key.", enum=[policy.value for policy in CustomerNaming]),
        "label": _string("For people."),
    },
    "How far reports in this group may identify the customer (buyer).",
)

GROUP_SUMMARY_PROPERTIES: dict[str, Any] = {
    "slug": _string("Stable identifier used in URLs."),
    "name": _string("The group's name."),
    "industry": _string("The members' industry."),
    "timezone": _string("IANA time zone the group meets in.", examples=["America/Chicago"]),
    "anonymity_threshold": {
        "type": "integer",
        "minimum": 3,
        "description": "Aggregates backed by fewer distinct companies than this are hidden.",
    },
    "customer_naming": {"$ref": "#/components/schemas/CustomerNaming"},
}

NULLABLE_URL = {"type": ["string", "null"], "format": "uri"}

ERROR = _object(
    {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": _string("Stable; branch on this.", examples=sorted(set(CODES.values()))),
                "message": _string("For people; may change."),
                "field": _string("The input at fault (validation errors only)."),
            },
        }
    },
    "Every error response.",
)

SCHEMAS: dict[str, Any] = {
    "Error": ERROR,
    "PageLinks": _object(
        {"self": {"type": "string", "format": "uri"}, "next": NULLABLE_URL, "prev": NULLABLE_URL},
        "Where this page, the next and the previous are (null at the ends).",
    ),
    "CustomerNaming": CUSTOMER_NAMING,
    "GroupRef": _object(
        {
            "slug": _string("The group's slug."),
            "name": _string("The group's name."),
            "role_in_group": _string("What you are in this group.", enum=ROLES_IN_GROUP),
        }
    ),
    "Me": _object(
        {
            "public_id": _string("Your public id."),
            "name": _string("Your name."),
            "email": _string("Your sign-in email.", format="email"),
            "role": _string("What you are in the association.", enum=ROLES),
            "company": {
                "oneOf": [
                    _object({"name": _string("Your company's name.")}),
                    {"type": "null"},
                ],
                "description": "Your member company; null for association staff.",
            },
            "timezone": _string("Your time zone (IANA)."),
            "groups": {"type": "array", "items": {"$ref": "#/components/schemas/GroupRef"}},
        },
        "The person the token belongs to.",
    ),
    "GroupSummary": _object(GROUP_SUMMARY_PROPERTIES, "A credit group you can see."),
    "GroupDetail": _object(
        {
            **GROUP_SUMMARY_PROPERTIES,
            "description": _string("About the group (Markdown)."),
            "role_in_group": _string("What you are in this group.", enum=ROLES_IN_GROUP),
            "statements": _object(
                {
                    "antitrust": _string("Read at the start of every meeting (Markdown)."),
                    "anti_defamation": _string("Read at the start of every meeting (Markdown)."),
                    "confidentiality": _string("Read at the start of every meeting (Markdown)."),
                },
                "The group's meeting statements.",
            ),
        },
        "A credit group with its settings and meeting statements.",
    ),
    "Company": _object(
        {
            "name": _string("The member company's name."),
            "industry": _string("Its industry."),
        },
        "A member company of the group.",
    ),
    **REPORT_SCHEMAS,  # portals, reports, their discussion and review
}

# --- examples --------------------------------------------------------------------------

NAMING_EXAMPLE = {"key": "industry_only", "label": "Customer's industry only"}

GROUP_SUMMARY_EXAMPLE: dict[str, Any] = {
    "slug": "building-materials",
    "name": "Building Materials Credit Group",
    "industry": "Building materials",
    "timezone": "America/Chicago",
    "anonymity_threshold": 5,
    "customer_naming": NAMING_EXAMPLE,
}

GROUP_DETAIL_EXAMPLE: dict[str, Any] = {
    **GROUP_SUMMARY_EXAMPLE,
    "description": "Credit managers of building-material suppliers; meets monthly.",
    "role_in_group": "member",
    "statements": {
        "antitrust": "This group exchanges only historical, factual information...",
        "anti_defamation": "State facts, not opinions...",
        "confidentiality": "What is shared in this group stays in the credit department...",
    },
}

ME_EXAMPLE: dict[str, Any] = {
    "public_id": "Xk3v9QmZp2LwR7tA",
    "name": "Jane Roe",
    "email": "jane@northfield-aggregates.example",
    "role": "member",
    "company": {"name": "Northfield Aggregates"},
    "timezone": "America/Chicago",
    "groups": [
        {
            "slug": "building-materials",
            "name": "Building Materials Credit Group",
            "role_in_group": "member",
        }
    ],
}

COMPANY_EXAMPLE: dict[str, Any] = {"name": "Northfield Aggregates", "industry": "Aggregates"}


def error_example(status: int, code: str) -> dict[str, Any]:
    messages = {
        400: "The request body must be a JSON object.",
        401: "That API token is not valid or has been revoked.",
        403: "You are not allowed to do that.",
        404: "There is nothing at this address, or you do not have access to it.",
        409: "That clashes with something that already exists.",
        415: "Send the request body as JSON with Content-Type: application/json.",
        422: "'per_page' must be between 1 and 200.",
        429: "Too many attempts; try again later.",
        500: "Something went wrong on our side. Nothing was saved; please try again.",
    }
    body: dict[str, Any] = {"code": code, "message": messages.get(status, code)}
    if status == 422:
        body["field"] = "per_page"
    return {"error": body}
