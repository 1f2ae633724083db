"""Words a seller uses for the same thing a persona's topic names in other words: "crew"
for staffing, "breakdowns" for downtime, "set you back" for cost.

An author lists a topic's words as they think of them; sellers say it their own way. These
groups are general business English, not any one buyer's world, so a topic written for a
new persona is raised by the words sellers commonly use for it. A word related to a
topic's words counts for less than the topic's own words (``heard.RELATED``).
"""

from __future__ import annotations

GROUPS_TEXT = """
cost costs spend spending spent money dollars expense expensive pay paying paid bill billing
  price pricing afford fee fees
budget budgets funding fund funds capital investment invest allocation
staff staffing crew crews labour labor headcount workforce shift shifts overtime hire hiring
  people employees workers
breakdown breakdowns downtime failure failures outage outages stoppage stop stops down
  unplanned broken
schedule scheduling slot slots appointment appointments booking bookings calendar timing
customer customers client clients shopper shoppers member members patient patients account
  accounts
decide decision decisions approve approval approvals sign-off signoff board committee
  sign
measure measured metric metrics kpi kpis target targets goal goals number numbers scorecard
tool tools system systems software platform app apps vendor vendors product products
  solution solutions
problem problems issue issues pain headache trouble challenge challenges
worry worries worried concern concerned fear fears risk risks nervous afraid
email emails campaign campaigns newsletter newsletters send sends list subscriber subscribers
delay delays late lateness wait waiting queue queued backlog held holdup
growth grow growing revenue sales margin margins profit profitability
train training trained onboarding onboard ramp new-hire new-hires learning
leak leaks loss losses lost waste wasted
audit audits inspection inspections inspector compliance regulator regulators regulatory
contract contracts renewal renew renewing terms agreement
competitor competitors alternative alternatives options option other vendors
report reports reporting dashboard dashboards visibility data
safety safe accident accidents incident incidents injury fatigue
quality defect defects error errors mistake mistakes rework
"""
"""Each group on one line (a line starting with spaces continues the one above)."""


def _groups() -> list[frozenset[str]]:
    groups: list[list[str]] = []
    for line in GROUPS_TEXT.splitlines():
        if not line.strip():
            continue
        if line.startswith(" ") and groups:
            groups[-1] += line.split()
        else:
            groups.append(line.split())
    return [frozenset(g) for g in groups]


GROUPS = _groups()
