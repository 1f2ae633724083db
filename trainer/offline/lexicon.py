"""The words and phrases that mark each kind of seller move.

Each cue is a regular expression over normalised text (lower case, straight quotes).
They describe selling in general; what is specific to a scenario (the product's
vocabulary, the buyer's world, the public research) comes from its YAML.
"""

from __future__ import annotations

import re


def _compile(*patterns: str) -> re.Pattern[str]:
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(patterns) + r")(?![a-z0-9])")


INJECTION = _compile(
    r"ignore (?:all |any |your |the |my )?(?:previous |prior |above |earlier |former )?"
    r"(?:instructions?|prompts?|rules|directions|guidelines)",
    r"disregard (?:all |any |your |the )?(?:previous |prior |above )?\w*",
    r"forget (?:all |your |the )?(?:previous |prior )?(?:instructions|rules|prompt|persona)",
    r"system prompt",
    r"(?<![a-z] )system\s*:",
    r"\[\s*system\s*\]",
    r"</?\s*(?:system|seller|buyer|assistant|user|instructions?|transcript|turn|judge)\s*>",
    r"you are now",
    r"you are (?:an? )?(?:ai|language model|llm|chatbot|assistant)",
    r"as an ai",
    r"(?:large )?language model",
    r"pretend (?:to be|you(?:'re| are))",
    r"act as (?:if|an?|the)",
    r"role ?play as",
    r"(?:the|your|this) (?:assessor|grader|scorer|evaluator|rubric|scoring (?:rules|system|model))",
    r"(?:dear|hey|attention|note to (?:the)?) (?:judge|assessor|grader|evaluator)",
    r"(?:judge|assessor|grader|evaluator)\s*[:,]",
    r"(?:score|rate|grade|mark) (?:this|me|my|the)(?: (?:turn|answer|response|reply|message|seller))?"
    r" (?:a |as )?(?:5|five|10|ten|100|highly|high|perfect|excellent)",
    r"give (?:me|this|this turn|my turn) (?:an? )?(?:5|five|full marks|top (?:score|marks)|a perfect)",
    r"(?:5|five) out of (?:5|five)",
    r"hidden (?:facts?|info(?:rmation)?|secrets?)",
    r"(?:reveal|tell me|show me|print|list|output) (?:your|the|all) "
    r"(?:secrets?|hidden|instructions|prompt|system|facts|persona|rules|config)",
    r"developer mode",
    r"jailbreak",
    r"new instructions?",
    r"override",
    r"end (?:the|this) (?:simulation|roleplay|role play|exercise)",
    r"out of character",
    r"(?<![a-z] )(?:assistant|user)\s*:",
    r"#{3,}",
    r"```",
)

