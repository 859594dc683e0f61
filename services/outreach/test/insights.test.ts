import { describe, expect, it } from "vitest";
import { CONTACTED_STATUSES, conversionFigures, everyLevel, levelFigures, shareOf, type LevelSums } from "../src/domain/insights.js";

describe("shareOf", () => {
  it.each([
    [0, 0, null],
    [0, 4, 0],
    [1, 4, 0.25],
    [4, 4, 1],
  ])("%i of %i is %s", (part, whole, share) => {
    expect(shareOf(part, whole)).toBe(share);
  });
});

describe("what counts as reaching the customer", () => {
  it("is a contact made, whatever came of it: not an unanswered attempt, nothing done or an item the facts closed", () => {
    expect([...CONTACTED_STATUSES].sort()).toEqual(["CONTACTED", "CONVERTED", "DECLINED"]);
  });
});

describe("conversionFigures", () => {
  it.each([
    {
      name: "items opened, none worked",
      sums: { opened: 3, contacted: 0, converted: 0, firstContacts: 0, hoursToFirstContact: [] },
      rates: { contactRate: 0, conversionRate: 0, medianHoursToFirstContact: null, p90HoursToFirstContact: null },
    },
    {
      name: "rates over the items opened, percentiles as counted",
      sums: { opened: 8, contacted: 4, converted: 2, firstContacts: 5, hoursToFirstContact: [2, 7.5] },
      rates: { contactRate: 0.5, conversionRate: 0.25, medianHoursToFirstContact: 2, p90HoursToFirstContact: 7.5 },
    },
    {
      name: "nothing opened",
      sums: { opened: 0, contacted: 0, converted: 0, firstContacts: 0, hoursToFirstContact: [] },
      rates: { contactRate: null, conversionRate: null, medianHoursToFirstContact: null, p90HoursToFirstContact: null },
    },
  ])("$name", ({ sums, rates }) => {
    expect(conversionFigures(sums)).toEqual({
      opened: sums.opened,
      contacted: sums.contacted,
      converted: sums.converted,
      firstContacts: sums.firstContacts,
      ...rates,
    });
  });
});

describe("levelFigures", () => {
  const empty = everyLevel([])[0]!;

  it("works out CSAT, NPS, repeat purchases and uptake from the sums", () => {
    const sums: LevelSums = {
      ...empty,
      level: "ACTIVE",
      customers: 10,
      csatResponses: 4,
      csatScoreSum: 17,
      csatSatisfied: 3,
      npsResponses: 5,
      promoters: 3,
      passives: 1,
      detractors: 1,
      buyers: 8,
      repeatBuyers: 2,
      owners: 6,
      ownersUnderContract: 3,
      units: 9,
      unitsUnderContract: 3,
    };
    expect(levelFigures(sums)).toEqual({
      level: "ACTIVE",
      customers: 10,
      satisfaction: {
        csatResponses: 4,
        csatAverage: 4.25,
        csatSatisfiedShare: 0.75,
        npsResponses: 5,
        promoters: 3,
        passives: 1,
        detractors: 1,
        nps: 40,
      },
      repeatPurchases: { buyers: 8, repeatBuyers: 2, repeatRate: 0.25 },
      contractUptake: { owners: 6, ownersUnderContract: 3, customerShare: 0.5, units: 9, unitsUnderContract: 3, unitShare: 1 / 3 },
    });
  });

  it("gives no average, score or share where nothing was counted", () => {
    const figures = levelFigures(empty);
    expect([figures.satisfaction.csatAverage, figures.satisfaction.csatSatisfiedShare, figures.satisfaction.nps]).toEqual([null, null, null]);
    expect([figures.repeatPurchases.repeatRate, figures.contractUptake.customerShare, figures.contractUptake.unitShare]).toEqual([null, null, null]);
  });

  it("has an NPS of -100 when every answer is a detractor's", () => {
    expect(levelFigures({ ...empty, npsResponses: 2, detractors: 2 }).satisfaction.nps).toBe(-100);
  });
});

describe("everyLevel", () => {
  it("lists the four levels in order, empty where no customer was found", () => {
    const responsible: LevelSums = { ...everyLevel([])[2]!, customers: 3 };
    const levels = everyLevel([responsible]);
    expect(levels.map((level) => [level.level, level.customers])).toEqual([
      ["BASIC", 0],
      ["REACTIVE", 0],
      ["RESPONSIBLE", 3],
      ["ACTIVE", 0],
    ]);
  });
});
