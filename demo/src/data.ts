/**
 * The fixed ingredients of the demo world: four markets with their partners,
 * people's names and neighbourhoods, and the product catalog. `world.ts`
 * combines them with a seeded random source and a reference date.
 */
import type { PlanDraft, PolicyInput } from "@aftersales/warranty/domain";
import type { Random } from "./random.js";

export type MarketKey = "de" | "uk" | "us" | "jp";
export type DealerKind = "DEALER" | "SERVICE_CENTER" | "BOTH";
export type Weekday = "MONDAY" | "TUESDAY" | "WEDNESDAY" | "THURSDAY" | "FRIDAY" | "SATURDAY" | "SUNDAY";
export type ProductKind = "EQUIPMENT" | "CONSUMABLE" | "SPARE_PART" | "ACCESSORY";
export type LifecycleStage = "INTRODUCTION" | "GROWTH" | "MATURITY" | "DECLINE" | "DISCONTINUED";
export type ConsumerProfile = "coffee" | "family" | "home";
export type BusinessProfile = "cafe" | "office" | "daycare";
export type CustomerProfile = ConsumerProfile | BusinessProfile;

export interface Place {
  city: string;
  /** A full postal code, or for the UK the outward code (the inward code is made up). */
  postalCode: string;
  streets: readonly string[];
  latitude: number;
  longitude: number;
}

export interface Market {
  key: MarketKey;
  region: string;
  country: string;
  currency: string;
  /** Converts list prices (EUR) into the market's currency; close enough for a demo. */
  eurRate: number;
  /** Whole units only (yen). */
  wholeAmounts: boolean;
  firstNames: readonly string[];
  lastNames: readonly string[];
  places: readonly Place[];
  businesses: readonly { name: string; profile: BusinessProfile }[];
  /** The street line the way the market writes it. */
  streetLine(street: string, random: Random): string;
  postalCode(place: Place, random: Random): string;
  /** A phone number from ranges reserved for fiction where a country has them. */
  phone(random: Random): string;
}

const digits = (random: Random, count: number) => Array.from({ length: count }, () => random.int(0, 9)).join("");
/** Subscriber numbers do not start with 0 or 1. */
const subscriber = (random: Random, count: number) => `${random.int(2, 9)}${digits(random, count - 1)}`;
/** Letters UK postcodes use in the inward code. */
const UK_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ";