PRESSURE = _compile(
    r"\d+\s?(?:%|percent) (?:off|discount)",
    r"discount(?:ed|s)?",
    r"special (?:offer|pricing|price|deal|rate)",
    r"(?:price|pricing|offer|deal|promotion|promo) (?:goes up|go up|will go up|increases?|expires?|ends?)",
    r"(?:expires?|ends?|valid) (?:on |this |at the end of )?(?:friday|monday|today|tomorrow|the month|the quarter|this week)",
    r"end of (?:the |this |my )?(?:month|quarter|year|week|fiscal)",
    r"(?:quarter|month|year)[- ]end",
    r"(?:this|by|before) (?:friday|the weekend|tomorrow|end of day|eod|close of business)",
    r"(?:sign|signed|signing)(?: (?:the|this|it|today|now|here|on the dotted))",
    r"sign (?:up )?(?:today|now|this week|by)",
    r"signature",
    r"(?:lock|get) (?:the |this |it |your )?(?:[a-z-]+ )?in (?:today|now|this week|before)",
    r"(?:lock|locking) (?:the |this |it |your )?(?:renewal|deal|order|price|contract|rate)",
    r"let'?s (?:just )?(?:get|lock|sign|do|finali[sz]e|wrap) (?:a |the |this |it |that )?"
    r"(?:contract|deal|order|paperwork|renewal|done|signed|in|up)",
    r"(?:can|could|shall) we (?:just )?(?:agree|commit|sign|decide) (?:today|now|this week|to move forward)",
    r"move forward (?:today|now|this week)",
    r"(?:can|could) we get (?:the |this |a |your )?[a-z0-9-]+ (?:order|deal|contract|agreement|po|rollout|sign-?off)",
    r"speak for themselves",
    r"(?:sign|signing|signed) off (?:on )?.{0,40}(?:this week|today|by friday|now)",
    r"anything stopping you",
    r"(?:risk|mistake) you can'?t afford",
    r"(?:would|will) be a (?:huge |big |costly )?mistake",
    r"just accept",
    r"(?:get|introduce) me (?:in front of|to|a meeting with|[a-z0-9-]+ minutes with|time with)",
    r"get in front of",
    r"(?:get|have) (?:it|this|the (?:deal|order|contract|paperwork|po)) (?:signed|done|closed|over the line|through)",
    r"purchase order",
    r"\bpo\b",
    r"(?:just |only )?(?:checking|check) in",
    r"circl(?:e|ing) back",
    r"bump(?:ing)? (?:this|it|my)",
    r"touch(?:ing)? base",
    r"following up on (?:my|our|the) (?:email|message|call|voicemail|proposal|last)",
    r"did you (?:get|see|receive|read) my (?:email|message|note|proposal|voicemail|emails|messages)",
    r"(?:have|did) you (?:had|get) a chance to",
    r"haven'?t heard back",
    r"(?:any|an) update(?:s)? (?:on|for) (?:my|our|the) (?:proposal|quote|email|offer)",
    r"limited[- ]time",
    r"(?:only|just) (?:a few|two|three|\d+) (?:slots|spots|licenses|seats) (?:left|remaining)",
    r"lock (?:in|it in)",
    r"(?:need|needs|want) (?:a|an|your) (?:decision|answer|commitment|yes|signature|order)",
    r"(?:ready|able) to (?:move forward|commit|sign|buy|order|pull the trigger)",
    r"pull the trigger",
    r"(?:my|our) (?:quota|number|numbers|target|manager|boss|vp|forecast)",
    r"close (?:this|the deal|it out|the quarter)",
    r"commit (?:to|today|now|this)",
    r"today only",
    r"every (?:day|week|month) (?:you wait|you delay|that passes)",
    r"(?:get|start) (?:the )?paperwork",
    r"(?:get|keep) (?:things|this|it|the deal) moving",
    r"don'?t miss",
    r"last chance",
    r"before (?:it's|it is) too late",
    r"what (?:would it take|will it take) to (?:get|close|win)",
    r"(?:can|could) (?:we|i) (?:get|book) (?:you|this) (?:on|in|signed|booked)",
)

SELF_TALK = _compile(
    r"(?:our|my) (?:[a-z-]+ )?(?:platform|solution|solutions|product|products|software|tool|tools|system|"
    r"technology|tech|service|services|offering|features?|dashboard|app|suite|module|modules|"
    r"company|team|clients|customers|customer base|engineers|roadmap|pricing|approach|"
    r"methodology|api|integrations?|ai|sensors|algorithm)",
    r"we(?:'re| are) (?:the |a |an )?(?:leading|leader|market leader|best|only|number one|#1|"
    r"trusted|premier|fastest|top|industry|unique)",
    r"we (?:offer|provide|deliver|specialize|specialise|enable|empower|sell|build|make|"
    r"help [a-z-]+ (?:run|cut|reduce|get|improve|manage|fix|stop|save|grow)|"
    r"help companies|help teams|help organizations|help organisations|help businesses|"
    r"integrate|have a|have an|have the|also have|can offer|"
    r"can provide|can help you|can save|can cut|can reduce|guarantee|can give|can show you|"
    r"can set you up|can get you)",
    r"i(?:'m| am) (?:calling|reaching out|writing) (?:from|on behalf of)",
    r"i (?:represent|work for|work at)",
    r"(?:let me|i'?d love to|i want to|i'?d like to|allow me to) (?:show|tell|walk you through|"
    r"demo|present|share (?:our|what we|how we|a few of our))",
    r"(?:a|our|the) (?:quick |short |free )?demo",
    r"demo (?:the|our|it|you|this)",
    r"(?:share|tell you about|show you|walk you through) (?:some |a few |the |our |all the )?"
    r"(?:exciting |new |latest |big )?(?:updates?|news|features?|improvements?|enhancements?)",
    r"(?:excited|happy|thrilled|glad|delighted) to (?:show|share|walk you through|tell you|"
    r"present|demo|announce)",
    r"walk you through (?:everything|what'?s new|our|the new|the latest)",
    r"what'?s new (?:in|with)",
    r"exciting (?:updates?|news|features?|release|things)",
    r"(?:our|the|an|my) (?:overview |intro |sales |product )?(?:deck|brochure|one-pager|datasheet|"
    r"pricing tiers|price list)",
    r"built (?:for|to|specifically)",
    r"(?:tell|told|show|showed) you (?:a little |a bit |more |all )?about (?:how (?:it|we|this)|"
    r"what (?:we|it)|our|us|the product|it|what this)",
    r"free trial",
    r"(?:trusted|used|loved|chosen) by",
    r"(?:fortune|inc\.?) \d+",
    r"case stud(?:y|ies)",
    r"you can (?:export|see|pull|track|book|set up|connect|automate|flag|predict|search|"
    r"match|plug|integrate|roll out|switch on|turn on)",
    r"(?:industry[- ]leading|best[- ]in[- ]class|cutting[- ]edge|world[- ]class|state[- ]of[- ]the[- ]art|"
    r"revolutionary|award[- ]winning|seamless|seamlessly|all[- ]in[- ]one|end[- ]to[- ]end|"
    r"ai[- ]powered|next[- ]gen(?:eration)?|game[- ]chang(?:er|ing)|robust|powerful|innovative|"
    r"unique insights?|proprietary|turnkey|plug[- ]and[- ]play|single pane of glass)",
    r"roi",
    r"features? (?:like|such as|include)",
    r"(?:new|latest|key|main|couple of|few|great|cool) features?",
    r"(?:latest|new|recent) (?:release|version|update)",
    r"(?:show|demo|walk (?:you )?through) (?:you )?how (?:the|our|it|this|we)",
    r"(?:it|which) (?:comes with|includes|offers|integrates|lets you|allows you|gives you)",
)

