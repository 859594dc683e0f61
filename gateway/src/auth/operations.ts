import { guardedCaller, operationHash, sendGraphQLError } from "@aftersales/kit";
import type { RequestHandler } from "express";
import { GraphQLError } from "graphql";
import type { OperationLookup } from "./partners.js";

/**
 * Registered (persisted) operations. A client calls one by its SHA-256 hash,
 * as `documentId` (GraphQL over HTTP) or as Apollo's
 * `extensions.persistedQuery.sha256Hash`, instead of sending the document.
 * An API key restricted to registered operations may send nothing else.
 * Unlike Apollo's automatic persisted queries, a hash is only known once
 * someone registered it through `registerOperation`.
 */
export function persistedOperations(lookup: OperationLookup): RequestHandler {
  return (req, res, next) => {
    const { identity, identityHeader = "" } = guardedCaller(res);
    const body: unknown = req.body;
    if (!isRecord(body)) {
      if (identity.operationsOnly) return sendGraphQLError(res, operationRequired());
      return next();
    }
    const extensions = isRecord(body.extensions) ? body.extensions : {};
    const persisted = isRecord(extensions.persistedQuery) ? extensions.persistedQuery : {};
    const hash = typeof body.documentId === "string" ? body.documentId : persisted.sha256Hash;
    if (typeof hash !== "string") {
      if (identity.operationsOnly) return sendGraphQLError(res, operationRequired());
      return next();
    }
    const sha256 = hash.replace(/^sha256:/, "");
    if (typeof body.query === "string" && operationHash(body.query) !== sha256) {
      return sendGraphQLError(res, new GraphQLError("The document does not match its hash.", { extensions: { code: "BAD_REQUEST", http: { status: 400 } } }));
    }
    lookup(sha256, { identity, identityHeader }).then((document) => {
      if (!document) {
        return sendGraphQLError(
          res,
          new GraphQLError(`No operation is registered under ${sha256}; register it with \`registerOperation\` first.`, {
            extensions: { code: "PERSISTED_QUERY_NOT_FOUND", http: { status: 404 } },
          }),
        );
      }
      // From here on Apollo sees an ordinary request; its own persisted-query handling stays off.
      const { persistedQuery: _persisted, ...otherExtensions } = extensions;
      req.body = { ...body, query: document, extensions: otherExtensions };
      delete (req.body as Record<string, unknown>).documentId;
      next();
    }, next);
  };
}

function operationRequired(): GraphQLError {
  return new GraphQLError("This API key may only call registered operations: send `documentId` (the operation's SHA-256 hash) instead of a query.", {
    extensions: { code: "PERSISTED_OPERATION_REQUIRED", http: { status: 403 } },
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