export const MARKETS: Record<MarketKey, Market> = {
  de: {
    key: "de",
    region: "DACH",
    country: "DE",
    currency: "EUR",
    eurRate: 1,
    wholeAmounts: false,
    firstNames: [
      "Anna",
      "Lukas",
      "Sophie",
      "Jonas",
      "Marie",
      "Felix",
      "Lena",
      "Paul",
      "Hannah",
      "Maximilian",
      "Laura",
      "Tobias",
      "Julia",
      "Moritz",
      "Katharina",
      "Elias",
      "Clara",
      "Jan",
      "Mia",
      "Niklas",
    ],
    lastNames: [
      "Schmidt",
      "Müller",
      "Schneider",
      "Fischer",
      "Weber",
      "Becker",
      "Hoffmann",
      "Schäfer",
      "Koch",
      "Richter",
      "Klein",
      "Wolf",
      "Neumann",
      "Schwarz",
      "Zimmermann",
      "Krüger",
      "Hartmann",
      "Lange",
    ],
    places: [
      { city: "Berlin", postalCode: "10405", streets: ["Kastanienallee", "Schönhauser Allee", "Danziger Straße"], latitude: 52.5389, longitude: 13.4242 },
      { city: "Berlin", postalCode: "10997", streets: ["Oranienstraße", "Wiener Straße", "Skalitzer Straße"], latitude: 52.5003, longitude: 13.4337 },
      { city: "Berlin", postalCode: "10585", streets: ["Kantstraße", "Wilmersdorfer Straße", "Pestalozzistraße"], latitude: 52.5137, longitude: 13.3044 },
      { city: "Berlin", postalCode: "10245", streets: ["Boxhagener Straße", "Simon-Dach-Straße", "Warschauer Straße"], latitude: 52.5083, longitude: 13.4556 },
      { city: "Berlin", postalCode: "10827", streets: ["Akazienstraße", "Goltzstraße", "Hauptstraße"], latitude: 52.4856, longitude: 13.3519 },
      { city: "Berlin", postalCode: "12163", streets: ["Schloßstraße", "Albrechtstraße", "Grunewaldstraße"], latitude: 52.4574, longitude: 13.3201 },
      {
        city: "Potsdam",
        postalCode: "14467",
        streets: ["Brandenburger Straße", "Lindenstraße", "Friedrich-Ebert-Straße"],
        latitude: 52.4003,
        longitude: 13.0569,
      },
    ],
    businesses: [
      { name: "Café Morgenrot", profile: "cafe" },
      { name: "Rösterei am Landwehrkanal", profile: "cafe" },
      { name: "Kanzlei Brandt & Partner", profile: "office" },
      { name: "Architekturbüro Lindner", profile: "office" },
      { name: "Kita Sternschnuppe", profile: "daycare" },
    ],
    streetLine: (street, random) => `${street} ${random.int(1, 140)}`,
    postalCode: (place) => place.postalCode,
    phone: (random) => `+49 30 ${subscriber(random, 4)} ${digits(random, 4)}`,
  },
  uk: {
    key: "uk",
    region: "UK & Ireland",
    country: "GB",
    currency: "GBP",
    eurRate: 0.85,
    wholeAmounts: false,
    firstNames: [
      "Oliver",
      "Amelia",
      "Harry",
      "Isla",
      "George",
      "Ava",
      "Jack",
      "Emily",
      "Charlie",
      "Grace",
      "Thomas",
      "Freya",
      "James",
      "Poppy",
      "William",
      "Sophie",
    ],
    lastNames: [
      "Smith",
      "Jones",
      "Taylor",
      "Brown",
      "Williams",
      "Wilson",
      "Davies",
      "Evans",
      "Thomas",
      "Roberts",
      "Walker",
      "Wright",
      "Hughes",
      "Clarke",
      "Patel",
      "Khan",
    ],
    places: [
      { city: "London", postalCode: "N1", streets: ["Upper Street", "Essex Road", "Canonbury Road"], latitude: 51.5416, longitude: -0.1025 },
      { city: "London", postalCode: "E8", streets: ["Mare Street", "Dalston Lane", "Richmond Road"], latitude: 51.5432, longitude: -0.0553 },
      { city: "London", postalCode: "NW1", streets: ["Camden High Street", "Parkway", "Albert Street"], latitude: 51.539, longitude: -0.1426 },
      { city: "London", postalCode: "SW4", streets: ["Clapham High Street", "Abbeville Road", "Venn Street"], latitude: 51.4622, longitude: -0.138 },
      { city: "London", postalCode: "SE10", streets: ["Trafalgar Road", "Royal Hill", "Greenwich Church Street"], latitude: 51.4826, longitude: -0.0077 },
      { city: "Richmond", postalCode: "TW9", streets: ["Sheen Road", "Kew Road", "Hill Street"], latitude: 51.4613, longitude: -0.3037 },
    ],
    businesses: [
      { name: "The Copper Kettle Café", profile: "cafe" },
      { name: "Harrow & Finch Solicitors LLP", profile: "office" },
      { name: "Pimlico Print Studio Ltd", profile: "office" },
      { name: "Little Acorns Nursery", profile: "daycare" },
    ],
    streetLine: (street, random) => `${random.int(1, 260)} ${street}`,
    postalCode: (place, random) => `${place.postalCode} ${random.int(1, 9)}${random.pick([...UK_INWARD_LETTERS])}${random.pick([...UK_INWARD_LETTERS])}`,
    // Ofcom keeps 020 7946 0000-0999 for drama.
    phone: (random) => `+44 20 7946 0${digits(random, 3)}`,
  },
  us: {
    key: "us",
    region: "North America",
    country: "US",
    currency: "USD",
    eurRate: 1.08,
    wholeAmounts: false,
    firstNames: ["Emma", "Liam", "Olivia", "Noah", "Ava", "Ethan", "Mia", "Mason", "Isabella", "Lucas", "Harper", "Aiden", "Chloe", "Daniel", "Maya", "Jacob"],
    lastNames: [
      "Johnson",
      "Garcia",
      "Miller",
      "Davis",
      "Rodriguez",
      "Martinez",
      "Anderson",
      "Lee",
      "Nguyen",
      "Thompson",
      "White",
      "Harris",
      "Clark",
      "Lewis",
      "Robinson",
      "Cohen",
    ],
    places: [
      { city: "Brooklyn, NY", postalCode: "11215", streets: ["7th Avenue", "5th Avenue", "Prospect Park West"], latitude: 40.6681, longitude: -73.9806 },
      { city: "Brooklyn, NY", postalCode: "11211", streets: ["Bedford Avenue", "Grand Street", "Metropolitan Avenue"], latitude: 40.7128, longitude: -73.9539 },
      {
        city: "New York, NY",
        postalCode: "10024",
        streets: ["Amsterdam Avenue", "Columbus Avenue", "West 86th Street"],
        latitude: 40.7869,
        longitude: -73.9754,
      },
      { city: "Astoria, NY", postalCode: "11103", streets: ["Steinway Street", "31st Avenue", "Broadway"], latitude: 40.7614, longitude: -73.9146 },
      { city: "Hoboken, NJ", postalCode: "07030", streets: ["Washington Street", "Bloomfield Street", "Hudson Street"], latitude: 40.744, longitude: -74.0324 },
      { city: "Jersey City, NJ", postalCode: "07302", streets: ["Newark Avenue", "Grove Street", "Montgomery Street"], latitude: 40.7196, longitude: -74.0431 },
    ],
    businesses: [
      { name: "Brooklyn Grind Coffee Co.", profile: "cafe" },
      { name: "Atlantic Dental Group", profile: "office" },
      { name: "Gowanus Design Studio LLC", profile: "office" },
      { name: "Sunny Steps Daycare", profile: "daycare" },
    ],
    streetLine: (street, random) => `${random.int(10, 980)} ${street}`,
    postalCode: (place) => place.postalCode,
    // 555-0100 to 555-0199 are reserved for fiction.
    phone: (random) => `+1 ${random.pick(["212", "718", "917", "201"])} 555 01${digits(random, 2)}`,
  },
  jp: {
    key: "jp",
    region: "Japan",
    country: "JP",
    currency: "JPY",
    eurRate: 160,
    wholeAmounts: true,
    firstNames: ["Haruto", "Yui", "Sota", "Hina", "Yuto", "Aoi", "Riku", "Sakura", "Ren", "Mei", "Kaito", "Yuna", "Daiki", "Emi", "Kenji", "Naomi"],
    lastNames: [
      "Sato",
      "Suzuki",
      "Takahashi",
      "Tanaka",
      "Watanabe",
      "Ito",
      "Yamamoto",
      "Nakamura",
      "Kobayashi",
      "Kato",
      "Yoshida",
      "Yamada",
      "Sasaki",
      "Matsumoto",
    ],
    places: [
      { city: "Tokyo", postalCode: "150-0001", streets: ["Jingumae, Shibuya-ku"], latitude: 35.6702, longitude: 139.7027 },
      { city: "Tokyo", postalCode: "154-0024", streets: ["Sangenjaya, Setagaya-ku"], latitude: 35.6436, longitude: 139.671 },
      { city: "Tokyo", postalCode: "153-0061", streets: ["Nakameguro, Meguro-ku"], latitude: 35.6441, longitude: 139.6988 },
      { city: "Tokyo", postalCode: "106-0045", streets: ["Azabu-Juban, Minato-ku"], latitude: 35.6544, longitude: 139.7366 },
      { city: "Tokyo", postalCode: "162-0825", streets: ["Kagurazaka, Shinjuku-ku"], latitude: 35.7019, longitude: 139.7405 },
      { city: "Kawasaki", postalCode: "211-0063", streets: ["Kosugimachi, Nakahara-ku"], latitude: 35.5763, longitude: 139.6595 },
    ],
    businesses: [
      { name: "Kissa Komorebi", profile: "cafe" },
      { name: "Tanaka Accounting Office", profile: "office" },
      { name: "Shibuya Creative Lab K.K.", profile: "office" },
      { name: "Hidamari Nursery", profile: "daycare" },
    ],
    streetLine: (street, random) => `${random.int(1, 5)}-${random.int(1, 30)}-${random.int(1, 20)} ${street}`,
    postalCode: (place) => place.postalCode,
    phone: (random) => `+81 3 ${subscriber(random, 4)} ${digits(random, 4)}`,
  },
};

