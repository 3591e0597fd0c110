"""Word lists: cue verbs and nouns, their stance, and the nouns that type a speaker.

Lists are data, not logic: extend them here and every rule picks the change up.
"""

from __future__ import annotations

# Verbs that report speech, writing, belief or denial (lemmas).
SPEECH_VERBS = frozenset("""
say tell state write add claim deny believe complain warn insist argue acknowledge announce report suggest
think note explain declare assert maintain contend predict promise vow pledge reply respond answer ask
admit concede confirm reveal disclose allege charge demand
testify recall recount describe emphasize emphasise stress point observe remark comment mention
tweet post blog post estimate forecast conclude find show indicate signal hint imply
worry fear hope expect doubt feel reckon suspect assume guess know agree disagree dispute reject refute
dismiss rebut counter object protest lament acknowledge boast brag joke quip muse wonder question
caution advise recommend propose cite quote announce proclaim affirm reaffirm reiterate repeat
continue begin
understand realize realise recognize recognise learn discover figure
""".split())

# Verbs whose object is the content: "called Clinton a 'champion'", "criticized the deal".
OBJECT_VERBS = frozenset("""
call cite criticize criticise attack describe accuse condemn blast praise defend endorse slam label dub
applaud mock thank blame question urge
""".split())

# Speech verbs whose noun-phrase object is itself what was said: "denied the rumours", "announced
# his retirement", "reiterated its commitment" (used only where the verb has no clause or quotation).
STATEMENT_OBJECT_VERBS = frozenset("announce deny declare reveal disclose reiterate confirm".split())

# Verbs that are hedges when a speaker uses them of themselves ("I think", "you know").
HEDGES = frozenset("think know guess mean believe suppose".split())

# Nouns that introduce content ("the claim that ...", "his statement that ...").
SPEECH_NOUNS = frozenset("""
statement claim denial belief assertion allegation warning announcement report suggestion argument
remark comment view opinion assessment promise pledge insistence accusation charge admission
testimony conclusion prediction fear hope concern
""".split())

# Cue lemmas whose stance is not a plain assertion.
DENY = frozenset("deny refute reject dismiss rebut dispute disagree".split())
BELIEVE = frozenset("believe think feel reckon suspect assume guess expect doubt fear hope worry know "
                    "estimate predict forecast belief view opinion fear hope concern "
                    "understand realize realise recognize recognise learn discover figure see regard".split())
QUESTION = frozenset("ask wonder question".split())
# Adjectives of conviction after "be": "is convinced that", "are skeptical that" (stance believe)
BELIEVING = frozenset("convinced unconvinced skeptical sceptical confident certain sure optimistic pessimistic "
                      "hopeful doubtful worried afraid".split())
# "refused to say whether …", "declined to say": withholding a statement, as "isn't saying" does
WITHHOLDING = frozenset("refuse decline".split())

# Verbs whose complement is only sometimes reported speech: they count only with a clause.
NEEDS_CLAUSE = frozenset("""
find show indicate signal know expect hope fear feel worry continue begin add point observe
estimate conclude agree question
understand realize realise recognize recognise learn discover figure
""".split())

# Lead words of a colon-introduced quotation: "Quote from X:", "Statement by X:".
COLON_LEADS = ("quote from", "quoting", "statement from", "statement by", "comment from", "comment by",
               "quote by", "words of")

# Nouns that make a source anonymous when no name comes with them.
ANONYMOUS_NOUNS = frozenset("""
source official insider aide person people contact diplomat adviser advisor staffer employee member
individual someone somebody spokesman spokeswoman spokesperson
representative officer operative confidant associate
""".split())

MEDIA_NOUNS = frozenset("""
media medium newspaper paper outlet press magazine broadcaster channel tabloid daily weekly journal website site
network station agency newswire wire blog publication report reporter journalist columnist correspondent
editorial poll survey study
""".split())

# Words that make a proper name a news medium ("Ukrainska Pravda", "The Washington Post").
MEDIA_NAME_WORDS = frozenset("""
times post journal news herald tribune guardian gazette telegraph pravda observer independent mirror
chronicle globe mail express sun standard examiner inquirer dispatch register review magazine politico axios
reuters bloomberg cnn bbc msnbc nbc abc cbs npr pbs fox breitbart reuters ap afp tass interfax ria
newsweek atlantic hill beast caller daily wire drudge breitbart intercept vox buzzfeed slate salon huffpost huffington yahoo tv radio
""".split())

