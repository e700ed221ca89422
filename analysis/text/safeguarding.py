"""Screen answers for possible safeguarding disclosures, so that a trained person reads them, and
say which kinds of harm (``HARM_KINDS``) each may disclose, so that the lead can triage.

Recall matters more than precision: a missed disclosure can leave a young person at risk, a false
alarm costs a reader a minute. Every answer goes through two screens, whatever language it is in
(people write in any language, and mix them):

* English rules, here, which need grammar rather than word lists. Three kinds of evidence:

  1. Disclosures: phrases that are a concern whoever writes them and however they are framed
     ("kill myself", "he hits me", "made me carry", "going to stab him", "older boys make me").
  2. Topics: words such as suicide, self-harm, abuse, grooming, county lines or carrying a weapon.
     They flag unless their sentence reads as a general opinion: nobody in particular is in it
     (once frames like "I think" or "I feel unsafe because" are set aside) and it speaks of people
     in general or of what should be done ("young people carry knives, we need more police").
  3. Victim events (stabbed, robbed, jumped, bullied...): they flag when the writer or someone
     close to them is involved ("I got jumped", "my brother was stabbed"), not for news about
     strangers.

  Each pattern is listed under its kind of harm and matched on lower-cased text with regular
  expressions, compiled once.

* Cues in every language, English indirect phrasing and slang included, read from data files that
  people who speak the language review (``analysis.text.harm_cues``).
"""

from __future__ import annotations

import re

from analysis.text.harm_cues import HARM_KINDS, cue_index

_SELF = r"(?:my ?self|me ?self|myslef)"
_ABUSE_VERBS = (
    r"(?:hits?|hitting|kicks?|kicking|kicked|punch(?:es|ed|ing)?|slaps?|slapping|slapped|chok(?:es|ed|ing)"
    r"|strangl\w*|grab(?:s|bed|bing)?|hurts?|hurting|burn(?:s|ed|t)?|lock(?:s|ed)?"
    r"|ties|tied|shouts? at|screams? at|abus\w*|starv(?:es|ed|ing)|neglect(?:s|ed|ing)?)"
)
_SEXUAL_VERBS = r"(?:touch(?:es|ed|ing)?|grop\w*|rap(?:es|ed|ing))"
_TARGETS = (
    r"(?:him|her|them|someone|somebody|some1|you|u|ya|people|everyone|everybody|that|this|the|a|an|my|his"
    r"|their|those|these)"
)
_INTENT = (
    r"(?:going to|gonna|gunna|gona|goin to|will|i'?ll|ima|imma|want to|wanna|planning to|plan to|about to)"
)
_MOVE_DRUGS = (
    r"(?:carry|carrying|sell|selling|deliver|delivering|hold|holding|hide|hiding|stash|stashing|run|running"
    r"|shot|shotting|move|moving|drop|dropping|courier|plug|plugging)"
)
_OLDER = r"older (?:boys?|lads?|guys?|men|man|kids?|ones|people|girls?|teens?|youths?|gang|mandem)"
_WEAPON = (
    r"(?:knife|knives|blades?|shanks?|machetes?|guns?|firearms?|weapons?|zombie knife|rambo knife"
    r"|knuckle ?dusters?|pepper spray|tasers?|nank|ching|strap|corrosive)"
)
_HOLD = (
    r"(?:carry|carries|carrying|carried|bring|brings|bringing|brought|take|takes|taking|took|got|gotten|have"
    r"|has|having|had|keep|keeps|keeping|kept|hold|holding|held|pack|packs|packing|own|owns|buy|buys|bought"
    r"|need|needs|use|uses|using|pull|pulls|pulled|pulling|draw|drew|flash|flashed|show|shows|showed|hide"
    r"|hides|hid|hiding|wave|waved|waving|point|pointed|pointing|armed with)"
)

_WEAPON_VERBS = r"(?:stab|shank|merk|wet|shoot|slash)"
_OTHER_VIOLENCE_VERBS = r"(?:batter|murder|kill|hurt|jump|beat up|beat|smash|bang|do in)"
_SAID = r"(?:said|says|say|told me|tells me|threaten\w*)\b.{0,30}?\b"