// ---------------------------------------------------------------------------
// Partners

export interface Window {
  day: Weekday;
  opens: string;
  closes: string;
}

const WORKDAYS: readonly Weekday[] = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"];
const workdays = (...slots: [string, string][]): Window[] => WORKDAYS.flatMap((day) => slots.map(([opens, closes]) => ({ day, opens, closes })));
const saturday = (opens: string, closes: string): Window => ({ day: "SATURDAY", opens, closes });

export interface PartnerTemplate {
  key: string;
  market: MarketKey;
  name: string;
  kind: DealerKind;
  email: string;
  phone: string;
  street: string;
  postalCode: string;
  city: string;
  latitude: number;
  longitude: number;
  timeZone: string;
  serviceRadiusKm: number;
  laborRate: string;
  /** Years before today the warranty-workshop authorization began; null: never authorized. */
  authorizedYearsAgo: number | null;
  /** Days before today the authorization ended; null: without end. */
  authorizationEndedDaysAgo: number | null;
  weeklyWindows: Window[];
  /** Extra closed days on top of the national holidays, as `MM-DD` and name. */
  companyHolidays: readonly (readonly [string, string])[];
  /** How many technicians it employs (0 for a dealer that only sells). */
  technicians: number;
  /** The domain of its staff's email addresses. */
  domain: string;
}