ORGANIZATION_NOUNS = frozenset("""
government ministry administration campaign committee department office party company agency
commission council court parliament congress senate house cabinet kremlin pentagon embassy army
military police authority authorities union organization organisation group team firm bank
hospital clinic university college school institute institution foundation charity corporation airline
bureau board regulator watchdog utility operator association federation club league service council
city county municipality inc corp ltd plc company
carmaker automaker manufacturer maker retailer supermarket insurer lender carrier railway railroad broadcaster
publisher network startup conglomerate supplier nonprofit
""".split())

GROUP_NOUNS = frozenset("side camp partner ally critic supporter opponent voter democrat republican "
                        "leader lawmaker legislator activist protester".split())

# Pronouns, by what they can stand for: resolution looks back for an antecedent of the fitting kind.
PERSONAL_PRONOUNS = frozenset("he she him her his hers".split())
PLURAL_PRONOUNS = frozenset("they them their theirs".split())
NEUTER_PRONOUNS = frozenset("it its".split())
FIRST_PERSON_PRONOUNS = frozenset("i we me us".split())
RELATIVE_PRONOUNS = frozenset("who which that whom".split())
# Every pronoun: a speaker's name made of these names nobody ("he", "someone", "these")
PRONOUNS = PERSONAL_PRONOUNS | PLURAL_PRONOUNS | NEUTER_PRONOUNS | FIRST_PERSON_PRONOUNS | RELATIVE_PRONOUNS | frozenset(
    "you this those these one someone everyone everybody anyone nobody somebody".split())

# Forms of address that are not roles.
HONORIFICS = frozenset("mr mrs ms miss mx dr sir madam".split())

# Singular nouns that name one person by office ("the president said").
PERSON_TITLES = frozenset("""
president senator governor minister mayor candidate nominee secretary chairman chairwoman chair director
spokesman spokeswoman spokesperson prosecutor judge justice ambassador general commissioner congressman
congresswoman representative speaker leader chief officer premier chancellor king queen prince pope
mp lawmaker legislator councillor councilman councilwoman
""".split())

# Documents that speak for their author ("a statement by the ministry", "Clinton's letter").
DOCUMENT_NOUNS = frozenset("""
statement report analysis study release letter memo document email post tweet filing complaint lawsuit
testimony speech interview ad advertisement video op-ed editorial affidavit assessment survey poll
review audit indictment transcript record records data figures invitation notice order ruling research
""".split())

# Words that give a person's gender in the article itself: forms of address and gendered nouns.
FEMALE_WORDS = frozenset("""
mrs ms miss madam madame lady dame queen princess duchess baroness countess sister mother
spokeswoman chairwoman congresswoman councilwoman businesswoman stateswoman policewoman anchorwoman
actress waitress hostess heiress empress widow wife daughter mother grandmother aunt niece girlfriend
woman girl lady
""".split())
MALE_WORDS = frozenset("""
mr sir lord king prince duke baron count brother father
spokesman chairman congressman councilman businessman statesman policeman anchorman
husband son grandfather uncle nephew boyfriend widower
man boy gentleman
""".split())

# Nouns for one person that are not offices ("an economist said", "one academic").
PERSON_NOUNS = frozenset("""
academic expert analyst economist scientist researcher professor scholar historian doctor physician
surgeon nurse lawyer attorney billionaire millionaire resident teacher student worker owner manager executive
founder investor author writer actor actress singer artist witness victim survivor neighbour neighbor
friend relative mother father wife husband son daughter sister brother man woman boy girl farmer
driver veteran pilot engineer consultant strategist pollster economist entrepreneur businessman businesswoman
fan parent patient customer shopper traveller traveler passenger tourist local observer
coach player athlete referee chef priest pastor bishop rabbi imam firefighter soldier protester demonstrator
activist campaigner voter miner landlord tenant
""".split())

# Plural nouns that name data rather than people: "figures from ...", "details of ...", "records".
DATA_NOUNS = frozenset("""
data datum figure figures number numbers statistic statistics record records detail details document documents
finding findings estimate estimates result results paper papers file files minute minutes transcript
""".split())

