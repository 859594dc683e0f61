import { getOperationAST, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { cell, csvField, flatten, selectionOf, toCsv } from "../src/insights/csv.js";
import { notAnInsightsQuery } from "../src/insights/index.js";

/** The selection of a one-operation document. */
const selection = (query: string) => {
  const document = parse(query);
  return selectionOf(document, getOperationAST(document)!);
};

describe("flatten", () => {
  it("takes a connection's nodes as rows and names columns by dotted path", () => {
    // given a satisfaction connection grouped by month
    const data = {
      insights: {
        satisfaction: {
          edges: [
            { node: { group: { key: "2026-02", label: "February 2026" }, figures: { responses: 4, satisfiedShare: 0.75, nps: null } } },
            { node: { group: { key: "2026-03", label: "March 2026" }, figures: { responses: 2, satisfiedShare: 1, nps: null } } },
          ],
          pageInfo: { hasNextPage: false, endCursor: "x" },
        },
      },
    };
    // when it is flattened
    const table = flatten(data);
    // then each node is a row, each leaf a column; nulls are empty cells
    expect(table).toEqual({
      path: ["insights", "satisfaction", "edges", "node"],
      columns: ["group.key", "group.label", "figures.responses", "figures.satisfiedShare", "figures.nps"],
      rows: [
        ["2026-02", "February 2026", "4", "0.75", ""],
        ["2026-03", "March 2026", "2", "1", ""],
      ],
    });
  });

  it("takes a plain list of objects as rows", () => {
    const data = {
      insights: {
        satisfactionSplit: [
          { key: "MET", figures: { responses: 3, satisfiedShare: 0.6666666666666666 } },
          { key: "BREACHED", figures: { responses: 1, satisfiedShare: 0 } },
        ],
      },
    };
    expect(flatten(data)).toEqual({
      path: ["insights", "satisfactionSplit"],
      columns: ["key", "figures.responses", "figures.satisfiedShare"],
      rows: [
        ["MET", "3", "0.6666666666666666"],
        ["BREACHED", "1", "0"],
      ],
    });
  });

  it("joins lists of scalars with `;` and lists of objects as `amount currency` with `; `", () => {
    const data = {
      insights: {
        warrantyClaims: {
          edges: [
            {
              node: {
                product: { id: "prd_1" },
                productName: "Espresso",
                approvedCost: [
                  { amount: "129.90", currency: "EUR" },
                  { amount: "40.00", currency: "CHF" },
                ],
                tags: ["a", "b", null],
              },
            },
            { node: { product: { id: "prd_2" }, productName: "Grinder", approvedCost: [], tags: [] } },
          ],
        },
      },
    };
    expect(flatten(data)?.rows).toEqual([
      ["prd_1", "Espresso", "129.90 EUR; 40.00 CHF", "a;b"],
      ["prd_2", "Grinder", "", ""],
    ]);
  });

  it("lists each selected leaf of a list of objects in a column of its own, in the same order", () => {
    const query = `{ insights { warrantyClaims { edges { node { productName approvedCost { amount currency } } } } } }`;
    const data = {
      insights: {
        warrantyClaims: {
          edges: [
            {
              node: {
                productName: "Espresso",
                approvedCost: [
                  { amount: "129.90", currency: "EUR" },
                  { amount: "40.00", currency: "CHF" },
                ],
              },
            },
            { node: { productName: "Grinder", approvedCost: [] } },
          ],
        },
      },
    };
    expect(flatten(data, selection(query))).toMatchObject({
      columns: ["productName", "approvedCost.amount", "approvedCost.currency"],
      rows: [
        ["Espresso", "129.90;40.00", "EUR;CHF"],
        ["Grinder", "", ""],
      ],
    });
  });

  it("skips a list of scalars before the first list of objects", () => {
    const data = {
      insights: {
        filter: { from: "2026-01-01", productIds: ["prd_1"] },
        failurePareto: { totalTickets: 3, edges: [{ node: { failureCode: "PUMP", tickets: 3 } }] },
      },
    };
    expect(flatten(data)).toMatchObject({ path: ["insights", "failurePareto", "edges", "node"], columns: ["failureCode", "tickets"] });
  });

  it("gives an object that is null in some rows the columns of its leaves, in their place", () => {
    const data = {
      list: [
        { group: { key: null, label: "No product", product: null }, n: 1 },
        { group: { key: "prd_1", label: "Espresso", product: { id: "prd_1", name: "Espresso" } }, n: 2 },
      ],
    };
    expect(flatten(data)).toEqual({
      path: ["list"],
      columns: ["group.key", "group.label", "group.product.id", "group.product.name", "n"],
      rows: [
        ["", "No product", "", "", "1"],
        ["prd_1", "Espresso", "prd_1", "Espresso", "2"],
      ],
    });
  });

  it("with the document's selection, keeps its columns (aliases, fragments) even for an empty list", () => {
    // given a query with an alias and a fragment, and a result without rows
    const query = `
      query { i: insights { failurePareto(productId: "p") { totalTickets edges { cursor node { ...Mode code: failureCode } } } } }
      fragment Mode on FailureMode { tickets share }`;
    const data = { i: { failurePareto: { totalTickets: 0, edges: [] } } };
    // when it is flattened with the selection
    const table = flatten(data, selection(query));
    // then the header is there, in document order
    expect(table).toEqual({ path: ["i", "failurePareto", "edges", "node"], columns: ["tickets", "share", "code"], rows: [] });
    // and without it there is nothing to name the columns by
    expect(flatten(data)).toEqual({ path: ["i", "failurePareto", "edges", "node"], columns: [], rows: [] });
  });

  it("with the document's selection, a leaf list of ids is not the table", () => {
    const query = `{ insights { filter { productIds } satisfactionSplit(by: COVERAGE) { key figures { responses } } } }`;
    const data = { insights: { filter: { productIds: [] }, satisfactionSplit: [{ key: "NONE", figures: null }] } };
    expect(flatten(data, selection(query))).toEqual({
      path: ["insights", "satisfactionSplit"],
      columns: ["key", "figures.responses"],
      rows: [["NONE", ""]],
    });
  });

  it("takes the first object under a root field as one row when the result holds no list of objects", () => {
    const query = `{ insights { complaintRecovery { opened resolved timing: medianHoursToResolve } } }`;
    const data = { insights: { complaintRecovery: { opened: 3, resolved: 2, timing: null } } };
    expect(flatten(data, selection(query))).toEqual({
      path: ["insights", "complaintRecovery"],
      columns: ["opened", "resolved", "timing"],
      rows: [["3", "2", ""]],
    });
  });

  it("finds no table in a result without a list or an object under a root field", () => {
    expect(flatten({ insights: { totalTickets: 3 } })).toBeNull();
    expect(flatten({ insights: null })).toBeNull();
    expect(flatten(null)).toBeNull();
  });
});

describe("toCsv", () => {
  it("writes a header row and quotes commas, quotes and line breaks (RFC 4180), with CRLF line ends", () => {
    const csv = toCsv({
      columns: ["group.label", "comment"],
      rows: [
        ["Müller, Berlin", 'He said "fine"'],
        ["two\nlines", "plain"],
        ["", "cr\rhere"],
      ],
    });
    expect(csv).toBe('group.label,comment\r\n"Müller, Berlin","He said ""fine"""\r\n"two\nlines",plain\r\n,"cr\rhere"\r\n');
  });

  it("writes nulls as empty cells", () => {
    expect(
      toCsv(
        flatten({
          rows: [
            { a: null, b: 1 },
            { a: "x", b: null },
          ],
        })!,
      ),
    ).toBe("a,b\r\n,1\r\nx,\r\n");
  });

  it("defuses text a spreadsheet would run as a formula, leaving numbers alone", () => {
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField("+49 30 1234")).toBe("'+49 30 1234");
    expect(csvField("-12.5")).toBe("-12.5");
    expect(csvField("-100")).toBe("-100");
    expect(csvField("2026-W09")).toBe("2026-W09");
  });

  it("prints numbers and booleans as JSON does", () => {
    expect([cell(0.1 + 0.2), cell(-33.33), cell(true), cell(0), cell(null)]).toEqual(["0.30000000000000004", "-33.33", "true", "0", ""]);
  });
});

