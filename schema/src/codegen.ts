/**
 * Resolver types for every subgraph, generated from its SDL (the shared
 * `common.graphql` plus its own `schema.graphql`) with graphql-codegen, and
 * the typed documents of the tests' operations (`codegen-tests.ts`).
 *   npm run codegen             writes services/<subgraph>/src/generated/graphql.ts and tests/src/generated/
 *   npm run codegen -- --check  fails when one of them is stale
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { codegen } from "@graphql-codegen/core";
import { Kind, type DocumentNode, type ObjectTypeDefinitionNode, type TypeNode } from "graphql";
import * as typescript from "@graphql-codegen/typescript";
import * as typescriptResolvers from "@graphql-codegen/typescript-resolvers";
import { testDocuments } from "./codegen-tests.js";
import { subgraphs } from "./subgraphs.js";

/** The row type a resolver of each GraphQL type receives as its parent, per subgraph. */
const MAPPERS: Record<string, Record<string, string>> = {
  partners: {
    Dealer: "../db/schema.js#DealerRow",
    BusinessCalendar: "../db/schema.js#DealerRow",
    Technician: "../db/schema.js#TechnicianRow",
    Customer: "../db/schema.js#CustomerRow",
    ApiKey: "../db/schema.js#ApiKeyRow",
    PersistedOperation: "../db/schema.js#PersistedOperationRow",
    WebhookEndpoint: "../db/schema.js#WebhookEndpointRow",
    WebhookDelivery: "../db/schema.js#WebhookDeliveryRow",
    WebhookAttempt: "../db/schema.js#WebhookAttemptRow",
  },
  catalog: {
    Product: "../db/schema.js#ProductRow",
    LifecycleChange: "../db/schema.js#LifecycleChangeRow",
    BomLine: "../db/schema.js#BomLineRow",
    RepairStandard: "../db/schema.js#RepairStandardRow",
    Unit: "../db/schema.js#UnitRow",
    UnitEvent: "../db/schema.js#UnitEventRow",
    ConsumablePurchase: "../db/schema.js#ConsumablePurchaseRow",
    ReplenishmentForecast: "../db/forecasts.js#DueForecast",
    PartStock: "../db/schema.js#PartStockRow",
    Customer: "../db/schema.js#EntityRef",
    Dealer: "../db/schema.js#EntityRef",
  },
  warranty: {
    WarrantyPolicy: "../db/schema.js#PolicyRow",
    UnitWarranty: "../domain/coverage.js#WarrantyPeriod",
    Coverage: "../db/coverage.js#CoverageAnswer",
    CoverageQuote: "../db/coverage.js#QuoteAnswer",
    CoverageQuoteLine: "../db/coverage.js#QuoteLineAnswer",
    ContractPlan: "../db/schema.js#PlanRow",
    ServiceContract: "../db/schema.js#ContractRow",
    ContractedUnit: "../db/schema.js#ContractUnitRow",
    ExpiringWarranty: "../db/units.js#ExpiringWarrantyRow",
    ContractOffer: "../db/units.js#ContractOfferRow",
    MaintenanceVisit: "../db/schema.js#VisitRow",
    WarrantyClaim: "../db/schema.js#ClaimRow",
    RepairedUnit: "../db/schema.js#KnownUnitRow",
    WarrantyClaimLine: "../db/schema.js#ClaimLineRow",
    WarrantyClaimEvent: "../db/schema.js#ClaimHistoryRow",
    WarrantyClaimStats: "../db/claims.js#ClaimStatsRow",
    Unit: "../db/units.js#UnitRepresentation",
    Ticket: "../db/units.js#TicketRepresentation",
    Product: "../db/schema.js#EntityRef",
    Dealer: "../db/schema.js#EntityRef",
    Customer: "../db/schema.js#EntityRef",
  },
  tickets: {
    Ticket: "../db/schema.js#TicketRow",
    TicketTimelineEntry: "../db/schema.js#TimelineRow",
    Customer: "../db/schema.js#EntityRef",
    Unit: "../db/schema.js#EntityRef",
    Dealer: "../db/schema.js#EntityRef",
    Product: "../db/schema.js#EntityRef",
    Technician: "../db/schema.js#EntityRef",
    TicketSla: "../db/sla.js#TicketSlaView",
    SlaClock: "@aftersales/kit#ClockReading",
    SlaEvent: "@aftersales/kit#SlaEvent as SlaEventModel",
    SlaPolicy: "../db/sla.js#SlaPolicyView",
    TicketDispatch: "../domain/dispatch.js#DispatchDecision",
    DispatchCandidate: "../domain/dispatch.js#DispatchCandidate as DispatchCandidateModel",
    DispatchOverride: "../domain/dispatch.js#DispatchOverride as DispatchOverrideModel",
    TicketPartUse: "../db/schema.js#TicketPartRow",
    Loaner: "../db/schema.js#LoanerRow",
  },
  feedback: {
    Survey: "../db/schema.js#SurveyRow",
    SurveyAnswer: "../db/schema.js#SurveyRow",
    Feedback: "../db/schema.js#FeedbackRow",
    ComplaintCase: "../db/schema.js#ComplaintCaseRow",
    ComplaintDeadline: "../domain/complaint.js#DeadlineView",
    ComplaintRecoveryFigures: "../db/complaints.js#RecoveryRow",
    SurveyTimings: "../domain/survey.js#SurveyTimings as SurveyTimingsModel",
    Insights: "../db/insights.js#InsightsQuery",
    InsightsGroup: "../db/insights.js#GroupRow",
    WarrantyClaimRate: "../db/insights.js#ClaimRateRow",
    Ticket: "../db/schema.js#EntityRef",
    Customer: "../db/schema.js#EntityRef",
    Dealer: "../db/schema.js#EntityRef",
    Unit: "../db/schema.js#EntityRef",
    Product: "../db/schema.js#EntityRef",
    Technician: "../db/schema.js#EntityRef",
  },
  outreach: {
    OutreachItem: "../db/schema.js#ItemRow",
    OutreachReason: "../db/schema.js#ReasonRow",
    OutreachOffer: "../db/schema.js#ReasonOffer",
    OutreachInsights: "../db/insights.js#OutreachInsightsQuery",
    OutreachInsightsGroup: "../db/insights.js#ConversionGroup",
    Customer: "../db/schema.js#EntityRef",
    Dealer: "../db/schema.js#EntityRef",
    Unit: "../db/schema.js#EntityRef",
    Product: "../db/schema.js#EntityRef",
    Survey: "../db/schema.js#EntityRef",
    Feedback: "../db/schema.js#EntityRef",
    ContractPlan: "../db/schema.js#EntityRef",
  },
};

