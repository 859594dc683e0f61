/**
 * Reads a free-text customer comment (a survey answer, a complaint, a word of
 * praise) for its language, the aftersales themes it touches and its overall
 * sentiment, with word lists in English, German and French. It is a lexicon,
 * not a model: every decision can be traced to a listed word, which is what
 * analysts need to trust a tag. LEXICON.md documents the rules and every word;
 * a test keeps it in step with the lists below.
 *
 * Matching rules:
 * - The comment is lower-cased, `ß` becomes `ss` (`œ`/`æ` become `oe`/`ae`),
 *   it is NFKD-normalised and combining marks are dropped ("Geräusch" and
 *   "Gerausch" read the same), then split into word tokens. Apostrophes join a
 *   word ("don't" → `dont`) except after a French elision ("n'est" → `n`, `est`).
 *   Punctuation (`. , ; : ! ?`, brackets, dashes, `…`) ends a clause.
 * - An entry ending in `*` is a stem and matches tokens that start with it;
 *   an entry without `*` matches the whole token only; an entry of several
 *   words is a phrase, matched on consecutive tokens of one clause.
 * - German only: a stem of at least {@link COMPOUND_STEM_MIN_LENGTH} letters
 *   also matches inside a token, so compounds are read by their parts
 *   ("Ersatzteillieferung" → spare parts and delivery).
 * - Longest match wins: a phrase takes its words, and inside a token the
 *   longest entry is taken before the rest of the token is read ("lecker" is
 *   taste, not a leak; "problemlos" is positive, not a problem).
 * - Sentiment: each positive or negative entry counts once per match; a
 *   negator among the {@link NEGATION_WINDOW} tokens before it, in the same
 *   clause and not behind a contrast word ("but", "aber", "mais"), flips it.
 *   Both kinds present: MIXED; only positives: POSITIVE; only negatives:
 *   NEGATIVE; none: NEUTRAL. Themes ignore negation: "no leak" is about leaks.
 * - Language, when not given: the language with the most hits (lexicon
 *   matches plus stop words, negators and contrast words); ties go to the
 *   first of LANGUAGES, so English when nothing matches.
 */

export const LANGUAGES = ["en", "de", "fr"] as const;
export type Language = (typeof LANGUAGES)[number];

export const THEMES = [
  "PRODUCT_QUALITY",
  "NOISE",
  "LEAK",
  "TASTE",
  "EASE_OF_USE",
  "DELIVERY",
  "INSTALLATION",
  "REPAIR_SPEED",
  "REPAIR_QUALITY",
  "STAFF",
  "COMMUNICATION",
  "PRICE",
  "SPARE_PARTS",
] as const;
export type Theme = (typeof THEMES)[number];

export const SENTIMENTS = ["POSITIVE", "NEUTRAL", "NEGATIVE", "MIXED"] as const;
export type Sentiment = (typeof SENTIMENTS)[number];

export interface CommentReading {
  language: Language;
  themes: Theme[];
  sentiment: Sentiment;
}

/** How many tokens before a sentiment word a negator reaches. */
export const NEGATION_WINDOW = 3;

/**
 * A German stem this long also matches inside a word. Shorter stems would
 * fire inside unrelated words: `leck` (leak) is in "Kaffeefleck" (a coffee stain).
 */
export const COMPOUND_STEM_MIN_LENGTH = 5;

/** The word lists of one language, as analysts read them in LEXICON.md. */
export interface LanguageLexicon {
  /** Whether stems also match inside words (German compounds). */
  compounds: boolean;
  themes: Readonly<Record<Theme, readonly string[]>>;
  positive: readonly string[];
  negative: readonly string[];
  /** Single words that flip a sentiment word after them. */
  negators: readonly string[];
  /** Single words that end a negator's reach ("not fast, but friendly"). */
  contrasts: readonly string[];
  /** Frequent function words, used only to tell the language. */
  stopWords: readonly string[];
}