# Each kind of harm with its patterns (see ``HARM_KINDS``).
_DISCLOSURES: dict[str, tuple[str, ...]] = {
    "self_harm": (
        rf"k[i1]ll+(?:ing|ed)? {_SELF}",
        r"(?:kms|kys|unalive\w*|sewer ?slide)\b",
        r"end(?:ing)? (?:it all|my life|my own life|everything)\b",
        r"take my (?:own )?life\b",
        r"(?:want|wanted|wanting|wanna|wish|wishing) (?:to )?"
        r"(?:die|be dead|not (?:be )?(?:alive|here|exist))\b",
        r"wish i (?:was|were|had) (?:dead|never been born|not born|gone)\b",
        r"wish i (?:wasn'?t|weren'?t) (?:alive|here|born)\b",
        r"better off (?:dead|without me)\b",
        r"(?:don'?t|do not) want to (?:live|be alive|be here any ?more|exist|wake up)\b",
        r"no (?:reason|point) (?:to|in) (?:live|living|being alive|going on|carrying on)\b",
        r"can'?t (?:go on|cope|take (?:it|this) any ?more)\b",
        rf"(?:hurt|hurting|harm|harming|harmed|cut|cuts|cutting|burn|burning|burnt|burned|starve|starving"
        rf"|starved|punish|punishing|hit|hitting) {_SELF}\b",
        r"cut(?:ting)? (?:my|me) (?:arms?|wrists?|legs?|thighs?|skin)\b",
    ),
    "weapons": (
        rf"{_INTENT} (?:go )?{_WEAPON_VERBS} {_TARGETS}\b",
        rf"{_WEAPON_VERBS}(?:s|bed|bing|ed|ing|ted|ting)? "
        r"(?:him|her|them|someone|somebody|you|u|ya|me|us|my \w+)\b",
        rf"{_SAID}{_WEAPON_VERBS}\w* (?:me|us|my)\b",
    ),
    "threats_bullying": (
        rf"{_INTENT} (?:go )?{_OTHER_VIOLENCE_VERBS} {_TARGETS}\b",
        r"(?:going to|gonna|gunna|gona|will|i'?ll|ima|imma|want to|wanna) get (?:him|her|them|you|u|ya)"
        r"(?! (?:a|an|the|some|something|one|to|from|for|in|on|some|home|ready)\b)",
        r"(?:get|got|getting) (?:him|her|them|you|u) back\b",
        r"(?:batter|murder)(?:s|ed|ing)? (?:him|her|them|someone|somebody|you|u|ya|me|us|my \w+)\b",
        r"kill(?:s|ed)? (?:him|her|them|someone|somebody|you|u|ya|me|us|my \w+)\b",
        rf"{_SAID}(?:kill|hurt|beat|jump|batter|get)\w* (?:me|us|my)\b",
        r"(?:know|knows) where i live\b",
        r"(?:please|pls|plz|someone|somebody|anyone|can someone|can anyone) help me\b",
        r"(?:threatens?|bull(?:y|ies|ying)|picks? on|stalk(?:s|ed|ing)?|follow(?:s|ed|ing)) "
        r"(?:me|us)\b(?! up\b)",
    ),
    "abuse_at_home": (
        rf"{_ABUSE_VERBS} (?:me|us)\b(?! up\b)",
        r"beat(?:s|ing|en)? (?:me|us)\b(?! (?:at|in|to|by)\b)",
        r"(?:not|never|isn'?t|aren'?t) (?:allowed|given|let) (?:to eat|food|any food|to leave|to go out)\b",
        r"(?:kick(?:s|ed)?|threw|throws?|thrown) me out\b",
        r"(?:scared|afraid|frightened|terrified|don'?t want|do not want|hate) "
        r"(?:to go|of going|to be|of being|going|being) (?:back )?(?:home|at home)\b",
        r"(?:not|don'?t feel|never feel|never|un)[ -]?safe at home\b",
    ),
    "sexual_abuse": (
        rf"{_SEXUAL_VERBS} (?:me|us)\b(?! up\b)",
        r"molest\w*|\bsexually (?:abused|assaulted)|\bsex(?:ual)? abuse",
        r"(?:ask|asks|asked|asking|pressur\w+|made|make|makes|want|wants|wanted|force\w*) (?:me|us) (?:to )?"
        r"(?:send|sending|for) (?:them |him |her )?(?:nudes|pics|pictures|photos)\b",
    ),
    "criminal_exploitation": (
        rf"(?:made|make|makes|making|force[sd]?|forcing|pressur\w+|told|tell|tells|pay|pays|paid|paying|use[sd]?"
        rf"|using|get|gets|got) (?:me|us) (?:to )?{_MOVE_DRUGS}\b",
        r"owe[sd]? (?:\w+ ){0,3}?(?:money|dealers?|debt|them|him|those|older|a lot|loads)\b",
        r"(?:in debt (?:to|with)|debt bond\w*)\b",
        rf"{_OLDER} (?:\w+ ){{0,2}}?(?:make|made|makes|making|force\w*|tell|told|tells|get|got|gets|pay"
        rf"|paid|pays|give|gave|gives|use|used|uses|want|wants|wanted|ask|asked|asks|groom\w*|pressur\w*"
        rf"|threaten\w*|bribe\w*|buy|bought|offer\w*) (?:me|us|my|kids|young|younger)\b",
        r"(?:trap ?house|trap ?phone|trapping|cuckoo\w*|going country|going cunch|going ot|drug runner"
        r"|running (?:a |the )?lines?|run(?:ning)? (?:drugs|packages|parcels|county))\b",
    ),
}
_TOPICS: dict[str, tuple[str, ...]] = {
    "self_harm": (
        r"su[i1]?[cs][i1]?de?\w*",  # suicide, suicidal, and the usual misspellings ("sucide")
        r"self[- ]?(?:harm|injur)\w*",
        r"overdos\w*",
    ),
    "abuse_at_home": (
        r"abus\w*",
        r"domestic (?:violence|abuse)\b",
        r"forced marriage\b",
        r"fgm\b",
    ),
    "sexual_abuse": (
        r"rap(?:e|ed|es|ing|ist)\b",
        r"groom(?:ed|ing|s)?\b",
        r"cse\b",
        r"nudes\b",
        r"blackmail\w*",
        r"sextort\w*",
    ),
    "criminal_exploitation": (
        r"exploit\w*",
        r"cce\b",
        r"county ?lines?\b",
        r"traffick\w*",
        r"(?:sell|sells|selling|sold|deal|deals|dealing|dealt|shot|shotting|run|running|deliver\w*|stash\w*)"
        r" (?:\w+ )?(?:drugs|weed|crack|coke|cocaine|heroin|packages?|parcels?|nitrous|pills|gear|wraps)\b",
    ),
    "weapons": (
        rf"{_HOLD}\b(?: \w+){{0,2}}? {_WEAPON}\b",
        r"acid attack\w*",
    ),
    "threats_bullying": (
        r"revenge\b",
        r"radicali[sz]\w*",
    ),
}
_VICTIM_EVENTS: dict[str, tuple[str, ...]] = {
    "weapons": (
        r"(?:got|get|gets|getting|been|being|was|were|am|is|are|be)\s+(?:\w+\s+)?(?:stabbed|shanked|shot"
        r"|slashed|cut)\b",
        r"(?:at knifepoint|at gunpoint)\b",
    ),
    "sexual_abuse": (
        r"(?:got|get|gets|getting|been|being|was|were|am|is|are|be)\s+(?:\w+\s+)?(?:spiked|groped|flashed"
        r"|catcalled|touched)\b",
    ),
    "abuse_at_home": (
        r"(?:got|get|gets|getting|been|being|was|were|am|is|are|be)\s+(?:\w+\s+)?neglected\b",
        r"neglect\b",
    ),
    "criminal_exploitation": (
        r"(?:got|get|gets|getting|been|being|was|were|am|is|are|be)\s+(?:\w+\s+)?exploited\b",
    ),
    "threats_bullying": (
        r"(?:got|get|gets|getting|been|being|was|were|am|is|are|be)\s+(?:\w+\s+)?(?:robbed|mugged|jumped"
        r"|attacked|beaten|beat up|battered|threatened|chased|followed|assaulted|harassed|bullied|kidnapped"
        r"|abducted|spat on|punched|kicked|slapped|picked on|targeted|hurt|injured|stalked|hit)\b",
        r"(?:bullying|harassment)\b",
    ),
}