LEADING = _compile(
    r"wouldn'?t you (?:agree|say|like|want)",
    r"don'?t you (?:think|agree|want)",
    r"isn'?t it (?:true|time)",
    r"wouldn'?t (?:it|that) be",
    r"(?:would|are) you (?:be )?(?:interested|open) (?:in|to) (?:a |our |seeing|hearing|learning|"
    r"trying|a demo|a call|a meeting|a quick)",
    r"if i (?:could|can) show you",
    r"what if i (?:told|showed) you",
    r"(?:how|what) would you (?:say|feel) if (?:i|we) (?:could|told|showed)",
    r"who (?:wouldn'?t|doesn'?t) want",
    r"can i (?:show|send) you (?:a|our|how)",
    r"would (?:it|that) (?:not )?be (?:great|amazing|nice) (?:if|to)",
)

DISCOVERY_OPENERS = _compile(
    r"what(?:'s| is| are| does| do| did| would| happens| made| prompted| led| drives| "
    r"changed| kind| sort| part| worries| matters| gets)?",
    r"how(?:'s| is| are| do| does| did| would| much| many| often| long| are)?",
    r"why(?: is| do| does| did| not)?",
    r"where(?: do| does| is| are)?",
    r"when (?:do|does|did|is|are|you)",
    r"which",
    r"who(?:'s| is| else| owns| decides| are| would| on| has| handles| covers| looks)",
    r"hows",
    r"whats",
    r"give me your (?:honest )?(?:reaction|take|view|read)",
    r"tell me (?:about|how|what|why|where|more|a bit)",
    r"walk me through",
    r"help me understand",
    r"(?:i'?m|i am) curious",
    r"curious (?:how|what|whether|if|about|why)",
    r"i'?d (?:love|like) to (?:understand|hear|learn|know)",
    r"(?:can|could|would) you (?:tell|walk|share|describe|explain|say|help me|give me a sense)",
    r"(?:do|did|does|have|has|is|are|was|were) (?:you|your|the|they|that|it|anyone|any)",
    r"what'?s (?:driving|behind|changed|the|your)",
)

GENERIC_QUALIFICATION = _compile(
    r"(?:what'?s|what is|do you have) (?:a |the |your )?budget",
    r"budget (?:for|allocated|set aside)",
    r"(?:who(?:'s| is)? the|are you the) (?:decision[- ]maker|final decision|person who decides|budget holder)",
    r"decision[- ]maker",
    r"(?:what'?s|what is) (?:your|the) (?:timeline|timeframe|time frame)",
    r"keeps? you up at night",
    r"(?:biggest|main|top) (?:[a-z]+ )?(?:pain points?|challenges?|priorities|goals)",
    r"(?:what'?s|what is) (?:your|the) (?:timeline|time frame|timeframe) (?:for|on|to)",
    r"timeline for (?:making )?(?:a |the |your )?decision",
    r"budget (?:looking|still|for this|like)",
    r"(?:is|was) (?:the|there) budget",
    r"how'?s everything",
    r"how are things (?:going )?with",
    r"pain points?",
    r"what (?:are|is) your (?:challenges|goals|priorities)(?: this year)?\s*\?",
    r"any (?:challenges|issues|problems)\s*\?",
    r"how(?:'s| is) business",
)