/** Four dealers (two also repair) and four service centers, one pair per market. */
export const PARTNERS: readonly PartnerTemplate[] = [
  {
    key: "dealer-berlin",
    market: "de",
    name: "Spreeland Haus- & Bürotechnik GmbH",
    kind: "BOTH",
    email: "kundendienst@spreeland-technik.example",
    phone: "+49 30 2847 1190",
    street: "Friedrichstraße 112",
    postalCode: "10117",
    city: "Berlin",
    latitude: 52.5251,
    longitude: 13.3889,
    timeZone: "Europe/Berlin",
    serviceRadiusKm: 60,
    laborRate: "89.00",
    authorizedYearsAgo: 5,
    authorizationEndedDaysAgo: null,
    weeklyWindows: [...workdays(["09:00", "18:30"]), saturday("10:00", "16:00")],
    companyHolidays: [
      ["12-24", "Heiligabend"],
      ["12-31", "Silvester"],
    ],
    technicians: 2,
    domain: "spreeland-technik.example",
  },
  {
    key: "dealer-london",
    market: "uk",
    name: "Thameside Home & Office Ltd",
    kind: "DEALER",
    email: "hello@thameside-home.example",
    phone: "+44 20 7946 0321",
    street: "221 Upper Street",
    postalCode: "N1 1RL",
    city: "London",
    latitude: 51.5416,
    longitude: -0.1025,
    timeZone: "Europe/London",
    serviceRadiusKm: 0,
    laborRate: "72.00",
    authorizedYearsAgo: null,
    authorizationEndedDaysAgo: null,
    weeklyWindows: [...workdays(["09:00", "17:30"]), saturday("09:30", "17:00")],
    companyHolidays: [],
    technicians: 0,
    domain: "thameside-home.example",
  },
  {
    key: "dealer-newyork",
    market: "us",
    name: "Hudson Appliance & Office Supply",
    kind: "BOTH",
    email: "service@hudson-appliance.example",
    phone: "+1 718 555 0134",
    street: "575 Atlantic Avenue",
    postalCode: "11217",
    city: "Brooklyn, NY",
    latitude: 40.684,
    longitude: -73.9777,
    timeZone: "America/New_York",
    serviceRadiusKm: 40,
    laborRate: "124.00",
    authorizedYearsAgo: 4,
    authorizationEndedDaysAgo: null,
    weeklyWindows: [...workdays(["08:00", "19:00"]), saturday("09:00", "15:00")],
    companyHolidays: [],
    technicians: 2,
    domain: "hudson-appliance.example",
  },
  {
    key: "dealer-tokyo",
    market: "jp",
    name: "Sakura Kaden & Office Co., Ltd.",
    kind: "DEALER",
    email: "info@sakura-kaden.example",
    phone: "+81 3 5468 2210",
    street: "2-11-3 Shibuya, Shibuya-ku",
    postalCode: "150-0002",
    city: "Tokyo",
    latitude: 35.6595,
    longitude: 139.7036,
    timeZone: "Asia/Tokyo",
    serviceRadiusKm: 0,
    laborRate: "9800",
    authorizedYearsAgo: null,
    authorizationEndedDaysAgo: null,
    weeklyWindows: [
      ...WORKDAYS.map((day) => ({ day, opens: "10:00", closes: "19:00" })),
      saturday("10:00", "18:00"),
      { day: "SUNDAY", opens: "11:00", closes: "17:00" },
    ],
    companyHolidays: [],
    technicians: 0,
    domain: "sakura-kaden.example",
  },
  {
    key: "sc-munich",
    market: "de",
    name: "Isar Service Center München",
    kind: "SERVICE_CENTER",
    email: "werkstatt@isar-service.example",
    phone: "+49 89 5467 3300",
    street: "Landsberger Straße 302",
    postalCode: "80687",
    city: "München",
    latitude: 48.1422,
    longitude: 11.504,
    timeZone: "Europe/Berlin",
    serviceRadiusKm: 600,
    laborRate: "94.50",
    authorizedYearsAgo: 6,
    authorizationEndedDaysAgo: null,
    // A lunch break.
    weeklyWindows: workdays(["08:00", "12:00"], ["13:00", "17:00"]),
    companyHolidays: [
      ["01-06", "Heilige Drei Könige"],
      ["08-15", "Mariä Himmelfahrt"],
      ["11-01", "Allerheiligen"],
    ],
    technicians: 4,
    domain: "isar-service.example",
  },
  {
    key: "sc-manchester",
    market: "uk",
    name: "Northern Appliance Repairs Ltd",
    kind: "SERVICE_CENTER",
    email: "bookings@northern-repairs.example",
    phone: "+44 161 496 0472",
    street: "Unit 7, Westinghouse Road",
    postalCode: "M17 1PY",
    city: "Manchester",
    latitude: 53.466,
    longitude: -2.318,
    timeZone: "Europe/London",
    serviceRadiusKm: 350,
    laborRate: "68.00",
    authorizedYearsAgo: 4,
    authorizationEndedDaysAgo: null,
    weeklyWindows: [...workdays(["08:00", "17:00"]), saturday("09:00", "12:30")],
    companyHolidays: [],
    technicians: 3,
    domain: "northern-repairs.example",
  },
  {
    key: "sc-chicago",
    market: "us",
    name: "Great Lakes Service Partners",
    kind: "SERVICE_CENTER",
    email: "dispatch@greatlakes-service.example",
    phone: "+1 312 555 0187",
    street: "1400 W Fulton Market",
    postalCode: "60607",
    city: "Chicago, IL",
    latitude: 41.8866,
    longitude: -87.6619,
    timeZone: "America/Chicago",
    serviceRadiusKm: 1200,
    laborRate: "118.00",
    // Its warranty authorization has ended.
    authorizedYearsAgo: 3,
    authorizationEndedDaysAgo: 45,
    weeklyWindows: workdays(["07:30", "18:00"]),
    companyHolidays: [],
    technicians: 3,
    domain: "greatlakes-service.example",
  },
  {
    key: "sc-osaka",
    market: "jp",
    name: "Kansai Technical Service Co., Ltd.",
    kind: "SERVICE_CENTER",
    email: "support@kansai-techservice.example",
    phone: "+81 6 6305 1180",
    street: "1-4-20 Nishinakajima, Yodogawa-ku",
    postalCode: "532-0011",
    city: "Osaka",
    latitude: 34.7277,
    longitude: 135.4996,
    timeZone: "Asia/Tokyo",
    serviceRadiusKm: 500,
    laborRate: "10500",
    authorizedYearsAgo: 2,
    authorizationEndedDaysAgo: null,
    // A lunch break, and Saturday mornings.
    weeklyWindows: [...workdays(["09:00", "12:00"], ["13:00", "18:00"]), saturday("09:00", "13:00")],
    companyHolidays: [
      ["12-29", "Year-end closure"],
      ["12-30", "Year-end closure"],
      ["12-31", "Year-end closure"],
    ],
    technicians: 2,
    domain: "kansai-techservice.example",
  },
];

