import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  COMPOUND_STEM_MIN_LENGTH,
  detectLanguage,
  isLanguage,
  LANGUAGES,
  LEXICON,
  NEGATION_WINDOW,
  readComment,
  SENTIMENTS,
  THEMES,
  type Language,
  type Sentiment,
  type Theme,
} from "../src/domain/lexicon.js";

describe("readComment: themes", () => {
  it.each<{ language: Language; comment: string; themes: Theme[] }>([
    { language: "en", comment: "The machine broke after two weeks and shows an error", themes: ["PRODUCT_QUALITY", "REPAIR_SPEED"] },
    { language: "en", comment: "Grinder is very noisy", themes: ["NOISE"] },
    { language: "en", comment: "It leaks, there is water on the floor every morning", themes: ["LEAK"] },
    { language: "en", comment: "The espresso tastes bitter and has no crema", themes: ["TASTE"] },
    { language: "en", comment: "The app is easy, the manual less so", themes: ["EASE_OF_USE"] },
    { language: "en", comment: "Delivered a day late, the packaging was torn", themes: ["DELIVERY"] },
    { language: "en", comment: "The installer set up the plumbing neatly", themes: ["INSTALLATION"] },
    { language: "en", comment: "The repair took ages", themes: ["REPAIR_SPEED"] },
    { language: "en", comment: "Not fixed: it is still broken", themes: ["REPAIR_QUALITY"] },
    { language: "en", comment: "Nobody called me back and my emails got no reply", themes: ["COMMUNICATION"] },
    { language: "en", comment: "Way too expensive, the invoice had extra charges", themes: ["PRICE"] },
    { language: "en", comment: "The spare part is on back order", themes: ["SPARE_PARTS"] },
    { language: "de", comment: "Die Maschine ist nach einer Woche kaputt", themes: ["PRODUCT_QUALITY"] },
    { language: "de", comment: "Das Mahlwerk macht ein lautes Geräusch", themes: ["NOISE"] },
    { language: "de", comment: "Die Maschine ist undicht und tropft", themes: ["LEAK"] },
    { language: "de", comment: "Der Kaffee schmeckt bitter", themes: ["TASTE"] },
    { language: "de", comment: "Die Bedienung ist kompliziert", themes: ["EASE_OF_USE"] },
    { language: "de", comment: "Die Lieferung kam beschädigt an", themes: ["DELIVERY"] },
    { language: "de", comment: "Die Montage war sauber", themes: ["INSTALLATION"] },
    { language: "de", comment: "Drei Wochen Wartezeit", themes: ["REPAIR_SPEED"] },
    { language: "de", comment: "Schon wieder das gleiche Problem", themes: ["REPAIR_QUALITY"] },
    { language: "de", comment: "Der Techniker war unfreundlich", themes: ["STAFF"] },
    { language: "de", comment: "Der Händler rief nicht zurück", themes: ["STAFF", "COMMUNICATION"] },
    { language: "de", comment: "Die Rechnung war viel zu hoch", themes: ["PRICE"] },
    { language: "de", comment: "Das Ersatzteil ist nicht lieferbar", themes: ["SPARE_PARTS"] },
    { language: "fr", comment: "La machine est en panne", themes: ["PRODUCT_QUALITY"] },
    { language: "fr", comment: "Elle fait un bruit terrible", themes: ["NOISE"] },
    { language: "fr", comment: "Il y a une fuite, de l'eau partout", themes: ["LEAK"] },
    { language: "fr", comment: "Le café a un goût amer", themes: ["TASTE"] },
    { language: "fr", comment: "La livraison est arrivée avec un colis abîmé", themes: ["DELIVERY"] },
    { language: "fr", comment: "L'installation et la mise en service étaient rapides", themes: ["INSTALLATION", "REPAIR_SPEED"] },
    { language: "fr", comment: "Toujours en panne après la réparation", themes: ["REPAIR_QUALITY"] },
    { language: "fr", comment: "Le technicien était très aimable", themes: ["STAFF"] },
    { language: "fr", comment: "Personne ne m'a rappelé", themes: ["COMMUNICATION"] },
    { language: "fr", comment: "Le prix de la pièce est trop cher", themes: ["PRICE", "SPARE_PARTS"] },
  ])('finds $themes in $language "$comment"', ({ language, comment, themes }) => {
    expect(readComment(comment, language).themes).toEqual(themes);
  });

  it("lists each theme once, in THEMES order, whatever the order in the comment", () => {
    const reading = readComment("Rude technician. Leaking again and again, leaks everywhere. So noisy, noise all day.", "en");
    expect(reading.themes).toEqual(["NOISE", "LEAK", "REPAIR_QUALITY", "STAFF"]);
  });

  it("keeps themes when they are negated: a comment about no leak is about leaks", () => {
    expect(readComment("No leak any more", "en").themes).toEqual(["LEAK"]);
  });

  it("reads a comment with the lexicon of the language it is given, not the one it looks like", () => {
    expect(readComment("Die Maschine leckt", "en")).toEqual({ language: "en", themes: [], sentiment: "NEUTRAL" });
    expect(readComment("Die Maschine leckt", "de").themes).toEqual(["LEAK"]);
  });
});

