/** Amount and currency columns as the GraphQL `Money` type. */
export const moneyOf = (amount: string, currency: string) => ({ amount, currency });
