/** Address and location columns as the GraphQL types show them, for every row that has them. */
export const addressOf = (row: { street: string; postalCode: string; city: string; country: string }) => ({
  street: row.street,
  postalCode: row.postalCode,
  city: row.city,
  country: row.country,
});

export const geoPointOf = (row: { latitude: number | null; longitude: number | null }) =>
  row.latitude === null || row.longitude === null ? null : { latitude: row.latitude, longitude: row.longitude };