describe("readComment: longest match", () => {
  it.each<{ language: Language; comment: string; themes: Theme[]; why: string }>([
    { language: "en", comment: "still broken", themes: ["REPAIR_QUALITY"], why: "a phrase takes its words from shorter entries" },
    { language: "en", comment: "very user-friendly", themes: ["EASE_OF_USE"], why: "`user friendly` is not about the staff" },
    { language: "en", comment: "the drip tray fills quickly", themes: ["EASE_OF_USE", "REPAIR_SPEED"], why: "a drip tray is no leak" },
    { language: "de", comment: "sehr lecker", themes: ["TASTE"], why: "`lecker*` is longer than `leck*`" },
    { language: "de", comment: "Das Ersatzteil ist nicht lieferbar", themes: ["SPARE_PARTS"], why: "`lieferbar` is longer than `liefer*`" },
    { language: "de", comment: "sehr benutzerfreundlich", themes: ["EASE_OF_USE"], why: "the whole word before `freundlich` inside it" },
    { language: "fr", comment: "une goutte", themes: ["LEAK"], why: "`goutte*` is longer than `goût*`" },
  ])('reads "$comment" as $themes: $why', ({ language, comment, themes }) => {
    expect(readComment(comment, language).themes).toEqual(themes);
  });
});

describe("readComment: German compounds", () => {
  it.each<{ comment: string; themes: Theme[]; why: string }>([
    { comment: "Wasserleckage", themes: ["LEAK"], why: "`leckage*` inside the word" },
    { comment: "Kaffeegeschmack", themes: ["TASTE"], why: "`geschmack*` inside the word" },
    { comment: "Servicetechniker", themes: ["STAFF"], why: "`techniker*` inside the word" },
    { comment: "Reparaturkosten", themes: ["PRICE"], why: "`kosten*` inside the word" },
    { comment: "Ersatzteillieferung", themes: ["DELIVERY", "SPARE_PARTS"], why: "one word, two parts, two themes" },
    { comment: "Versandkosten", themes: ["DELIVERY", "PRICE"], why: "a prefix, then a stem after it" },
    { comment: "geliefert", themes: ["DELIVERY"], why: "a participle holds its stem too" },
    { comment: "Kaffeefleck", themes: [], why: "`leck*` has 4 letters, too short to match inside (a stain is no leak)" },
    { comment: "Wasserleck", themes: [], why: "the price of that rule: a four-letter stem only matches at the start" },
    { comment: "Steuerung", themes: [], why: "`teuer` is a whole word, never a part" },
    { comment: "Anschluß", themes: ["INSTALLATION"], why: "ß reads as ss" },
  ])('reads "$comment" as $themes: $why', ({ comment, themes }) => {
    expect(readComment(comment, "de").themes).toEqual(themes);
  });

  it(`matches only stems of at least ${COMPOUND_STEM_MIN_LENGTH} letters inside a word`, () => {
    expect(COMPOUND_STEM_MIN_LENGTH).toBe(5);
    expect(readComment("Wasserpfütze", "de").themes).toEqual(["LEAK"]); // pfütze: 6 letters
    expect(readComment("Kaffeelärm", "de").themes).toEqual([]); // lärm: 4 letters
    expect(readComment("Lärm", "de").themes).toEqual(["NOISE"]);
  });

  it("reads sentiment inside compounds, the longest entry first", () => {
    expect(readComment("kundenunfreundlich", "de").sentiment).toBe("NEGATIVE");
    expect(readComment("kundenfreundlich", "de").sentiment).toBe("POSITIVE");
    expect(readComment("Wasserschaden", "de").sentiment).toBe("NEGATIVE");
  });

  it("does not look inside English or French words", () => {
    expect(readComment("waterleakage", "en").themes).toEqual([]);
    expect(readComment("superfuite", "fr").themes).toEqual([]);
  });
});

