import { moneyOf } from "@aftersales/kit";
import type { CoverageQuoteLineResolvers, CoverageQuoteResolvers } from "../generated/graphql.js";

export const CoverageQuote: CoverageQuoteResolvers = {
  total: (quote) => moneyOf(quote.total, quote.currency),
  covered: (quote) => moneyOf(quote.covered, quote.currency),
  customerPays: (quote) => moneyOf(quote.customerPays, quote.currency),
};

export const CoverageQuoteLine: CoverageQuoteLineResolvers = {
  part: (line) => (line.partId ? { id: line.partId } : null),
  price: (line) => moneyOf(line.price, line.currency),
  covered: (line) => moneyOf(line.covered, line.currency),
  customerPays: (line) => moneyOf(line.customerPays, line.currency),
};