// ---------------------------------------------------------------------------
// Catalog

export interface FailureMode {
  code: string;
  hours: number;
  symptom: string;
  fix: string;
  /** The spare part the fix replaces, when it is one of the product's bill of materials (a warranty claim lists it). */
  partSku?: string;
}

export interface ProductTemplate {
  sku: string;
  name: string;
  kind: ProductKind;
  category: string;
  lifecycleStage: Exclude<LifecycleStage, "DISCONTINUED">;
  /** List price in EUR. */
  listPrice: string;
  replenishmentCycleDays?: number;
  billOfMaterials?: readonly { partSku: string; quantity: number; serviceableSeparately: boolean }[];
  failureModes?: readonly FailureMode[];
  fittingSkus?: readonly string[];
}

/** How a piece of equipment reaches its owner and how long it has been sold. */
export interface EquipmentProfile {
  /** Short code in serial numbers. */
  serialPrefix: string;
  /** Days the product has been on the market. */
  soldForDays: number;
  /**
   * How it ends up with the owner: `install` (delivered, then installed and
   * commissioned), `car` (fitted into the customer's car at the dealer), or
   * `handover` (delivered; nothing to install).
   */
  setup: "install" | "car" | "handover";
  /** Whether firmware or kit upgrades exist for it. */
  upgrades: readonly string[];
}

const ESPRESSO_FAILURES: readonly FailureMode[] = [
  { code: "E01-NO-POWER", hours: 0.75, symptom: "does not switch on", fix: "Mains board and power switch replaced" },
  { code: "E02-NO-HEAT", hours: 1.5, symptom: "water stays cold", fix: "Thermoblock heater replaced", partSku: "SP-ESP-HEATER" },
  { code: "E04-PUMP", hours: 1.25, symptom: "weak or no pressure", fix: "Vibration pump replaced, pressure tested at 9 bar", partSku: "SP-ESP-PUMP" },
  { code: "E07-LEAK", hours: 1, symptom: "water under the machine", fix: "Brew group seals renewed" },
  { code: "E09-GRINDER", hours: 1.5, symptom: "grinder blocked", fix: "Grinder cleaned, burrs replaced" },
];

