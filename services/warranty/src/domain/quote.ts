import { addAmounts, multiplyAmountBy, subtractAmount } from "@aftersales/kit";
import { hundredthsOfHours, laborAllowance, partAllowance } from "./adjudication.js";
import type { CoverageDecision } from "./coverage.js";

export interface QuoteLine {
  kind: "PART" | "LABOR";
  partId: string | null;
  quantity: number | null;
  hours: number | null;
  price: string;
  covered: string;
  customerPays: string;
  note: string;
}

/**
 * What a repair will cost and how much of it coverage pays, before the
 * repair is done. It prices with the same rules as claim adjudication so the
 * customer hears what the claim will pay: a part at list price × quantity,
 * covered at the parts share when it is in the bill of materials; labor at
 * hours × rate, covered at the labor share for at most the standard hours
 * (and a contract's hours left). Under no coverage, or a contract without
 * cases left, nothing is covered.
 */
export function quoteCoverage(input: {
  coverage: CoverageDecision;
  /** What the quote is in: the workshop's labor rate's currency, which parts' list prices are in too. */
  currency: string;
  parts: readonly { partId: string; quantity: number; listPrice: string | null; inBillOfMaterials: boolean }[];
  laborHours: number;
  laborRate: string;
  standardHours: number | null;
}): { lines: QuoteLine[]; total: string; covered: string; customerPays: string } {
  const { coverage, currency } = input;
  const nothing = addAmounts(currency);
  const contract = coverage.kind === "CONTRACT" ? coverage.contract : null;
  const notCovered =
    coverage.kind === "NONE"
      ? `Not covered on ${coverage.onDate}. ${coverage.explanation}`
      : contract && contract.casesLeft !== null && contract.casesLeft <= 0
        ? `Not covered: service contract ${contract.number} has no cases left.`
        : null;

  const line = (fields: Omit<QuoteLine, "customerPays">): QuoteLine => ({ ...fields, customerPays: subtractAmount(currency, fields.price, fields.covered) });
  const lines: QuoteLine[] = input.parts.map((part) => {
    const base = { kind: "PART" as const, partId: part.partId, quantity: part.quantity, hours: null };
    if (part.listPrice === null) {
      return line({
        ...base,
        price: nothing,
        covered: nothing,
        note: `No list price in ${currency} is known for part ${part.partId}; the workshop prices it.`,
      });
    }
    const price = multiplyAmountBy(currency, part.listPrice, [part.quantity], 1, "half-up");
    if (notCovered) return line({ ...base, price, covered: nothing, note: notCovered });
    if (!part.inBillOfMaterials) {
      return line({ ...base, price, covered: nothing, note: `Part ${part.partId} is not in the product's bill of materials, so it is not covered.` });
    }
    const covered = partAllowance(currency, part.listPrice, part.quantity, coverage.partsShare);
    return line({ ...base, price, covered, note: `${coverage.partsShare} % of the list price is covered.` });
  });

  // No labor, no labor line.
  if (input.laborHours > 0) {
    const hours = hundredthsOfHours(input.laborHours);
    const price = laborAllowance(currency, hours, input.laborRate, 100);
    const base = { kind: "LABOR" as const, partId: null, quantity: null, hours: input.laborHours };
    if (notCovered) {
      lines.push(line({ ...base, price, covered: nothing, note: notCovered }));
    } else {
      let coveredHours = hours;
      let note = `${coverage.laborShare} % of ${hours / 100} h is covered.`;
      if (input.standardHours !== null && hundredthsOfHours(input.standardHours) < coveredHours) {
        coveredHours = hundredthsOfHours(input.standardHours);
        note = `${coverage.laborShare} % of the ${coveredHours / 100} h standard time is covered; the customer pays the ${(hours - coveredHours) / 100} h beyond it.`;
      }
      if (contract?.laborHoursLeft != null && hundredthsOfHours(contract.laborHoursLeft) < coveredHours) {
        coveredHours = Math.max(hundredthsOfHours(contract.laborHoursLeft), 0);
        note = `Service contract ${contract.number} has ${coveredHours / 100} h of labor left; the customer pays the ${(hours - coveredHours) / 100} h beyond it.`;
      }
      const covered = laborAllowance(currency, coveredHours, input.laborRate, coverage.laborShare);
      lines.push(line({ ...base, price, covered, note }));
    }
  }

  return {
    lines,
    total: addAmounts(currency, ...lines.map((l) => l.price)),
    covered: addAmounts(currency, ...lines.map((l) => l.covered)),
    customerPays: addAmounts(currency, ...lines.map((l) => l.customerPays)),
  };
}
