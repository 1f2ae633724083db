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

turnover attrition quit quits quitting resign resigned resignation resignations retention
  retain leaving
recruit recruiting recruitment recruiter vacancy vacancies unfilled openings positions
  applicants candidates hire
shortage shortages understaffed understaffing shorthanded undermanned overstretched
  coverage
morale burnout burnt exhausted exhaustion stress stressed overworked overwhelmed fatigue
wage wages salary salaries payroll compensation raises bonus bonuses
benefit benefits perks pension pensions
absence absences absent absenteeism sick callout callouts noshow
appraisal appraisals evaluation evaluations assessment assessments
skill skills skilled expertise experienced qualified qualification qualifications
  certification certified
union unions unionized unionised bargaining steward stewards strike strikes
temp temps temporary seasonal agency
outsource outsourced outsourcing subcontract subcontractor subcontractors contractor
  contractors freelancer freelancers
timesheet timesheets timecard timecards clock punch attendance
rota rotas roster rosters rostering
retire retiring retirement retirements succession
layoff layoffs redundancy redundancies downsizing restructuring furlough furloughs
boss bosses manager managers supervisor supervisors leadership management superior
owner owners investor investors shareholder shareholders trustee trustees directors
  governors board

forecast forecasts forecasting projection projections predict prediction predictions
  outlook estimate estimates planning
cash cashflow liquidity runway float
invoice invoices invoicing billed receivable receivables billing
overdue arrears unpaid delinquent delinquency collections
savings saving save saved reduce reduction reductions cheaper
payback breakeven justify justified justification worthwhile
hike hikes surcharge surcharges inflation markup
discount discounts rebate rebates markdown markdowns coupon coupons concession
  concessions
reconcile reconciling reconciliation reconciliations ledger ledgers bookkeeping books
loan loans lending lender borrow borrowing credit mortgage mortgages financing
fraud fraudulent scam scams theft stolen chargeback chargebacks
branch branches teller tellers lobby
overrun overruns overspend overspending overbudget blowout
annual annually yearly
grant grants funder funders donor donors donation donations endowment
insurance insurer insurers insured premium premiums underwriting policyholder
  policyholders
reimbursement reimbursements reimburse payer payers
denial denials denied rejected rejection rejections

security breach breaches hack hacked hacker cyber cyberattack ransomware phishing
permission permissions credentials password passwords authentication
backup backups restore recovery disaster
integrate integrated integration integrations connect connects connector sync syncing
  interface interfaces
adoption adopt adopted uptake usage login logins engagement buyin
migrate migrating migration switchover cutover transition
implementation implement implementing rollout deploy deployment install installation
  golive
legacy outdated obsolete aging ageing antiquated dated clunky
server servers hosting hosted cloud datacenter
ticket tickets helpdesk troubleshoot troubleshooting
bug bugs glitch glitches crash crashes crashing freeze freezes
slow slowness lag laggy sluggish latency
automate automated automating automation workflow workflows
duplicate duplicates inaccurate inconsistent messy dirty cleanup cleanse
mobile tablet tablets handheld handhelds smartphone smartphones device devices
license licenses licence licences licensing seat seats subscription subscriptions
customize customise customization customisation custom configure configuration tailor
  tailored
privacy confidential confidentiality sensitive consent
paper paperwork manual manually spreadsheet spreadsheets clipboard binder binders
  handwritten whiteboard
digital digitize digitise digitization digitisation paperless electronic
reminder reminders notification notifications alert alerts
silo silos siloed disconnected fragmented

leads prospect prospects prospecting pipeline enquiry enquiries inquiry inquiries
conversion conversions convert converting signups
commission commissions incentive incentives quota quotas bonus bonuses
marketing advertising advertise advert adverts promotion promotions awareness
reputation reviews ratings rating stars testimonials
website webpage homepage online traffic visitors
quote quotes quoting proposal proposals bid bids bidding tender tenders rfp
territory territories region regions regional district districts
upsell upselling crosssell expand expansion addon addons
loyalty loyal repeat rewards retention
demand surge surges spike spikes peak peaks rush seasonal