export const PRODUCTS: readonly ProductTemplate[] = [
  // Spare parts first: equipment names them in its bill of materials.
  {
    sku: "SP-ESP-PUMP",
    name: "Vibration pump 15 bar (Barista Pro)",
    kind: "SPARE_PART",
    category: "espresso-machines",
    lifecycleStage: "MATURITY",
    listPrice: "48.90",
  },
  {
    sku: "SP-ESP-BREWGROUP",
    name: "Brew group assembly (Barista Pro)",
    kind: "SPARE_PART",
    category: "espresso-machines",
    lifecycleStage: "MATURITY",
    listPrice: "119.00",
  },
  {
    sku: "SP-ESP-HEATER",
    name: "Thermoblock heater 1350 W (Barista Pro)",
    kind: "SPARE_PART",
    category: "espresso-machines",
    lifecycleStage: "MATURITY",
    listPrice: "86.50",
  },
  { sku: "SP-DW-DRAINPUMP", name: "Drain pump 30 W (AquaClean)", kind: "SPARE_PART", category: "dishwashers", lifecycleStage: "MATURITY", listPrice: "54.00" },
  { sku: "SP-DW-DOORSEAL", name: "Door seal (AquaClean 45)", kind: "SPARE_PART", category: "dishwashers", lifecycleStage: "MATURITY", listPrice: "24.90" },
  { sku: "SP-PRN-FUSER", name: "Fuser unit 230 V (PrintLine 500)", kind: "SPARE_PART", category: "printers", lifecycleStage: "MATURITY", listPrice: "139.00" },
  {
    sku: "SP-PRN-ROLLERS",
    name: "Pickup roller kit (PrintLine 500)",
    kind: "SPARE_PART",
    category: "printers",
    lifecycleStage: "MATURITY",
    listPrice: "19.90",
  },
  { sku: "SP-TAB-DISPLAY", name: "Display module 10.1 in (ProTab 10)", kind: "SPARE_PART", category: "tablets", lifecycleStage: "GROWTH", listPrice: "129.00" },
  {
    sku: "SP-CS-BUCKLE",
    name: "Harness buckle (SafeRide)",
    kind: "SPARE_PART",
    category: "child-car-seats",
    lifecycleStage: "INTRODUCTION",
    listPrice: "14.90",
  },
  // Consumables: cycles as DESIGN.md describes them.
  {
    sku: "CON-COFFEE-1KG",
    name: "Espresso beans Classico, 1 kg",
    kind: "CONSUMABLE",
    category: "coffee",
    lifecycleStage: "MATURITY",
    listPrice: "21.90",
    replenishmentCycleDays: 30,
  },
  {
    sku: "CON-DESCALER",
    name: "Descaling liquid, 500 ml",
    kind: "CONSUMABLE",
    category: "machine-care",
    lifecycleStage: "MATURITY",
    listPrice: "12.90",
    replenishmentCycleDays: 60,
  },
  {
    sku: "CON-TONER-500",
    name: "Toner cartridge TN-500, 3,000 pages",
    kind: "CONSUMABLE",
    category: "printer-supplies",
    lifecycleStage: "MATURITY",
    listPrice: "79.00",
    replenishmentCycleDays: 75,
  },
  {
    sku: "CON-FILM-TAB10",
    name: "Screen protector film ProTab 10, 2-pack",
    kind: "CONSUMABLE",
    category: "screen-protection",
    lifecycleStage: "GROWTH",
    listPrice: "14.90",
    replenishmentCycleDays: 90,
  },
  {
    sku: "CON-BABYFOOD-12",
    name: "Organic baby food jars, 12-pack",
    kind: "CONSUMABLE",
    category: "baby-food",
    lifecycleStage: "GROWTH",
    listPrice: "17.40",
    replenishmentCycleDays: 10,
  },
  {
    sku: "CON-DIAPERS-3",
    name: "Diapers size 3, 52-pack",
    kind: "CONSUMABLE",
    category: "diapers",
    lifecycleStage: "MATURITY",
    listPrice: "15.90",
    replenishmentCycleDays: 8,
  },
  {
    sku: "CON-DW-TABS-60",
    name: "Dishwasher tablets All-in-1, 60-pack",
    kind: "CONSUMABLE",
    category: "dishwasher-supplies",
    lifecycleStage: "MATURITY",
    listPrice: "11.90",
    replenishmentCycleDays: 45,
  },
  // Accessories.
  {
    sku: "ACC-MILK-JUG",
    name: "Stainless milk jug, 600 ml",
    kind: "ACCESSORY",
    category: "barista-accessories",
    lifecycleStage: "MATURITY",
    listPrice: "18.90",
  },
  {
    sku: "ACC-ISOFIX-BASE",
    name: "ISOFIX base for SafeRide",
    kind: "ACCESSORY",
    category: "child-car-seats",
    lifecycleStage: "INTRODUCTION",
    listPrice: "149.00",
  },
  {
    sku: "ACC-PAPER-TRAY",
    name: "Paper tray 550 sheets (PrintLine 500)",
    kind: "ACCESSORY",
    category: "printers",
    lifecycleStage: "MATURITY",
    listPrice: "89.00",
  },
  // Equipment last: it names parts and fittings.
  {
    sku: "ESP-300",
    name: "Barista Pro 300 Espresso Machine",
    kind: "EQUIPMENT",
    category: "espresso-machines",
    lifecycleStage: "GROWTH",
    listPrice: "1299.00",
    billOfMaterials: [
      { partSku: "SP-ESP-PUMP", quantity: 1, serviceableSeparately: true },
      { partSku: "SP-ESP-BREWGROUP", quantity: 1, serviceableSeparately: true },
      { partSku: "SP-ESP-HEATER", quantity: 1, serviceableSeparately: false },
    ],
    failureModes: ESPRESSO_FAILURES,
    fittingSkus: ["CON-COFFEE-1KG", "CON-DESCALER", "ACC-MILK-JUG"],
  },
  {
    sku: "ESP-200",
    name: "Barista Pro 200 Espresso Machine",
    kind: "EQUIPMENT",
    category: "espresso-machines",
    lifecycleStage: "DECLINE",
    listPrice: "999.00",
    billOfMaterials: [
      { partSku: "SP-ESP-PUMP", quantity: 1, serviceableSeparately: true },
      { partSku: "SP-ESP-BREWGROUP", quantity: 1, serviceableSeparately: true },
      { partSku: "SP-ESP-HEATER", quantity: 1, serviceableSeparately: false },
    ],
    failureModes: ESPRESSO_FAILURES,
    fittingSkus: ["CON-COFFEE-1KG", "CON-DESCALER", "ACC-MILK-JUG"],
  },
  {
    sku: "DW-45",
    name: "AquaClean 45 Compact Dishwasher",
    kind: "EQUIPMENT",
    category: "dishwashers",
    lifecycleStage: "MATURITY",
    listPrice: "649.00",
    billOfMaterials: [
      { partSku: "SP-DW-DRAINPUMP", quantity: 1, serviceableSeparately: true },
      { partSku: "SP-DW-DOORSEAL", quantity: 1, serviceableSeparately: true },
    ],
    failureModes: [
      { code: "E01-NO-POWER", hours: 0.75, symptom: "does not switch on", fix: "Door switch replaced" },
      { code: "E03-NO-DRAIN", hours: 1.25, symptom: "water stays in the tub", fix: "Drain pump replaced", partSku: "SP-DW-DRAINPUMP" },
      { code: "E05-HEATER", hours: 1.75, symptom: "dishes stay cold and wet", fix: "Heating element replaced" },
      { code: "E08-DOOR-SEAL", hours: 0.5, symptom: "leaks at the door", fix: "Door seal replaced", partSku: "SP-DW-DOORSEAL" },
    ],
    fittingSkus: ["CON-DW-TABS-60"],
  },
  {
    sku: "PRN-500",
    name: "PrintLine 500 Laser Printer",
    kind: "EQUIPMENT",
    category: "printers",
    lifecycleStage: "MATURITY",
    listPrice: "449.00",
    billOfMaterials: [
      { partSku: "SP-PRN-FUSER", quantity: 1, serviceableSeparately: true },
      { partSku: "SP-PRN-ROLLERS", quantity: 2, serviceableSeparately: true },
    ],
    failureModes: [
      { code: "E01-NO-POWER", hours: 0.5, symptom: "does not switch on", fix: "Power supply board replaced" },
      { code: "E10-PAPER-JAM", hours: 0.5, symptom: "paper jams at the tray", fix: "Pickup rollers replaced", partSku: "SP-PRN-ROLLERS" },
      { code: "E12-FUSER", hours: 1, symptom: "toner smears", fix: "Fuser unit replaced", partSku: "SP-PRN-FUSER" },
    ],
    fittingSkus: ["CON-TONER-500", "ACC-PAPER-TRAY"],
  },
  {
    sku: "TAB-10",
    name: "ProTab 10 Rugged Tablet",
    kind: "EQUIPMENT",
    category: "tablets",
    lifecycleStage: "GROWTH",
    listPrice: "399.00",
    billOfMaterials: [{ partSku: "SP-TAB-DISPLAY", quantity: 1, serviceableSeparately: true }],
    failureModes: [
      { code: "E01-NO-POWER", hours: 0.5, symptom: "does not start", fix: "Charging port replaced" },
      { code: "E30-DISPLAY", hours: 1, symptom: "cracked display", fix: "Display module replaced", partSku: "SP-TAB-DISPLAY" },
      { code: "E31-BATTERY", hours: 0.75, symptom: "battery drains within hours", fix: "Battery replaced" },
    ],
    fittingSkus: ["CON-FILM-TAB10"],
  },
  {
    sku: "CS-10",
    name: "SafeRide i-Size Child Car Seat",
    kind: "EQUIPMENT",
    category: "child-car-seats",
    lifecycleStage: "INTRODUCTION",
    listPrice: "329.00",
    billOfMaterials: [{ partSku: "SP-CS-BUCKLE", quantity: 1, serviceableSeparately: true }],
    failureModes: [
      { code: "E20-BUCKLE", hours: 0.5, symptom: "harness buckle does not latch", fix: "Harness buckle replaced", partSku: "SP-CS-BUCKLE" },
      { code: "E21-ISOFIX", hours: 0.75, symptom: "ISOFIX indicator stays red", fix: "ISOFIX latches adjusted" },
    ],
    fittingSkus: ["ACC-ISOFIX-BASE"],
  },
];

