"""Default meeting statements. Facilitators edit their group's copy; these are the starting text.

Wording follows the common shape of trade credit associations' published statements: only
past facts, no prices or terms, no boycotts, no opinions on a customer, nothing leaves the
credit department.
"""

ANTITRUST = (
    "This group exchanges only historical, factual information about completed transactions "
    "and customers' invoicing portals. We do not discuss prices, costs, margins, credit terms "
    "beyond what explains an aging line, or any company's future intentions. We make no "
    "agreement, express or implied, to deal or not to deal with any customer, supplier or "
    "portal. Each member company decides independently. If a discussion strays into these "
    "topics, any participant may stop it and the facilitator will end it."
)

ANTI_DEFAMATION = (
    "State facts, not opinions. Do not describe any person or company as dishonest, "
    "fraudulent, unreliable or the like. Report what happened, when and how, and nothing more."
)

CONFIDENTIALITY = (
    "What is shared in this group stays in the credit department of each member company. "
    "It is not passed to sales staff, customers, portal vendors or anyone outside the group, "
    "and no one may try to find out which member company reported what."
)
