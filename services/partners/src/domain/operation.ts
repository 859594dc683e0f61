import { InputChecks, operationHash } from "@aftersales/kit";
import { GraphQLError, Kind, parse, type OperationDefinitionNode } from "graphql";
import type { PartnerErrorCode } from "./errors.js";

/** Registered documents are read on every call; this keeps one from costing more than a query should. */
export const MAX_DOCUMENT_LENGTH = 20_000;

export interface CheckedOperation {
  /** SHA-256 (hex) of the document exactly as given: what clients send as `documentId`. */
  hash: string;
  name: string;
  document: string;
}

/**
 * Checks a document to register: it must parse, and hold exactly one
 * operation, named (fragments it uses may come along). The document is kept
 * byte for byte, since its hash is what clients call it by; it is validated
 * against the schema when it is called.
 */
export function checkOperation(input: { name: string; document: string }, checks = new InputChecks<PartnerErrorCode>()): CheckedOperation {
  const name = checks.text(input.name, ["name"], 100);
  const { document } = input;
  if (!document.trim()) {
    checks.add("REQUIRED", "`document` must not be blank.", ["document"]);
  } else if (document.length > MAX_DOCUMENT_LENGTH) {
    checks.add("TOO_LONG", `\`document\` must be at most ${MAX_DOCUMENT_LENGTH} characters.`, ["document"]);
  } else {
    const operations = operationsIn(checks, document);
    if (operations && operations.length !== 1) {
      checks.add("NOT_ONE_OPERATION", `A registered document holds exactly one operation; this one holds ${operations.length}.`, ["document"]);
    } else if (operations?.[0] && !operations[0].name) {
      checks.add("OPERATION_NAME_REQUIRED", "Name the operation (e.g. `query OpenTickets { ... }`), so its calls can be told apart.", ["document"]);
    }
  }
  checks.refuseIfAny();
  return { hash: operationHash(document), name, document };
}

function operationsIn(checks: InputChecks<PartnerErrorCode>, document: string): OperationDefinitionNode[] | null {
  try {
    const { definitions } = parse(document);
    if (definitions.some((d) => d.kind !== Kind.OPERATION_DEFINITION && d.kind !== Kind.FRAGMENT_DEFINITION)) {
      checks.add("INVALID_DOCUMENT", "A registered document holds an operation and its fragments, no type definitions.", ["document"]);
      return null;
    }
    return definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    checks.add("INVALID_DOCUMENT", `The document is not GraphQL: ${error.message}`, ["document"]);
    return null;
  }
}
