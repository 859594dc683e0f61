export declare const gatewayConfig: import("@graphql-hive/gateway").GatewayCLIConfig<Partial<Record<string, any>> & Record<string, any>>;
//# sourceMappingURL=gateway.config.d.ts.map