# Verbs whose agent issued a document ("a report published by the ministry"), unlike "obtained by".
ISSUING_VERBS = frozenset("""
publish release issue write sign send file prepare produce commission conduct compile author draft
submit present carry deliver make post put
""".split())

# Belief verbs that raise negation ("does not think that X" holds a belief that not X).
NEG_RAISING = frozenset("think believe expect suppose feel reckon imagine anticipate".split())

# Subjects that negate the whole statement: "No one knows ...".
NEGATIVE_SUBJECTS = frozenset("nobody noone none nothing neither".split())

# Short forms of first names: "Mike Bloomberg" is "Michael R. Bloomberg" (speaker merging).
NICKNAMES = {
    "mike": "michael", "mick": "michael", "bill": "william", "will": "william", "billy": "william",
    "bob": "robert", "bobby": "robert", "rob": "robert", "jim": "james", "jimmy": "james", "joe": "joseph",
    "tom": "thomas", "tommy": "thomas", "dick": "richard", "rick": "richard", "rich": "richard",
    "chuck": "charles", "charlie": "charles", "ted": "edward", "ed": "edward", "ned": "edward",
    "dan": "daniel", "danny": "daniel", "dave": "david", "steve": "steven", "chris": "christopher",
    "matt": "matthew", "pat": "patrick", "tony": "anthony", "andy": "andrew", "alex": "alexander",
    "nick": "nicholas", "sam": "samuel", "ben": "benjamin", "jon": "jonathan", "ken": "kenneth",
    "larry": "lawrence", "jerry": "gerald", "greg": "gregory", "jeff": "jeffrey", "fred": "frederick",
    "liz": "elizabeth", "beth": "elizabeth", "betsy": "elizabeth", "kate": "katherine", "kathy": "katherine",
    "sue": "susan", "peggy": "margaret", "maggie": "margaret", "meg": "margaret", "debbie": "deborah",
    "jenny": "jennifer", "patty": "patricia", "trish": "patricia", "becky": "rebecca", "cathy": "catherine",
}

# Documents an institution puts out: "a Bloomberg poll" is the pollster's, not Michael Bloomberg's,
# even where a person of that name speaks in the article.
INSTITUTIONAL_DOCUMENTS = frozenset("poll survey study report analysis research audit review data index ranking "
                                    "forecast projection estimate census".split())

# Words of a role that say nothing about which office it is ("the former ...", "a senior ...").
ROLE_FILLER = frozenset("""
a an the of for and in at on to from with by former then current new acting interim longtime longtime senior
junior top chief deputy ex who was is has had its his her their state's country's nation's
""".split())

# Objects that make "deny", "reject", "dismiss" a denial of what was said or done ("denied the
# allegations", "denied wrongdoing"); with another object the verb refuses something ("could deny
# mining permits", "denied the motion", "Denying justice"): no statement is denied.
DENIABLE = frozenset("""
allegation accusation charge claim claims report rumor rumour story suggestion assertion statement account
notion idea premise characterization characterisation speculation wrongdoing involvement responsibility
knowledge existence role link connection guilt culpability collusion coordination contact
""".split())

# People in general: "People say ...", "some people", "Critics": a group, never a source kept
# unnamed on purpose, and (with no proper name beside it) no speaker of its own.
GENERIC_PEOPLE = frozenset("people person someone somebody individual folk folks everyone everybody".split())
GENERIC_GROUPS = GENERIC_PEOPLE | frozenset("""
others critic critics expert experts analyst analysts observer observers surrogate surrogates supporter supporters
opponent opponents resident residents local locals lawyer lawyers many some most few voter voters ally allies
partner partners leader leaders lawmaker lawmakers side sides camp camps
""".split())
QUANTIFIERS = frozenset("some many most few several all other others numerous countless".split())
# Plural nouns for the members of a body: "Union members said" is that group speaking, unless
# something marks them as kept unnamed ("members familiar with the talks").
MEMBER_NOUNS = frozenset("member employee staffer worker representative associate".split())

# Titles one person may carry in one article under another word ("A New York judge" … "Justice
# Frank Nervo"): a source named later under either is that person.
_TITLE_GROUPS = ("judge justice", "chairman chairwoman chair chairperson", "spokesman spokeswoman spokesperson",
                 "lawmaker legislator congressman congresswoman senator representative", "chief director head")
TITLE_SYNONYMS = {word: set(group.split()) - {word} for group in _TITLE_GROUPS for word in group.split()}