describe("notAnInsightsQuery", () => {
  it("accepts queries whose root fields are all `insights` or `outreachInsights`, aliases included", () => {
    expect(notAnInsightsQuery(parse(`{ insights { network { resolution { resolved } } } }`))).toBeNull();
    expect(notAnInsightsQuery(parse(`{ outreachInsights { conversion { totalCount } } insights { filter { from } } }`))).toBeNull();
    expect(notAnInsightsQuery(parse(`query A { a: insights { network { resolution { resolved } } } b: insights(filter: {}) { filter { from } } }`))).toBeNull();
  });

  it("refuses mutations, other root fields, root fragments and a second operation that is not one", () => {
    expect(notAnInsightsQuery(parse(`mutation { openDueSurveys { opened } }`))).toMatch(/mutation/);
    expect(notAnInsightsQuery(parse(`{ insights { filter { from } } customers { totalCount } }`))).toMatch(/not `customers`/);
    expect(notAnInsightsQuery(parse(`{ ...Q } fragment Q on Query { customers { totalCount } }`))).toMatch(/no fragments/);
    expect(notAnInsightsQuery(parse(`query A { insights { filter { from } } } query B { tickets { totalCount } }`))).toMatch(/B/);
    expect(notAnInsightsQuery(parse(`subscription { insights { filter { from } } }`))).toMatch(/subscription/);
    expect(notAnInsightsQuery(parse(`fragment F on Query { insights { filter { from } } }`))).toMatch(/no operation/);
  });
});