/**
 * Every `<Item>Connection` is resolved from the kit's `Connection`, whose
 * `totalCount` is a function that counts only when the field is selected.
 * Its items are what the item type's resolvers take.
 */
function connectionMappers(typeDefs: DocumentNode): Record<string, string> {
  const objects = new Map(
    typeDefs.definitions.filter((d): d is ObjectTypeDefinitionNode => d.kind === Kind.OBJECT_TYPE_DEFINITION).map((d) => [d.name.value, d]),
  );
  const named = (type: TypeNode): string => (type.kind === Kind.NAMED_TYPE ? type.name.value : named(type.type));
  const fieldType = (object: ObjectTypeDefinitionNode | undefined, field: string) => {
    const found = object?.fields?.find((f) => f.name.value === field);
    return found ? named(found.type) : undefined;
  };
  const mappers: Record<string, string> = {};
  for (const [name, object] of objects) {
    if (!name.endsWith("Connection")) continue;
    const edge = fieldType(object, "edges");
    const node = fieldType(objects.get(edge ?? ""), "node");
    if (!node) throw new Error(`${name} is not a connection of edges with a node; name it otherwise.`);
    // Fields of its own besides the three (a Pareto's total tickets) stay as the SDL types them.
    const own = object.fields?.some((f) => !["edges", "pageInfo", "totalCount"].includes(f.name.value));
    mappers[name] = own ? `@aftersales/kit#ConnectionWith<ResolversTypes['${node}'], ${name}>` : `@aftersales/kit#Connection<ResolversTypes['${node}']>`;
  }
  return mappers;
}

const HEADER = "/* Generated by `npm run codegen` from the subgraph's SDL. Do not edit. */\n";

async function generate(subgraph: (typeof subgraphs)[number]): Promise<{ file: URL; content: string }> {
  const output = await codegen({
    filename: "graphql.ts",
    schema: subgraph.typeDefs,
    documents: [],
    plugins: [{ typescript: {} }, { "typescript-resolvers": {} }],
    pluginMap: { typescript, "typescript-resolvers": typescriptResolvers },
    config: {
      federation: true,
      useTypeImports: true,
      enumsAsTypes: true,
      contextType: "../db/loaders.js#Context",
      mappers: { ...connectionMappers(subgraph.typeDefs), ...MAPPERS[subgraph.name] },
      scalars: {
        DateTime: { input: "Date", output: "Date | string" },
        Date: "string",
        Decimal: "string",
      },
    },
  });
  return { file: new URL(`../../services/${subgraph.name}/src/generated/graphql.ts`, import.meta.url), content: HEADER + output };
}

const check = process.argv.includes("--check");
const stale: string[] = [];
// Subgraphs whose schema is still empty have no resolvers to type.
const outputs = [...(await Promise.all(subgraphs.filter((s) => s.name in MAPPERS).map(generate))), ...(await testDocuments())];
for (const { file, content } of outputs) {
  let current = "";
  try {
    current = readFileSync(file, "utf8");
  } catch {
    // not generated yet
  }
  if (current === content) continue;
  if (check) stale.push(file.pathname);
  else {
    mkdirSync(new URL(".", file), { recursive: true });
    writeFileSync(file, content);
  }
}
if (stale.length) {
  console.error(`Generated types are stale; run \`npm run codegen\` and commit:\n${stale.map((f) => `  - ${f}`).join("\n")}`);
  process.exit(1);
}
console.log(check ? "Generated resolver and test document types are up to date." : "Generated resolver and test document types written.");