describe("readComment: normalisation", () => {
  it.each<{ language: Language; spellings: string[]; themes: Theme[]; sentiment: Sentiment }>([
    { language: "de", spellings: ["Geräusch", "Gerausch", "GERÄUSCH"], themes: ["NOISE"], sentiment: "NEUTRAL" },
    { language: "de", spellings: ["unhöflicher Techniker", "unhoflicher Techniker", "UNHÖFLICHER TECHNIKER"], themes: ["STAFF"], sentiment: "NEGATIVE" },
    {
      language: "de",
      spellings: ["Straße gesperrt, Lieferung verspätet", "Strasse gesperrt, Lieferung verspätet"],
      themes: ["DELIVERY", "REPAIR_SPEED"],
      sentiment: "NEGATIVE",
    },
    { language: "fr", spellings: ["Très déçu du goût", "tres decu du gout", "TRÈS DÉÇU DU GOÛT"], themes: ["TASTE"], sentiment: "NEGATIVE" },
    { language: "fr", spellings: ["réparé", "repare", "Réparé"], themes: ["REPAIR_QUALITY"], sentiment: "NEUTRAL" },
    {
      language: "en",
      spellings: ["The technician wasn't friendly", "The technician wasn’t friendly", "The technician wasnt friendly"],
      themes: ["STAFF"],
      sentiment: "NEGATIVE",
    },
    { language: "fr", spellings: ["Il n'est pas aimable", "Il n’est pas aimable"], themes: ["STAFF"], sentiment: "NEGATIVE" },
  ])("reads $spellings alike", ({ language, spellings, themes, sentiment }) => {
    for (const comment of spellings) {
      expect(readComment(comment, language), comment).toEqual({ language, themes, sentiment });
    }
  });
});

describe("readComment: sentiment", () => {
  it.each<{ language: Language; comment: string; sentiment: Sentiment }>([
    { language: "en", comment: "Great service, very happy", sentiment: "POSITIVE" },
    { language: "en", comment: "Terrible, the machine is broken", sentiment: "NEGATIVE" },
    { language: "en", comment: "The technician came on Tuesday", sentiment: "NEUTRAL" },
    { language: "de", comment: "Super Service, sehr zufrieden", sentiment: "POSITIVE" },
    { language: "de", comment: "Leider schon wieder defekt", sentiment: "NEGATIVE" },
    { language: "de", comment: "Der Techniker kam am Dienstag", sentiment: "NEUTRAL" },
    { language: "de", comment: "Schnelle Reparatur, aber teuer", sentiment: "MIXED" },
    { language: "fr", comment: "Très bien, merci", sentiment: "POSITIVE" },
    { language: "fr", comment: "Machine bruyante et en panne", sentiment: "NEGATIVE" },
    { language: "fr", comment: "Le technicien est venu mardi", sentiment: "NEUTRAL" },
    { language: "fr", comment: "Technicien aimable mais réparation lente", sentiment: "MIXED" },
  ])('reads $language "$comment" as $sentiment', ({ language, comment, sentiment }) => {
    expect(readComment(comment, language).sentiment).toBe(sentiment);
  });

  it("reads a fast repair by a rude technician as MIXED, about repair speed and staff", () => {
    expect(readComment("fast repair but rude technician")).toEqual({
      language: "en",
      themes: ["REPAIR_SPEED", "STAFF"],
      sentiment: "MIXED",
    });
  });

  it("counts positives against negatives only to see which are present", () => {
    expect(readComment("great, great, great, but one problem", "en").sentiment).toBe("MIXED");
    expect(readComment("good, good and good", "en").sentiment).toBe("POSITIVE");
    expect(readComment("bad, bad and bad", "en").sentiment).toBe("NEGATIVE");
  });

  it("only returns the four sentiments", () => {
    expect(SENTIMENTS).toEqual(["POSITIVE", "NEUTRAL", "NEGATIVE", "MIXED"]);
  });
});