# Set aside before looking for a person: these frame an opinion, not an event.
_FRAMES = re.compile(
    r"\b(?:i (?:really |honestly |personally |just |do |don'?t )?"
    r"(?:think(?! about| of)|believe|reckon|guess|feel like|feel that|feel as if|would say|'d say|suppose"
    r"|know that|hope|wish|want to see|would like|'d like)"
    r"|in my (?:opinion|view)|imo|personally|we (?:need|should|must|want)"
    r"|i'?m (?:really |so |very )?(?:scared|afraid|worried|frightened|nervous|concerned|anxious)"
    r" (?:of|about|that|by|because|cos|when)"
    r"|i (?:worry|get worried|get scared|(?:don'?t |do not )?feel (?:(?:really |so |very )?(?:unsafe|scared"
    r"|worried|afraid|nervous|safe)))(?: (?:about|of|that|when|because|cos|with|around))?"
    r"|(?:it )?makes me (?:feel )?(?:scared|unsafe|worried|nervous|sad|angry))\b"
)
_RELATIONS = (
    r"(?:mum|mom|mam|dad|brother|bro|sister|sis|cousin|friends?|mates?|boyfriend|girlfriend|bf|gf|partner"
    r"|family|son|daughter|kids?|child|children|uncle|aunt|auntie|nan|nana|grandma|grandad|grandpa|step\w*"
    r"|carer|foster \w+|best friend|bestie|little \w+|older \w+|big \w+|younger \w+|classmates?|neighbour"
    r"|boy|girl)"
)
_PERSONAL = re.compile(rf"\b(?:i|i'm|im|i've|ive|i'd|i'll|me|myself|we|we're|we've|us|my {_RELATIONS})\b")
_SPECIFIC = re.compile(
    r"\b(?:he|she|him|her|his|he's|she's|someone|somebody|some1|you|u|this (?:boy|girl|lad|kid|guy|man))\b"
)
_GENERIC = re.compile(
    r"\b(?:people|youngsters|kids|children|teenagers|teens|youths?|students|boys|girls|lads|gangs?|society"
    r"|everyone|everybody|some|many|lots|a lot|loads|most|should|shouldn'?t|needs? to|more|less|fewer|stop"
    r"|stopping|prevent\w*|tackl\w*|reduc\w*|ban|banned|crimes?|problems?|issues?|awareness|educat\w*|support"
    r"|services|police|government|council|news|media|in general|generally|statistics|rates?|epidemic|culture"
    r"|off the streets?|why|they|them|their)\b"
)


