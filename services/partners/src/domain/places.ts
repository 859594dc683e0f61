import type { FieldPath, InputChecks } from "@aftersales/kit";
import type { PartnerErrorCode } from "./errors.js";

export interface AddressInput {
  street: string;
  postalCode: string;
  city: string;
  country: string;
}

export interface GeoPoint {
  latitude: number;
  longitude: number;
}

export function checkAddress(checks: InputChecks<PartnerErrorCode>, input: AddressInput, field: FieldPath): AddressInput {
  return {
    street: checks.optionalText(input.street, [...field, "street"]) ?? "",
    postalCode: checks.optionalText(input.postalCode, [...field, "postalCode"], 20) ?? "",
    city: checks.text(input.city, [...field, "city"], 100),
    country: checks.country(input.country, [...field, "country"]),
  };
}

export function checkGeoPoint(checks: InputChecks<PartnerErrorCode>, input: GeoPoint, field: FieldPath): GeoPoint {
  return {
    latitude: checks.range(input.latitude, [...field, "latitude"], -90, 90),
    longitude: checks.range(input.longitude, [...field, "longitude"], -180, 180),
  };
}

/** Address columns of a stored row as one address (a customer's street is null for callers who see no personal data). */
export const addressOf = <Street extends string | null>(row: { street: Street; postalCode: string; city: string; country: string }) => ({
  street: row.street,
  postalCode: row.postalCode,
  city: row.city,
  country: row.country,
});

/** Location columns of a stored row as a point; null until located. */
export const geoPointOf = (row: { latitude: number | null; longitude: number | null }) =>
  row.latitude === null || row.longitude === null ? null : { latitude: row.latitude, longitude: row.longitude };