describe("readComment: negation", () => {
  it.each<{ language: Language; comment: string; sentiment: Sentiment }>([
    { language: "en", comment: "not happy", sentiment: "NEGATIVE" },
    { language: "en", comment: "I am not at all happy", sentiment: "NEGATIVE" },
    { language: "en", comment: "No problems, it just works", sentiment: "POSITIVE" },
    { language: "en", comment: "Not bad", sentiment: "POSITIVE" },
    { language: "en", comment: "I would never recommend them", sentiment: "NEGATIVE" },
    { language: "en", comment: "The repair wasn't quick", sentiment: "NEGATIVE" },
    { language: "en", comment: "The technician wasn't rude", sentiment: "POSITIVE" },
    { language: "en", comment: "Without any issues", sentiment: "POSITIVE" },
    { language: "de", comment: "nicht zufrieden", sentiment: "NEGATIVE" },
    { language: "de", comment: "Ich bin gar nicht zufrieden", sentiment: "NEGATIVE" },
    { language: "de", comment: "Kein Problem mit der Maschine", sentiment: "POSITIVE" },
    { language: "de", comment: "Ohne Mängel", sentiment: "POSITIVE" },
    { language: "de", comment: "Nicht zu laut", sentiment: "POSITIVE" },
    { language: "fr", comment: "Je ne suis pas satisfait", sentiment: "NEGATIVE" },
    { language: "fr", comment: "Je ne recommande pas", sentiment: "NEGATIVE" },
    { language: "fr", comment: "Il n'est jamais aimable", sentiment: "NEGATIVE" },
    { language: "fr", comment: "Aucun problème", sentiment: "POSITIVE" },
    { language: "fr", comment: "Sans problème", sentiment: "POSITIVE" },
  ])('flips a sentiment word after a negator: $language "$comment" is $sentiment', ({ language, comment, sentiment }) => {
    expect(readComment(comment, language).sentiment).toBe(sentiment);
  });

  it(`reaches back ${NEGATION_WINDOW} words only`, () => {
    expect(NEGATION_WINDOW).toBe(3);
    expect(readComment("not really very happy", "en").sentiment).toBe("NEGATIVE");
    expect(readComment("I did not expect the technician to be so friendly", "en").sentiment).toBe("POSITIVE");
  });

  it.each<{ language: Language; comment: string; sentiment: Sentiment }>([
    { language: "en", comment: "Not fast, but friendly", sentiment: "MIXED" },
    { language: "en", comment: "Not fast. Friendly", sentiment: "MIXED" },
    { language: "de", comment: "Nicht schnell, aber freundlich", sentiment: "MIXED" },
    { language: "fr", comment: "Pas rapide mais aimable", sentiment: "MIXED" },
  ])('stops a negator at punctuation and contrast words: $language "$comment" is $sentiment', ({ language, comment, sentiment }) => {
    expect(readComment(comment, language).sentiment).toBe(sentiment);
  });

  it("reads a sentiment phrase that holds a negator as the phrase", () => {
    expect(readComment("Nie wieder!", "de").sentiment).toBe("NEGATIVE");
    expect(readComment("Plus jamais", "fr").sentiment).toBe("NEGATIVE");
    expect(readComment("C'est pas terrible", "fr").sentiment).toBe("NEGATIVE");
    expect(readComment("Never again", "en").sentiment).toBe("NEGATIVE");
  });
});