export const EQUIPMENT: Readonly<Record<string, EquipmentProfile>> = {
  "ESP-300": { serialPrefix: "BP300", soldForDays: 480, setup: "install", upgrades: ["Firmware 2.1: new milk-foam profiles"] },
  "ESP-200": { serialPrefix: "BP200", soldForDays: 3100, setup: "install", upgrades: [] },
  "DW-45": { serialPrefix: "AC45", soldForDays: 2600, setup: "install", upgrades: [] },
  "PRN-500": { serialPrefix: "PL500", soldForDays: 1500, setup: "install", upgrades: ["Firmware 5.4: secure print", "550-sheet paper tray fitted"] },
  "TAB-10": { serialPrefix: "PT10", soldForDays: 900, setup: "handover", upgrades: ["OS update 14.2", "Battery upgraded to 7,600 mAh"] },
  "CS-10": { serialPrefix: "SR10", soldForDays: 280, setup: "car", upgrades: [] },
};

/** The discontinued model and what replaces it. */
export const DISCONTINUED = { sku: "ESP-200", successorSku: "ESP-300", partsGuaranteeYears: 10 } as const;

/** What equipment each kind of customer buys, by weight. */
export const PROFILE_EQUIPMENT: Readonly<Record<CustomerProfile, readonly (readonly [string, number])[]>> = {
  coffee: [
    ["ESP-300", 3],
    ["ESP-200", 3],
    ["DW-45", 1],
  ],
  family: [
    ["CS-10", 4],
    ["DW-45", 2],
    ["TAB-10", 1],
  ],
  home: [
    ["DW-45", 2],
    ["PRN-500", 2],
    ["TAB-10", 2],
    ["ESP-300", 1],
  ],
  cafe: [
    ["ESP-300", 3],
    ["ESP-200", 3],
    ["DW-45", 2],
  ],
  office: [
    ["PRN-500", 4],
    ["TAB-10", 3],
    ["ESP-300", 1],
  ],
  daycare: [
    ["DW-45", 2],
    ["TAB-10", 2],
    ["CS-10", 3],
  ],
};

/** The consumables that go with owning a product. */
export const CONSUMABLES_FOR_EQUIPMENT: Readonly<Record<string, readonly string[]>> = {
  "ESP-300": ["CON-COFFEE-1KG", "CON-DESCALER"],
  "ESP-200": ["CON-COFFEE-1KG", "CON-DESCALER"],
  "DW-45": ["CON-DW-TABS-60"],
  "PRN-500": ["CON-TONER-500"],
  "TAB-10": ["CON-FILM-TAB10"],
  "CS-10": [],
};