complaint complaints complain complaining escalation escalations escalate escalated
  grievance grievances
hold queue waiting wait callback callbacks abandoned abandonment
satisfaction satisfied dissatisfied unhappy survey surveys feedback
calls callers phone phones inbound dialing
turnaround responsiveness response respond responding
resolve resolved resolution resolving
agent agents representative representatives reps advisor advisors associates
portal portals selfservice chatbot chatbots kiosk kiosks
refund refunds refunded return returns exchange exchanges chargeback
warranty warranties guarantee guarantees claim claims
churn churned cancel cancels cancelled canceled cancellation cancellations leaving
  attrition

regulation regulations legislation law laws mandate mandated mandatory statute
fines penalty penalties sanction sanctions citation citations violation violations
  infraction breach
documentation documented records recordkeeping logs logbook evidence
accreditation accredited certification certified permit permits licensed
policy policies procedure procedures protocol protocols guideline guidelines sops
liability liable lawsuit lawsuits litigation sued legal lawyer lawyers attorney
  attorneys

supplier suppliers distributor distributors wholesaler wholesalers sourcing
purchase purchases purchasing procurement requisition requisitions buyer buyers
backorder backorders backordered stockout
negotiate negotiating negotiation negotiations haggle bargain
inventory inventories stock stocked stockout stockouts supplies shelf shelves
expire expired expiry expiring expiration spoil spoiled spoilage writeoff perishable
  perishables
shrink shrinkage pilferage theft shoplifting

maintenance maintain repair repairs servicing upkeep preventive preventative
energy electricity utilities utility heating cooling hvac
building buildings facility facilities premises site sites campus property properties
lease leases leasing rent rental landlord tenancy tenant tenants
cleaning cleaners janitorial custodial hygiene sanitation
equipment machine machines machinery apparatus
fleet vehicle vehicles truck trucks lorry lorries
temperature temperatures refrigeration refrigerated fridge freezer
sustainability sustainable emissions carbon environmental recycling

routing route routes stops runs dispatch dispatching drops
shipping shipment shipments freight cargo consignment consignments parcel parcels
delivery deliveries deliver delivering delivered dropoff drops
tracking tracked trace traceability whereabouts
warehouse warehouses depot depots yard dock docks
driver drivers trucker truckers courier couriers
fuel diesel gasoline petrol mileage
fulfillment fulfilment picking packing dispatch
damage damaged breakage breakages dented crushed
spare spares parts component components replacement

noshow noshows missed skipped
nurse nurses nursing clinician clinicians physician physicians doctor doctors
admission admissions intake enrollment enrolment enrol enroll registration registrations
student students pupil pupils learner learners
teacher teachers faculty instructor instructors educator educators tutor tutors
school schools classroom classrooms district campus
outcome outcomes attainment achievement scores
resident residents citizen citizens constituent constituents taxpayer taxpayers
  ratepayers
council councils councillor councillors councilor councilors officials
caseload caseloads workload workloads backlog

jobsite jobsites worksite worksites site sites
ppe helmet helmets harness harnesses gloves goggles hardhat protective
hazard hazards hazardous danger dangerous unsafe
deadline deadlines milestone milestones completion
timeline timelines timeframe timeframes horizon
communication communicate communicating miscommunication handoff handoffs handover
  handovers

trigger triggered prompted catalyst urgency urgent impetus
priority priorities agenda initiative initiatives roadmap
pilot pilots trial trials demo demos
merger mergers acquisition acquisitions acquired merge merged takeover
location locations store stores outlet outlets branch
productivity productive efficiency efficient output throughput
bottleneck bottlenecks constraint constraints chokepoint
capacity utilization utilisation occupancy headroom
accuracy accurate inaccurate precise precision
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