describe("readComment: known limits, as LEXICON.md states them", () => {
  it.each<{ language: Language; comment: string; themes: Theme[]; sentiment: Sentiment; limit: string }>([
    { language: "en", comment: "Great, broken again.", themes: ["REPAIR_QUALITY"], sentiment: "MIXED", limit: "sarcasm is read literally" },
    { language: "en", comment: "Thanks for nothing", themes: [], sentiment: "POSITIVE", limit: "sarcasm is read literally" },
    {
      language: "en",
      comment: "I don't like how slow it was",
      themes: ["REPAIR_SPEED"],
      sentiment: "POSITIVE",
      limit: "a negator flips what it does not govern",
    },
    { language: "en", comment: "Not only fast but also friendly", themes: ["REPAIR_SPEED", "STAFF"], sentiment: "MIXED", limit: '"not only" negates' },
    { language: "de", comment: "Stromausfall", themes: ["PRODUCT_QUALITY"], sentiment: "NEUTRAL", limit: "a power cut holds ausfall*" },
    { language: "de", comment: "laut Techniker", themes: ["NOISE", "STAFF"], sentiment: "NEUTRAL", limit: "laut is loud, also where it means according to" },
    { language: "en", comment: "Friendly? Not at all.", themes: ["STAFF"], sentiment: "POSITIVE", limit: "a negator after the word is not seen" },
    { language: "en", comment: "The techncian came twice", themes: [], sentiment: "NEUTRAL", limit: "misspellings do not match" },
    { language: "de", comment: "Geraeusch", themes: [], sentiment: "NEUTRAL", limit: "umlauts written as two letters do not match" },
    { language: "de", comment: "Schöne Maschine", themes: [], sentiment: "NEUTRAL", limit: "schön reads as schon, so it is not listed" },
    {
      language: "en",
      comment: "Fast delivery",
      themes: ["DELIVERY", "REPAIR_SPEED"],
      sentiment: "POSITIVE",
      limit: "fast is repair speed even for a delivery",
    },
    { language: "en", comment: "The technician arrived", themes: ["STAFF"], sentiment: "NEUTRAL", limit: "arrived is no delivery word" },
    { language: "en", comment: "Our water filter", themes: [], sentiment: "NEUTRAL", limit: "bare water is no leak" },
  ])('$limit: $language "$comment"', ({ language, comment, themes, sentiment }) => {
    expect(readComment(comment, language)).toEqual({ language, themes, sentiment });
  });
});

describe("detectLanguage", () => {
  it.each<{ comment: string; language: Language }>([
    { comment: "The technician was very friendly and fixed it fast", language: "en" },
    { comment: "Leaking again after the repair", language: "en" },
    { comment: "Der Techniker war sehr freundlich", language: "de" },
    { comment: "Die Maschine ist undicht und macht Geräusche", language: "de" },
    { comment: "Die Maschine ist undicht und macht Gerausche", language: "de" },
    { comment: "Lieferung zu spät", language: "de" },
    { comment: "Le technicien était très aimable", language: "fr" },
    { comment: "La machine fuit et le café est amer", language: "fr" },
    { comment: "Très déçu, jamais rappelé", language: "fr" },
    { comment: "", language: "en" },
    { comment: "   \n\t ", language: "en" },
    { comment: "12345 !!!", language: "en" },
    { comment: "Tutto perfetto, grazie mille", language: "en" },
  ])('reads "$comment" as $language', ({ comment, language }) => {
    expect(detectLanguage(comment)).toBe(language);
    expect(readComment(comment).language).toBe(language);
    expect(readComment(comment, null).language).toBe(language);
  });

  it("gives a tie to the earlier language, English first", () => {
    expect(detectLanguage("super")).toBe("en");
    expect(detectLanguage("top")).toBe("de");
  });

  it("reads with the detected language's lexicon", () => {
    expect(readComment("Die Lieferung war nicht pünktlich")).toEqual({
      language: "de",
      themes: ["DELIVERY", "REPAIR_SPEED"],
      sentiment: "NEGATIVE",
    });
  });
});

describe("readComment: empty comments", () => {
  it.each(["", " ", "\n\t  ", "...", "!?"])("reads %j as neutral English without themes", (comment) => {
    expect(readComment(comment)).toEqual({ language: "en", themes: [], sentiment: "NEUTRAL" });
  });

  it("keeps a given language for an empty comment", () => {
    expect(readComment("  ", "fr")).toEqual({ language: "fr", themes: [], sentiment: "NEUTRAL" });
  });
});

describe("isLanguage", () => {
  it.each<{ value: string; known: boolean }>([
    { value: "en", known: true },
    { value: "de", known: true },
    { value: "fr", known: true },
    { value: "EN", known: false },
    { value: "es", known: false },
    { value: "", known: false },
  ])("says $value is a language: $known", ({ value, known }) => {
    expect(isLanguage(value)).toBe(known);
  });

  it("detects the language when given a value that is none, as from an untyped caller", () => {
    expect(readComment("Der Techniker war sehr freundlich", "es" as Language).language).toBe("de");
  });
});