/** Consumables a household or business with small children buys. */
export const BABY_CONSUMABLES: readonly string[] = ["CON-BABYFOOD-12", "CON-DIAPERS-3"];

/** Categories technicians are trained on: the equipment categories. */
export const SKILL_CATEGORIES: readonly string[] = ["espresso-machines", "dishwashers", "printers", "tablets", "child-car-seats"];

// ---------------------------------------------------------------------------
// Warranty and service contracts

export type { ServiceMode, StartBasis } from "@aftersales/warranty/domain";

/** A product's warranty terms (exclusions by the codes of its failure modes); effective from the product's launch. */
export type WarrantyTerms = Omit<PolicyInput, "effectiveFrom">;

/**
 * The maker's warranty per piece of equipment: two years as a rule, three
 * for the new flagship. Installed equipment is serviced on site from its
 * installation (printers from delivery); small devices are carried in and
 * covered from the sale, and their warranty stays with the first owner.
 */
export const WARRANTY_TERMS: Readonly<Record<string, WarrantyTerms>> = {
  "ESP-300": {
    months: 36,
    startBasis: "INSTALLATION",
    partsShare: 100,
    laborShare: 100,
    serviceMode: "ON_SITE",
    transferable: true,
    exclusions: [{ failureCode: "E09-GRINDER", description: "Grinder blocked by foreign objects in the beans (stones, screws)" }],
  },
  "ESP-200": {
    months: 24,
    startBasis: "INSTALLATION",
    partsShare: 100,
    laborShare: 50,
    serviceMode: "ON_SITE",
    transferable: true,
    exclusions: [{ failureCode: "E09-GRINDER", description: "Grinder blocked by foreign objects in the beans (stones, screws)" }],
  },
  "DW-45": { months: 24, startBasis: "INSTALLATION", partsShare: 100, laborShare: 100, serviceMode: "ON_SITE", transferable: true, exclusions: [] },
  "PRN-500": { months: 24, startBasis: "DELIVERY", partsShare: 100, laborShare: 50, serviceMode: "ON_SITE", transferable: true, exclusions: [] },
  "TAB-10": {
    months: 24,
    startBasis: "PURCHASE",
    partsShare: 100,
    laborShare: 100,
    serviceMode: "CARRY_IN",
    transferable: false,
    exclusions: [{ failureCode: "E30-DISPLAY", description: "Cracked display: accidental damage is not a defect" }],
  },
  "CS-10": { months: 24, startBasis: "PURCHASE", partsShare: 100, laborShare: 100, serviceMode: "CARRY_IN", transferable: false, exclusions: [] },
};

/** A plan of the demo, by key, as `createContractPlan` takes it. */
export type ContractPlanTemplate = Omit<PlanDraft, "offered" | "description"> & { key: string; description: string };

/** Three service contract plans, from spare parts only to a loaner and quarterly visits. */
export const CONTRACT_PLANS: readonly ContractPlanTemplate[] = [
  {
    key: "care-basic",
    name: "Care Basic",
    description: "Spare parts for repairs after the warranty, up to three repairs a year; labor and travel are charged.",
    priceSharePercent: 3,
    termMonths: 12,
    responseHours: 48,
    resolutionHours: 120,
    visitsPerYear: 0,
    floatingVisits: false,
    partsCovered: true,
    laborCovered: false,
    loanerIncluded: false,
    maxCases: 3,
    maxLaborHours: null,
  },
  {
    key: "care-plus",
    name: "Care Plus",
    description: "Parts and labor for repairs, and two maintenance visits a year.",
    priceSharePercent: 6,
    termMonths: 12,
    responseHours: 24,
    resolutionHours: 72,
    visitsPerYear: 2,
    floatingVisits: false,
    partsCovered: true,
    laborCovered: true,
    loanerIncluded: false,
    maxCases: null,
    maxLaborHours: null,
  },
  {
    key: "care-pro",
    name: "Care Pro",
    description:
      "Parts, labor and a loaner while yours is repaired; a technician responds within 4 business hours; a maintenance visit three months after the last one.",
    priceSharePercent: 9.5,
    termMonths: 12,
    responseHours: 4,
    resolutionHours: 24,
    visitsPerYear: 4,
    floatingVisits: true,
    partsCovered: true,
    laborCovered: true,
    loanerIncluded: true,
    maxCases: null,
    maxLaborHours: 40,
  },
];

/** The plan a dealer sells for a piece of equipment: businesses buy more service than households. */
export const CONTRACT_PLAN_FOR: Readonly<Record<string, { business: string; consumer: string } | null>> = {
  "ESP-300": { business: "care-pro", consumer: "care-plus" },
  "ESP-200": { business: "care-pro", consumer: "care-plus" },
  "DW-45": { business: "care-plus", consumer: "care-plus" },
  "PRN-500": { business: "care-plus", consumer: "care-basic" },
  "TAB-10": { business: "care-basic", consumer: "care-basic" },
  // Nobody services a child car seat: it is replaced.
  "CS-10": null,
};

/** What a workshop claims per kilometre driven to a unit, in its labor-rate currency. */
export const TRAVEL_RATE_PER_KM: Readonly<Record<string, string>> = { EUR: "0.65", GBP: "0.55", USD: "0.70", JPY: "95" };