IMPACT = _compile(
    r"cost(?:s|ing)? (?:you|your|the business|them)",
    r"impact",
    r"what (?:happens|would happen|does it mean|would it mean) (?:when|if|for)",
    r"what does (?:that|it|this) (?:cost|mean|do)",
    r"(?:knock-on|downstream) effect",
    r"(?:root )?cause",
    r"why (?:do|does|did|is)",
    r"trying to (?:achieve|fix|solve|do|get)",
    r"(?:what|how) would (?:success|good|better|a win) look",
    r"measured on",
    r"what (?:have you|did you) (?:tried|try)",
    r"(?:tried|try) before",
    r"(?:what'?s|what is) changed",
    r"what changed",
    r"priorit(?:y|ies)",
    r"goals?",
)

INSIGHT = _compile(
    r"we(?:'ve| have)? (?:seen|found|noticed|learned|measured|analy[sz]ed)",
    r"we(?:'re| are) seeing",
    r"we see",
    r"(?:i've|i have) (?:seen|found|noticed)",
    r"(?:in|from) (?:our|my) (?:work|experience|data|research|analysis|benchmark)",
    r"(?:research|data|studies|a study|surveys?|benchmarks?|analysis) (?:shows?|suggests?|from|"
    r"found|finds|puts|says)",
    r"benchmark",
    r"on average",
    r"typically",
    r"(?:the )?(?:most|many|a lot of) (?:companies|teams|firms|operators|organi[sz]ations|"
    r"warehouses|plants|retailers|clinics|hospitals|groups|support teams|manufacturers|"
    r"law firms|brands|directors|cfos|leaders)",
    r"(?:companies|teams|firms|operators|organi[sz]ations|warehouses|plants|retailers|clinics|"
    r"practices|groups|manufacturers|brands|sites|businesses|people) (?:like yours|your size|"
    r"in your (?:position|space|industry|sector))",
    r"(?:the )?pattern",
    r"counter-?intuitive(?:ly)?",
    r"it turns out",
    r"(?:the )?(?:real|hidden|biggest|true) (?:cost|driver|cause|problem|issue|lever)",
    r"one thing (?:we|i|that)",
    r"(?:what|something) (?:surprised|surprises) (?:us|me|people)",
    r"tend to",
    r"usually",
    r"we (?:usually|typically|often|generally|consistently) (?:see|find|hear)",
    r"what we(?:'re| are) hearing",
    r"(?:in|across|among|from) (?:the )?(?:[a-z-]+ ){0,3}(?:we|i) (?:work with|talk to|speak with|"
    r"look at|support|see)",
    r"^when [a-z0-9 ,/'-]{5,80}, (?:the|most|they|you|it|denials|teams|usage|committees)",
    r"isn'?t (?:usually|the) .{0,30}(?:it'?s|but)",
    r"rather than",
    r"instead of",
    r"the (?:ones|teams|sites|companies|firms|plants) (?:that|who) (?:fixed|solved|cut|got|did)",
    r"(?:compared|relative) (?:to|with)",
    r"(?:doubles?|triples?|halves|drops?|rises?|falls?) (?:on|when|in|by|after)",
)

NUMBER = re.compile(
    r"(?<![a-z])(?:\$\s?\d[\d,.]*\s?(?:k|m|million|thousand|bn)?|\d[\d,.]*\s?(?:%|percent|x\b|"
    r"hours?|minutes?|days?|weeks?|months?|years?|times|trucks|pallets|claims|tickets|agents|"
    r"points|in \d+))"
)

