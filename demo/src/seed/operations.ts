/**
 * What the seed sends: operations (one mutation each, with what it needs and
 * what it creates), and the references by which later operations name what
 * earlier ones created.
 */
/** What a created object is remembered by: `dealer:<key>`, `customer:<key>`, `product:<sku>`, `unit:<serial number>`, `ticket:<key>`. */
export type RefKey = `${"dealer" | "technician" | "customer" | "product" | "unit" | "plan" | "contract" | "claim" | "ticket"}:${string}`;

export interface Created {
  id: string;
  version: number;
  /** The fields `creates.also` asked for, by name (a selection such as `sla { source }` by its field's name). */
  also?: Record<string, unknown>;
}

export class Refs {
  private readonly created = new Map<RefKey, Created>();

  set(key: RefKey, value: Created): void {
    this.created.set(key, value);
  }

  has(key: RefKey): boolean {
    return this.created.has(key);
  }

  get(key: RefKey): Created {
    const value = this.created.get(key);
    if (!value) throw new Error(`The demo seed needs ${key} before it was created.`);
    return value;
  }

  id(key: RefKey): string {
    return this.get(key).id;
  }
}

export interface Operation {
  /** Says in an error message which demo object failed. */
  label: string;
  mutation: string;
  inputType: string;
  /** Objects that must exist before the input can be written. */
  needs: readonly RefKey[];
  input: (refs: Refs) => Record<string, unknown>;
  /** The object the payload returns under `field`, remembered as `as` (with the fields `also` selects). */
  creates?: { field: string; as: RefKey; also?: readonly string[] };
  /** The objects the payload lists under `field`, in order, remembered as `as` (one key each). */
  createsEach?: { field: string; as: readonly RefKey[] };
}

/** What an operation's payload brings the ids of. */
export const createdBy = (operation: Operation): readonly RefKey[] => [
  ...(operation.creates ? [operation.creates.as] : []),
  ...(operation.createsEach?.as ?? []),
];

export const dealer = (key: string): RefKey => `dealer:${key}`;
export const customer = (key: string): RefKey => `customer:${key}`;
export const product = (sku: string): RefKey => `product:${sku}`;
export const unit = (serialNumber: string): RefKey => `unit:${serialNumber}`;
export const plan = (key: string): RefKey => `plan:${key}`;
export const contract = (key: string): RefKey => `contract:${key}`;
export const claim = (key: string): RefKey => `claim:${key}`;
export const ticket = (key: string): RefKey => `ticket:${key}`;
export const technician = (key: string): RefKey => `technician:${key}`;

/** Leaves out the inputs a step does not give. */
export const given = (values: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(values).filter(([, value]) => value !== null && value !== undefined));