export const LEXICON: Readonly<Record<Language, LanguageLexicon>> = {
  en: {
    compounds: false,
    themes: {
      PRODUCT_QUALITY: [
        "broke*",
        "defect*",
        "fault*",
        "malfunction*",
        "crack*",
        "flimsy",
        "rust*",
        "error*",
        "reliab*",
        "unreliab*",
        "durab*",
        "sturdy",
        "stopped working",
        "not working",
        "doesn't work",
        "does not work",
        "won't turn on",
        "poor quality",
        "bad quality",
        "build quality",
        "good quality",
        "high quality",
        "low quality",
      ],
      NOISE: ["nois*", "loud*", "rattl*", "squeak*", "buzz*", "humming", "hums", "vibrat*", "clatter*", "whin*", "quiet*", "silent*"],
      LEAK: [
        "leak*",
        "drip*",
        "puddle*",
        "seep*",
        "flood*",
        "water everywhere",
        "water on the floor",
        "water under*",
        "losing water",
        "loses water",
        "lost water",
        "water coming out",
      ],
      TASTE: [
        "tast*",
        "flavo*",
        "bitter*",
        "sour",
        "sourness",
        "crema",
        "aroma*",
        "burnt",
        "watery",
        "lukewarm",
        "delicious*",
        "acidic",
        "acidity",
        "weak coffee",
      ],
      EASE_OF_USE: [
        "easy",
        "easi*",
        "simple",
        "simpler",
        "simplicity",
        "complicat*",
        "confus*",
        "intuitiv*",
        "counterintuitive",
        "user-friendly",
        "manual",
        "manuals",
        "instruction*",
        "app",
        "apps",
        "menu*",
        "display*",
        "button*",
        "settings",
        "program*",
        "clean*",
        "descal*",
        "drip tray*",
        "fiddly",
        "cumbersome",
      ],
      DELIVERY: ["deliver*", "ship*", "courier*", "parcel*", "packag*", "transit"],
      INSTALLATION: ["install*", "setup", "set up", "setting up", "fitted", "plumb*", "mount*", "commission*", "hooked up"],
      REPAIR_SPEED: [
        "fast",
        "faster",
        "quick*",
        "slow*",
        "wait*",
        "prompt*",
        "delay*",
        "rapid*",
        "speedy",
        "immediately",
        "turnaround",
        "weeks",
        "months",
        "took days",
        "took ages",
        "took forever",
        "took long",
        "for days",
        "same day",
        "next day",
        "on time",
      ],
      REPAIR_QUALITY: [
        "fixed",
        "repaired",
        "workmanship",
        "recurr*",
        "still broken",
        "still not",
        "still doesn't",
        "still leak*",
        "still nois*",
        "still defect*",
        "came back",
        "comes back",
        "same problem*",
        "same issue*",
        "same fault*",
        "second time",
        "third time",
        "broke* again",
        "leak* again",
        "fail* again",
        "happen* again",
        "again broke*",
        "again leak*",
        "again fail*",
      ],
      STAFF: [
        "technician*",
        "engineer*",
        "staff",
        "employee*",
        "dealer*",
        "salesperson",
        "salesman",
        "saleswoman",
        "friendl*",
        "unfriendl*",
        "rude*",
        "polite*",
        "impolite*",
        "helpful*",
        "unhelpful*",
        "courte*",
        "discourte*",
        "professional*",
        "unprofessional*",
        "competen*",
        "incompeten*",
        "knowledgeab*",
        "attitude",
      ],
      COMMUNICATION: [
        "call* back",
        "call* me back",
        "call* us back",
        "callback*",
        "phone*",
        "inform*",
        "email*",
        "e-mail*",
        "voicemail*",
        "answer*",
        "reply",
        "replied",
        "replies",
        "respond*",
        "response*",
        "responsive",
        "unresponsive",
        "hotline*",
        "communicat*",
        "contact*",
        "notif*",
        "no answer",
        "no reply",
        "kept me updated",
        "keep me updated",
        "kept us updated",
        "kept me posted",
        "heard back",
        "heard nothing",
        "never heard",
        "follow* up",
        "on hold",
        "ghosted",
      ],
      PRICE: [
        "pric*",
        "overpriced",
        "expensiv*",
        "cost*",
        "invoice*",
        "charg*",
        "cheap*",
        "afford*",
        "fee",
        "fees",
        "bill",
        "billed",
        "billing",
        "refund*",
        "paid",
        "pay",
        "paying",
        "payment*",
        "money",
        "quote",
        "quoted",
        "discount*",
        "value for money",
      ],
      SPARE_PARTS: ["part", "parts", "spare*", "stock", "backorder*", "back order*", "component*", "gasket*", "seal", "seals", "unavailable"],
    },
    positive: [
      "good",
      "great*",
      "excellent*",
      "super",
      "happy",
      "happi*",
      "satisf*",
      "pleased",
      "pleasant*",
      "love*",
      "perfect*",
      "amaz*",
      "awesome*",
      "fantastic*",
      "wonderful*",
      "brilliant*",
      "superb*",
      "outstanding*",
      "impress*",
      "recommend*",
      "thank*",
      "friendl*",
      "helpful*",
      "polite*",
      "courteous*",
      "professional*",
      "competent*",
      "knowledgeab*",
      "fast",
      "quick*",
      "prompt*",
      "efficient*",
      "reliab*",
      "nice*",
      "fine",
      "easy",
      "easi*",
      "quiet*",
      "delicious*",
      "tasty",
      "smooth*",
      "glad",
      "appreciat*",
      "enjoy*",
      "best",
      "responsive",
      "painless",
      "well done",
      "top notch",
      "problem free",
      "trouble free",
      "hassle free",
    ],
    negative: [
      "bad",
      "badly",
      "poor*",
      "terribl*",
      "horribl*",
      "awful*",
      "worst",
      "worse",
      "disappoint*",
      "dissatisf*",
      "unsatisf*",
      "unhappy",
      "unimpressed",
      "annoy*",
      "frustrat*",
      "angry",
      "angri*",
      "furious",
      "rude*",
      "unfriendl*",
      "unhelpful*",
      "unprofessional*",
      "impolite*",
      "incompeten*",
      "slow*",
      "late",
      "broke*",
      "defect*",
      "fault*",
      "malfunction*",
      "leak*",
      "nois*",
      "loud*",
      "expensiv*",
      "overpriced",
      "problem*",
      "issue*",
      "complain*",
      "useless",
      "unacceptabl*",
      "ridiculous*",
      "nightmare*",
      "complicat*",
      "confus*",
      "damag*",
      "delay*",
      "mess",
      "messy",
      "hate*",
      "unfortunate*",
      "fail*",
      "dirty",
      "lukewarm",
      "unreliab*",
      "cumbersome",
      "fiddly",
      "flimsy",
      "shame*",
      "sad",
      "sadly",
      "upset*",
      "waste of",
      "never again",
      "stopped working",
    ],
    negators: [
      "not",
      "no",
      "never",
      "don't",
      "didn't",
      "doesn't",
      "isn't",
      "wasn't",
      "aren't",
      "weren't",
      "won't",
      "can't",
      "cannot",
      "couldn't",
      "wouldn't",
      "haven't",
      "hasn't",
      "hadn't",
      "without",
      "nor",
      "hardly",
    ],
    contrasts: ["but", "however", "although", "though", "except", "whereas"],
    stopWords: [
      "the",
      "and",
      "is",
      "it",
      "this",
      "that",
      "with",
      "of",
      "to",
      "for",
      "my",
      "i",
      "we",
      "they",
      "very",
      "have",
      "has",
      "had",
      "were",
      "are",
      "be",
      "been",
      "after",
      "at",
      "you",
      "our",
      "your",
      "from",
      "would",
      "could",
      "there",
      "what",
      "when",
      "he",
      "she",
      "an",
    ],
  },
  de: {
    compounds: true,
    themes: {
      PRODUCT_QUALITY: [
        "defekt*",
        "kaputt*",
        "fehler*",
        "mangel*",
        "ausfall*",
        "ausgefallen",
        "verarbeitung*",
        "zuverlässig*",
        "unzuverlässig*",
        "minderwertig*",
        "hochwertig*",
        "qualitativ*",
        "gebrochen",
        "gerissen",
        "riss",
        "risse",
        "rost",
        "rostet",
        "verrost*",
        "wackel*",
        "funktioniert nicht",
        "geht nicht",
      ],
      NOISE: [
        "geräusch*",
        "laut",
        "lauter",
        "lautstärke*",
        "lärm*",
        "brumm*",
        "quietsch*",
        "klapper*",
        "ratter*",
        "vibrier*",
        "vibration*",
        "leise*",
        "pfeif*",
        "summt",
        "surrt",
      ],
      LEAK: ["undicht*", "tropf*", "leck*", "leckage*", "ausgelaufen", "pfütze*", "wasserverlust*", "überschwemm*", "läuft aus", "wasser läuft"],
      TASTE: ["geschmack*", "schmeck*", "bitter*", "säuerlich*", "crema", "aroma*", "lauwarm*", "verbrannt*", "angebrannt*", "wässrig*", "dünn", "lecker*"],
      EASE_OF_USE: [
        "bedien*",
        "benutzerfreundlich*",
        "bedienerfreundlich*",
        "anwenderfreundlich*",
        "kinderleicht*",
        "kompliziert*",
        "umständlich*",
        "intuitiv*",
        "anleitung*",
        "handbuch*",
        "app",
        "apps",
        "display*",
        "menü*",
        "taste",
        "tasten",
        "einstellung*",
        "reinig*",
        "entkalk*",
        "handhab*",
        "tropfschale*",
        "abtropf*",
      ],
      DELIVERY: ["liefer*", "versand*", "verpack*", "paket*", "zustell*", "zugestellt", "spedition*", "kurier*", "transport*"],
      INSTALLATION: [
        "install*",
        "aufgebaut",
        "aufbau*",
        "montage*",
        "montier*",
        "angeschlossen",
        "anschluss*",
        "inbetriebnahme*",
        "eingerichtet",
        "aufgestellt",
      ],
      REPAIR_SPEED: [
        "schnell*",
        "zügig*",
        "langsam*",
        "wartezeit*",
        "wochen",
        "wochenlang",
        "monate",
        "monaten",
        "monatelang",
        "verzöger*",
        "verspät*",
        "dauerte*",
        "dauert",
        "gedauert",
        "ewig*",
        "sofort*",
        "prompt*",
        "pünktlich*",
        "lange gewartet",
        "warten müssen",
      ],
      REPAIR_QUALITY: [
        "repariert",
        "behoben",
        "gelöst",
        "erneut*",
        "nachbesser*",
        "immer noch",
        "nach wie vor",
        "schon wieder",
        "wieder kaputt",
        "wieder defekt",
        "wieder undicht",
        "gleiche problem*",
        "gleiche fehler*",
        "dasselbe problem*",
        "selbe problem*",
      ],
      STAFF: [
        "techniker*",
        "monteur*",
        "mitarbeiter*",
        "personal",
        "händler*",
        "verkäufer*",
        "berater*",
        "beratung*",
        "freundlich*",
        "unfreundlich*",
        "höflich*",
        "unhöflich*",
        "kompetent*",
        "inkompetent*",
        "hilfsbereit*",
        "nett",
        "patzig*",
        "arrogant*",
        "fachkundig*",
      ],
      COMMUNICATION: [
        "rückruf*",
        "zurückgerufen",
        "gemeldet",
        "inform*",
        "email*",
        "e-mail*",
        "mail",
        "mails",
        "telefon*",
        "anruf*",
        "angerufen",
        "erreichbar*",
        "antwort*",
        "kommunikation*",
        "hotline*",
        "bescheid",
        "rief nicht zurück",
        "ruft nicht zurück",
        "meldet sich",
        "auf dem laufenden",
      ],
      PRICE: [
        "preis*",
        "teuer",
        "teure*",
        "kosten*",
        "kostet",
        "rechnung*",
        "berechnet",
        "günstig*",
        "billig*",
        "bezahl*",
        "gezahlt",
        "euro",
        "gebühr*",
        "pauschal*",
        "erstatt*",
      ],
      SPARE_PARTS: ["ersatzteil*", "bauteil*", "dichtung*", "komponente*", "lieferbar", "lager", "lagernd", "vorrätig*", "nachbestell*"],
    },
    positive: [
      "gut",
      "gute",
      "guten",
      "guter",
      "gutes",
      "super",
      "toll*",
      "prima",
      "klasse",
      "spitze",
      "top",
      "zufrieden*",
      "hervorragend*",
      "ausgezeichnet*",
      "perfekt*",
      "freundlich*",
      "hilfsbereit*",
      "kompetent*",
      "höflich*",
      "professionell*",
      "schnell*",
      "zügig*",
      "pünktlich*",
      "empfehl*",
      "danke",
      "dankeschön",
      "lecker*",
      "leise*",
      "zuverlässig*",
      "begeistert*",
      "wunderbar*",
      "angenehm*",
      "einwandfrei*",
      "problemlos*",
      "reibungslos*",
      "vielen dank",
    ],
    negative: [
      "schlecht*",
      "mies*",
      "miserabel*",
      "furchtbar*",
      "schrecklich*",
      "katastroph*",
      "enttäusch*",
      "unzufrieden*",
      "ärger*",
      "unfreundlich*",
      "unhöflich*",
      "inkompetent*",
      "unzuverlässig*",
      "unangenehm*",
      "langsam*",
      "kaputt*",
      "defekt*",
      "undicht*",
      "teuer",
      "teure*",
      "problem*",
      "fehler*",
      "mangel*",
      "frech*",
      "unverschämt*",
      "frustr*",
      "leider",
      "schade",
      "beschwer*",
      "reklamation*",
      "umständlich*",
      "kompliziert*",
      "verspät*",
      "unmöglich*",
      "schlimm*",
      "nervig*",
      "genervt",
      "nervt",
      "wütend*",
      "beschädig*",
      "schaden*",
      "unbrauchbar*",
      "zu laut",
      "nie wieder",
    ],
    negators: ["nicht", "kein", "keine", "keinen", "keinem", "keiner", "keines", "nie", "niemals", "ohne", "weder", "kaum"],
    contrasts: ["aber", "jedoch", "sondern", "allerdings", "trotzdem", "dennoch", "obwohl"],
    stopWords: [
      "der",
      "die",
      "das",
      "den",
      "dem",
      "des",
      "ein",
      "eine",
      "einen",
      "und",
      "ist",
      "mit",
      "von",
      "zu",
      "auf",
      "ich",
      "wir",
      "es",
      "sehr",
      "war",
      "wurde",
      "hat",
      "haben",
      "nach",
      "bei",
      "auch",
      "noch",
      "mein",
      "meine",
      "uns",
      "mir",
      "sich",
      "aus",
      "dass",
      "wie",
      "vom",
      "zum",
      "zur",
      "für",
      "über",
      "immer",
      "wieder",
    ],
  },
  fr: {
    compounds: false,
    themes: {
      PRODUCT_QUALITY: [
        "panne*",
        "défectu*",
        "défaut*",
        "cassé*",
        "brisé*",
        "erreur*",
        "fiab*",
        "fissur*",
        "fragile*",
        "rouill*",
        "solide*",
        "robuste*",
        "finition*",
        "fonctionne plus",
        "fonctionne pas",
        "marche plus",
        "marche pas",
        "mauvaise qualité",
        "bonne qualité",
      ],
      NOISE: ["bruit*", "bruyant*", "silencieu*", "vibr*", "grinc*", "siffl*", "claqu*", "ronron*", "vacarme"],
      LEAK: [
        "fuit",
        "fuient",
        "fuyait",
        "fuite*",
        "goutte*",
        "coule",
        "coulent",
        "coulait",
        "coulée",
        "étanch*",
        "infiltration*",
        "flaque*",
        "inond*",
        "suint*",
        "eau partout",
        "perd de l'eau",
        "perte d'eau",
      ],
      TASTE: [
        "goût*",
        "amer",
        "amère",
        "amertume",
        "saveur*",
        "arôme*",
        "aromat*",
        "crème",
        "crema",
        "tiède*",
        "brûlé*",
        "fade",
        "acide*",
        "délicieu*",
        "insipide*",
        "corsé*",
      ],
      EASE_OF_USE: [
        "facile*",
        "simple*",
        "compliqué*",
        "intuiti*",
        "notice*",
        "manuel",
        "application*",
        "appli",
        "menu*",
        "écran*",
        "bouton*",
        "réglage*",
        "utilis*",
        "détartr*",
        "nettoy*",
        "entretien*",
        "pratique*",
        "ergonom*",
        "mode d'emploi",
      ],
      DELIVERY: ["livr*", "colis", "emball*", "transporteur*", "expédi*", "carton*", "envoi*"],
      INSTALLATION: ["install*", "raccord*", "branch*", "montage*", "mise en service", "mise en place"],
      REPAIR_SPEED: [
        "rapid*",
        "lent*",
        "vite",
        "attend*",
        "attente*",
        "délai*",
        "retard*",
        "semaine*",
        "mois",
        "immédiat*",
        "réactiv*",
        "ponctuel*",
        "des jours",
        "plusieurs jours",
        "tout de suite",
        "à temps",
      ],
      REPAIR_QUALITY: [
        "réparé",
        "réparée",
        "réparés",
        "réparées",
        "réglé",
        "résolu*",
        "revenu",
        "revenue",
        "toujours en panne",
        "toujours pas",
        "encore en panne",
        "encore une fois",
        "encore cassé*",
        "de nouveau",
        "à nouveau",
        "même problème*",
        "même panne",
      ],
      STAFF: [
        "technicien*",
        "personnel",
        "employé*",
        "vendeu*",
        "revendeur*",
        "concessionnaire*",
        "aimable*",
        "sympa*",
        "poli",
        "polie",
        "polis",
        "impoli*",
        "malpoli*",
        "serviable*",
        "compétent*",
        "incompétent*",
        "professionnel*",
        "accueil*",
        "grossier*",
      ],
      COMMUNICATION: [
        "rappel*",
        "inform*",
        "courriel*",
        "mail",
        "mails",
        "email*",
        "e-mail*",
        "téléphon*",
        "joindre",
        "injoignable*",
        "répond*",
        "réponse*",
        "communic*",
        "communiqu*",
        "contact*",
        "suivi*",
        "au courant",
        "sans nouvelles",
        "pas de nouvelles",
        "aucune nouvelle*",
      ],
      PRICE: [
        "prix",
        "cher",
        "chère",
        "chers",
        "chères",
        "coûteu*",
        "coût",
        "coûts",
        "factur*",
        "tarif*",
        "payer",
        "payé",
        "payée",
        "payant*",
        "paiement*",
        "euros",
        "devis",
        "rembours*",
        "onéreu*",
        "abordable*",
        "gratuit*",
        "frais de",
        "rapport qualité prix",
      ],
      SPARE_PARTS: ["pièce*", "stock", "rupture", "composant*", "joint", "joints", "indisponib*", "approvisionn*"],
    },
    positive: [
      "bien",
      "bon",
      "bons",
      "bonne*",
      "excellent*",
      "parfait*",
      "super",
      "génial*",
      "satisfait*",
      "content*",
      "ravi",
      "ravie",
      "ravis",
      "ravies",
      "merci*",
      "aimable*",
      "sympa*",
      "rapide*",
      "efficace*",
      "recommand*",
      "agréable*",
      "impeccable*",
      "top",
      "délicieu*",
      "silencieu*",
      "professionnel*",
      "serviable*",
      "fiable*",
      "facile*",
      "compétent*",
      "merveill*",
      "formidable*",
      "bravo",
      "adoré*",
    ],
    negative: [
      "mauvais*",
      "nul",
      "nulle*",
      "nuls",
      "horrible*",
      "terrible*",
      "déçu*",
      "décevant*",
      "déception*",
      "insatisfait*",
      "mécontent*",
      "inadmissible*",
      "inacceptable*",
      "lent*",
      "panne*",
      "cassé*",
      "défectu*",
      "fuite*",
      "bruyant*",
      "problème*",
      "impoli*",
      "désagréable*",
      "malpoli*",
      "grossier*",
      "incompétent*",
      "inefficace*",
      "retard*",
      "honte*",
      "scandal*",
      "catastroph*",
      "pire",
      "dommage",
      "malheureusement",
      "plainte*",
      "compliqué*",
      "énerv*",
      "agacé*",
      "lamentable*",
      "abîmé*",
      "trop cher",
      "plus jamais",
      "pas terrible",
    ],
    negators: ["pas", "jamais", "sans", "ne", "n'", "aucun", "aucune", "ni", "guère"],
    contrasts: ["mais", "cependant", "pourtant", "toutefois", "néanmoins", "sauf"],
    stopWords: [
      "le",
      "la",
      "les",
      "de",
      "des",
      "du",
      "un",
      "une",
      "et",
      "est",
      "pour",
      "avec",
      "très",
      "je",
      "nous",
      "il",
      "elle",
      "mon",
      "ma",
      "mes",
      "que",
      "qui",
      "dans",
      "au",
      "aux",
      "ce",
      "cette",
      "sur",
      "par",
      "été",
      "était",
      "c'",
      "l'",
      "d'",
      "j'",
      "qu'",
      "vous",
      "votre",
      "son",
      "sa",
      "ont",
      "ai",
      "suis",
      "après",
      "tout",
    ],
  },
};