def _by_kind(patterns: dict[str, tuple[str, ...]]) -> re.Pattern[str]:
    """One regex for every kind's patterns; the name of the group that matched is the kind.

    One shared \\b lets the engine skip positions inside words instead of trying every pattern there.
    """
    return re.compile(
        r"\b(?:" + "|".join(f"(?P<{kind}>" + "|".join(found) + ")" for kind, found in patterns.items()) + ")"
    )


_DISCLOSURE = _by_kind(_DISCLOSURES)
_TOPIC = _by_kind(_TOPICS)
_VICTIM = _by_kind(_VICTIM_EVENTS)
_SENTENCE_BREAK = re.compile(r"[.!?;\n]+")
_SPACES = re.compile(r"\s+")


def _normalise(text: str) -> str:
    return _SPACES.sub(" ", text.lower().replace("’", "'").replace("‘", "'"))


def _general_opinion(sentence: str) -> bool:
    """Whether a sentence speaks about people in general rather than about somebody in particular."""
    unframed = _FRAMES.sub(" ", sentence)
    if _PERSONAL.search(unframed) or _SPECIFIC.search(unframed):
        return False
    return _GENERIC.search(unframed) is not None


def _victim_is_close(sentence: str) -> bool:
    return _PERSONAL.search(_FRAMES.sub(" ", sentence)) is not None


def _kinds(pattern: re.Pattern[str], text: str) -> set[str]:
    return {found.lastgroup for found in pattern.finditer(text) if found.lastgroup}


def _english_rules(normal: str) -> set[str]:
    harms = _kinds(_DISCLOSURE, normal)
    if not (_TOPIC.search(normal) or _VICTIM.search(normal)):
        return harms
    for sentence in _SENTENCE_BREAK.split(normal):
        if not _general_opinion(sentence):
            harms |= _kinds(_TOPIC, sentence)
        if _victim_is_close(sentence):
            harms |= _kinds(_VICTIM, sentence)
    return harms


def safeguarding_screen(text: str) -> tuple[str, ...]:
    """The kinds of harm ``text`` may disclose, in ``HARM_KINDS`` order; empty when it raises no
    concern. Every answer goes through the English rules and every language's cues."""
    harms = _english_rules(_normalise(text)) | cue_index().harms(text)
    return tuple(kind for kind in HARM_KINDS if kind in harms)


def safeguarding_flag(text: str) -> bool:
    """Return True when ``text`` may disclose risk of harm, abuse, exploitation or weapon carrying."""
    return bool(safeguarding_screen(text))
