"""The portals the catalogue starts with (facts from shared/domain/portal_facts.md).

Data, not code: the seed command and the demo data read this list; admins maintain the
catalogue in the pages afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PortalSeed:
    slug: str
    name: str
    vendor: str
    aliases: tuple[str, ...] = ()
    website: str = ""
    description: str = ""
    fees_summary: str = ""
    extra: dict = field(default_factory=dict)


SEED_PORTALS: tuple[PortalSeed, ...] = (
    PortalSeed(
        "sap-business-network",
        "SAP Business Network",
        "SAP",
        ("Ariba", "SAP Ariba", "Ariba Network", "Ariba SN", "SAP Business Network (Ariba)"),
        "https://www.sap.com/products/spend-management/business-network.html",
        "SAP's supplier network (formerly Ariba Network). Buyers configure their own rules, "
        "rejection messages and statuses; routing status and invoice status are separate.",
        "Standard accounts are free. Enterprise accounts become chargeable once one buyer "
        "relationship passes both 5 documents and USD 50K in a rolling 12 months: an annual "
        "subscription by document count (Bronze USD 50 to Platinum USD 5,500) plus a "
        "quarterly transaction fee of 0.155% or 0.35% of volume, capped at USD 20,000 per "
        "relationship per year (SAP KB0399773, KB0394021).",
    ),
    PortalSeed(
        "coupa",
        "Coupa",
        "Coupa Software",
        ("Coupa Supplier Portal", "CSP"),
        "https://supplier.coupa.com/",
        "Coupa Supplier Portal: PO flip, actionable notifications, cXML, sFTP flat files, "
        "API. Each customer configures its own instance and extra statuses.",
        "Coupa does not charge suppliers to use the Coupa Supplier Portal (CSP Supplier FAQ).",
    ),
    PortalSeed(
        "tradeshift",
        "Tradeshift",
        "Tradeshift",
        (),
        "https://tradeshift.com/",
        "E-invoicing network; buyers switch on their own dynamic validations.",
        "",
    ),
    PortalSeed(
        "basware",
        "Basware",
        "Basware",
        ("Basware Portal", "Basware Network"),
        "https://www.basware.com/",
        "Basware Portal and PDF-by-email (Scan & Capture) with strict file and email rules; "
        "documents stay visible for 3 months.",
        "",
    ),
    PortalSeed(
        "tungsten-network",
        "Tungsten Network",
        "Tungsten Automation",
        ("Tungsten", "Kofax SupplierExpress", "SupplierExpress", "OB10"),
        "https://www.tungsten-network.com/",
        "E-invoicing network validating invoices against buyer rules before delivery.",
        "Web Form suppliers were reported to get 52 free invoices a year, then a flat fee per "
        "invoice (GBP 1.50 in one UK pricing change); integrated suppliers an annual fee.",
    ),
    PortalSeed(
        "taulia",
        "Taulia",
        "Taulia (SAP)",
        (),
        "https://taulia.com/",
        "Supplier portal for invoice status and early payment; the buyer approves.",
        "No fee to submit; accepted early-payment offers cost a percentage and cannot be reversed.",
    ),
    PortalSeed(
        "openinvoice",
        "OpenInvoice",
        "Enverus",
        ("Oildex", "Open Invoice", "Enverus OpenInvoice"),
        "https://www.enverus.com/",
        "Oil and gas e-invoicing; buyer-sponsored; per-buyer enablement after registration.",
        "Buyers describe it as free for their vendors; an integrated Supplier Link option was "
        "reported at about USD 200 a month.",
    ),
    PortalSeed(
        "jaggaer",
        "Jaggaer",
        "JAGGAER",
        ("Jaggaer One", "SciQuest"),
        "https://www.jaggaer.com/",
        "Procurement suite with a supplier network portal and cXML integration.",
        "",
    ),
    PortalSeed(
        "esker",
        "Esker",
        "Esker",
        ("Esker Supplier Portal",),
        "https://www.esker.com/",
        "Order-to-cash and procure-to-pay platform with a supplier portal.",
        "",
    ),
    PortalSeed(
        "oracle-supplier-portal",
        "Oracle Supplier Portal",
        "Oracle",
        ("Oracle iSupplier", "iSupplier Portal"),
        "https://www.oracle.com/",
        "Oracle's supplier self-service portal, configured by each buying organisation.",
        "",
    ),
    PortalSeed(
        "ivalua",
        "Ivalua",
        "Ivalua",
        (),
        "https://www.ivalua.com/",
        "Source-to-pay suite with a supplier portal.",
        "",
    ),
    PortalSeed(
        "bill-com",
        "BILL",
        "BILL Holdings",
        ("Bill.com",),
        "https://www.bill.com/",
        "Accounts payable network used by smaller buyers.",
        "",
    ),
)