describe("the lexicon", () => {
  it("uses SCREAMING_SNAKE theme ids, each once", () => {
    for (const theme of THEMES) expect(theme).toMatch(/^[A-Z]+(?:_[A-Z]+)*$/);
    expect(new Set(THEMES).size).toBe(THEMES.length);
  });

  it("gives every theme words in every language", () => {
    for (const language of LANGUAGES) {
      for (const theme of THEMES) expect(LEXICON[language].themes[theme].length, `${language} ${theme}`).toBeGreaterThan(0);
    }
  });

  it("reads every theme entry written out as a comment as its theme", () => {
    for (const language of LANGUAGES) {
      for (const theme of THEMES) {
        for (const entry of LEXICON[language].themes[theme]) {
          const comment = entry.replaceAll("*", "");
          expect(readComment(comment, language).themes, `${language} "${entry}"`).toContain(theme);
        }
      }
    }
  });

  it("reads every sentiment entry written out as a comment as its sentiment", () => {
    for (const language of LANGUAGES) {
      const { positive, negative } = LEXICON[language];
      for (const entry of positive) expect(readComment(entry.replaceAll("*", ""), language).sentiment, `${language} "${entry}"`).toBe("POSITIVE");
      for (const entry of negative) expect(readComment(entry.replaceAll("*", ""), language).sentiment, `${language} "${entry}"`).toBe("NEGATIVE");
    }
  });
});

describe("LEXICON.md", () => {
  const doc = readFileSync(new URL("../LEXICON.md", import.meta.url), "utf8");
  const LANGUAGE_COLUMN: Record<Language, number> = { en: 2, de: 3, fr: 4 };

  /** The rows of the first table under `## heading`, as cells, without the header and separator rows. */
  function table(heading: string): string[][] {
    const start = doc.indexOf(`\n## ${heading}\n`);
    expect(start, `section "${heading}"`).toBeGreaterThanOrEqual(0);
    const end = doc.indexOf("\n## ", start + 1);
    const rows = doc
      .slice(start, end === -1 ? undefined : end)
      .split("\n")
      .filter((line) => line.startsWith("|"))
      .map((line) =>
        line
          .split("|")
          .slice(1, -1)
          .map((cell) => cell.trim()),
      );
    return rows.slice(2);
  }

  /** The entries written in backticks in a cell. */
  function entries(cell: string | undefined): string[] {
    return [...(cell ?? "").matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? "");
  }

  function rowOf(rows: string[][], key: string): string[] {
    const row = rows.find((cells) => cells[0] === key || cells[0]?.endsWith(`(${key})`));
    expect(row, `row ${key}`).toBeDefined();
    return row ?? [];
  }

  it("lists every theme with exactly the entries of the code, per language", () => {
    const rows = table("Themes");
    expect(rows.map((cells) => cells[0])).toEqual([...THEMES]);
    for (const theme of THEMES) {
      const row = rowOf(rows, theme);
      expect(row[1], `${theme} meaning`).not.toBe("");
      for (const language of LANGUAGES) {
        expect(entries(row[LANGUAGE_COLUMN[language]]), `${theme} ${language}`).toEqual([...LEXICON[language].themes[theme]]);
      }
    }
  });

  it("lists exactly the sentiment words of the code, per language", () => {
    const rows = table("Sentiment words");
    for (const language of LANGUAGES) {
      const row = rowOf(rows, language);
      expect(entries(row[1]), `${language} positive`).toEqual([...LEXICON[language].positive]);
      expect(entries(row[2]), `${language} negative`).toEqual([...LEXICON[language].negative]);
    }
  });

  it("lists exactly the negators and contrast words of the code, per language", () => {
    const rows = table("Negators and contrast words");
    for (const language of LANGUAGES) {
      const row = rowOf(rows, language);
      expect(entries(row[1]), `${language} negators`).toEqual([...LEXICON[language].negators]);
      expect(entries(row[2]), `${language} contrasts`).toEqual([...LEXICON[language].contrasts]);
    }
  });

  it("lists exactly the language-detection words of the code, per language", () => {
    const rows = table("Language detection words");
    for (const language of LANGUAGES) {
      expect(entries(rowOf(rows, language)[1]), `${language} stop words`).toEqual([...LEXICON[language].stopWords]);
    }
  });

  it("states the numbers the code uses", () => {
    expect(doc).toContain(`${NEGATION_WINDOW} words before`);
    expect(doc).toContain(`at least ${COMPOUND_STEM_MIN_LENGTH} letters`);
  });
});