AGENDA_PERMISSION = _compile(
    r"(?:do|would) you have (?:a |two |a couple of |a few |five |5 |ten |10 |30 |thirty )?"
    r"(?:minutes?|moments?|mins?|secs?|seconds?)",
    r"is (?:now|this) a (?:bad|good|ok|okay|terrible) time",
    r"(?:is it|would it be|would you be) (?:ok|okay|alright|all right|fine) (?:if|to|with)",
    r"(?:mind|okay|ok) if i",
    r"may i",
    r"(?:can|could) i (?:have|take|ask|borrow|get) (?:[a-z0-9]+ ){0,2}"
    r"(?:minutes?|moments?|seconds?|question|quick question)",
    r"(?:say|tell you|explain) why i(?:'m| am)? (?:called|calling|reached out|rang)",
    r"respect(?:ing)? your time",
    r"i(?:'ll| will) (?:be brief|keep (?:it|this) (?:as )?(?:short|brief|quick))",
    r"keep (?:to|within) your (?:[a-z0-9-]+ )?minutes",
    r"(?:i'?d like to|let'?s|can we|could we|let me) (?:use|spend|focus) (?:these|the|this|our|the next|"
    r"our) (?:[a-z0-9-]+ )?(?:minutes|time|call|meeting)",
    r"(?:we'?re|we are) (?:at|about|nearly|almost) .{0,25}minutes",
    r"take something off the table",
    r"(?:the )?(?:reason|purpose) (?:i'?m calling|for (?:my|the|this) (?:call|email|meeting)|"
    r"of (?:my|the|this) (?:call|email|meeting))",
    r"(?:i'?m|i am) calling (?:because|about|since)",
    r"agenda",
    r"(?:in|with) the time (?:we have|left|remaining)",
    r"how (?:much|long) time do (?:you|we) have",
    r"(?:hang up|tell me to go away|say no) (?:if|and)",
    r"if (?:this|it) (?:isn'?t|is not|doesn'?t) (?:useful|relevant|a fit|helpful)",
    r"thanks? (?:you )?for (?:taking|picking up|making time|your time|joining)",
    r"before we (?:start|begin|wrap|finish|go)",
    r"what would (?:you|make this) (?:like to|want to|need to) (?:get out of|cover|a good use)",
    r"good use of (?:your|our) time",
    r"worth your time",
    r"(?:in|for|with) the (?:next |remaining )?[a-z0-9-]+ minutes",
)

AGENDA_SUMMARY = _compile(
    r"(?:so |to |let me )?check i(?:'ve| have)? (?:got|understood|have) (?:it|that|this|your|the)",
    r"if i(?:'ve| have)? got (?:it|that|this)",
    r"play (?:that|it|this) back",
    r"(?:let me|to|so to|can i|if i can|let me just) (?:recap|summari[sz]e|play (?:that|it) back|"
    r"make sure i (?:understood|understand|heard|got))",
    r"so what i'?m hearing",
    r"if i heard you (?:right|correctly)",
    r"(?:it )?sounds like",
    r"what i heard",
    r"in (?:short|summary)",
    r"so (?:the|your) (?:main|big|real|key) (?:issue|problem|priority|concern)",
    r"did i (?:get|understand) that right",
    r"make sure i(?:'ve| have)? (?:got|understood|heard) (?:this|that|it|you) (?:right|correctly)",
    r"did i miss anything",
    r"(?:have|did) i (?:missed|miss) (?:anything|something)",
    r"have i got (?:that|this) right",
)

AGENDA_NEXT_STEP = _compile(
    r"next step",
    r"(?:would|does|will) it (?:make sense|help|be useful|be worth|be easier|be better)",
    r"would (?:a|an|it) .{0,50}be (?:useful|helpful|worth)",
    r"(?:shall|should) (?:we|i)",
    r"what if (?:we|i) (?:set|book|schedule|met|meet|ran|run|came|come|sent|send|pulled|brought)",
    r"(?:came|come) back (?:to you )?(?:after|in|next|when|on|with)",
    r"(?:set up|book|schedule|get|find) (?:a |an )?(?:half an hour|hour|[a-z0-9-]+ minutes)",
    r"(?:set|book|schedule) (?:up )?(?:a|an) (?:[a-z0-9-]+ )?(?:review|call|meeting|session|check-in)",
    r"how about (?:we|i)",
    r"(?:would|could) (?:it|that) help if",
    r"i(?:'ll| will| can| could) (?:send|share|bring|put together|pull together|follow up with|"
    r"prepare|write up|get you)",
    r"(?:set up|schedule|book|find|put in) (?:a|some|another|our|the) (?:time|call|meeting|"
    r"session|slot|follow-up|working session|review)",
    r"follow[- ]up (?:call|meeting|session)",
    r"(?:15|20|30|45|fifteen|twenty|thirty|forty-five) minutes (?:next|on|this|with|to)",
    r"(?:next|this coming) (?:week|monday|tuesday|wednesday|thursday|friday)",
    r"calendar invite",
    r"(?:propose|suggest) (?:we|that we|a)",
    r"(?:worth|useful) (?:a|another) (?:conversation|call|look)",
    r"(?:with|bring|include|loop in|involve) (?:your|the) (?:team|cfo|supervisors|manager|"
    r"colleagues|it team|partners|head of)",
    r"what would be (?:most )?(?:useful|helpful) (?:as a next|for you|next)",
)

