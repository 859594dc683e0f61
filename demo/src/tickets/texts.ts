/** What customers write when they open a ticket, and what agents answer. */
import type { FailureMode } from "../data.js";
import type { Random } from "../random.js";
import type { DemoCustomer, DemoUnit } from "../world.js";
import { productTemplate } from "./parts.js";
import type { Template } from "./templates.js";

export const MAINTENANCE: Readonly<Record<string, string>> = {
  "espresso-machines": "Maintenance: descaling, brew group service and pressure check",
  dishwashers: "Maintenance: filters, spray arms and door seal check",
  printers: "Maintenance: cleaning, pickup rollers and firmware update",
  tablets: "Maintenance: battery health check and OS update",
  "child-car-seats": "Maintenance: harness and ISOFIX check",
};

/** Questions customers ask about what they own, by category. */
export const QUESTIONS: Readonly<Record<string, { subject: string; description: string; answer: string }>> = {
  "espresso-machines": {
    subject: "Which descaler for the Barista Pro, and how often?",
    description: "The machine asks for descaling every few weeks. Is that normal with our water?",
    answer: "Explained the water-hardness setting and sent the descaling guide; recommended the 500 ml descaling liquid every two months.",
  },
  dishwashers: {
    subject: "Can the dishwasher run on the eco program overnight?",
    description: "We would like to use the cheaper night tariff.",
    answer: "Showed the delayed start (up to 24 h) in the manual; the eco program runs 3 h 40 min.",
  },
  printers: {
    subject: "Which toner cartridge fits my printer?",
    description: "The old cartridge is nearly empty; which one should I order?",
    answer: "The TN-500 (3,000 pages) fits the PrintLine 500; sent the order link.",
  },
  tablets: {
    subject: "How do I back up the tablet before the OS update?",
    description: "We do not want to lose the photos and the shop's forms.",
    answer: "Walked the customer through the backup in the settings; the update keeps the data anyway.",
  },
  "child-car-seats": {
    subject: "Does the SafeRide fit a 2015 estate car with ISOFIX?",
    description: "We are changing cars next month.",
    answer: "Checked the vehicle list: it fits with the ISOFIX base; sent the fitting video.",
  },
};

export const COMPLAINTS: readonly { subject: string; description: string; note: string }[] = [
  {
    subject: "Technician arrived two hours late, without calling",
    description: "We waited all morning and nobody told us the visit was delayed.",
    note: "Called the customer back and apologised; the service manager will go through the visit with the workshop.",
  },
  {
    subject: "Invoice shows a travel charge we were told was included",
    description: "The repair was quoted without travel costs.",
    note: "Asked accounting to check the quote against the invoice; customer will hear back this week.",
  },
];

/** A question about something the customer owns. */
export function questionFor(random: Random, _customer: DemoCustomer, owned: readonly string[]) {
  const categories = [...new Set(owned.map((sku) => productTemplate(sku)?.category ?? ""))].filter((c) => QUESTIONS[c]).sort();
  return QUESTIONS[categories.length ? random.pick(categories) : "espresso-machines"]!;
}

export function textsOf(
  random: Random,
  t: Template,
  customer: DemoCustomer,
  unit: DemoUnit | null,
  failure: FailureMode | null,
  owned: readonly string[],
): { subject: string; description: string | null } {
  const name = unit ? (productTemplate(unit.productSku)?.name ?? unit.productSku) : "";
  const business = customer.kind === "BUSINESS";
  switch (t.kind) {
    case "REPAIR":
      return {
        subject: failure ? `${name}: ${failure.symptom}` : `${name} needs a repair`,
        description: failure
          ? `${business ? (customer.companyName ?? customer.name) : "The customer"} reports: ${failure.symptom}.${t.priority === "P1" ? " The machine is needed every day; please come as soon as possible." : ""}`
          : null,
      };
    case "INSTALLATION":
      return {
        subject: `Install and commission the new ${name}`,
        description: business ? "Please install during opening hours; ask for the manager on arrival." : "The customer is at home on weekday mornings.",
      };
    case "MAINTENANCE":
      return {
        subject: MAINTENANCE[productTemplate(unit?.productSku ?? "")?.category ?? ""] ?? `Maintenance of the ${name}`,
        description: "Yearly check the customer asked for.",
      };
    case "COMPLAINT":
      if (unit)
        return { subject: `${name} still faulty after the last repair`, description: "Third call about the same machine; the customer is losing patience." };
      return (({ subject, description }) => ({ subject, description }))(random.pick(COMPLAINTS));
    case "QUESTION": {
      const { subject, description } = questionFor(random, customer, owned);
      return { subject, description };
    }
    case "TRAINING":
      return {
        subject: `Staff training on the ${name}`,
        description: business ? "New staff started this month; please show daily use and cleaning." : "The owner asks for a walkthrough.",
      };
    case "RETURN":
      return {
        subject: `Return of the ${name} within the cancellation period`,
        description: "Bought online; the customer says it does not fit the space they had planned.",
      };
  }
}
