export * from "./credentials.js";
export * from "./development.js";
export * from "./partners.js";