COURTESY = _compile(
    r"no pressure",
    r"not (?:asking|going to ask|here to ask|trying to) (?:you )?(?:to |for )?(?:sign|buy|commit|an order|a decision|sell)",
    r"not to sell",
    r"(?:that'?s|it'?s) (?:completely |totally )?fine",
    r"(?:when|whenever|if) (?:it|that) (?:suits|works for) you",
    r"your (?:call|decision|timing|timeline)",
    r"(?:only|just) if (?:it'?s|it is) (?:useful|helpful|relevant)",
    r"(?:happy|fine|okay|ok) (?:either way|if not|to wait)",
    r"no (?:rush|hurry)",
    r"on your (?:timeline|terms|schedule)",
    r"if (?:it|this|that) (?:isn'?t|is not|wasn'?t) (?:relevant|useful|helpful|a fit)",
    r"(?:you )?tell me if (?:it'?s|it is|this is) worth",
    r"we stop there",
)

FLATTERY = _compile(
    r"(?:love|loving|admire|big fan of) (?:what|how|your|the work)",
    r"(?:huge|big) fan",
    r"(?:great|amazing|awesome|impressive|fantastic|incredible) (?:company|work|job|brand|team|"
    r"profile|career|post|article|question)",
    r"you(?:'re| are) (?:clearly |obviously |such )?(?:a |an )?(?:visionary|leader|genius|"
    r"rockstar|rock star|legend|expert|thought leader)",
    r"so impressive",
)

SMALL_TALK = _compile(
    r"weather",
    r"(?:the |your )?weekend",
    r"how are (?:you|things)(?: doing)?(?: today)?",
    r"how'?s (?:it going|your day|your week|things)",
    r"(?:did you )?(?:see|watch|catch) the (?:[a-z]+ )?(?:game|match)",
    r"how (?:was|were) (?:your|the) (?:weekend|holiday|trip|vacation|week)",
    r"how'?s your (?:week|day|weekend|morning|afternoon)(?: going)?",
    r"what a (?:summer|week|winter|day|year|spring)",
    r"haha|lol",
    r"football|baseball|basketball|soccer|golf",
    r"vacation|holiday plans",
    r"hope (?:you'?re|you are|all is) (?:well|good|doing well)",
)

PREMATURE_NEXT_STEP = _compile(
    r"(?:book|schedule|set up|get) (?:a |an |the )?(?:demo|meeting|call|presentation|trial|pilot)",
    r"(?:15|20|30|fifteen|twenty|thirty) minutes (?:to|for) (?:show|demo|walk)",
)

NEGATED_PRESSURE = _compile(
    r"(?:not|never|won'?t be|isn'?t|no need to) (?:asking|going to ask|here to ask|pushing|"
    r"trying to (?:push|rush|get you to)|rushing)(?: you)?(?: to| for)?",
    r"not to sell",
    r"no (?:paperwork|contract|commitment|signature)",
)

COMMONPLACE = _compile(
    r"(?:is|are) (?:changing|evolving|transforming|moving|shifting)(?: (?:really|so|very))?"
    r"(?: fast| quickly| rapidly)?",
    r"(?:is|are) (?:going|undergoing) (?:through )?(?:a |an )?(?:big |huge |massive )?"
    r"(?:digital )?(?:transformation|change|shift)",
    r"digital transformation",
    r"more important than ever",
    r"(?:is|are) the future",
    r"(?:really |so )?(?:tough|hard|challenging|crazy) (?:right now|out there|these days)",
    r"every (?:team|company|business|firm|one|organi[sz]ation) is (?:rethinking|talking|going|moving|"
    r"looking)",
    r"everyone(?:'s| is) (?:going|moving|doing|talking about)",
    r"these days",
    r"nowadays",
    r"more and more",
    r"in today'?s (?:world|market|environment|economy)",
)