/** For values from outside TypeScript: a survey's settings, a GraphQL argument, a CSV column. */
export function isLanguage(value: string): value is Language {
  return (LANGUAGES as readonly string[]).includes(value);
}

/** `language` given: use its lexicon; null/undefined: detect it (most lexicon + stop-word hits; English when none). */
export function readComment(comment: string, language?: Language | null): CommentReading {
  const text = tokenize(comment);
  // A value from outside TypeScript (a GraphQL string, a CSV column) may be no language at all: detect then.
  if (language != null && isLanguage(language)) return reading(language, analyse(text, COMPILED[language]));
  const [detected, analysis] = bestLanguage(text);
  return reading(detected, analysis);
}

/** The language whose lexicon and stop words the comment hits most; English on a tie or no hits. */
export function detectLanguage(comment: string): Language {
  return bestLanguage(tokenize(comment))[0];
}

// ---------------------------------------------------------------------------
// Text: normalisation and tokens

interface Tokens {
  words: string[];
  /** The clause of each word: punctuation between two words starts a new one. */
  clauses: number[];
}

const FOLDED: Readonly<Record<string, string>> = { ß: "ss", œ: "oe", æ: "ae", "’": "'", "‘": "'", ʼ: "'", "´": "'", "`": "'" };
const TO_FOLD = /[ßœæ’‘ʼ´`]/g;
const MARKS = /\p{M}+/gu;
/** A word (group 1), apostrophes included, or a punctuation mark that ends a clause. */
const WORD_OR_BREAK = /([\p{L}\p{N}]+(?:'[\p{L}\p{N}]*)*)|[.,;:!?()[\]…–—]/gu;
/** French elided words: "l'eau" is two words, where "don't" is one. */
const ELISIONS: ReadonlySet<string> = new Set(["l", "d", "j", "n", "m", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"]);

function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(TO_FOLD, (ch) => FOLDED[ch] ?? ch)
    .normalize("NFKD")
    .replace(MARKS, "");
}

function tokenize(text: string): Tokens {
  const words: string[] = [];
  const clauses: number[] = [];
  let clause = 0;
  for (const [, word] of normalize(text).matchAll(WORD_OR_BREAK)) {
    if (word === undefined) {
      if (words.length > 0 && clauses[clauses.length - 1] === clause) clause++;
      continue;
    }
    if (!word.includes("'")) {
      words.push(word);
      clauses.push(clause);
      continue;
    }
    const parts = word.split("'");
    while (parts.length > 1 && ELISIONS.has(parts[0] ?? "")) {
      words.push(parts.shift() ?? "");
      clauses.push(clause);
    }
    const rest = parts.join("");
    if (rest !== "") {
      words.push(rest);
      clauses.push(clause);
    }
  }
  return { words, clauses };
}

// ---------------------------------------------------------------------------
// The compiled lexicon: tries for words and stems, phrases by their first word

interface TrieNode<V> {
  next: Map<number, TrieNode<V>>;
  /** Set when a token equal to the path here matches. */
  word?: V;
  /** Set when a token starting with the path here matches. */
  stem?: V;
}

interface PhraseWord {
  text: string;
  stem: boolean;
}

interface Phrase<V> {
  words: PhraseWord[];
  value: V;
}

interface Segment<V> {
  value: V;
  end: number;
}

function trieNode<V>(): TrieNode<V> {
  return { next: new Map() };
}

function nodeAt<V>(root: TrieNode<V>, text: string): TrieNode<V> {
  let node = root;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    let child = node.next.get(code);
    if (child === undefined) {
      child = trieNode<V>();
      node.next.set(code, child);
    }
    node = child;
  }
  return node;
}

/** Splits an entry into normalised words, marking the stems (`*`); "e-mail*" gives `e`, `mail*`. */
function parseEntry(entry: string): PhraseWord[] {
  const words: PhraseWord[] = [];
  for (const written of entry.trim().split(/\s+/)) {
    const stem = written.endsWith("*");
    const { words: tokens } = tokenize(stem ? written.slice(0, -1) : written);
    if (tokens.length === 0) throw new Error(`Lexicon entry "${entry}" has an empty word.`);
    for (const [i, text] of tokens.entries()) words.push({ text, stem: stem && i === tokens.length - 1 });
  }
  return words;
}

/** One list of entries (a language's themes, or its sentiment words) ready to match. */
class Matcher<V> {
  private readonly words = trieNode<V>();
  private readonly phrases = trieNode<Phrase<V>[]>();
  private readonly seen = new Set<string>();

  constructor(private readonly compounds: boolean) {}

  add(entry: string, value: V): void {
    const words = parseEntry(entry);
    const key = words.map((w) => w.text + (w.stem ? "*" : "")).join(" ");
    // One entry, one meaning: a duplicate would make the longest-match rule depend on the order of the lists.
    if (this.seen.has(key)) throw new Error(`Lexicon entry "${entry}" is listed twice.`);
    this.seen.add(key);
    const [first, ...rest] = words;
    if (first === undefined) throw new Error(`Lexicon entry "${entry}" is empty.`);
    if (rest.length === 0) {
      const node = nodeAt(this.words, first.text);
      if (first.stem) node.stem = value;
      else node.word = value;
      if (node.stem !== undefined && node.word !== undefined) {
        throw new Error(`Lexicon entry "${entry}" is listed both as a stem and as a word.`);
      }
      return;
    }
    const node = nodeAt(this.phrases, first.text);
    const phrase: Phrase<V> = { words, value };
    if (first.stem) (node.stem ??= []).push(phrase);
    else (node.word ??= []).push(phrase);
  }

  /** Calls `found` for every match, left to right, with the index of the match's first word. */
  scan(text: Tokens, found: (value: V, first: number) => void): void {
    const { words } = text;
    let i = 0;
    while (i < words.length) {
      const phrase = this.phraseAt(text, i);
      if (phrase !== undefined) {
        found(phrase.value, i);
        i += phrase.words.length;
        continue;
      }
      const word = words[i] ?? "";
      let from = 0;
      while (from <= word.length - (from === 0 ? 1 : COMPOUND_STEM_MIN_LENGTH)) {
        const segment = this.longestAt(word, from);
        if (segment !== undefined) {
          found(segment.value, i);
          from = segment.end;
        } else {
          from++;
        }
        if (!this.compounds) break;
      }
      i++;
    }
  }

  /** The longest entry starting at `from` in `word`; inside a word, only long stems count. */
  private longestAt(word: string, from: number): Segment<V> | undefined {
    const minStem = from === 0 ? 1 : COMPOUND_STEM_MIN_LENGTH;
    let node: TrieNode<V> | undefined = this.words;
    let best: Segment<V> | undefined;
    for (let i = from; i < word.length; i++) {
      node = node.next.get(word.charCodeAt(i));
      if (node === undefined) break;
      if (node.stem !== undefined && i + 1 - from >= minStem) best = { value: node.stem, end: i + 1 };
      else if (node.word !== undefined && from === 0 && i + 1 === word.length) best = { value: node.word, end: i + 1 };
    }
    return best;
  }

  /** The longest phrase starting at word `at`, within its clause. */
  private phraseAt(text: Tokens, at: number): Phrase<V> | undefined {
    const first = text.words[at] ?? "";
    let node: TrieNode<Phrase<V>[]> | undefined = this.phrases;
    let best: Phrase<V> | undefined;
    for (let i = 0; i < first.length; i++) {
      node = node.next.get(first.charCodeAt(i));
      if (node === undefined) break;
      if (node.stem !== undefined) best = longerPhrase(best, node.stem, text, at);
      if (node.word !== undefined && i + 1 === first.length) best = longerPhrase(best, node.word, text, at);
    }
    return best;
  }
}

function longerPhrase<V>(best: Phrase<V> | undefined, candidates: Phrase<V>[], text: Tokens, at: number): Phrase<V> | undefined {
  for (const phrase of candidates) {
    if (best !== undefined && phrase.words.length <= best.words.length) continue;
    if (phraseFollows(phrase, text, at)) best = phrase;
  }
  return best;
}

/** Whether the phrase's words after the first follow word `at` in the same clause. */
function phraseFollows<V>(phrase: Phrase<V>, text: Tokens, at: number): boolean {
  const clause = text.clauses[at];
  for (let k = 1; k < phrase.words.length; k++) {
    const pattern = phrase.words[k];
    const word = text.words[at + k];
    if (pattern === undefined || word === undefined || text.clauses[at + k] !== clause) return false;
    if (pattern.stem ? !word.startsWith(pattern.text) : word !== pattern.text) return false;
  }
  return true;
}

type Polarity = 1 | -1;

interface CompiledLanguage {
  themes: Matcher<number>;
  sentiment: Matcher<Polarity>;
  negators: ReadonlySet<string>;
  contrasts: ReadonlySet<string>;
  /** Stop words, negators and contrast words: what tells the language beyond the lexicon. */
  markers: ReadonlySet<string>;
}

function singleWords(list: readonly string[], what: string): Set<string> {
  const set = new Set<string>();
  for (const entry of list) {
    const words = parseEntry(entry);
    const [word] = words;
    if (word === undefined || words.length !== 1 || word.stem) throw new Error(`${what} "${entry}" must be one word, without *.`);
    set.add(word.text);
  }
  return set;
}

function compile(lexicon: LanguageLexicon): CompiledLanguage {
  const themes = new Matcher<number>(lexicon.compounds);
  THEMES.forEach((theme, index) => {
    for (const entry of lexicon.themes[theme]) themes.add(entry, index);
  });
  const sentiment = new Matcher<Polarity>(lexicon.compounds);
  for (const entry of lexicon.positive) sentiment.add(entry, 1);
  for (const entry of lexicon.negative) sentiment.add(entry, -1);
  const negators = singleWords(lexicon.negators, "Negator");
  const contrasts = singleWords(lexicon.contrasts, "Contrast word");
  const markers = new Set([...singleWords(lexicon.stopWords, "Stop word"), ...negators, ...contrasts]);
  return { themes, sentiment, negators, contrasts, markers };
}

/** Compiled once at module load: reading a comment only walks tries and sets. */
const COMPILED: Readonly<Record<Language, CompiledLanguage>> = {
  en: compile(LEXICON.en),
  de: compile(LEXICON.de),
  fr: compile(LEXICON.fr),
};

// ---------------------------------------------------------------------------
// Reading

interface Analysis {
  /** Lexicon matches and marker words: how much the comment looks like this language. */
  hits: number;
  /** Bit i set: THEMES[i] is mentioned. */
  themes: number;
  positives: number;
  negatives: number;
}

function analyse(text: Tokens, language: CompiledLanguage): Analysis {
  const analysis: Analysis = { hits: 0, themes: 0, positives: 0, negatives: 0 };
  language.themes.scan(text, (theme) => {
    analysis.hits++;
    analysis.themes |= 1 << theme;
  });
  language.sentiment.scan(text, (polarity, first) => {
    analysis.hits++;
    const felt = negated(text, first, language) ? -polarity : polarity;
    if (felt > 0) analysis.positives++;
    else analysis.negatives++;
  });
  for (const word of text.words) if (language.markers.has(word)) analysis.hits++;
  return analysis;
}

/** Whether a negator stands among the few words before word `at`, in its clause and not behind a contrast word. */
function negated(text: Tokens, at: number, language: CompiledLanguage): boolean {
  const clause = text.clauses[at];
  for (let k = at - 1; k >= 0 && k >= at - NEGATION_WINDOW; k--) {
    const word = text.words[k] ?? "";
    if (text.clauses[k] !== clause || language.contrasts.has(word)) return false;
    if (language.negators.has(word)) return true;
  }
  return false;
}

function bestLanguage(text: Tokens): [Language, Analysis] {
  let best: [Language, Analysis] | undefined;
  for (const language of LANGUAGES) {
    const analysis = analyse(text, COMPILED[language]);
    // Strictly more hits to win: ties go to the earlier language, English first.
    if (best === undefined || analysis.hits > best[1].hits) best = [language, analysis];
  }
  return best ?? ["en", { hits: 0, themes: 0, positives: 0, negatives: 0 }];
}

function reading(language: Language, analysis: Analysis): CommentReading {
  return {
    language,
    themes: THEMES.filter((_, index) => (analysis.themes & (1 << index)) !== 0),
    sentiment: sentimentOf(analysis.positives, analysis.negatives),
  };
}

/** Both kinds: MIXED; only positives: POSITIVE; only negatives: NEGATIVE; none: NEUTRAL. */
function sentimentOf(positives: number, negatives: number): Sentiment {
  if (positives > 0 && negatives > 0) return "MIXED";
  if (positives > 0) return "POSITIVE";
  if (negatives > 0) return "NEGATIVE";
  return "NEUTRAL";
}
